/**
 * English Wikipedia's "List of American films of <year>" rows (../shared/data/films-wikipedia-en,
 * via prust/wikipedia-movie-data): reading, de-duplicating and cleaning them. Pure functions over
 * the rows, so each data-error rule has a unit test (test/scripts/wikipedia-films.test.ts).
 */
import { foldName } from '../../src/shared/catalog/fold.ts';

/** One row as the source has it. */
export interface WikiRow {
  title: string;
  year: number;
  cast: string[];
  genres: string[];
  href?: string | null;
  extract?: string;
  thumbnail?: string;
}

/** A film after de-duplication and cleaning: only what the catalog may take from it. */
export interface WikiFilm {
  title: string;
  year: number;
  cast: string[];
  directors: string[];
  genres: string[];
  /** The article slug, only when the article is about this film (see `aboutThisFilm`). */
  slug?: string;
  /** First sentence of the extract, only when the extract is about this film. */
  synopsis?: string;
  /** Length of the whole extract when it is about this film (popularity evidence), else 0. */
  extractLength: number;
  /** The article is the primary topic for the name: slug without a "(… film)" qualifier. */
  primaryTopic: boolean;
  /** The article is the only film of its name on English Wikipedia: qualified "(film)", without a year. */
  soleFilm: boolean;
  /** The source found a poster for it (never shipped; a sign that the article is maintained). */
  hasPoster: boolean;
  /** Other films' extracts that name this title (sequels, remakes, "the 1994 film …"): popularity evidence. */
  mentions: number;
}

/**
 * Rows repeated in the source are one film: same title and year, and the same article, or
 * one of the two has no article and the casts agree. Two Carmens of 1915 with different
 * articles (DeMille's and Walsh's) stay two films.
 */
export function dedupeRows(rows: readonly WikiRow[]): WikiRow[] {
  // Stable across runs: the source's own order (decade files, then list order).
  const out: WikiRow[] = [];
  const byKey = new Map<string, WikiRow[]>();
  for (const row of rows) {
    const key = foldName(row.title);
    const same = byKey.get(key) ?? [];
    // The year lists repeat a film across a release-year boundary ("Splice" in 2009 and 2010),
    // so rows of one article two years apart or less are one film too.
    const twin = same.find((r) =>
      r.href && row.href ? r.href === row.href && Math.abs(r.year - row.year) <= 2 : r.year === row.year && sameCast(r.cast, row.cast),
    );
    if (twin) {
      // The year the article states wins ("Splice is a 2009 … film"), else the earlier list's.
      const stated = statedYear(firstSentence(twin.extract ?? row.extract ?? '', row.title));
      if (stated === row.year) twin.year = row.year;
      // Keep the fuller row's fields: an article, an extract, a longer cast.
      if (!twin.href && row.href) twin.href = row.href;
      if (!twin.extract && row.extract) twin.extract = row.extract;
      if (row.cast.length > twin.cast.length) twin.cast = row.cast;
      for (const g of row.genres) if (!twin.genres.includes(g)) twin.genres.push(g);
      continue;
    }
    const copy = { ...row, cast: [...row.cast], genres: [...row.genres] };
    same.push(copy);
    byKey.set(key, same);
    out.push(copy);
  }
  return out;
}

function sameCast(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return a.length === b.length;
  const set = new Set(a);
  return b.filter((p) => set.has(p)).length >= Math.min(a.length, b.length) / 2;
}

/** Connectives and role words that the scraper split off as "names". */
const CAST_STOPWORDS = new Set([
  'and',
  'the',
  'The',
  'with',
  'of',
  'Cast:',
  'Sr.',
  'Jr.',
  'voices of',
  'narrated by',
  'Interviews with',
  'kids',
  'cartoon',
]);

/**
 * Cast names without the scraper's debris: stray brackets and punctuation (")", "(", "."),
 * parenthesised roles ("Alois Havrilla (narrator)" → "Alois Havrilla"), wiki markup
 * ("Katherine MacDonald]]"), role fragments split off a note ("nominee)", "screenwriter)"),
 * connectives ("and", "voices of") and documentary subjects written in lower case
 * ("the life of", "drag queens"). Duplicates are dropped, billing order kept.
 */
export function cleanCast(cast: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of cast) {
    if (/^[^(]*\)$/.test(raw.trim()) && !/\(/.test(raw)) continue; // "nominee)": the tail of a note
    const name = raw
      .replace(/\[\[|\]\]|\[[a-z0-9]\]/g, '')
      .replace(/\([^)]*\)?/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (!/\p{L}.*\p{L}/u.test(name)) continue; // "(", ".", "?", "X"
    if (CAST_STOPWORDS.has(name)) continue;
    // Lower-case starts are phrases, not names, save stylised single words like "will.i.am".
    if (/^\p{Ll}/u.test(name) && !/^[\p{Ll}.]+$/u.test(name)) continue;
    if (/^\p{Ll}+$/u.test(name)) continue;
    if (name.split(' ').length > 7) continue; // "A year in the life of …": a documentary's subject
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Abbreviations after which a full stop does not end a sentence. */
const ABBREVIATIONS = new RegExp(
  String.raw`(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Bros|Co|Inc|Ltd|Mt|No|vs|Vol|Pt|Lt|Col|Gen|Capt|Sgt|Rev|Prof|Hon` +
    String.raw`|Jan|Feb|Mar|Apr|Aug|Sept|Oct|Nov|Dec|U\.S|U\.K|D\.C|a\.k\.a|ca|approx|etc))$`,
);

/**
 * The first sentence of an extract ("Inception is a 2010 … film … Nolan." of a longer lead).
 * A stop inside the title itself does not end it ("Say! Young Fellow was a 1918 …").
 */
export function firstSentence(text: string, title?: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const inTitle: [number, number][] = [];
  if (title) {
    const lower = flat.toLowerCase();
    const t = title.toLowerCase();
    for (let i = lower.indexOf(t); i >= 0 && t.length > 0; i = lower.indexOf(t, i + 1)) inTitle.push([i, i + t.length]);
  }
  const re = /[.!?](?=["”’)]?\s+["“(]?[A-Z0-9])/g;
  for (let m = re.exec(flat); m; m = re.exec(flat)) {
    const at = m.index;
    if (inTitle.some(([from, to]) => at >= from && at < to - 1)) continue;
    const before = flat.slice(0, m.index);
    if (m[0] === '.' && (ABBREVIATIONS.test(before) || before.endsWith('.'))) continue; // "D. W. Griffith", "The Concorde ... Airport '79"
    return flat.slice(0, m.index + 1).replace(/["”’)]$/, (q) => q);
  }
  return flat;
}

/** Head words of a noun phrase naming a film (a short, serial, cartoon, documentary, "silent drama" …). */
const FILM_WORDS = new Set(
  [
    'film films movie movies featurette short shorts serial cartoon cartoons documentary docudrama feature picture photoplay',
    'melodrama drama comedy comedy-drama western musical thriller mystery biopic reeler three-reeler two-reeler newsreel',
    'mockumentary remake sequel prequel adaptation noir',
  ]
    .join(' ')
    .split(' '),
);
/** Head words of what else a row's link was pointed at: a series, a person, a book, a song. */
const OTHER_WORDS = new Set(
  [
    'series miniseries mini-series sitcom soap show program programme franchise novel novella poem play song single album book',
    'magazine newspaper company studio character actor actress singer songwriter singer-songwriter musician band rapper comedian',
    'director producer writer author screenwriter politician sculpture statue painting opera ballet hymn circus game story list episode',
  ]
    .join(' ')
    .split(' '),
);
/** Words that end the noun phrase after "is a …": what follows describes it, not what it is. */
const PHRASE_END = new RegExp(
  String.raw`^(?:by|directed|written|produced|starring|featuring|based|about|that|which|who|from|in|of|on|for|with` +
    String.raw`|released|set|adapted|co-directed|co-written|distributed|,|\.)$`,
  'i',
);

/**
 * Whether an extract is about the film this row names: its first sentence mentions the title
 * and says it is a film ("X is a 1925 American silent Western film …": the noun phrase after
 * the first "is a" has a film word and no series, person, book or song word), and gives no
 * year more than three away from the row's (festival and release years differ; the 1924
 * "Crossed Trails" row links the 1948 film's article).
 */
export function aboutThisFilm(row: Pick<WikiRow, 'title' | 'year'>, extract: string): boolean {
  const sentence = firstSentence(extract, row.title);
  const comparable = (s: string): string => foldName(s.replace(/&/g, ' and ').replace(/\s*\([^)]*\)\s*/g, ' '));
  const title = comparable(row.title.replace(/^(?:The|A|An) /, ''));
  if (title.length === 0 || !comparable(sentence).includes(title)) return false;
  // The verb after the title: "Hell Is for Heroes is a 1962 … film" is not "is for Heroes".
  const titleAt = sentence.toLowerCase().indexOf(row.title.toLowerCase());
  const rest = titleAt >= 0 ? sentence.slice(titleAt + row.title.length) : sentence;
  const copula = /\b(?:is|was|are|were)\s+(?:(?:an?|the)\s+)?/i.exec(rest);
  if (!copula) return false;
  const words = rest.slice(copula.index + copula[0].length).split(/\s+|(?=[,;:])/);
  // The phrase's head is its last noun: a "space opera film" is a film, a "film series" is not.
  let film = false;
  for (const raw of words) {
    const word = raw.toLowerCase().replace(/^["“(]+|["”).]+$/g, '');
    if (PHRASE_END.test(word)) break;
    if (OTHER_WORDS.has(word)) film = false;
    else if (FILM_WORDS.has(word)) film = true;
  }
  return film && Math.abs((statedYear(sentence) ?? row.year) - row.year) <= 3;
}

/** The year a sentence gives its film: "is a 1925 American …", "(1914) is …". */
function statedYear(sentence: string): number | undefined {
  const m = /\b(?:is|was|are|were)\s+(?:an?\s+)?(?:\w+\s+){0,3}?((?:18|19|20)\d\d)\b|\(((?:18|19|20)\d\d)\)/.exec(sentence);
  const year = m?.[1] ?? m?.[2];
  return year === undefined ? undefined : Number(year);
}

// A full stop only after an initial ("D. W. Griffith"): "Walter Lang. This film …" ends at Lang.
// The particles first, so "Malcolm St. Clair" reads St. as a particle and not as a last name "St".
const NAME_WORD =
  String.raw`(?:(?:de|van|von|da|del|della|di|du|der|la|le|St\.)(?=\s+[A-Z])|[A-Z]\.(?:\s?[A-Z]\.)*` +
  String.raw`|(?:Mc|Mac|O')?[A-Z][\p{L}'’\-]+)`;
const PERSON = String.raw`${NAME_WORD}(?:\s+${NAME_WORD}){1,4}(?:,?\s+(?:Jr|Sr)\.)?`;
// "directed by", and "directed and written by", "directed, written and produced by".
const DIRECTED = String.raw`\b[Dd]irected(?:(?:\s*,\s*|\s+and\s+)(?:co-)?(?:written|produced|edited|scored|shot))*\s+by`;
const DIRECTED_BY = new RegExp(String.raw`${DIRECTED}\s+(${PERSON})((?:\s*,\s*${PERSON})*(?:,?\s+(?:and|&)\s+${PERSON})?)`, 'gu');
/** Capitalised words after "directed by" that are not a person. */
const NOT_A_PERSON = new RegExp(
  '^(?:The|A|An|His|Her|Their|Its|This|American|British|English|French|German|Italian|Japanese' +
    '|Hong Kong|Chinese|Korean|Canadian|Australian|Mexican|Spanish|Indian|Soviet|Russian|Swedish|Danish' +
    '|Disney|Walt Disney Productions|Universal|Paramount|Columbia|Warner|Metro)\\b',
);

/**
 * Directors named in an extract ("written and directed by Christopher Nolan", "directed by
 * Raoul Walsh and Irving Cummings"), in the order given. Only the extract's own wording is
 * read; a name must be two to five capitalised words (initials count), so "directed by the
 * Coen brothers" gives nothing rather than a guess.
 */
export function directorsFrom(extract: string): string[] {
  const out: string[] = [];
  DIRECTED_BY.lastIndex = 0;
  const text = extract.replace(/\s+/g, ' ');
  for (let m = DIRECTED_BY.exec(text); m; m = DIRECTED_BY.exec(text)) {
    const names = [m[1] ?? '', ...(m[2] ?? '').split(/\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+/)];
    for (const raw of names) {
      const name = raw.trim().replace(/,$/, '');
      if (!name || NOT_A_PERSON.test(name) || name.split(/\s+/).length < 2) continue;
      if (!out.includes(name)) out.push(name);
    }
    if (out.length > 0) break; // the first "directed by" is the film's; later ones are often a remake's
  }
  return out;
}

/**
 * A title without the scraper's page debris: footnote and interlanguage markers ("The Cord of
 * Life[1]", "Fly by Night [fr]"), an article qualifier left in ("An Enemy to the King (film)"),
 * and the CSS of Wikipedia's fraction template ("Naked Gun
 * .mw-parser-output .frac{…}33+1⁄3: The Final Insult" → "Naked Gun 33⅓: The Final Insult").
 */
export function cleanTitle(title: string): string {
  return title
    .replace(/(?:\.mw-parser-output[^{]*\{[^}]*\})+/g, '')
    .replace(/(\d+)\+1⁄3/g, '$1⅓')
    .replace(/(\d+)\+1⁄2/g, '$1½')
    .replace(/\s*\[(?:\d+|[a-z]{2,3})\]/g, '')
    .replace(/\s*\((?:\d{4} )?(?:film|movie)\)$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A clean film from a de-duplicated row; `slugOwner` is false when another row has a better claim on the same article. */
export function toFilm(row: WikiRow, slugOwner: boolean): WikiFilm {
  const extract = row.extract?.trim() ?? '';
  const about = slugOwner && extract !== '' && aboutThisFilm(row, extract);
  const slug = row.href ?? undefined;
  const slugBase = slug
    ? decodeURIComponent(slug)
        .replace(/_\([^)]*\)$/, '')
        .replaceAll('_', ' ')
    : '';
  // Without an extract, the slug is still taken when it names this title (the list table links it).
  const slugOk = slug !== undefined && slugOwner && (about || (extract === '' && foldName(slugBase) === foldName(row.title)));
  const film: WikiFilm = {
    title: row.title,
    year: row.year,
    cast: cleanCast(row.cast),
    directors: about ? directorsFrom(firstTwoSentences(extract, row.title)) : [],
    genres: [...row.genres],
    extractLength: about ? extract.length : 0,
    primaryTopic: slugOk && !!slug && !/_\([^)]*\)$/.test(slug),
    soleFilm: slugOk && !!slug && /_\(film\)$/.test(slug),
    hasPoster: about && !!row.thumbnail,
    mentions: 0,
  };
  if (slugOk && slug) film.slug = slug;
  if (about) film.synopsis = firstSentence(extract, row.title);
  return film;
}

function firstTwoSentences(extract: string, title: string): string {
  const one = firstSentence(extract, title);
  return `${one} ${firstSentence(extract.slice(one.length).trim(), title)}`;
}

/**
 * Which row owns each article slug that several rows share: the one the extract's stated year
 * fits (ties: the first). The others keep their row but not the article's slug or text.
 */
export function slugOwners(rows: readonly WikiRow[]): Set<WikiRow> {
  const bySlug = new Map<string, WikiRow[]>();
  for (const row of rows) if (row.href) bySlug.set(row.href, [...(bySlug.get(row.href) ?? []), row]);
  const owners = new Set<WikiRow>(rows.filter((r) => !r.href));
  for (const group of bySlug.values()) {
    const about = group.filter((r) => r.extract && aboutThisFilm(r, r.extract));
    // Of rows that all fit within a year, the one whose year the sentence states exactly.
    const fit =
      about.find((r) => statedYear(firstSentence(r.extract ?? '', r.title)) === r.year) ??
      about[0] ??
      (group.length === 1 ? group[0] : undefined);
    if (fit) owners.add(fit);
  }
  return owners;
}

const words = (s: string): string[] => s.match(/[\p{L}\p{N}'’]+/gu) ?? [];

/**
 * For each title, how many other rows' extracts name it as a phrase (counted once per extract,
 * case as written). Only titles of two words or more: "It", "Speed" or "Hercules" would be
 * found in leads that never mean the film.
 */
export function mentionCounts(rows: readonly WikiRow[]): Map<string, number> {
  const wanted = new Map<string, number>();
  const lengths = new Set<number>();
  for (const row of rows) {
    const w = words(row.title);
    if (w.length >= 2) {
      wanted.set(w.join(' '), 0);
      lengths.add(w.length);
    }
  }
  for (const row of rows) {
    const w = words(row.extract ?? '');
    const own = words(row.title).join(' ');
    const seen = new Set<string>();
    for (const n of lengths) {
      for (let i = 0; i + n <= w.length; i += 1) {
        const phrase = w.slice(i, i + n).join(' ');
        if (phrase !== own && !seen.has(phrase) && wanted.has(phrase)) {
          seen.add(phrase);
          wanted.set(phrase, (wanted.get(phrase) ?? 0) + 1);
        }
      }
    }
  }
  return wanted;
}

/** All films of the source: rows de-duplicated, cleaned, each article given to one row. */
export function wikipediaFilms(rows: readonly WikiRow[]): WikiFilm[] {
  const unique = dedupeRows(rows.map((row) => ({ ...row, title: cleanTitle(row.title) })));
  const owners = slugOwners(unique);
  const mentions = mentionCounts(unique);
  return unique.map((row) => ({ ...toFilm(row, owners.has(row)), mentions: mentions.get(words(row.title).join(' ')) ?? 0 }));
}
