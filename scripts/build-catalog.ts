/**
 * `npm run catalog:build`: builds public/catalog/default-catalog.json.gz from three real sources:
 * ../shared/data/catalog-bangumi-data (bangumi-data, CC BY 4.0),
 * ../shared/data/title-aliases-zhwiki-cgroup (Chinese Wikipedia CGroup rules, CC BY-SA 4.0) and
 * ../shared/data/films-wikipedia-en (English Wikipedia's American films, CC BY-SA 4.0, via
 * prust/wikipedia-movie-data, MIT). Evaluation-only data (MovieLens, rank4douban, MAL, the Movies
 * Dataset links) is never read to build it; MovieLens is read once the file is written, to print
 * how well the popularity prior agrees with it. docs/catalog-format.md explains the rules.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { foldName } from '../src/shared/catalog/fold.ts';
import { isGenreId } from '../src/shared/catalog/genres.ts';
import { CATALOG_FORMAT, parseCatalog, type CatalogFile } from '../src/shared/catalog/schema.ts';
import { bangumiTitles } from './catalog/bangumi.ts';
import { cgroupTitles } from './catalog/cgroup.ts';
import { coverageTable } from './catalog/coverage.ts';
import type { Draft } from './catalog/draft.ts';
import { mergeWikipediaFilms, readWikipediaRows } from './catalog/merge-films.ts';
import { movielensCheck } from './catalog/movielens-check.ts';
import { loadLexicon, ordinaryNames, type Lexicon } from './catalog/common-names.ts';
import { KIND_OVERRIDES } from './catalog/kind-overrides.ts';
import { popularity, priorScores } from './catalog/prior.ts';
import { wikipediaFilms } from './catalog/wikipedia-films.ts';
import { fillChineseScripts } from './chinese-scripts.ts';

/**
 * Shipped gzipped: the JSON is over the 5 MB that add-on stores will parse as text (web-ext lint
 * FILE_TOO_LARGE), and the background inflates it once at install with DecompressionStream.
 */
const OUT = 'public/catalog/default-catalog.json.gz';

/** The default catalog's attribution lines, shown in the About section and the README. */
export const ATTRIBUTIONS = [
  {
    text: 'Anime data from bangumi-data (https://github.com/bangumi-data/bangumi-data), CC BY 4.0',
    licence: 'CC-BY-4.0',
    url: 'https://github.com/bangumi-data/bangumi-data',
  },
  {
    text:
      'Film and TV title variants from Chinese Wikipedia contributors, Module:CGroup (Movie, LuaMovie, TV, Anime, ' +
      'ZH Show, JP Show, KO TV Show, TH Movie, IN Movie, Cartoon), CC BY-SA 4.0; the default catalog is shared under the same licence',
    licence: 'CC-BY-SA-4.0',
    url: 'https://zh.wikipedia.org/wiki/Module:CGroup',
  },
  {
    text: 'Film data from English Wikipedia (CC BY-SA 4.0) via prust/wikipedia-movie-data (MIT, © 2016 Peter Rust)',
    licence: 'CC-BY-SA-4.0',
    url: 'https://github.com/prust/wikipedia-movie-data',
  },
];

type FileTitle = CatalogFile['titles'][number];

function toFileTitle(d: Draft, pop: number): FileTitle {
  const titles: FileTitle['titles'] = {};
  const seen = new Set<string>();
  for (const lang of ['zh-Hans', 'zh-Hant', 'en', 'ja', 'original'] as const) {
    const list = [...d.names[lang]].filter((n) => n.length > 0 && n.length <= 512);
    if (list.length > 0) titles[lang] = list.slice(0, 64);
    for (const n of list) seen.add(n);
  }
  const aliases = [...d.aliases].filter((a) => a.length > 0 && a.length <= 512 && !seen.has(a)).slice(0, 64);
  const externalIds: Record<string, string[]> = {};
  for (const [kind, values] of d.externalIds) externalIds[kind] = [...values].slice(0, 64);
  const t: FileTitle = { id: d.id, kind: d.kind, titles };
  if (aliases.length) t.aliases = aliases;
  if (d.year !== undefined) t.year = d.year;
  if (d.genres.size) t.genres = [...d.genres];
  // Everyone credited, most prominent first: the cast in billing order, then directors not in it.
  const people = [...new Set([...d.cast, ...d.directors])].filter((p) => p.length <= 512).slice(0, 64);
  if (people.length) t.people = people;
  if (d.directors.length) t.directors = d.directors.slice(0, 64);
  if (d.synopsisEn) t.synopsis = { en: d.synopsisEn.slice(0, 1000) };
  if (Object.keys(externalIds).length) t.externalIds = externalIds;
  if (d.watch.length) t.watch = d.watch.slice(0, 64);
  // Titles without a streaming id get a search link on Bilibili by their mainland title, the
  // most useful click for the zh audience this catalog serves (a search page, not a guess).
  else {
    const q = d.names['zh-Hans'].values().next().value;
    if (q) t.watch = [{ platform: 'bilibili_search', id: q }];
  }
  if (pop > 0) t.popularity = pop;
  return t;
}

/** Marks the names that are also ordinary words or everyday phrases (scripts/catalog/common-names.ts). */
function withOrdinaryNames(t: FileTitle, lexicon: Lexicon): FileTitle {
  const names = Object.values(t.titles).flatMap((list) => list ?? []);
  const { words, phrases } = ordinaryNames([...names, ...(t.aliases ?? [])], lexicon);
  if (words.length) t.commonNames = words.slice(0, 64);
  if (phrases.length) t.phraseNames = phrases.slice(0, 64);
  return t;
}

/** "Inception / 盗梦空间 (2010, film)" for the build's top lists. */
function label(t: FileTitle): string {
  const en = t.titles.en?.[0] ?? t.titles.original?.[0] ?? '';
  const zh = t.titles['zh-Hans']?.[0];
  return `${en}${zh ? ` / ${zh}` : ''} (${t.year ?? '?'}, ${t.kind}) ${t.popularity ?? 0}`;
}

function main(): void {
  const stats: Record<string, number> = {};
  const { drafts: bangumi, platforms } = bangumiTitles(stats);
  platforms.bilibili_search = { name: '哔哩哔哩搜索', url: 'https://search.bilibili.com/all?keyword={id}', regions: [] };
  const wikiRows = readWikipediaRows();
  // Evidence that a name is a title, for the junk rules: a Wikipedia film or a bangumi-data entry has it.
  const titleNames = new Set<string>([
    ...wikipediaFilms(wikiRows).map((f) => foldName(f.title)),
    ...bangumi.flatMap((d) => Object.values(d.names).flatMap((s) => [...s].map(foldName))),
  ]);
  const cgroup = cgroupTitles(bangumi, { isTitleName: (folded) => titleNames.has(folded) }, stats);
  const existing = [...bangumi, ...cgroup];
  const films = mergeWikipediaFilms(existing, wikiRows, stats);
  const all = [...existing, ...films];
  for (const d of all) {
    const override = KIND_OVERRIDES[d.id];
    if (override) d.kind = override.kind;
  }
  stats.chineseScriptFilled = all.reduce((n, d) => n + fillChineseScripts(d.names), 0);
  const scores = priorScores(all);
  const pop = popularity(all, scores);
  const lexicon = loadLexicon();
  const titles = all.map((d) => withOrdinaryNames(toFileTitle(d, pop.get(d) ?? 0), lexicon));
  stats.commonNames = titles.reduce((n, t) => n + (t.commonNames?.length ?? 0), 0);
  stats.phraseNames = titles.reduce((n, t) => n + (t.phraseNames?.length ?? 0), 0);
  const scoreOf = new Map(all.map((d) => [d.id, scores.get(d) ?? 0]));
  const unknownGenres = new Set(titles.flatMap((t) => t.genres ?? []).filter((g) => !isGenreId(g)));
  if (unknownGenres.size > 0) throw new Error(`genres outside the vocabulary: ${[...unknownGenres].join(', ')}`);
  const file: CatalogFile = {
    format: CATALOG_FORMAT,
    version: `${new Date().toISOString().slice(0, 10)}+bangumi-data-0.3.208+cgroup-2026-02-05+wikipedia-movie-data-91ae721`,
    name: 'Reelflow default catalog',
    generatedAt: new Date().toISOString(),
    attributions: ATTRIBUTIONS,
    platforms,
    titles,
  };
  const text = JSON.stringify(file);
  const parsed = parseCatalog(text);
  if (!parsed.ok) throw new Error(`the built catalog does not validate: ${parsed.error}`);
  mkdirSync('public/catalog', { recursive: true });
  const gz = gzipSync(text, { level: 9 });
  writeFileSync(OUT, gz);
  const kinds: Record<string, number> = {};
  for (const t of titles) kinds[t.kind] = (kinds[t.kind] ?? 0) + 1;
  console.log(JSON.stringify({ titles: titles.length, kinds, stats, bytes: text.length, gzipBytes: gz.length }, null, 2));
  console.log(`\nCoverage\n${coverageTable(titles)}`);
  // By raw score: popularity has three decimals, so the top 0.1 % share 1.
  const ranked = [...titles].sort((a, b) => (scoreOf.get(b.id) ?? 0) - (scoreOf.get(a.id) ?? 0));
  console.log(
    `\nPrior, top 30\n${ranked
      .slice(0, 30)
      .map((t, i) => `${i + 1}. ${label(t)}`)
      .join('\n')}`,
  );
  const zh = ranked.filter((t) => t.titles['zh-Hans'] || t.titles['zh-Hant']);
  console.log(
    `\nPrior, top 30 with a Chinese name\n${zh
      .slice(0, 30)
      .map((t, i) => `${i + 1}. ${label(t)}`)
      .join('\n')}`,
  );
  // Development-set check, after the file is written: nothing read here goes into the catalog.
  const check = movielensCheck(
    titles.map((t) => ({
      id: t.id,
      kind: t.kind,
      ...(t.year !== undefined ? { year: t.year } : {}),
      names: [...(t.titles.en ?? []), ...(t.titles.original ?? [])],
      popularity: t.popularity ?? 0,
    })),
  );
  console.log(
    check
      ? "\nSpearman(prior, MovieLens rating count), a dev-set figure (the prior's weights were fitted on it):\n" +
          `  films released by 2012: ${check.rhoSeen.toFixed(3)} over ${check.mappedSeen} films\n` +
          `  all mapped films: ${check.rho.toFixed(3)} over ${check.mapped} of ${check.films} MovieLens films`
      : '\nMovieLens is absent: no prior check',
  );
}

main();
