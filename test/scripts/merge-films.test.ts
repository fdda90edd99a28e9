import { describe, expect, it } from 'vitest';
import { draft, type Draft } from '../../scripts/catalog/draft.ts';
import { addFilm, unambiguousMatches } from '../../scripts/catalog/merge-films.ts';
import type { WikiFilm } from '../../scripts/catalog/wikipedia-films.ts';

const film = (title: string, year: number, extra: Partial<WikiFilm> = {}): WikiFilm => ({
  title,
  year,
  cast: [],
  directors: [],
  genres: [],
  extractLength: 0,
  primaryTopic: false,
  soleFilm: false,
  hasPoster: false,
  mentions: 0,
  ...extra,
});
function title(id: string, en: string, opts: { year?: number; zh?: string; kind?: Draft['kind']; source?: string } = {}): Draft {
  const d = draft(id, opts.kind ?? 'film');
  d.names.en.add(en);
  d.names.original.add(en);
  if (opts.zh) d.names['zh-Hans'].add(opts.zh);
  if (opts.year !== undefined) d.year = opts.year;
  d.sources.add(opts.source ?? 'zhwiki-cgroup');
  return d;
}
const pairs = (drafts: Draft[], films: WikiFilm[]): string[] =>
  [...unambiguousMatches(drafts, films)].map(([f, ds]) => `${f.title} ${f.year} → ${ds.map((d) => d.id).join('+')}`);

describe('joining Wikipedia films to existing titles', () => {
  it("merges a title without a year into the only film of its name when that film is its name's primary topic", () => {
    expect(pairs([title('zw:film:inception', 'Inception', { zh: '盗梦空间' })], [film('Inception', 2010, { primaryTopic: true })])).toEqual(
      ['Inception 2010 → zw:film:inception'],
    );
    // "Parasite" on zh Wikipedia is Bong Joon-ho's film; the American list's Parasite (1982) is not the primary topic.
    expect(pairs([title('zw:film:parasite', 'Parasite', { zh: '寄生虫' })], [film('Parasite', 1982)])).toEqual([]);
    // "Logan_(film)": English Wikipedia knows one film of the name.
    expect(pairs([title('zw:film:logan', 'Logan', { zh: '罗根' })], [film('Logan', 2017, { soleFilm: true })])).toEqual([
      'Logan 2017 → zw:film:logan',
    ]);
  });

  it('merges by name and year, and leaves remakes and same-year namesakes apart', () => {
    const drafts = [
      title('zw:film:totalrecall-1990', 'Total Recall', { year: 1990 }),
      title('zw:film:totalrecall-2012', 'Total Recall', { year: 2012 }),
      title('zw:film:dune', 'Dune'),
    ];
    const films = [film('Total Recall', 1990), film('Total Recall', 2012), film('Dune', 1984, { primaryTopic: true }), film('Dune', 2021)];
    expect(pairs(drafts, films)).toEqual(['Total Recall 1990 → zw:film:totalrecall-1990', 'Total Recall 2012 → zw:film:totalrecall-2012']);
    expect(pairs([title('zw:film:carmen-1915', 'Carmen', { year: 1915 })], [film('Carmen', 1915), film('Carmen', 1915)])).toEqual([]);
  });

  it("prefers the key with the film's year to a plain key of the same name", () => {
    const plain = title('zw:film:startrek', 'Star Trek', { zh: '星际迷航' });
    const keyed = title('zw:film:startrek-2009', 'Star Trek', { year: 2009, zh: '星际迷航' });
    expect(pairs([plain, keyed], [film('Star Trek', 2009, { soleFilm: true })])).toEqual(['Star Trek 2009 → zw:film:startrek-2009']);
  });

  it('files list documentaries as documentaries, and docudramas (Documentary + Drama) as films', () => {
    const doc = draft('wp:film:afropunk-2003', 'film');
    addFilm(doc, film('Afro-Punk', 2003, { genres: ['Documentary'] }));
    const docudrama = draft('wp:film:dayone-1989', 'film');
    addFilm(docudrama, film('Day One', 1989, { genres: ['Documentary', 'Drama'] }));
    expect([doc.kind, docudrama.kind, [...docudrama.genres]]).toEqual(['documentary', 'film', ['documentary', 'drama']]);
  });

  it('never merges a film into a series', () => {
    expect(pairs([title('zw:tv:fargo', 'Fargo', { kind: 'series' })], [film('Fargo', 1996, { primaryTopic: true })])).toEqual([]);
  });

  it('gives a film to both ids of one work that two CGroup tables keep under different keys', () => {
    const lua = title('zw:film:shawshankredemptionthe', 'The Shawshank Redemption', { zh: '肖申克的救赎' });
    const movie = title('zw:film:theshawshankredemption', 'The Shawshank Redemption', { zh: '肖申克的救赎' });
    expect(pairs([lua, movie], [film('The Shawshank Redemption', 1994, { primaryTopic: true })])).toEqual([
      'The Shawshank Redemption 1994 → zw:film:shawshankredemptionthe+zw:film:theshawshankredemption',
    ]);
  });

  it('adds what the film knows, keeping the names already there first', () => {
    const d = title('zw:film:inception', 'Inception', { zh: '盗梦空间' });
    addFilm(
      d,
      film('Inception', 2010, {
        cast: ['Leonardo DiCaprio'],
        directors: ['Christopher Nolan'],
        genres: ['Action', 'Science Fiction', 'Independent'],
        synopsis: 'Inception is a 2010 film.',
        slug: 'Inception',
      }),
    );
    expect({
      year: d.year,
      genres: [...d.genres],
      cast: d.cast,
      directors: d.directors,
      ids: [...(d.externalIds.get('wikipedia-en') ?? [])],
      first: [...d.names['zh-Hans']][0],
    }).toEqual({
      year: 2010,
      genres: ['action', 'sci-fi'],
      cast: ['Leonardo DiCaprio'],
      directors: ['Christopher Nolan'],
      ids: ['Inception'],
      first: '盗梦空间',
    });
  });
});
