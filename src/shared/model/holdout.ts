import { confidentLinks } from '../catalog/linker.ts';
import type { StoredEvent } from '../events.ts';
import { f1AtK, ndcgAtK, precisionAtK, recallAtK } from './metrics.ts';
import { DEFAULT_PIPELINE_OPTIONS, prepareUser, rankCatalog, type PipelineOptions } from './pipeline.ts';
import { priorModel, type LogisticModel, type TrainOptions, type TrainingSet } from './logistic.ts';
import type { FeedbackSignal, ImpressionSignal } from './signals.ts';
import { STRATEGIES } from './strategies/index.ts';
import type { TitleIndex } from './title-index.ts';

export interface HoldoutMetrics {
  k: number;
  trainTitles: number;
  heldOutTitles: number;
  strategies: Record<string, { precision: number; recall: number; f1: number; ndcg: number }>;
}

/** Fewest distinct linked titles for a holdout to mean anything. */
const MIN_HOLDOUT_TITLES = 4;

/**
 * Fits the logistic model for a holdout. The extension passes its tfjs trainer, the engine the
 * user's own model is trained with; tests and benchmarks pass the reference trainer
 * (trainLogistic). Undefined means it was stopped (the worker is going away).
 */
export type Trainer = (set: TrainingSet, options: TrainOptions) => LogisticModel | Promise<LogisticModel | undefined>;

/** What a holdout is computed from: the user's data as stored, and the time it is computed at. */
export interface HoldoutInput {
  index: TitleIndex;
  events: readonly StoredEvent[];
  feedback: readonly FeedbackSignal[];
  impressions: readonly ImpressionSignal[];
  now: number;
}

/**
 * On-device evaluation: the user's linked titles ordered by first engagement; the latest quarter
 * is held out, every strategy is fitted on the events before it (the same pipeline as the shipped
 * model, scored in pure score order) and judged on whether it ranks the held-out titles.
 * Returns undefined when there are too few titles, or when training was stopped.
 */
export async function evaluateHoldout(
  { index, events, feedback, impressions, now }: HoldoutInput,
  train: Trainer,
  k = 10,
  options: PipelineOptions = DEFAULT_PIPELINE_OPTIONS,
): Promise<HoldoutMetrics | undefined> {
  const firstSeen = new Map<string, number>();
  for (const event of events) {
    for (const link of confidentLinks(event)) {
      const at = firstSeen.get(link.titleId);
      if (at === undefined || event.at < at) firstSeen.set(link.titleId, event.at);
    }
  }
  if (firstSeen.size < MIN_HOLDOUT_TITLES) return undefined;
  const ordered = [...firstSeen.entries()].sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : 1));
  const heldCount = Math.max(1, Math.floor(ordered.length / 4));
  const cutoff = (ordered[ordered.length - heldCount] as [string, number])[1];
  const heldOut = new Set(ordered.slice(ordered.length - heldCount).map(([id]) => id));
  // Training sees only what happened before the first held-out title, as if evaluated back then.
  const trainEvents = events.filter((e) => e.at < cutoff && !confidentLinks(e).some((l) => heldOut.has(l.titleId)));
  const trainFeedback = feedback.filter((f) => f.at < cutoff);
  const trainImpressions = impressions.filter((i) => i.at < cutoff);
  const pure: PipelineOptions = { ...options, rank: { ...options.rank, diversity: 0, explorationShare: 0, limit: k } };
  const prepared = prepareUser({ index, events: trainEvents, feedback: trainFeedback, impressions: trainImpressions, now }, pure);
  const trained = prepared.coldStart ? priorModel() : await train(prepared.set, { ...pure.train, prior: priorModel() });
  if (!trained) return undefined;
  const strategies: HoldoutMetrics['strategies'] = {};
  for (const name of Object.keys(STRATEGIES)) {
    const ranked = rankCatalog(prepared, trained, { ...pure, strategy: name }).map((item) => item.titleId);
    strategies[name] = {
      precision: precisionAtK(ranked, heldOut, k),
      recall: recallAtK(ranked, heldOut, k),
      f1: f1AtK(ranked, heldOut, k),
      ndcg: ndcgAtK(ranked, heldOut, k),
    };
  }
  return { k, trainTitles: firstSeen.size - heldCount, heldOutTitles: heldCount, strategies };
}
