import type { CatalogTitle } from './catalog/types.ts';
import type { FeedbackKind } from './db/schema.ts';
import type { Settings } from './settings.ts';

/** A localisable sentence: an _locales key and its substitutions, e.g. reasonShared + ['3', '三体']. */
export interface Phrase {
  key: string;
  substitutions: string[];
}

/** One contribution to a suggestion's score, in words, with the events behind it. */
export interface Reason {
  phrase: Phrase;
  /** w_i · x_i, the size of the contribution. */
  weight: number;
  eventIds: string[];
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
}

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
