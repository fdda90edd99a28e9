/**
 * Joins English Wikipedia's American films to the titles the other sources built: a film is
 * merged into an existing title only when the match is unambiguous, else it is a title of its own.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { foldName } from '../../src/shared/catalog/fold.ts';
import { genreOf } from '../../src/shared/catalog/genres.ts';
import { wikipediaSlug } from '../../src/shared/catalog/ids.ts';
import { addId, count, draft, type Draft } from './draft.ts';
import { wikipediaFilms, type WikiFilm, type WikiRow } from './wikipedia-films.ts';

/** The decade files of prust/wikipedia-movie-data. */
export const WIKIPEDIA = '../shared/data/films-wikipedia-en';

/** Every row of the decade files, in file order. */
export function readWikipediaRows(dir = WIKIPEDIA): WikiRow[] {
  return readdirSync(dir)
    .filter((f) => /^movies-\d{4}s\.json$/.test(f))
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as WikiRow[]);
}

/** Kinds a film can be merged into: series and anime series are never the same work as a film. */
const FILM_LIKE = new Set(['film', 'anime-film', 'documentary', 'special', 'other']);

/** The names a title is matched on: English and original (Chinese names never equal an English list title). */
function matchNames(d: Draft): Set<string> {
  return new Set([...d.names.en, ...d.names.original].map(foldName).filter((n) => n.length > 0));
}

/**
 * Whether titles are one work: a single title, or CGroup titles of one year (or none) that the
 * two CGroup tables both keep under differently written keys ("Shawshank Redemption, The" in LuaMovie, "The
 * Shawshank Redemption" in Movie) with the same Chinese title. Both ids shipped before, and
 * events link to them, so they stay two titles and the film's data goes to each.
 */
function oneWork(ds: readonly Draft[]): boolean {
  if (ds.length === 1) return true;
  if (
    ds.length === 0 ||
    ds.some((d) => d.sources.size !== 1 || !d.sources.has('zhwiki-cgroup') || d.kind !== ds[0]?.kind || d.year !== ds[0]?.year)
  )
    return false;
  const zh = (d: Draft): Set<string> => new Set([...d.names['zh-Hans'], ...d.names['zh-Hant']].map(foldName));
  const first = zh(ds[0] as Draft);
  return ds.every((d) => [...zh(d)].some((n) => first.has(n)));
}

/**
 * Pairs of (existing title, film) that are unambiguous:
 * - a title with a year (bangumi-data's start date, or a CGroup key such as "Total Recall (2012)")
 *   pairs with the film of one of its names in that year, when exactly one film of that name has
 *   that year and it is the one film-like title of that name with that year (or, when none has
 *   the year, the one without a year);
 * - a title without a year pairs with a film only when that film is the only one of its name in
 *   the list, English Wikipedia knows no other film of that name (its article is the primary topic,
 *   "Inception", or qualified "(film)" without a year, "Logan_(film)"; not "Parasite_(1982_film)":
 *   a CGroup key "Parasite" is Bong Joon-ho's film, not the 1982 one), and no other film-like title
 *   has that name.
 * Remakes never pair with each other: each is its own year.
 */
export function unambiguousMatches(drafts: readonly Draft[], films: readonly WikiFilm[]): Map<WikiFilm, Draft[]> {
  const filmsByName = new Map<string, WikiFilm[]>();
  for (const f of films) {
    const key = foldName(f.title);
    if (key) filmsByName.set(key, [...(filmsByName.get(key) ?? []), f]);
  }
  const draftsByName = new Map<string, Draft[]>();
  const candidates = drafts.filter((d) => FILM_LIKE.has(d.kind));
  for (const d of candidates) for (const n of matchNames(d)) draftsByName.set(n, [...(draftsByName.get(n) ?? []), d]);
  const out = new Map<WikiFilm, Draft[]>();
  const claimed = new Map<WikiFilm, Set<Draft>>();
  for (const d of candidates) {
    let film: WikiFilm | undefined;
    let ambiguous = false;
    for (const n of matchNames(d)) {
      const same = filmsByName.get(n) ?? [];
      const pool = d.year === undefined ? same : same.filter((f) => f.year === d.year);
      if (pool.length === 0) continue;
      const only = pool[0] as WikiFilm;
      if (pool.length > 1 || (d.year === undefined && !only.primaryTopic && !only.soleFilm) || (film && film !== only)) ambiguous = true;
      film = only;
    }
    if (!film || ambiguous) continue;
    // The film's side: the titles of its name that it could be. A key with the film's year is
    // more specific than one without ("Star Trek (2009)" beside the plain "Star Trek" rule).
    const named = [...new Set((draftsByName.get(foldName(film.title)) ?? []).filter((r) => r.year === undefined || r.year === film.year))];
    const exact = named.filter((r) => r.year === film.year);
    const rivals = exact.length > 0 ? exact : named;
    if (!rivals.includes(d) || !oneWork(rivals)) continue;
    claimed.set(film, new Set([...(claimed.get(film) ?? []), d]));
  }
  for (const [film, ds] of claimed) if (oneWork([...ds])) out.set(film, [...ds]);
  return out;
}

/** Gives a draft everything a film row knows; names and ids already there stay first. */
export function addFilm(d: Draft, f: WikiFilm): void {
  d.sources.add('wikipedia-en');
  d.names.en.add(f.title);
  if (d.year === undefined) d.year = f.year;
  if (d.kind === 'other' || d.kind === 'special') d.kind = 'film';
  // Documentary + Drama is how the list files docudramas ("Day One", a dramatised Manhattan Project): films.
  if (f.genres.includes('Documentary') && !f.genres.includes('Drama') && d.kind === 'film') d.kind = 'documentary';
  for (const word of f.genres) {
    const id = genreOf(word);
    if (id) d.genres.add(id);
  }
  for (const p of f.cast) if (!d.cast.includes(p)) d.cast.push(p);
  for (const p of f.directors) if (!d.directors.includes(p)) d.directors.push(p);
  if (f.synopsis && !d.synopsisEn) d.synopsisEn = f.synopsis;
  // Kept as the linker finds it in a URL: decoded, so "%E2%80%93" and "–" are one id.
  if (f.slug && wikipediaSlug(f.slug).length <= 128) addId(d, 'wikipedia-en', wikipediaSlug(f.slug));
  d.evidence.extractLength = Math.max(d.evidence.extractLength, f.extractLength);
  d.evidence.primaryTopic ||= f.primaryTopic;
  d.evidence.hasPoster ||= f.hasPoster;
  d.evidence.mentions = Math.max(d.evidence.mentions, f.mentions);
}

/**
 * Wikipedia's films into the catalog: unambiguous matches merged into their titles, the rest
 * new titles with ids `wp:film:<folded title>-<year>` (the CGroup scheme with the year always
 * given; `-2`, `-3` … for a second film of one name in one year, in the source's order).
 */
export function mergeWikipediaFilms(drafts: Draft[], rows: readonly WikiRow[], stats: Record<string, number>): Draft[] {
  const films = wikipediaFilms(rows);
  stats['Wikipedia film rows read'] = rows.length;
  stats['Wikipedia films after removing repeated rows'] = films.length;
  stats['Wikipedia films with a synopsis (extract about the film)'] = films.filter((f) => f.synopsis).length;
  const matches = unambiguousMatches(drafts, films);
  const added: Draft[] = [];
  const ids = new Set(drafts.map((d) => d.id));
  for (const f of films) {
    const targets = matches.get(f);
    if (targets) {
      count(stats, `Wikipedia films merged into a ${targets[0]?.sources.has('bangumi-data') ? 'bangumi-data' : 'CGroup'} title`);
      if (targets.length > 1) count(stats, 'Wikipedia films merged into two CGroup titles of one work (LuaMovie and Movie keys)');
      for (const t of targets) addFilm(t, f);
      continue;
    }
    const base = `wp:film:${foldName(f.title).slice(0, 100) || 'untitled'}-${f.year}`;
    let id = base;
    for (let n = 2; ids.has(id); n += 1) id = `${base}-${n}`;
    ids.add(id);
    const d = draft(id, 'film');
    d.year = f.year;
    addFilm(d, f);
    added.push(d);
  }
  stats['Wikipedia films added as new titles'] = added.length;
  return added;
}
