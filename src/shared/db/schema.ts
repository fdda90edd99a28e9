import type { DBSchema } from 'idb';
import type { CatalogMeta, CatalogTitle } from '../catalog/types.ts';
import type { StoredEvent } from '../events.ts';
import type { SiteId } from '../sites.ts';
import type { PageCheckDay } from '../health.ts';
import type { KvKey, KvValues } from './kv.ts';

export const DB_NAME = 'reelflow';
/**
 * Bump with a new file in migrations/ (vN.ts). Before the bump, dump a full database of the version
 * it leaves (`npx tsx test/fixtures/db/make-fixture.ts`): test/shared/db/migrations.test.ts upgrades
 * every such fixture and fails without the one of the version before DB_VERSION.
 */
export const DB_VERSION = 1;

/** Per-site capture health, shown on the options page. */
export interface SiteHealth {
  site: SiteId;
  lastSeen?: number;
  lastCapture?: number;
  /** Selector name → times it found nothing. */
  misses: Record<string, number>;
  /** Captures stored on one day (YYYY-MM-DD, UTC), for the per-site daily limit. */
  today?: { day: string; count: number };
  /** Captures dropped over the rate limits, in all. */
  dropped?: number;
  /** The last week of page checks (src/shared/health.ts): pages checked and what was missing, per day. */
  checks?: PageCheckDay[];
}

/** A suggestion shown in the popup. */
export interface Impression {
  id?: number;
  titleId: string;
  at: number;
  /** Position in the list, 0-based. */
  rank: number;
  /** Ranking strategy that placed it (A/B). */
  strategy: string;
  /** The site of the newest post behind the reason it was shown with, when its reason stands on posts (insights' "by site"). */
  site?: SiteId;
}

export type FeedbackKind = 'interested' | 'not-interested' | 'seen' | 'click';

export interface Feedback {
  id?: number;
  titleId: string;
  kind: FeedbackKind;
  at: number;
  /** Platform of a watch-link click. */
  platform?: string;
  /**
   * Where an 'interested' came from: the first run's picks are titles the user likes, mostly seen
   * already, so they teach the ranking but are not suggested back (a ♥ on a card is "want to watch": it may stay).
   */
  via?: 'onboarding';
  /** Undone feedback is kept out of training but stays until the next sweep for the undo list. */
  undone?: boolean;
}

/** Model weights and metadata; a record is written whole or not at all. */
export interface ModelRecord {
  name: string;
  version: number;
  trainedAt: number;
  featureWidth: number;
  weights: Float32Array;
  bias: number;
  /** Hash of the weights, checked on load so a corrupted record is detected. */
  checksum: string;
  extra?: Record<string, unknown>;
}

export interface ReelflowDB extends DBSchema {
  events: { key: string; value: StoredEvent; indexes: { 'by-at': number; 'by-site': string } };
  titles: { key: string; value: CatalogTitle };
  catalogMeta: { key: 'current'; value: CatalogMeta };
  model: { key: string; value: ModelRecord };
  impressions: { key: number; value: Impression; indexes: { 'by-title': string; 'by-at': number } };
  feedback: { key: number; value: Feedback; indexes: { 'by-title': string; 'by-at': number } };
  /** Small records: settings, caches (the ranking), counters; each key's type is in kv.ts. */
  kv: { key: KvKey; value: KvValues[KvKey] };
  siteHealth: { key: string; value: SiteHealth };
}

/** Stores that hold the user's own data; "delete everything" clears all of them. */
export const USER_DATA_STORES = ['events', 'model', 'impressions', 'feedback', 'kv', 'siteHealth'] as const;
