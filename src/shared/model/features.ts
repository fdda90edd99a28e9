import type { TitleKind } from '../catalog/types.ts';
import { collabScore, collabScoreLeaveOneOut, solveUserVector, type CollabOptions, type UserVector } from './collab.ts';
import { applyContribution, facetShare, type UserProfile } from './profile.ts';
import type { TitleIndex } from './title-index.ts';

/** The pair features x(user, title), in order. Each is roughly in 0..1. */
export const FEATURES = [
  'text', // cosine of the user's hashed TF-IDF profile and the title's text
  'genre', // share of the user's engagement on the title's genres
  'kind',
  'language',
  'era',
  'people', // cast and crew shared with titles the user engaged with
  'hashtag', // the user's hashtags that name this title
  'collab', // u·v
  'popularity', // the catalog's prior
  'novelty', // self-information of popularity: lesser-known titles
  'recency', // how new the title is
  'site-kind', // how well the kind fits the sites the user is active on
  'ignored', // shown before without a click
] as const;

export type FeatureName = (typeof FEATURES)[number];
export const FEATURE_WIDTH = FEATURES.length;
export const FEATURE_INDEX = Object.fromEntries(FEATURES.map((f, i) => [f, i])) as Record<FeatureName, number>;

/**
 * A prior on what kinds each site's users engage with, used only through the user's own site
 * mix (a Bilibili-heavy history leans towards anime). Rows need not sum to 1.
 */
const SITE_KIND_PRIOR: Record<string, Partial<Record<TitleKind, number>>> = {
  bilibili: { 'anime-series': 0.9, 'anime-film': 0.7, documentary: 0.4, variety: 0.4 },
  douban: { film: 0.8, series: 0.8, documentary: 0.5, 'anime-film': 0.4 },
  weibo: { series: 0.7, variety: 0.8, film: 0.5 },
  youtube: { film: 0.5, series: 0.5, documentary: 0.6, special: 0.5 },
  reddit: { series: 0.7, film: 0.7, 'anime-series': 0.5 },
  x: { series: 0.7, film: 0.6, 'anime-series': 0.4 },
};

/** Everything pair features need about one user. */
export interface UserContext {
  index: TitleIndex;
  profile: UserProfile;
  user?: UserVector;
  /** Title index → times it was shown without a click. */
  ignored: Map<number, number>;
  currentYear: number;
  textNorm: number;
  /** Title whose own events are taken out of the profile (leave-one-out), if any. */
  leftOut?: number;
}

/** The linked-title weights the user vector is solved from. */
export function linkedWeights(profile: UserProfile): Map<number, number> {
  const out = new Map<number, number>();
  for (const [i, { weight }] of profile.titles) if (weight > 1e-9) out.set(i, weight);
  return out;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i += 1) s += (v[i] as number) * (v[i] as number);
  return Math.sqrt(s);
}

/** Builds a user context: solves u and measures the text profile. */
export function buildUserContext(
  index: TitleIndex,
  profile: UserProfile,
  options: { now: number; collab?: CollabOptions; ignored?: Map<number, number> },
): UserContext {
  const ctx: UserContext = {
    index,
    profile,
    ignored: options.ignored ?? new Map(),
    currentYear: new Date(options.now).getUTCFullYear(),
    textNorm: norm(profile.text),
  };
  const user = solveUserVector(index, linkedWeights(profile), options.collab);
  if (user) ctx.user = user;
  return ctx;
}

/**
 * Runs fn with the events linked to `item` taken out of the profile, so a training positive
 * is described by the rest of the history and not by itself; the profile is restored after.
 */
export function withoutTitle<T>(ctx: UserContext, item: number, fn: () => T): T {
  const ids = ctx.profile.eventsByTitle.get(item) ?? [];
  const contributions = ids.map((id) => ctx.profile.contributions.get(id)).filter((c) => c !== undefined);
  for (const c of contributions) applyContribution(ctx.profile, c, -1);
  const savedNorm = ctx.textNorm;
  ctx.textNorm = norm(ctx.profile.text);
  ctx.leftOut = item;
  try {
    return fn();
  } finally {
    for (const c of contributions) applyContribution(ctx.profile, c, 1);
    ctx.textNorm = savedNorm;
    delete ctx.leftOut;
  }
}

/** Writes x(user, title) into out at offset; non-finite values become 0. */
export function pairFeatures(ctx: UserContext, item: number, out: Float32Array, offset: number): void {
  const { index, profile } = ctx;
  let text = 0;
  if (ctx.textNorm > 1e-12) {
    const doc = index.text[item];
    if (doc) {
      for (let i = 0; i < doc.indices.length; i += 1) text += (doc.values[i] as number) * (profile.text[doc.indices[i] as number] as number);
      text /= ctx.textNorm;
    }
  }
  const genres = index.genres[item] ?? [];
  let genre = 0;
  for (const g of genres) genre += facetShare(profile, 'genre', g);
  if (genres.length > 0) genre /= Math.sqrt(genres.length);
  let people = 0;
  for (const p of index.people[item] ?? []) people += facetShare(profile, 'people', p);
  let tagWeight = 0;
  const hashtags = profile.facets.hashtag.weights;
  if (hashtags.size > 0) for (const t of index.tags[item] ?? []) tagWeight += Math.max(0, hashtags.get(t) ?? 0);
  let collab = 0;
  if (ctx.user) collab = ctx.leftOut === item ? collabScoreLeaveOneOut(index, ctx.user, item) : collabScore(index, ctx.user, item);
  const pop = index.popularity[item] as number;
  const year = index.year[item] as number;
  const kind = index.kind[item] ?? 'other';
  let siteKind = 0;
  const sites = profile.facets.site;
  if (sites.total > 1e-12) for (const [site, w] of sites.weights) siteKind += (Math.max(0, w) / sites.total) * (SITE_KIND_PRIOR[site]?.[kind as TitleKind] ?? 0.2);
  const era = index.era[item];
  const values = [
    text,
    Math.min(1.5, genre),
    facetShare(profile, 'kind', kind),
    facetShare(profile, 'language', index.language[item] ?? 'en'),
    era ? facetShare(profile, 'era', era) : 0,
    Math.min(1, people),
    1 - Math.exp(-tagWeight),
    Math.max(-1, Math.min(2, collab)),
    pop,
    -Math.log(pop + 0.01) / Math.log(101),
    Number.isFinite(year) ? Math.exp(-Math.max(0, ctx.currentYear - year) / 8) : 0,
    siteKind,
    Math.min(1, Math.log1p(ctx.ignored.get(item) ?? 0) / Math.log(10)),
  ];
  for (let i = 0; i < FEATURE_WIDTH; i += 1) {
    const v = values[i] as number;
    out[offset + i] = Number.isFinite(v) ? v : 0;
  }
}

/** x(user, title) for every title of the index, as one n×d matrix. */
export function catalogFeatures(ctx: UserContext, out: Float32Array = new Float32Array(ctx.index.titles.length * FEATURE_WIDTH)): Float32Array {
  const n = ctx.index.titles.length;
  for (let i = 0; i < n; i += 1) pairFeatures(ctx, i, out, i * FEATURE_WIDTH);
  return out;
}
