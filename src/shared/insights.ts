import type { CatalogTitle } from './catalog/types.ts';
import type { FeedbackKind } from './db/schema.ts';
import type { ActionKind } from './events.ts';
import type { FunnelRow } from './experiments/funnel.ts';
import type { TasteCorrections, TasteEntry, TasteFacet } from './model/taste.ts';
import type { SiteId } from './sites.ts';

/** Ranking quality on a time-ordered holdout of the user's own linked engagements, after one training. */
export interface MetricsSnapshot {
  at: number;
  k: number;
  /** Titles in the training part and in the held-out (later) part. */
  trainTitles: number;
  heldOutTitles: number;
  /** Per strategy: precision, recall, F1 and NDCG at k. */
  strategies: Record<string, { precision: number; recall: number; f1: number; ndcg: number }>;
  /** How long computing these metrics took, in ms. */
  costMs: number;
}

/** The running on-device A/B test between two ranking strategies. */
export interface ExperimentStatus {
  a: string;
  b: string;
  winsA: number;
  winsB: number;
  ties: number;
  /** Suggestions shown in interleaved lists so far. */
  impressions: number;
  pValue: number;
  status: 'running' | 'decided';
  winner?: string;
  /** Impressions it took to decide. */
  decidedAtImpressions?: number;
}

export interface InsightsResponse {
  funnel: {
    byDay: FunnelRow[];
    byPlatform: FunnelRow[];
    bySite: FunnelRow[];
    byKind: FunnelRow[];
    byStrategy: FunnelRow[];
    total: FunnelRow;
  };
  metrics: MetricsSnapshot[];
  experiment: ExperimentStatus | null;
}

/** Snapshots kept; older ones are dropped. */
export const METRICS_HISTORY_LIMIT = 60;

/** One event behind a taste entry, as the taste profile lists it (its text is shown as text only). */
export interface TasteEvent {
  id: string;
  at: number;
  /** A capture: its site, action and what the post or page was called or said (cut short). */
  site?: SiteId;
  action?: ActionKind;
  text?: string;
  /** A pick in the popup (first-run pick, "interested", "seen it", a watch click). */
  pick?: FeedbackKind;
}

/** One thing the profile leans on, ready to show: title ones carry their title. */
export interface TasteViewEntry extends TasteEntry {
  /** The newest events behind it (at most TASTE_EVENTS_SHOWN), newest first. */
  events: TasteEvent[];
  title?: CatalogTitle;
}

/** The taste profile view: what the last ranking's profile leaned on, and what the user took out. */
export interface TasteView {
  /** When the ranking it comes from was made; absent before the first one. */
  computedAt?: number;
  profile: Record<TasteFacet, TasteViewEntry[]>;
  removed: TasteCorrections;
  /** The titles the user took out, so they can be named and put back. */
  removedTitles: CatalogTitle[];
}

export const TASTE_EVENTS_SHOWN = 5;
