import type { FeedbackSignal as Feedback, ImpressionSignal as Impression } from './signals.ts';
import type { Retraction, StoredEvent } from '../events.ts';
import type { RankedItem } from '../suggestions.ts';
import { cleanEvents } from './clean.ts';
import { DEFAULT_COLLAB_OPTIONS, type CollabOptions } from './collab.ts';
import { FEATURE_WIDTH, buildUserContext, catalogFeatures, type UserContext } from './features.ts';
import {
  DEFAULT_LABEL_OPTIONS,
  activeFeedback,
  buildTrainingSet,
  ignoredImpressions,
  type LabelOptions,
  type LabelledSet,
} from './labels.ts';
import { DEFAULT_TRAIN_OPTIONS, scoreLogits, untrainable, type LogisticModel, type TrainOptions } from './logistic.ts';
import { DEFAULT_PROFILE_OPTIONS, buildProfile, type ProfileOptions, type TitlePick } from './profile.ts';
import { DEFAULT_RANK_OPTIONS, rankItems, type RankOptions } from './rank.ts';
import { explainer } from './reasons.ts';
import { getStrategy } from './strategies/index.ts';
import { confidentLinks } from '../catalog/linker.ts';
import { noCorrections, type TasteCorrections } from './corrections.ts';
import type { TitleIndex } from './title-index.ts';

/** Every tunable of the learning pipeline, with polite defaults. */
export interface PipelineOptions {
  profile: Omit<ProfileOptions, 'now'>;
  collab: CollabOptions;
  labels: LabelOptions;
  train: Omit<TrainOptions, 'prior'>;
  rank: RankOptions;
  strategy: string;
}

export const DEFAULT_PIPELINE_OPTIONS: PipelineOptions = {
  profile: DEFAULT_PROFILE_OPTIONS,
  collab: DEFAULT_COLLAB_OPTIONS,
  labels: DEFAULT_LABEL_OPTIONS,
  train: DEFAULT_TRAIN_OPTIONS,
  rank: DEFAULT_RANK_OPTIONS,
  strategy: 'model',
};

export interface UserData {
  index: TitleIndex;
  events: readonly StoredEvent[];
  feedback: readonly Feedback[];
  impressions: readonly Impression[];
  now: number;
  retractions?: readonly Retraction[];
  /** What the user took out of their taste profile (taste.ts). */
  corrections?: TasteCorrections;
}

/** A user ready to train and rank: context, labelled samples, and titles never to suggest. */
export interface PreparedUser {
  ctx: UserContext;
  set: LabelledSet;
  /** True when there is nothing to learn from yet: the prior ranks alone. */
  coldStart: boolean;
  exclude: Set<number>;
}

// How much a popup pick says, relative to a like.
const PICK_WEIGHT: Partial<Record<Feedback['kind'], number>> = { interested: 2, click: 1.5, seen: 1 };

/** Cleans events, builds the profile (with the user's picks), solves u and labels the samples. */
export function prepareUser(data: UserData, options: PipelineOptions = DEFAULT_PIPELINE_OPTIONS): PreparedUser {
  const { index, now } = data;
  const feedback = activeFeedback(data.feedback);
  const cleaned = cleanEvents(data.events, { now, ...(data.retractions ? { retractions: data.retractions } : {}) });
  const picks: TitlePick[] = feedback.flatMap((f) => {
    const weight = PICK_WEIGHT[f.kind];
    return weight === undefined ? [] : [{ id: `feedback:${f.id ?? `${f.titleId}:${f.at}`}`, titleId: f.titleId, at: f.at, weight }];
  });
  const corrections = noCorrections(data.corrections) ? undefined : data.corrections;
  const profile = buildProfile(cleaned, index, { ...options.profile, now, ...(corrections ? { corrections } : {}) }, picks);
  const ignored = new Map<number, number>();
  for (const [titleId, count] of ignoredImpressions(data.impressions, feedback)) {
    const i = index.byId.get(titleId);
    if (i !== undefined) ignored.set(i, count);
  }
  const ctx = buildUserContext(index, profile, { now, collab: options.collab, ignored });
  const set = buildTrainingSet(ctx, feedback, data.impressions, options.labels);
  const exclude = new Set<number>();
  for (const [i, { eventIds }] of profile.titles) if (eventIds.some((id) => !id.startsWith('feedback:'))) exclude.add(i);
  for (const f of feedback) {
    const i = index.byId.get(f.titleId);
    // A title the user marked seen, rejected, opened or picked at the first run is not suggested; a ♥ ("want to watch") may be.
    if (i !== undefined && (f.kind !== 'interested' || f.via === 'onboarding')) exclude.add(i);
  }
  if (corrections)
    excludeCorrected(
      index,
      cleaned.map((c) => c.event),
      corrections,
      exclude,
    );
  return { ctx, set, coldStart: untrainable(set) !== undefined, exclude };
}

/**
 * What the user's corrections keep out of the list: the titles they took out, what they engaged
 * with on a site taken out (not learned from, still not news to them), and every title of a genre
 * marked "not for me".
 */
function excludeCorrected(index: TitleIndex, events: readonly StoredEvent[], corrections: TasteCorrections, exclude: Set<number>): void {
  const add = (titleId: string): void => {
    const i = index.byId.get(titleId);
    if (i !== undefined) exclude.add(i);
  };
  corrections.titles.forEach(add);
  const sites = new Set(corrections.sites);
  for (const event of events) if (sites.has(event.site)) for (const link of confidentLinks(event)) add(link.titleId);
  if (corrections.genres.length === 0) return;
  // Over the interned lists: no per-title list is made for this one pass over the catalog.
  const ids = new Set(corrections.genres.map((g) => index.vocab.genre.indexOf(g)).filter((id) => id >= 0));
  const { genreOffsets, genreIds } = index.flat;
  for (let i = 0; i < index.titles.length; i += 1)
    for (let j = genreOffsets[i] as number; j < (genreOffsets[i + 1] as number); j += 1)
      if (ids.has(genreIds[j] as number)) {
        exclude.add(i);
        break;
      }
}

/**
 * The standard deviation of a title's logit under the diagonal posterior, asked per title: ranking
 * needs it only for its few hundred candidates, not for every title. Rounded to float32, as a
 * table of them would hold it. Undefined for a model without a posterior.
 */
export function logitUncertainty(model: LogisticModel, x: Float32Array): ((item: number) => number) | undefined {
  const variance = model.variance;
  if (!variance) return undefined;
  return (item) => {
    const o = item * FEATURE_WIDTH;
    let s = 0;
    for (let j = 0; j < FEATURE_WIDTH; j += 1) s += (x[o + j] as number) ** 2 * (variance[j] as number);
    return Math.fround(Math.sqrt(s));
  };
}

/**
 * x(user, title) for the whole catalog, computed once per prepared user: it depends on the user's
 * context only, never on the model, so a retrain's two rankings (its arm and the challenger's) and
 * a holdout's strategies share one matrix. The context is not changed after prepareUser.
 */
const featureMatrices = new WeakMap<PreparedUser, Float32Array>();

export function preparedFeatures(prepared: PreparedUser): Float32Array {
  let x = featureMatrices.get(prepared);
  if (!x) {
    x = catalogFeatures(prepared.ctx);
    featureMatrices.set(prepared, x);
  }
  return x;
}

/** Scores the whole catalog with the strategy's model and ranks it, with reasons. */
export function rankCatalog(
  prepared: PreparedUser,
  trained: LogisticModel,
  options: PipelineOptions = DEFAULT_PIPELINE_OPTIONS,
): RankedItem[] {
  const { ctx, exclude } = prepared;
  const n = ctx.index.titles.length;
  const strategy = getStrategy(options.strategy);
  const model = strategy.model(trained);
  const x = preparedFeatures(prepared);
  const logits = scoreLogits(model, x, n, FEATURE_WIDTH);
  const uncertainty = strategy.learned ? logitUncertainty(model, x) : undefined;
  const reasonsOf = explainer(ctx, model);
  return rankItems(
    {
      index: ctx.index,
      logits,
      ...(uncertainty ? { uncertainty } : {}),
      exclude,
      strategy: strategy.name,
      explain: (item) => reasonsOf(item, x, item * FEATURE_WIDTH),
    },
    options.rank,
  );
}

export { FEATURE_WIDTH };
