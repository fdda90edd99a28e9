/**
 * The popularity prior: how widely known a title is, from nothing but what the shipped sources
 * show about it (docs/catalog-format.md, "Popularity prior"). No ratings, views or sales are read.
 *
 * The film weights were fitted (least squares on log rating count, then rounded) against
 * MovieLens rating counts by scripts/catalog/movielens-check.ts: the figure the build prints is
 * therefore a development-set figure, not a held-out one (a split-half check gave about the
 * same). MovieLens itself never reaches the catalog: only these rounded weights came from it.
 * The anime weights could not be fitted (MovieLens has few anime) and are set by hand so that
 * widely streamed, translated series sit among well-known films.
 */
import type { Draft } from './draft.ts';

/** The evidence of one title as numbers. */
export interface PriorFeatures {
  /** zh Wikipedia keeps a conversion rule for it: someone took the trouble to give it a Chinese title. */
  cgroup: boolean;
  /** Chinese-speaking regions with their own title for it (cn, tw, hk, sg, my, mo). */
  regions: number;
  /** Distinct Chinese titles. */
  zhNames: number;
  /** Streaming platforms that carry it (bangumi-data). */
  sites: number;
  /** bangumi-data gives an English / a traditional-Chinese title (0–2). */
  translated: number;
  /** Length of the Wikipedia lead, when it is about this title. */
  extract: number;
  /** Star power: log films (1980 on) of its two busiest top-billed actors, each top-billed there too. */
  stars: number;
  /** log films (1970 on) of its director. */
  director: number;
  /** Other titles whose name starts with this one's ("Toy Story" → "Toy Story 2"): a franchise. */
  sequels: number;
  /** Other films' Wikipedia leads that name it. */
  mentions: number;
  genres: readonly string[];
}

const log = (x: number): number => Math.log2(1 + x);

/** What the prior reads across the whole catalog: who is billed where, and which names extend which. */
export interface PriorContext {
  topBilled: Map<string, number>;
  directed: Map<string, number>;
  /** English names in lower case, sorted, for the sequel count. */
  names: string[];
}

/** Counts over every draft that the features need. */
export function priorContext(drafts: readonly Draft[]): PriorContext {
  const topBilled = new Map<string, number>();
  const directed = new Map<string, number>();
  const names = new Set<string>();
  for (const d of drafts) {
    for (const n of d.names.en) names.add(n.toLowerCase());
    if (d.year === undefined) continue;
    if (d.year >= 1980) for (const p of d.cast.slice(0, 4)) topBilled.set(p, (topBilled.get(p) ?? 0) + 1);
    if (d.year >= 1970) for (const p of d.directors) directed.set(p, (directed.get(p) ?? 0) + 1);
  }
  return { topBilled, directed, names: [...names].filter(Boolean).sort() };
}

/** What follows a title in its sequels' names: "Toy Story 2", "Alien³", "Shrek the Third" is missed, "Dune: Part Two" is not. */
const SEQUEL_TAIL = /^(?:\s*:|\s+(?:[2-9]|1\d|II|III|IV|V|VI|Part\b|Chapter\b|Returns\b|Reloaded\b|Revolutions\b|Forever\b|Again\b))/;

/** Sequels of `name` in `sorted` (binary search to the first name it starts, then a scan). */
function extensions(sorted: readonly string[], name: string): number {
  if (name.length < 2) return 0;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < name) lo = mid + 1;
    else hi = mid;
  }
  let n = 0;
  const tail = new RegExp(SEQUEL_TAIL.source, 'i');
  for (let i = lo; i < sorted.length && (sorted[i] as string).startsWith(name); i += 1)
    if (tail.test((sorted[i] as string).slice(name.length))) n += 1;
  return n;
}

/** A draft's evidence as prior features. */
export function priorFeatures(d: Draft, ctx: PriorContext): PriorFeatures {
  const e = d.evidence;
  const billed = d.cast
    .slice(0, 4)
    .map((p) => ctx.topBilled.get(p) ?? 0)
    .sort((a, b) => b - a)
    .slice(0, 2);
  const en = d.names.en.values().next().value;
  return {
    cgroup: d.sources.has('zhwiki-cgroup'),
    regions: e.cgroupRegions,
    zhNames: e.cgroupNames,
    sites: e.bangumiSites,
    translated: (e.bangumiEn ? 1 : 0) + (e.bangumiHant ? 1 : 0),
    extract: e.extractLength,
    stars: billed.reduce((s, n) => s + log(n), 0),
    director: Math.max(0, ...d.directors.map((p) => log(ctx.directed.get(p) ?? 0))),
    sequels: en ? extensions(ctx.names, en.toLowerCase()) : 0,
    mentions: e.mentions,
    genres: [...d.genres],
  };
}

/** Genre terms of the fit: MovieLens users rate science fiction and fantasy most, horror and drama least. */
const GENRE_WEIGHT: Readonly<Record<string, number>> = {
  'sci-fi': 0.38,
  fantasy: 0.29,
  action: 0.13,
  animation: 0.09,
  crime: 0.09,
  horror: -0.3,
  drama: -0.16,
  western: -0.09,
};

/**
 * The prior's raw score (only its order matters). Counts enter as logs, so the 20th platform or
 * the 30th mention says less than the first.
 */
export function priorScore(f: PriorFeatures): number {
  let s = 0;
  // zh Wikipedia: a Chinese title at all, then each region that released it under its own.
  if (f.cgroup) s += -0.22 + 0.16 * f.regions + 0.11 * log(f.zhNames);
  // English Wikipedia: a longer lead, busy stars and director, sequels, and other films naming it.
  s += 0.31 * log(f.extract / 100) + 0.1 * f.stars + 0.09 * f.director + 0.08 * log(f.sequels) + 0.13 * log(f.mentions);
  for (const g of f.genres) s += GENRE_WEIGHT[g] ?? 0;
  // bangumi-data (hand-set): each platform that licensed it is an audience bet; translations mean export.
  s += 0.35 * log(f.sites) + 0.2 * f.translated;
  return s;
}

/** Every draft's raw prior score. */
export function priorScores(drafts: readonly Draft[]): Map<Draft, number> {
  const ctx = priorContext(drafts);
  return new Map(drafts.map((d) => [d, priorScore(priorFeatures(d, ctx))]));
}

/** Popularity in 0..1: each title's rank by score over the whole catalog (ties share a rank), five decimals. */
export function popularity(drafts: readonly Draft[], raw: Map<Draft, number> = priorScores(drafts)): Map<Draft, number> {
  const scores = drafts.map((d) => raw.get(d) ?? 0);
  const sorted = [...scores].sort((a, b) => a - b);
  const out = new Map<Draft, number>();
  drafts.forEach((d, i) => {
    const below = lowerBound(sorted, scores[i] as number);
    // Five decimals: with about 50,000 titles every rank keeps its own value (three made the top 50 all read 1).
    out.set(d, Math.round((below / Math.max(1, sorted.length - 1)) * 100_000) / 100_000);
  });
  return out;
}

function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
