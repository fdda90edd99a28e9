import type { FunnelRow } from './experiments/funnel.ts';

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
