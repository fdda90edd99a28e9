import { confidentLinks } from '../catalog/linker.ts';
import type { ActionKind, StoredEvent } from '../events.ts';
import { findSite } from '../sites.ts';
import type { CleanEvent } from './clean.ts';
import type { TasteCorrections } from './corrections.ts';
import { tagKey, type TitleIndex } from './title-index.ts';
import { TEXT_BUCKETS, bucketOf, countBuckets, tfidf, tokenize } from './text.ts';

/** How much each action says about interest: sharing > commenting > liking. Configurable. */
export type ActionWeights = Record<ActionKind, number>;

const DEFAULT_ACTION_WEIGHTS: ActionWeights = {
  share: 3,
  repost: 3,
  quote: 3,
  crosspost: 3,
  recommend: 3,
  comment: 2,
  review: 2.5,
  coin: 2,
  watching: 2,
  watched: 2,
  bookmark: 1.5,
  wish: 1.5,
  rating: 2,
  like: 1,
  upvote: 1,
  helpful: 0.5,
};

export interface ProfileOptions {
  now: number;
  /** An action loses half its weight every this many days. */
  halfLifeDays: number;
  actionWeights: ActionWeights;
  /** Weight of a linked title's own text in the text profile, relative to the post text. */
  linkedTextWeight: number;
  /** What the user took out of their taste profile (taste.ts): not learned from. */
  corrections?: TasteCorrections;
}

/** The corrections as sets, once per build. */
interface Removed {
  genres: ReadonlySet<string>;
  people: ReadonlySet<string>;
  titles: ReadonlySet<string>;
  sites: ReadonlySet<string>;
}

function removedOf(corrections: TasteCorrections | undefined): Removed {
  return {
    genres: new Set(corrections?.genres),
    people: new Set(corrections?.people),
    titles: new Set(corrections?.titles),
    sites: new Set(corrections?.sites),
  };
}

export const DEFAULT_PROFILE_OPTIONS: Omit<ProfileOptions, 'now'> = {
  halfLifeDays: 90,
  actionWeights: DEFAULT_ACTION_WEIGHTS,
  linkedTextWeight: 0.5,
};

const FACETS = ['genre', 'kind', 'language', 'era', 'people', 'hashtag', 'site'] as const;
export type Facet = (typeof FACETS)[number];

/** Weight per key of one facet, and the events behind each key. */
export interface FacetAffinity {
  weights: Map<string, number>;
  events: Map<string, string[]>;
  total: number;
}

/** What one event adds to the profile; kept so a title's own events can be taken out (leave-one-out). */
export interface Contribution {
  eventId: string;
  weight: number;
  text: Map<number, number>;
  facets: [Facet, string, number][];
  titles: [number, number][];
}

/** The user's behaviour profile: sums over cleaned events, ready for pair features. */
export interface UserProfile {
  /** Decayed, action-weighted hashed TF-IDF sum of engaged text. */
  text: Float64Array;
  /** Per bucket, each word of the user's posts in it and the events it came from (for reasons). */
  tokens: Map<number, Map<string, string[]>>;
  facets: Record<Facet, FacetAffinity>;
  /** Linked title index → decayed weight, and the events behind it. */
  titles: Map<number, { weight: number; eventIds: string[] }>;
  totalWeight: number;
  eventCount: number;
  events: Map<string, StoredEvent>;
  contributions: Map<string, Contribution>;
  /** Title index → ids of the events linked to it. */
  eventsByTitle: Map<number, string[]>;
}

/** The weight of one event: action weight × star factor × burst damping × half-life decay. */
export function eventWeight(event: StoredEvent, damping: number, options: ProfileOptions): number {
  let w = options.actionWeights[event.action] ?? 1;
  // Douban stars: 1–2 stars is dislike, so it barely counts; 5 stars counts 1.5×.
  if (event.rating !== undefined) w *= Math.min(1.5, Math.max(0.1, (event.rating - 2) / 2));
  const ageDays = Math.max(0, options.now - event.at) / 86_400_000;
  w *= damping * Math.pow(0.5, ageDays / Math.max(1e-6, options.halfLifeDays));
  return Number.isFinite(w) && w > 0 ? w : 0;
}

/** The titles an event is linked to, minus those the user removed (a link, or the title from their taste). */
function linkedTitles(event: StoredEvent, index: TitleIndex, removed: Removed): [number, number][] {
  const out: [number, number][] = [];
  // Maybe links (below CONFIDENT_LINK) wait for the user; nothing is learned from them.
  for (const link of confidentLinks(event)) {
    if (removed.titles.has(link.titleId)) continue;
    const i = index.byId.get(link.titleId);
    if (i === undefined) continue;
    const confidence = link.source === 'user' ? 1 : Math.min(1, Math.max(0, Number.isFinite(link.confidence) ? link.confidence : 0));
    if (confidence > 0) out.push([i, confidence]);
  }
  return out;
}

function contributionOf(
  event: StoredEvent,
  weight: number,
  index: TitleIndex,
  options: ProfileOptions,
  tokens: UserProfile['tokens'],
  removed: Removed,
): Contribution {
  // A subject page's tags are its genres (older Douban events kept them as hashtags): the user tagged nothing.
  const hashtags = findSite(event.site)?.subjectPages ? [] : event.target.hashtags;
  const words = tokenize([event.target.title ?? '', event.target.text, event.userText ?? '', ...hashtags].join('\n'));
  const counts = countBuckets(words);
  // Every word, under its bucket: two words can share a bucket, and a reason must name the one the title has.
  for (const token of new Set(words)) {
    const b = bucketOf(token);
    const bucket = tokens.get(b) ?? new Map<string, string[]>();
    tokens.set(b, bucket);
    bucket.set(token, [...(bucket.get(token) ?? []), event.id]);
  }
  const text = new Map<number, number>();
  const own = tfidf(counts, index.idf);
  own.indices.forEach((b, i) => text.set(b, (own.values[i] as number) * weight));
  const facets: Contribution['facets'] = [['site', event.site, weight]];
  for (const tag of hashtags) facets.push(['hashtag', tagKey(tag), weight]);
  const titles = linkedTitles(event, index, removed);
  addTitleParts(titles, weight, index, options, text, facets, removed);
  return { eventId: event.id, weight, text, facets, titles: titles.map(([i, c]) => [i, weight * c]) };
}

/** What a linked title adds: its text (scaled), genres, people, kind, language and era. */
function addTitleParts(
  titles: [number, number][],
  weight: number,
  index: TitleIndex,
  options: ProfileOptions,
  text: Map<number, number>,
  facets: Contribution['facets'],
  removed: Removed,
): void {
  for (const [i, confidence] of titles) {
    const w = weight * confidence;
    const doc = index.text.at(i);
    if (doc) doc.indices.forEach((b, j) => text.set(b, (text.get(b) ?? 0) + (doc.values[j] as number) * w * options.linkedTextWeight));
    for (const g of index.genres.at(i) ?? []) if (!removed.genres.has(g)) facets.push(['genre', g, w]);
    for (const p of index.people.at(i) ?? []) if (!removed.people.has(p)) facets.push(['people', p, w]);
    facets.push(['kind', index.kind[i] ?? 'other', w], ['language', index.language[i] ?? 'en', w]);
    const era = index.era[i];
    if (era) facets.push(['era', era, w]);
  }
}

/** A title the user picked in the popup (first-run pick, "interested", "seen it", a watch click): a linked title without a post. */
export interface TitlePick {
  /** Unique id, e.g. "feedback:12". */
  id: string;
  titleId: string;
  at: number;
  weight: number;
}

function pickContribution(
  pick: TitlePick,
  weight: number,
  index: TitleIndex,
  options: ProfileOptions,
  removed: Removed,
): Contribution | undefined {
  const i = removed.titles.has(pick.titleId) ? undefined : index.byId.get(pick.titleId);
  if (i === undefined) return undefined;
  const text = new Map<number, number>();
  const facets: Contribution['facets'] = [];
  // A pick is about the title itself, so its text counts fully (no post text to carry it).
  addTitleParts([[i, 1]], weight, index, { ...options, linkedTextWeight: 1 }, text, facets, removed);
  return { eventId: pick.id, weight, text, facets, titles: [[i, weight]] };
}

function emptyFacet(): FacetAffinity {
  return { weights: new Map(), events: new Map(), total: 0 };
}

/** Adds (sign 1) or takes out (sign -1) one event's contribution; used for leave-one-out features. */
export function applyContribution(profile: UserProfile, c: Contribution, sign: 1 | -1): void {
  for (const [b, v] of c.text) profile.text[b] = (profile.text[b] as number) + sign * v;
  for (const [facet, key, w] of c.facets) {
    const f = profile.facets[facet];
    f.weights.set(key, (f.weights.get(key) ?? 0) + sign * w);
    // Facet totals count each event once, so shares read "fraction of your engagement".
  }
  for (const facet of FACETS) {
    const w = c.facets.filter(([f]) => f === facet).reduce((m, [, , v]) => Math.max(m, v), 0);
    profile.facets[facet].total += sign * w;
  }
  for (const [i, w] of c.titles) {
    const entry = profile.titles.get(i);
    if (entry) entry.weight += sign * w;
  }
  profile.totalWeight += sign * c.weight;
}

/** Builds the profile from cleaned events. */
export function buildProfile(
  events: readonly CleanEvent[],
  index: TitleIndex,
  options: ProfileOptions,
  picks: readonly TitlePick[] = [],
): UserProfile {
  const profile: UserProfile = {
    text: new Float64Array(TEXT_BUCKETS),
    tokens: new Map(),
    facets: Object.fromEntries(FACETS.map((f) => [f, emptyFacet()])) as Record<Facet, FacetAffinity>,
    titles: new Map(),
    totalWeight: 0,
    eventCount: 0,
    events: new Map(),
    contributions: new Map(),
    eventsByTitle: new Map(),
  };
  const all: [Contribution, StoredEvent | undefined][] = [];
  const removed = removedOf(options.corrections);
  for (const { event, damping } of events) {
    // A site taken out of the taste profile is not learned from (its events stay, under the user's control).
    if (removed.sites.has(event.site)) continue;
    const weight = eventWeight(event, damping, options);
    if (weight > 0) all.push([contributionOf(event, weight, index, options, profile.tokens, removed), event]);
  }
  for (const pick of picks) {
    const ageDays = Math.max(0, options.now - pick.at) / 86_400_000;
    const weight = pick.weight * Math.pow(0.5, ageDays / Math.max(1e-6, options.halfLifeDays));
    const c = weight > 0 && Number.isFinite(weight) ? pickContribution(pick, weight, index, options, removed) : undefined;
    if (c) all.push([c, undefined]);
  }
  for (const [c, event] of all) {
    if (event) profile.events.set(event.id, event);
    profile.contributions.set(c.eventId, c);
    profile.eventCount += 1;
    for (const [i] of c.titles) {
      const ids = profile.eventsByTitle.get(i) ?? [];
      ids.push(c.eventId);
      profile.eventsByTitle.set(i, ids);
      const entry = profile.titles.get(i) ?? { weight: 0, eventIds: [] };
      entry.eventIds.push(c.eventId);
      profile.titles.set(i, entry);
    }
    for (const [facet, key] of c.facets) {
      const ids = profile.facets[facet].events.get(key) ?? [];
      if (ids[ids.length - 1] !== c.eventId) ids.push(c.eventId);
      profile.facets[facet].events.set(key, ids);
    }
    applyContribution(profile, c, 1);
  }
  return profile;
}

/** The share (0..1) of the user's engagement that went to a facet key. */
export function facetShare(profile: UserProfile, facet: Facet, key: string): number {
  const f = profile.facets[facet];
  if (f.total <= 1e-12) return 0;
  const share = (f.weights.get(key) ?? 0) / f.total;
  return share > 0 ? Math.min(1, share) : 0;
}
