import type { CatalogTitle, LocalizedTitles } from './catalog/types.ts';
import type { FeedbackKind } from './db/schema.ts';
import type { Settings } from './settings.ts';
import type { TasteProfile } from './model/taste.ts';

/** A localisable sentence: an _locales key and its substitutions, e.g. reasonShared + ['3', '三体']. */
export interface Phrase {
  key: string;
  substitutions: string[];
}

/** How a reason ties the suggestion to what the user did; each kind can be checked against stored data. */
export type Relation =
  | 'director'
  | 'person'
  | 'series'
  | 'genre-era'
  | 'genre'
  | 'era'
  | 'neighbour'
  | 'item-item'
  | 'also-liked'
  | 'text'
  | 'hashtag'
  | 'prior'
  | 'explore';

/** Kinds of action a reason counts, strongest first (shared/model/reasons.ts ACTION_GROUPS maps actions to them). */
export const ACTION_GROUPS = ['share', 'recommend', 'comment', 'rating', 'watched', 'watching', 'wish', 'save', 'like', 'pick'] as const;
export type ActionGroup = (typeof ACTION_GROUPS)[number];

/** The claim a reason makes, in data: test/shared/model/reasons.property.test.ts recomputes each from the events. */
export interface Claim {
  relation: Relation;
  /** The engaged title the suggestion is tied to. */
  anchor?: string;
  person?: string;
  /** The name two parts of a series share, folded. */
  series?: string;
  /** A genre id of the catalog's vocabulary. */
  genre?: string;
  /** A decade, e.g. "1990". */
  decade?: string;
  token?: string;
  tag?: string;
  /** The kind of action counted, and how many of the user's events (or picks) are of that kind. */
  group?: ActionGroup;
  count?: number;
  /** A Douban rating behind a rating claim, 1 to 5. */
  stars?: number;
  /** The site whose "also liked" list ties the two titles. */
  site?: 'douban';
}

/** One contribution to a suggestion's score, in words, with the events behind it. */
export interface Reason {
  /** The relation in words, e.g. reasonWithPerson ['Leonardo DiCaprio', <anchor>]. */
  phrase: Phrase;
  /** What the user did that backs it, e.g. evidenceLiked ['2']: "you liked 2 posts about it". */
  evidence?: Phrase;
  /** w_i · x_i, the size of the contribution. */
  weight: number;
  /** The one to three events (or picks) that contributed most. */
  eventIds: string[];
  /** The engaged title named in the phrase; the popup writes its name in the UI's language and script. */
  anchor?: { id: string; titles: LocalizedTitles; aliases: string[] };
  /** Only restates the prior (popular, recent, lesser-known, a kind): never the reason shown first. */
  prior?: boolean;
  claim?: Claim;
}

/** A title as ranked by the learning code. */
export interface RankedItem {
  titleId: string;
  /** p(engage), 0..1. */
  score: number;
  /** Registered ranking strategy that placed it (A/B). */
  strategy: string;
  reasons: Reason[];
  /** Placed for exploration of an uncertain title. */
  exploration: boolean;
}

/** The cached ranking, written by the learning code, read by the popup handler (kv key 'ranking'). */
export interface RankingCache {
  computedAt: number;
  modelVersion: number;
  coldStart: boolean;
  items: RankedItem[];
  /** Rankings by other strategies, for the on-device A/B test (strategy name → ranking). */
  alternates?: Record<string, RankedItem[]>;
  /** The shape of its reasons (REASONS_VERSION); a cache of another shape is ranked again at start. */
  reasonsVersion?: number;
  /** What the profile this ranking came from leans on (model/taste.ts), for the taste profile view. */
  taste?: TasteProfile;
}

/** The reason a card leads with: the weightiest that is not the prior alone (the popup shows it; insights credit its posts). */
export function leadReason(reasons: readonly Reason[]): Reason | undefined {
  const sorted = [...reasons].sort((a, b) => b.weight - a.weight);
  return sorted.find((r) => !r.prior) ?? sorted[0];
}

/**
 * Bumped when reasons change shape or wording (4: Douban 推荐 its own kind), so a ranking cached by
 * an earlier version is not shown with missing or outdated phrases.
 */
export const REASONS_VERSION = 4;

/**
 * storage.session key of the popup's ready answer (a SuggestionsResponse for POPUP_LIMIT), written
 * by the background only (src/background/popup-snapshot.ts) and read by the popup as it opens.
 */
export const POPUP_SNAPSHOT_KEY = 'popup-snapshot';

/** How many suggestions the popup shows (the default), and so what the snapshot holds. */
export const POPUP_LIMIT = 8;

/** What the popup shows for one suggestion. */
export interface Suggestion extends RankedItem {
  title: CatalogTitle;
}

export interface SuggestionsResponse {
  suggestions: Suggestion[];
  computedAt?: number;
  coldStart: boolean;
  paused: boolean;
  onboarded: boolean;
  /** The settings the popup renders with, in the same answer, so opening it costs one round trip. */
  settings: Settings;
  /** All suggestions are snoozed until then (ms since the epoch); the list is empty meanwhile. */
  snoozedUntil?: number;
}

export type { FeedbackKind };
