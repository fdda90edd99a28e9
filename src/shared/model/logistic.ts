import { FEATURE_WIDTH, FEATURE_INDEX } from './features.ts';

/** p(engage | user, title) = sigmoid(w·x + b), with a diagonal posterior variance for exploration. */
export interface LogisticModel {
  weights: Float32Array;
  bias: number;
  /** Laplace-approximation variance of each weight; absent for the prior. */
  variance?: Float32Array;
}

/** Samples for training: n rows of width d, labels 0/1 and sample weights. */
export interface TrainingSet {
  x: Float32Array;
  y: Float32Array;
  w: Float32Array;
  n: number;
  d: number;
}

export interface TrainOptions {
  epochs: number;
  learningRate: number;
  momentum: number;
  /** L2 penalty towards the prior weights (not towards 0), so little data keeps sane weights. */
  l2: number;
  prior: LogisticModel;
}

/**
 * Cold-start weights: content similarity and popularity first. Also the centre of the L2
 * penalty, so a user with one event gets these nudged, never wild weights.
 */
export function priorModel(): LogisticModel {
  const weights = new Float32Array(FEATURE_WIDTH);
  const set = (name: keyof typeof FEATURE_INDEX, v: number): void => {
    weights[FEATURE_INDEX[name]] = v;
  };
  set('text', 3);
  set('genre', 2);
  set('kind', 1);
  set('language', 0.5);
  set('era', 0.5);
  set('people', 1.5);
  set('hashtag', 2);
  set('collab', 2);
  set('popularity', 2.5);
  set('recency', 0.5);
  set('site-kind', 0.5);
  set('ignored', -1.5);
  // Douban's own "people who liked this also like": a collaborative signal of real viewers, on the page the user engaged on.
  set('also-liked', 5);
  // The catalog's item-item model, learned offline from its publisher's audience (0 where the catalog has none);
  // read as a share of the user's best candidate, so one weight fits any catalog. 8 was chosen on MovieLens validation data.
  set('item-item', 8);
  return { weights, bias: -4 };
}

export const DEFAULT_TRAIN_OPTIONS: Omit<TrainOptions, 'prior'> = { epochs: 150, learningRate: 0.5, momentum: 0.9, l2: 0.01 };

/** Why training was skipped, or undefined when the set can be learned from. */
export function untrainable(set: TrainingSet): string | undefined {
  if (set.n === 0) return 'no samples';
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < set.n; i += 1) {
    if (!((set.w[i] as number) > 0)) continue;
    if ((set.y[i] as number) > 0.5) pos += 1;
    else neg += 1;
  }
  if (pos === 0) return 'no positive labels';
  if (neg === 0) return 'no negative labels';
  return undefined;
}

/**
 * Effective per-sample weights: sample weight × class weight (each class sums to half the
 * total), divided by the total so the gradient is a weighted mean. Non-finite weights are 0.
 */
export function classBalancedWeights(set: TrainingSet): Float32Array {
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < set.n; i += 1) {
    const w = set.w[i] as number;
    if (!(w > 0) || !Number.isFinite(w)) continue;
    if ((set.y[i] as number) > 0.5) pos += w;
    else neg += w;
  }
  const out = new Float32Array(set.n);
  if (pos === 0 || neg === 0) return out;
  for (let i = 0; i < set.n; i += 1) {
    const w = set.w[i] as number;
    if (!(w > 0) || !Number.isFinite(w)) continue;
    out[i] = (set.y[i] as number) > 0.5 ? w / (2 * pos) : w / (2 * neg);
  }
  return out;
}

/** Replaces non-finite feature values by 0 and labels by 0/1, in place; returns how many were fixed. */
export function sanitize(set: TrainingSet): number {
  let fixed = 0;
  for (let i = 0; i < set.x.length; i += 1) {
    if (!Number.isFinite(set.x[i] as number)) {
      set.x[i] = 0;
      fixed += 1;
    }
  }
  for (let i = 0; i < set.n; i += 1) set.y[i] = (set.y[i] as number) > 0.5 ? 1 : 0;
  return fixed;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** True when every weight and the bias are finite. */
export function isFiniteModel(model: LogisticModel): boolean {
  return Number.isFinite(model.bias) && model.weights.every(Number.isFinite);
}

/** Diagonal Laplace variance of the weights at the optimum: 1 / (Σ sᵢ pᵢ(1−pᵢ) xᵢⱼ² + λ), in units of the mean loss × n. */
export function posteriorVariance(set: TrainingSet, model: LogisticModel, sampleWeights: Float32Array, l2: number): Float32Array {
  const { x, n, d } = set;
  const h = new Float64Array(d);
  for (let i = 0; i < n; i += 1) {
    let z = model.bias;
    for (let j = 0; j < d; j += 1) z += (model.weights[j] as number) * (x[i * d + j] as number);
    const p = sigmoid(z);
    const c = (sampleWeights[i] as number) * p * (1 - p) * n;
    for (let j = 0; j < d; j += 1) h[j] = (h[j] as number) + c * (x[i * d + j] as number) ** 2;
  }
  return Float32Array.from(h, (v) => 1 / (v + l2 * n));
}

/**
 * The reference trainer: full-batch gradient descent with momentum on the class-weighted
 * logistic loss + (λ/2)‖w − w₀‖², over plain Float32Arrays. The extension never trains with it:
 * the user's model and the on-device holdout are both fitted by the tfjs trainer
 * (background/training/tf-logistic.ts), which does the same math and is held to this one's
 * weights by test/background/training/training.test.ts. Tests, benchmarks and the offline
 * scripts (eval, simulate) use this one as the reference.
 * Untrainable sets (empty, one class) return the prior unchanged; a diverged result falls back to it.
 */
export function trainLogistic(set: TrainingSet, options: TrainOptions): LogisticModel {
  sanitize(set);
  const prior = options.prior;
  if (untrainable(set)) return { weights: Float32Array.from(prior.weights), bias: prior.bias };
  const { x, y, n, d } = set;
  const s = classBalancedWeights(set);
  const w = Float64Array.from(prior.weights);
  let b = prior.bias;
  const vw = new Float64Array(d);
  let vb = 0;
  const g = new Float64Array(d);
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    g.fill(0);
    let gb = 0;
    for (let i = 0; i < n; i += 1) {
      const o = i * d;
      let z = b;
      for (let j = 0; j < d; j += 1) z += (w[j] as number) * (x[o + j] as number);
      const r = (s[i] as number) * (sigmoid(z) - (y[i] as number));
      if (r === 0) continue;
      gb += r;
      for (let j = 0; j < d; j += 1) g[j] = (g[j] as number) + r * (x[o + j] as number);
    }
    for (let j = 0; j < d; j += 1) {
      const grad = (g[j] as number) + options.l2 * ((w[j] as number) - (prior.weights[j] as number));
      vw[j] = options.momentum * (vw[j] as number) - options.learningRate * grad;
      w[j] = (w[j] as number) + (vw[j] as number);
    }
    vb = options.momentum * vb - options.learningRate * gb;
    b += vb;
  }
  const model: LogisticModel = { weights: Float32Array.from(w), bias: b };
  if (!isFiniteModel(model)) return { weights: Float32Array.from(prior.weights), bias: prior.bias };
  model.variance = posteriorVariance(set, model, s, options.l2);
  return model;
}

/** Scores n rows of width d: writes logits into out (sigmoid is monotone, so ranking needs no more). */
export function scoreLogits(
  model: LogisticModel,
  x: Float32Array,
  n: number,
  d: number,
  out: Float32Array = new Float32Array(n),
): Float32Array {
  const w = model.weights;
  for (let i = 0; i < n; i += 1) {
    const o = i * d;
    let z = model.bias;
    for (let j = 0; j < d; j += 1) z += (w[j] as number) * (x[o + j] as number);
    out[i] = Number.isFinite(z) ? z : -Infinity;
  }
  return out;
}

/** p = sigmoid(logit). */
export function probability(logit: number): number {
  return sigmoid(logit);
}
