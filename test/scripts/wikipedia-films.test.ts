import { describe, expect, it } from 'vitest';
import {
  aboutThisFilm,
  cleanCast,
  cleanTitle,
  dedupeRows,
  directorsFrom,
  firstSentence,
  mentionCounts,
  wikipediaFilms,
  type WikiRow,
} from '../../scripts/catalog/wikipedia-films.ts';

// Rows are reduced from ../shared/data/films-wikipedia-en (the cases named in each test), text shortened.
const row = (r: Partial<WikiRow> & Pick<WikiRow, 'title' | 'year'>): WikiRow => ({ cast: [], genres: [], ...r });

describe('English Wikipedia film rows', () => {
  it('cleans titles of footnote and interlanguage markers and of template CSS', () => {
    expect(cleanTitle('The Cord of Life[1]')).toBe('The Cord of Life');
    expect(cleanTitle('Fly by Night\u00a0[fr]')).toBe('Fly by Night');
    expect(cleanTitle('An Enemy to the King (film)')).toBe('An Enemy to the King');
    expect(cleanTitle('Stronger Than Death (1920 film)')).toBe('Stronger Than Death');
    expect(
      cleanTitle(
        'Naked Gun .mw-parser-output .frac{white-space:nowrap}.mw-parser-output .frac .num{font-size:80%}33+1⁄3: The Final Insult',
      ),
    ).toBe('Naked Gun 33⅓: The Final Insult');
  });

  it('cleans cast lists of the scraper debris and keeps billing order', () => {
    expect(
      cleanCast([
        'Leonardo DiCaprio',
        ')',
        '(',
        '.',
        'and',
        'voices of',
        'Alois Havrilla (narrator)',
        'nominee)',
        'Katherine MacDonald]]',
        'the life of',
        'will.i.am',
        'Robert Downey, Jr.',
        'Leonardo DiCaprio',
      ]),
    ).toEqual(['Leonardo DiCaprio', 'Alois Havrilla', 'Katherine MacDonald', 'will.i.am', 'Robert Downey, Jr.']);
  });

  it('merges rows the source repeats: same article within two years, or no article and the same cast', () => {
    const rows = [
      row({ title: 'Suspicion', year: 1918, href: 'Suspicion_(1918_film)', cast: ['Grace Davison'] }),
      row({ title: 'Suspicion', year: 1918, href: 'Suspicion_(1918_film)', cast: ['Grace Davison', 'Warren Cook'] }),
      // "Splice" is in both the 2009 and the 2010 list; its article says 2009.
      row({
        title: 'Splice',
        year: 2009,
        href: 'Splice_(film)',
        extract: 'Splice is a 2009 science fiction horror film directed by Vincenzo Natali.',
      }),
      row({
        title: 'Splice',
        year: 2010,
        href: 'Splice_(film)',
        extract: 'Splice is a 2009 science fiction horror film directed by Vincenzo Natali.',
      }),
      // Two different 1915 Carmens, DeMille's and Walsh's.
      row({ title: 'Carmen', year: 1915, href: 'Carmen_(1915_Cecil_B._DeMille_film)', cast: ['Geraldine Farrar'] }),
      row({ title: 'Carmen', year: 1915, href: 'Carmen_(1915_Raoul_Walsh_film)', cast: ['Theda Bara'] }),
      // One article linked from rows twenty years apart: different films.
      row({ title: 'The Train Wreckers', year: 1905, href: 'The_Train_Wreckers' }),
      row({ title: 'The Train Wreckers', year: 1925, href: 'The_Train_Wreckers' }),
    ];
    const out = dedupeRows(rows);
    expect(out.map((r) => `${r.title} ${r.year}`)).toEqual([
      'Suspicion 1918',
      'Splice 2009',
      'Carmen 1915',
      'Carmen 1915',
      'The Train Wreckers 1905',
      'The Train Wreckers 1925',
    ]);
    expect(out[0]?.cast).toEqual(['Grace Davison', 'Warren Cook']);
  });

  it('takes the first sentence without stopping at initials, abbreviations or the title', () => {
    expect(
      firstSentence('Intolerance is a 1916 American silent epic film directed by D. W. Griffith. It is three and a half hours long.'),
    ).toBe('Intolerance is a 1916 American silent epic film directed by D. W. Griffith.');
    expect(firstSentence('Rebel Rabbit is a 1949 Warner Bros. Merrie Melodies short. It stars Bugs Bunny.')).toBe(
      'Rebel Rabbit is a 1949 Warner Bros. Merrie Melodies short.',
    );
    expect(firstSentence('Say! Young Fellow was a 1918 American silent comedy film. It is lost.', 'Say! Young Fellow')).toBe(
      'Say! Young Fellow was a 1918 American silent comedy film.',
    );
  });

  it('takes an extract only when it is about a film of that title and year', () => {
    expect(
      aboutThisFilm(
        { title: 'Inception', year: 2010 },
        'Inception is a 2010 science fiction action film written and directed by Christopher Nolan.',
      ),
    ).toBe(true);
    expect(
      aboutThisFilm(
        { title: 'Star Wars: Episode I – The Phantom Menace', year: 1999 },
        'Star Wars: Episode I – The Phantom Menace is a 1999 American epic space opera film written and directed by George Lucas.',
      ),
    ).toBe(true);
    expect(
      aboutThisFilm({ title: 'Hell Is for Heroes', year: 1962 }, 'Hell Is for Heroes is a 1962 American war film directed by Don Siegel.'),
    ).toBe(true);
    // Rows whose link points at something else: a person, a play, a series, a song, another year's film.
    expect(
      aboutThisFilm(
        { title: 'She Walketh Alone', year: 1915 },
        'William Reeves Eason was an American film director, actor and screenwriter.',
      ),
    ).toBe(false);
    expect(
      aboutThisFilm({ title: 'Mr. Sycamore', year: 1975 }, 'Mr. Sycamore is a play written by Ketti Frings that was published in 1942.'),
    ).toBe(false);
    expect(
      aboutThisFilm(
        { title: 'Lonesome Dove', year: 1989 },
        'Lonesome Dove is a 1989 American epic Western adventure television miniseries directed by Simon Wincer.',
      ),
    ).toBe(false);
    expect(
      aboutThisFilm(
        { title: 'Any Bonds Today?', year: 1942 },
        '"Any Bonds Today?" is a song written by Irving Berlin, featured in a 1942 animated propaganda film.',
      ),
    ).toBe(false);
    expect(
      aboutThisFilm({ title: 'Crossed Trails', year: 1924 }, 'Crossed Trails is a 1948 American Western film directed by Lambert Hillyer.'),
    ).toBe(false);
    expect(
      aboutThisFilm(
        { title: 'Subspecies', year: 1991 },
        'Subspecies is a Romanian-American direct-to-video vampire horror film series produced by Full Moon.',
      ),
    ).toBe(false);
  });

  it('reads directors from the extract, and nothing from words that are not a name', () => {
    expect(
      directorsFrom('Inception is a 2010 science fiction action film written and directed by Christopher Nolan, who also produced it.'),
    ).toEqual(['Christopher Nolan']);
    expect(
      directorsFrom(
        'In Old Arizona is a 1928 American Western film directed by Raoul Walsh and Irving Cummings, nominated for five Academy Awards.',
      ),
    ).toEqual(['Raoul Walsh', 'Irving Cummings']);
    expect(directorsFrom('The College Hero is a 1927 American silent comedy film directed by Walter Lang. This film is lost.')).toEqual([
      'Walter Lang',
    ]);
    expect(directorsFrom('Intolerance is a 1916 film directed by D. W. Griffith.')).toEqual(['D. W. Griffith']);
    expect(directorsFrom('Fargo is a 1996 crime film directed by the Coen brothers.')).toEqual([]);
  });

  it('gives a shared article, its synopsis and its slug to the one row it is about', () => {
    const films = wikipediaFilms([
      row({
        title: 'The Train Wreckers',
        year: 1905,
        href: 'The_Train_Wreckers',
        extract: 'The Train Wreckers is a 1905 American silent drama film, directed by Edwin S. Porter.',
      }),
      row({
        title: 'The Train Wreckers',
        year: 1925,
        href: 'The_Train_Wreckers',
        extract: 'The Train Wreckers is a 1905 American silent drama film, directed by Edwin S. Porter.',
      }),
    ]);
    expect(films.map((f) => [f.year, f.slug, f.synopsis !== undefined, f.directors])).toEqual([
      [1905, 'The_Train_Wreckers', true, ['Edwin S. Porter']],
      [1925, undefined, false, []],
    ]);
  });

  it('counts other leads that name a title of two words or more', () => {
    const counts = mentionCounts([
      row({ title: 'Toy Story', year: 1995, extract: 'Toy Story is a 1995 American animated film.' }),
      row({ title: 'Toy Story 2', year: 1999, extract: 'Toy Story 2 is the sequel to the 1995 film Toy Story.' }),
      row({ title: 'Speed', year: 1994, extract: 'Speed is a 1994 action film.' }),
    ]);
    expect(counts.get('Toy Story')).toBe(1);
    expect(counts.has('Speed')).toBe(false);
  });
});
