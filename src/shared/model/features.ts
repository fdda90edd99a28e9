import { alsoLikedEdges } from '../catalog/learned.ts';
import type { TitleKind } from '../catalog/types.ts';
import { findSite } from '../sites.ts';
import { collabScore, collabScoreLeaveOneOut, collabScores, solveUserVector, type CollabOptions, type UserVector } from './collab.ts';
import { applyContribution, facetShare, type Facet, type UserProfile } from './profile.ts';
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
  'also-liked', // the user's engaged titles whose Douban page lists this one under "also liked"
  'item-item', // the catalog's item-item model (EASEᴿ in low rank) over the user's engaged titles
] as const;

export type FeatureName = (typeof FEATURES)[number];
export const FEATURE_WIDTH = FEATURES.length;
export const FEATURE_INDEX = Object.fromEntries(FEATURES.map((f, i) => [f, i])) as Record<FeatureName, number>;

/** A site's prior on the kinds its users engage with (its record's kindPrior); 0.2 for a kind it does not name. */
function siteKindPrior(site: string, kind: TitleKind): number {
  return findSite(site)?.kindPrior[kind] ?? 0.2;
}

/** Everything pair features need about one user. */
export interface UserContext {
  index: TitleIndex;
  profile: UserProfile;
  user?: UserVector;
  /** Title index → times it was shown without a click. */
  ignored: Map<number, number>;
  currentYear: number;
  textNorm: number;
  /** Title index → the engaged titles whose page lists it as also liked, and the events that saw those lists. */
  alsoLiked: Map<number, { from: number[]; eventIds: string[] }>;
  /** Title whose own events are taken out of the profile (leave-one-out), if any. */
  leftOut?: number;
  /** The item-item feature of every title (itemItemScores), when the catalog has the model. */
  itemItem?: Float32Array;
}

/** The linked-title weights the user vector is solved from. */
function linkedWeights(profile: UserProfile): Map<number, number> {
  const out = new Map<number, number>();
  for (const [i, { weight }] of profile.titles) if (weight > 1e-9) out.set(i, weight);
  return out;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i += 1) s += (v[i] as number) * (v[i] as number);
  return Math.sqrt(s);
}

/**
 * The also-liked ties of the user's engaged titles: a subject page the user engaged on (linked to
 * its title by the subject's own id) lists these titles under 喜欢这部电影的人也喜欢.
 */
function alsoLikedOf(index: TitleIndex, profile: UserProfile): Map<number, { from: number[]; eventIds: string[] }> {
  const out = new Map<number, { from: number[]; eventIds: string[] }>();
  const engaged = (i: number): boolean => (profile.titles.get(i)?.weight ?? 0) > 0;
  const titleOf = (subjectId: string): string | undefined => {
    const i = index.douban.get(subjectId);
    return i === undefined ? undefined : index.titles.at(i)?.id;
  };
  for (const edge of alsoLikedEdges(profile.events.values(), titleOf)) {
    const from = index.byId.get(edge.from) as number;
    const to = index.byId.get(edge.to) as number;
    if (!engaged(from)) continue;
    const tie = out.get(to) ?? { from: [], eventIds: [] };
    if (!tie.from.includes(from)) tie.from.push(from);
    if (!tie.eventIds.includes(edge.eventId)) tie.eventIds.push(edge.eventId);
    out.set(to, tie);
  }
  return out;
}

/** 1 − e^(−n) for n engaged titles listing this one: one says much, more say more. */
function alsoLikedValue(ctx: UserContext, item: number): number {
  const n = ctx.alsoLiked.get(item)?.from.length ?? 0;
  return n === 0 ? 0 : 1 - Math.exp(-n);
}

/**
 * The catalog's item-item score of every title for this user: scale·(row·Σ rows of the engaged titles),
 * a title's own row left out (the model's zero diagonal: a title never recommends itself, so a
 * training positive is scored by the rest of the history). Divided by the best score among the titles
 * not engaged with, so the feature reads 1 for the strongest candidate whatever the catalog's scale.
 */
function itemItemScores(index: TitleIndex, profile: UserProfile): Float32Array | undefined {
  const { itemItem, itemItemScale, kItem } = index;
  if (!itemItem || !itemItemScale || kItem === 0) return undefined;
  const n = index.titles.length;
  const sum = new Float64Array(kItem);
  const own = new Uint8Array(n);
  for (const [i, { weight }] of profile.titles) {
    if (!(weight > 0)) continue;
    own[i] = 1;
    const o = i * kItem;
    for (let c = 0; c < kItem; c += 1) sum[c] = (sum[c] as number) + (itemItem[o + c] as number);
  }
  if (!own.includes(1)) return undefined;
  const out = new Float32Array(n);
  let best = 0;
  for (let i = 0; i < n; i += 1) {
    const o = i * kItem;
    let s = 0;
    if (own[i] === 1)
      for (let c = 0; c < kItem; c += 1) {
        const a = itemItem[o + c] as number;
        s += a * ((sum[c] as number) - a);
      }
    else for (let c = 0; c < kItem; c += 1) s += (itemItem[o + c] as number) * (sum[c] as number);
    s *= itemItemScale[i] as number;
    out[i] = Number.isFinite(s) ? s : 0;
    if (own[i] === 0 && s > best) best = s;
  }
  if (best > 0) for (let i = 0; i < n; i += 1) out[i] = Math.max(-1, Math.min(1.5, (out[i] as number) / best));
  else out.fill(0);
  return out;
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
    alsoLiked: alsoLikedOf(index, profile),
  };
  const user = solveUserVector(index, linkedWeights(profile), options.collab);
  if (user) ctx.user = user;
  const itemItem = itemItemScores(index, profile);
  if (itemItem) ctx.itemItem = itemItem;
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
    const doc = index.text.at(item);
    if (doc) {
      for (let i = 0; i < doc.indices.length; i += 1)
        text += (doc.values[i] as number) * (profile.text[doc.indices[i] as number] as number);
      text /= ctx.textNorm;
    }
  }
  const genres = index.genres.at(item) ?? [];
  let genre = 0;
  for (const g of genres) genre += facetShare(profile, 'genre', g);
  if (genres.length > 0) genre /= Math.sqrt(genres.length);
  let people = 0;
  for (const p of index.people.at(item) ?? []) people += facetShare(profile, 'people', p);
  let tagWeight = 0;
  const hashtags = profile.facets.hashtag.weights;
  if (hashtags.size > 0) for (const t of index.tags.at(item) ?? []) tagWeight += Math.max(0, hashtags.get(t) ?? 0);
  let collab = 0;
  if (ctx.user) collab = ctx.leftOut === item ? collabScoreLeaveOneOut(index, ctx.user, item) : collabScore(index, ctx.user, item);
  const pop = index.popularity[item] as number;
  const year = index.year[item] as number;
  const kind = index.kind[item] ?? 'other';
  let siteKind = 0;
  const sites = profile.facets.site;
  if (sites.total > 1e-12)
    for (const [site, w] of sites.weights) siteKind += (Math.max(0, w) / sites.total) * siteKindPrior(site, kind as TitleKind);
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
    alsoLikedValue(ctx, item),
    ctx.itemItem?.[item] ?? 0,
  ];
  for (let i = 0; i < FEATURE_WIDTH; i += 1) {
    const v = values[i] as number;
    out[offset + i] = Number.isFinite(v) ? v : 0;
  }
}

/** Ages (in years) whose recency catalogFeatures looks up instead of computing. */
const RECENCY_AGES = 256;

/** A facet's shares (0..1) per interned key of the catalog vocabulary. */
function shareTable(ctx: UserContext, facet: Facet, vocab: readonly string[]): Float32Array {
  const table = new Float32Array(vocab.length);
  const f = ctx.profile.facets[facet];
  if (f.total <= 1e-12 || f.weights.size === 0) return table;
  vocab.forEach((key, i) => {
    table[i] = facetShare(ctx.profile, facet, key);
  });
  return table;
}

/**
 * x(user, title) for every title of the index, as one n×d matrix: the same values as
 * pairFeatures (a test checks it), computed from typed lookup tables built once per call,
 * so the whole catalog is scored within the popup's budget.
 */
export function catalogFeatures(
  ctx: UserContext,
  out: Float32Array = new Float32Array(ctx.index.titles.length * FEATURE_WIDTH),
): Float32Array {
  const { index, profile } = ctx;
  const n = index.titles.length;
  const d = FEATURE_WIDTH;
  const genre = shareTable(ctx, 'genre', index.vocab.genre);
  const people = shareTable(ctx, 'people', index.vocab.people);
  const kind = shareTable(ctx, 'kind', index.vocab.kind);
  const language = shareTable(ctx, 'language', index.vocab.language);
  const era = shareTable(ctx, 'era', index.vocab.era);
  const tags = new Float32Array(index.vocab.tag.length);
  const hashtags = profile.facets.hashtag.weights;
  if (hashtags.size > 0) index.vocab.tag.forEach((t, i) => (tags[i] = Math.max(0, hashtags.get(t) ?? 0)));
  const siteKind = new Float32Array(index.vocab.kind.length);
  const sites = profile.facets.site;
  index.vocab.kind.forEach((k, i) => {
    let v = 0;
    if (sites.total > 1e-12)
      for (const [site, w] of sites.weights) v += (Math.max(0, w) / sites.total) * siteKindPrior(site, k as TitleKind);
    siteKind[i] = v;
  });
  const text = ctx.profile.text;
  const textScale = ctx.textNorm > 1e-12 ? 1 / ctx.textNorm : 0;
  // Titles' years are whole numbers: one exp per age, not one per title.
  const recencyByAge = new Float64Array(RECENCY_AGES).map((_, age) => Math.exp(-age / 8));
  const recency = (year: number): number => {
    const age = Math.max(0, ctx.currentYear - year);
    return age < RECENCY_AGES && Number.isInteger(age) ? (recencyByAge[age] as number) : Math.exp(-age / 8);
  };
  const { vectors, k, flat } = index;
  const u = ctx.user?.u;
  const itemItem = ctx.itemItem;
  const collab = u && vectors ? collabScores(vectors, k, u, n) : undefined;
  for (let i = 0; i < n; i += 1) {
    const o = i * d;
    let t = 0;
    if (textScale > 0) {
      for (let j = flat.textOffsets[i] as number, end = flat.textOffsets[i + 1] as number; j < end; j += 1)
        t += (flat.textValues[j] as number) * (text[flat.textIndices[j] as number] as number);
      t *= textScale;
    }
    const gStart = flat.genreOffsets[i] as number;
    const gEnd = flat.genreOffsets[i + 1] as number;
    let g = 0;
    for (let j = gStart; j < gEnd; j += 1) g += genre[flat.genreIds[j] as number] as number;
    if (gEnd > gStart) g /= Math.sqrt(gEnd - gStart);
    let p = 0;
    for (let j = flat.peopleOffsets[i] as number, end = flat.peopleOffsets[i + 1] as number; j < end; j += 1)
      p += people[flat.peopleIds[j] as number] as number;
    let tag = 0;
    for (let j = flat.tagOffsets[i] as number, end = flat.tagOffsets[i + 1] as number; j < end; j += 1)
      tag += tags[flat.tagIds[j] as number] as number;
    const c = collab ? (collab[i] as number) : 0;
    const year = index.year[i] as number;
    const eraId = index.eraId[i] as number;
    const kindId = index.kindId[i] as number;
    out[o] = t;
    out[o + 1] = Math.min(1.5, g);
    out[o + 2] = kind[kindId] as number;
    out[o + 3] = language[index.languageId[i] as number] as number;
    out[o + 4] = eraId >= 0 ? (era[eraId] as number) : 0;
    out[o + 5] = Math.min(1, p);
    out[o + 6] = tag > 0 ? 1 - Math.exp(-tag) : 0;
    out[o + 7] = Math.max(-1, Math.min(2, c));
    out[o + 8] = index.popularity[i] as number;
    out[o + 9] = index.novelty[i] as number;
    out[o + 10] = Number.isFinite(year) ? recency(year) : 0;
    out[o + 11] = siteKind[kindId] as number;
    // Shown-and-ignored and also-liked are set below for the few titles that have them.
    out[o + 12] = 0;
    out[o + 13] = 0;
    out[o + 14] = itemItem ? (itemItem[i] as number) : 0;
    for (let j = o; j < o + d; j += 1) if (!Number.isFinite(out[j] as number)) out[j] = 0;
  }
  for (const [item, count] of ctx.ignored)
    if (item >= 0 && item < n) out[item * d + 12] = Math.min(1, Math.log1p(count) / Math.log(10)) || 0;
  for (const item of ctx.alsoLiked.keys()) if (item >= 0 && item < n) out[item * d + 13] = alsoLikedValue(ctx, item) || 0;
  return out;
}
