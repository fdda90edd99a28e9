/**
 * `npm run catalog:build`: builds public/catalog/default-catalog.json.gz from two real sources:
 * ../shared/data/catalog-bangumi-data (bangumi-data, CC BY 4.0) and
 * ../shared/data/title-aliases-zhwiki-cgroup (Chinese Wikipedia CGroup rules, CC BY-SA 4.0).
 * MovieLens is never read here (research-only licence). docs/catalog-format.md explains the rules.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { foldName } from '../src/shared/catalog/fold.ts';
import { fillChineseScripts } from './chinese-scripts.ts';
import { CATALOG_FORMAT, parseCatalog, type CatalogFile } from '../src/shared/catalog/schema.ts';
import type { TitleKind } from '../src/shared/catalog/types.ts';

const BANGUMI = '../shared/data/catalog-bangumi-data/data.json';
const CGROUP = '../shared/data/title-aliases-zhwiki-cgroup/aliases.jsonl';
/**
 * Shipped gzipped: the JSON is over the 5 MB that add-on stores will parse as text (web-ext lint
 * FILE_TOO_LARGE), and the background inflates it once at install with DecompressionStream.
 */
const OUT = 'public/catalog/default-catalog.json.gz';

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
];

type FileTitle = CatalogFile['titles'][number];
type Names = Record<'zh-Hans' | 'zh-Hant' | 'en' | 'ja' | 'original', string[]>;

interface BangumiItem {
  title: string;
  titleTranslate: Partial<Record<'zh-Hans' | 'zh-Hant' | 'en' | 'ja', string[]>>;
  type: 'tv' | 'web' | 'movie' | 'ova';
  lang: string;
  begin: string;
  sites: { site: string; id?: string; url?: string }[];
}
interface SiteMeta {
  title: string;
  urlTemplate: string;
  regions?: string[];
  type: 'info' | 'onair' | 'resource';
}
interface CgroupRow {
  group: string;
  original: string | null;
  variants: Record<string, string[]>;
  unidirectional_sources: string[];
}

/** A title while it is being built: names as ordered sets, so merges keep the first spelling first. */
interface Draft {
  id: string;
  kind: TitleKind;
  names: Record<keyof Names, Set<string>>;
  aliases: Set<string>;
  year?: number;
  genres: Set<string>;
  externalIds: Map<string, Set<string>>;
  watch: { platform: string; id?: string; url?: string }[];
  /** Raw popularity evidence, turned into a 0..1 rank at the end. */
  evidence: number;
  sources: Set<string>;
}

function draft(id: string, kind: TitleKind): Draft {
  return {
    id,
    kind,
    names: { 'zh-Hans': new Set(), 'zh-Hant': new Set(), en: new Set(), ja: new Set(), original: new Set() },
    aliases: new Set(),
    genres: new Set(),
    externalIds: new Map(),
    watch: [],
    evidence: 0,
    sources: new Set(),
  };
}

function addId(d: Draft, kind: string, value: string): void {
  const set = d.externalIds.get(kind) ?? new Set<string>();
  set.add(value);
  d.externalIds.set(kind, set);
}

const clean = (s: string): string => s.replace(/\s+/g, ' ').trim();
/** Drops Wikipedia disambiguation suffixes: "雨果 (电影)", "心跳 (韩国电视剧)", "觸目驚心 (1998)". */
const cleanVariant = (s: string): string => clean(s.replace(/\s*[(（][^()（）]*(?:电影|電影|剧|劇|\d{4})[)）]\s*$/, ''));

// ---------------------------------------------------------------- bangumi-data

const ANIME_KIND: Record<BangumiItem['type'], TitleKind> = { tv: 'anime-series', web: 'anime-series', movie: 'anime-film', ova: 'special' };
/** Sites a user can watch on (siteMeta type "onair"); info and torrent ("resource") sites are not watch links. */
function bangumiTitles(stats: Record<string, number>): { drafts: Draft[]; platforms: NonNullable<CatalogFile['platforms']> } {
  const data = JSON.parse(readFileSync(BANGUMI, 'utf8')) as { siteMeta: Record<string, SiteMeta>; items: BangumiItem[] };
  const platforms: NonNullable<CatalogFile['platforms']> = {};
  for (const [key, meta] of Object.entries(data.siteMeta)) {
    if (meta.type !== 'onair') continue;
    platforms[key] = {
      name: meta.title,
      url: meta.urlTemplate.replace('{{id}}', '{id}').replace(/^http:/, 'https:'),
      regions: meta.regions ?? [],
    };
  }
  const byId = new Map<string, Draft>();
  const drafts: Draft[] = [];
  for (const item of data.items) {
    const bangumiId = item.sites.find((s) => s.site === 'bangumi')?.id;
    const hash = createHash('sha1').update(`${item.title}|${item.begin}`).digest('hex').slice(0, 10);
    const id = bangumiId ? `bgm:${bangumiId}` : `bgd:${hash}`;
    const existing = byId.get(id);
    if (existing)
      stats['bangumi-data items merged (same bangumi id, or same title and start)'] =
        (stats['bangumi-data items merged (same bangumi id, or same title and start)'] ?? 0) + 1;
    const d = existing ?? draft(id, ANIME_KIND[item.type]);
    if (!existing) {
      drafts.push(d);
      byId.set(id, d);
    }
    d.sources.add('bangumi-data');
    d.genres.add('anime');
    // The original title goes under `original` only; copying it to `ja` as well would add 400 kB.
    d.names.original.add(clean(item.title));
    for (const lang of ['zh-Hans', 'zh-Hant', 'en', 'ja'] as const)
      for (const t of item.titleTranslate[lang] ?? []) d.names[lang].add(clean(t));
    const year = Number.parseInt(item.begin.slice(0, 4), 10);
    if (year >= 1870 && d.year === undefined) d.year = year;
    const onair = new Set<string>();
    for (const site of item.sites) {
      if (!site.id && !site.url) continue;
      if (site.site === 'tmdb' && site.id) addId(d, 'tmdb', site.id);
      else if (site.site === 'bangumi' && site.id) addId(d, 'bangumi', site.id);
      else if (site.site === 'mal' && site.id) addId(d, 'mal', site.id);
      if (site.site.startsWith('bilibili') && site.id) addId(d, 'bilibili-media', site.id);
      if (!platforms[site.site]) continue;
      onair.add(site.site);
      const link: Draft['watch'][number] = { platform: site.site };
      if (site.id) link.id = site.id;
      if (site.url)
        link.url = site.url
          .replace(/^http:/, 'https:')
          .replaceAll('{', '%7B')
          .replaceAll('}', '%7D');
      if (!d.watch.some((w) => w.platform === link.platform && w.id === link.id && w.url === link.url)) d.watch.push(link);
    }
    // Evidence: how many streaming platforms carry it, plus international translations.
    d.evidence = Math.max(d.evidence, onair.size + (item.titleTranslate.en ? 1 : 0) + (item.titleTranslate['zh-Hant'] ? 1 : 0));
  }
  return { drafts, platforms };
}

// ---------------------------------------------------------------- zhwiki CGroup

const GROUP_KIND: Record<string, TitleKind> = {
  Movie: 'film',
  LuaMovie: 'film',
  'TH Movie': 'film',
  'IN Movie': 'film',
  TV: 'series',
  'KO TV Show': 'series',
  Cartoon: 'series',
  Anime: 'other',
  'JP Show': 'other',
  'ZH Show': 'other',
};
const GROUP_GENRE: Record<string, string> = {
  Anime: 'anime',
  Cartoon: 'animation',
  'KO TV Show': 'korean',
  'ZH Show': 'chinese-language',
  'JP Show': 'japanese',
  'TH Movie': 'thai',
  'IN Movie': 'indian',
};
const HANS = ['zh-cn', 'zh-hans', 'zh-sg', 'zh-my', 'zh'];
const HANT = ['zh-tw', 'zh-hant', 'zh-hk', 'zh-mo'];

const ORG_OR_EVENT = new RegExp(
  [
    ...['festival', 'awards?\\b', 'prize', 'studios?\\b', 'pictures\\b', 'entertainment\\b', 'productions?\\b', 'netflix', 'nickelodeon'],
    ...[
      'channel\\b',
      '株式会社',
      'スタジオ',
      '映画祭',
      '影展',
      '电影节',
      '電影節',
      '影視節',
      '大賞',
      '大赏',
      '大奖',
      '大獎',
      '颁奖',
      '頒獎',
    ],
    ...['選擇獎', '选择奖', '金像獎', '金马奖', '金馬獎', '工作室'],
  ].join('|'),
  'i',
);
const PERSON_JA = /^[\p{Script=Han}]{2,4}$/u;

/**
 * Why a CGroup rule is not a title, or undefined when it is one. The groups mix titles with
 * people, studios, festivals and generic words used in film articles; these rules drop them.
 */
export function dropReason(row: CgroupRow): string | undefined {
  const original = row.original;
  // TH Movie is the one group whose rules without an original key are still film titles (keyed by Chinese).
  if ((original === null || original.trim() === '') && row.group !== 'TH Movie') return 'conversion-only rule (no original)';
  if (original === null) return Object.values(row.variants).flat().length === 0 ? 'no Chinese title' : undefined;
  if (row.group === 'MCU') return 'MCU group: actor surnames and subtitle fragments';
  const variants = Object.values(row.variants).flat();
  if (/^[\x20-\x7e]+$/.test(original) && !/[A-Z]/.test(original)) return 'generic term (lower-case English, e.g. "talk show")';
  if (/[/*]|^time,|\((?:TV|World|China)\)/.test(original)) return 'generic term (glossary form, e.g. "agent / manager")';
  if (/^[A-Z]{1,3}$/.test(original)) return 'generic term (acronym, e.g. "HD")';
  if (ORG_OR_EVENT.test(original) || variants.some((v) => ORG_OR_EVENT.test(v))) return 'studio, platform, festival or award';
  if (
    (row.group === 'Anime' || row.group === 'JP Show') &&
    PERSON_JA.test(original) &&
    variants.every((v) => foldName(v) === foldName(original))
  ) {
    return 'person name (kanji name rendered unchanged)';
  }
  if (variants.length === 0 && row.unidirectional_sources.length === 0) return 'no Chinese title';
  return undefined;
}

/** "The Amateur (2025)" → year 2025; "Alice in Wonderland 2010" → 2010 (keys carry years to tell remakes apart). */
function splitYear(original: string): { name: string; year?: number } {
  const m = /^(.*?)[\s(]*((?:19|20)\d\d)\)?$/.exec(original);
  if (m && m[1] && !/^\d+$/.test(m[1])) return { name: m[1], year: Number(m[2]) };
  return { name: original };
}

function cgroupTitles(bangumi: Draft[], stats: Record<string, number>): Draft[] {
  const rows = readFileSync(CGROUP, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CgroupRow);
  stats['CGroup rules read'] = rows.length;
  // Bangumi titles by every folded name, to merge the Anime group (and stray anime in others) into them.
  const bangumiByName = new Map<string, Draft>();
  for (const d of bangumi) {
    for (const list of Object.values(d.names)) for (const n of list) if (!bangumiByName.has(foldName(n))) bangumiByName.set(foldName(n), d);
  }
  const drafts = new Map<string, Draft>();
  const out: Draft[] = [];
  for (const row of rows) {
    const reason = dropReason(row);
    if (reason) {
      stats[`dropped: ${reason}`] = (stats[`dropped: ${reason}`] ?? 0) + 1;
      stats[`dropped in group ${row.group}`] = (stats[`dropped in group ${row.group}`] ?? 0) + 1;
      continue;
    }
    const hans = HANS.flatMap((k) => row.variants[k] ?? []).map(cleanVariant);
    const hant = HANT.flatMap((k) => row.variants[k] ?? []).map(cleanVariant);
    const { name, year } = splitYear(clean(row.original ?? hans[0] ?? hant[0] ?? ''));
    const kind = GROUP_KIND[row.group] ?? 'other';
    // Merge into a bangumi-data title: the original key equals one of its names (Japanese titles,
    // English titles of anime films), or, in the Anime group, a Chinese title equals one of its names.
    let target = bangumiByName.get(foldName(name));
    if (target && kind === 'series' && target.kind === 'anime-film') target = undefined;
    if (!target && row.group === 'Anime') target = [...hans, ...hant].map((v) => bangumiByName.get(foldName(v))).find(Boolean);
    if (target)
      stats[`merged into a bangumi-data title (${row.group})`] = (stats[`merged into a bangumi-data title (${row.group})`] ?? 0) + 1;
    if (!target) {
      const prefix = kind === 'film' ? 'film' : kind === 'series' ? 'tv' : 'x';
      const key = `zw:${prefix}:${foldName(name).slice(0, 100)}${year ? `-${year}` : ''}`;
      target = drafts.get(key);
      if (target)
        stats['CGroup rules merged with another rule (same original)'] =
          (stats['CGroup rules merged with another rule (same original)'] ?? 0) + 1;
      else {
        target = draft(key, kind);
        drafts.set(key, target);
        out.push(target);
        if (year !== undefined) target.year = year;
      }
      const genre = GROUP_GENRE[row.group];
      if (genre) target.genres.add(genre);
      if (!/^\d+$/.test(name)) {
        target.names.original.add(name);
        if (/^[\x20-\x7e\u00c0-\u024f]+$/.test(name) && ['Movie', 'LuaMovie', 'TV', 'Cartoon'].includes(row.group))
          target.names.en.add(name);
      }
    } else {
      target.aliases.add(name);
    }
    target.sources.add('zhwiki-cgroup');
    for (const v of hans) target.names['zh-Hans'].add(v);
    for (const v of hant) target.names['zh-Hant'].add(v);
    for (const v of row.unidirectional_sources) target.aliases.add(clean(v));
    // Evidence: regional releases with their own Chinese title (cn, tw, hk, sg, my, mo).
    const regions = Object.keys(row.variants).filter((k) => k !== 'zh' && k !== 'zh-hans' && k !== 'zh-hant').length;
    target.evidence = Math.max(target.evidence, regions + (target.sources.has('bangumi-data') ? target.evidence : 0));
  }
  return out;
}

// ---------------------------------------------------------------- output

/** Popularity: a title's rank by evidence within its own source, as 0..1 (ties share a rank). */
function popularity(drafts: Draft[]): Map<Draft, number> {
  const out = new Map<Draft, number>();
  for (const source of ['bangumi-data', 'zhwiki-cgroup']) {
    const group = drafts.filter((d) => (source === 'bangumi-data' ? d.sources.has(source) : !d.sources.has('bangumi-data')));
    const sorted = group.map((d) => d.evidence).sort((a, b) => a - b);
    for (const d of group) {
      const below = lowerBound(sorted, d.evidence);
      out.set(d, Math.round((below / Math.max(1, sorted.length - 1)) * 1000) / 1000);
    }
  }
  return out;
}

function lowerBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toFileTitle(d: Draft, pop: number): FileTitle {
  const titles: Partial<Names> = {};
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

function main(): void {
  const stats: Record<string, number> = {};
  const { drafts: bangumi, platforms } = bangumiTitles(stats);
  platforms.bilibili_search = { name: '哔哩哔哩搜索', url: 'https://search.bilibili.com/all?keyword={id}', regions: [] };
  const cgroup = cgroupTitles(bangumi, stats);
  const all = [...bangumi, ...cgroup];
  const pop = popularity(all);
  stats.chineseScriptFilled = all.reduce((n, d) => n + fillChineseScripts(d.names), 0);
  const titles = all.map((d) => toFileTitle(d, pop.get(d) ?? 0));
  const file: CatalogFile = {
    format: CATALOG_FORMAT,
    version: `${new Date().toISOString().slice(0, 10)}+bangumi-data-0.3.208+cgroup-2026-02-05`,
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
  writeFileSync(OUT, gzipSync(text, { level: 9 }));
  const kinds: Record<string, number> = {};
  for (const t of titles) kinds[t.kind] = (kinds[t.kind] ?? 0) + 1;
  console.log(JSON.stringify({ titles: titles.length, kinds, stats, bytes: text.length, gzipBytes: gzipSync(text).length }, null, 2));
}

main();
