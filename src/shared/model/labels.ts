import type { FeedbackSignal as Feedback, ImpressionSignal as Impression } from './signals.ts';
import { FEATURE_WIDTH, pairFeatures, withoutTitle, type UserContext } from './features.ts';
import type { TrainingSet } from './logistic.ts';
import { createRng } from './random.ts';

export interface LabelOptions {
  /** Sampled unengaged titles per positive. */
  negativesPerPositive: number;
  /** Weight of a suggestion shown and ignored, relative to a "not interested". */
  ignoredWeight: number;
  maxSamples: number;
  seed: number;
}

export const DEFAULT_LABEL_OPTIONS: LabelOptions = { negativesPerPositive: 4, ignoredWeight: 0.3, maxSamples: 20_000, seed: 42 };

/** A training set with the title behind each row. */
export interface LabelledSet extends TrainingSet {
  items: Int32Array;
}

/** Feedback the user still stands by (undone feedback never trains). */
export function activeFeedback(feedback: readonly Feedback[]): Feedback[] {
  return feedback.filter((f) => !f.undone);
}

/** Titles shown without a later click or "interested": title → times shown. */
export function ignoredImpressions(impressions: readonly Impression[], feedback: readonly Feedback[]): Map<string, number> {
  const engagedAt = new Map<string, number>();
  for (const f of activeFeedback(feedback)) {
    if (f.kind === 'click' || f.kind === 'interested') engagedAt.set(f.titleId, Math.max(engagedAt.get(f.titleId) ?? 0, f.at));
  }
  const out = new Map<string, number>();
  for (const imp of impressions) {
    if ((engagedAt.get(imp.titleId) ?? -1) >= imp.at) continue;
    out.set(imp.titleId, (out.get(imp.titleId) ?? 0) + 1);
  }
  return out;
}

/**
 * Labels for one user. Positive: a title linked to an engagement (features computed with that
 * title's own events left out), a click on its suggestion, "interested", and at half weight
 * "seen it" (the user watched it). Negative: "not interested", suggestions shown and ignored
 * (down-weighted), and unengaged titles sampled uniformly (seeded).
 */
export function buildTrainingSet(
  ctx: UserContext,
  feedback: readonly Feedback[],
  impressions: readonly Impression[],
  options: LabelOptions = DEFAULT_LABEL_OPTIONS,
): LabelledSet {
  const { index, profile } = ctx;
  const rows: { item: number; y: number; w: number; leaveOut: boolean }[] = [];
  const labelled = new Set<number>();
  const engaged = [...profile.titles].filter(([, { weight }]) => weight > 0).map(([item]) => item);
  // Each engaged title is a positive seen without itself. With one alone, that leaves an empty profile:
  // the positive matches nothing and every sampled title that fits the user looks like a negative, so the
  // model would learn that fitting the user is bad. It stays labelled (never sampled as a negative) but is no row.
  for (const item of engaged) {
    if (engaged.length > 1) rows.push({ item, y: 1, w: 1, leaveOut: true });
    labelled.add(item);
  }
  const latest = new Map<string, Feedback>();
  for (const f of activeFeedback(feedback)) {
    const prev = latest.get(f.titleId);
    if (!prev || f.at >= prev.at) latest.set(f.titleId, f);
  }
  for (const [titleId, f] of latest) {
    const item = index.byId.get(titleId);
    if (item === undefined || labelled.has(item)) continue;
    labelled.add(item);
    if (f.kind === 'not-interested') rows.push({ item, y: 0, w: 1, leaveOut: false });
    else rows.push({ item, y: 1, w: f.kind === 'seen' ? 0.5 : 1, leaveOut: false });
  }
  for (const [titleId] of ignoredImpressions(impressions, feedback)) {
    const item = index.byId.get(titleId);
    if (item === undefined || labelled.has(item)) continue;
    labelled.add(item);
    rows.push({ item, y: 0, w: options.ignoredWeight, leaveOut: false });
  }
  const positives = rows.filter((r) => r.y === 1).length;
  const n = index.titles.length;
  const wanted = Math.min(
    options.negativesPerPositive * Math.max(positives, 1),
    n - labelled.size,
    Math.max(0, options.maxSamples - rows.length),
  );
  const rng = createRng(options.seed);
  let sampled = 0;
  for (let tries = 0; sampled < wanted && tries < wanted * 20; tries += 1) {
    const item = Math.floor(rng() * n);
    if (labelled.has(item)) continue;
    labelled.add(item);
    rows.push({ item, y: 0, w: 1, leaveOut: false });
    sampled += 1;
  }
  const kept = rows.slice(0, options.maxSamples);
  const d = FEATURE_WIDTH;
  const set: LabelledSet = {
    x: new Float32Array(kept.length * d),
    y: new Float32Array(kept.length),
    w: new Float32Array(kept.length),
    n: kept.length,
    d,
    items: new Int32Array(kept.length),
  };
  kept.forEach((row, r) => {
    if (row.leaveOut) withoutTitle(ctx, row.item, () => pairFeatures(ctx, row.item, set.x, r * d));
    else pairFeatures(ctx, row.item, set.x, r * d);
    set.y[r] = row.y;
    set.w[r] = row.w;
    set.items[r] = row.item;
  });
  return set;
}
