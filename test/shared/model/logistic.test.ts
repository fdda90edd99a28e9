import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_OPTIONS, priorModel, scoreLogits, trainLogistic, type TrainingSet } from '../../../src/shared/model/logistic.ts';
import { FEATURE_INDEX, FEATURE_WIDTH } from '../../../src/shared/model/features.ts';
import { createRng } from '../../../src/shared/model/random.ts';

const options = { ...DEFAULT_TRAIN_OPTIONS, prior: priorModel() };

/** Samples where only feature 0 tells the classes apart. */
function separable(n: number, seed = 3): TrainingSet {
  const rng = createRng(seed);
  const d = FEATURE_WIDTH;
  const set: TrainingSet = { x: new Float32Array(n * d), y: new Float32Array(n), w: new Float32Array(n).fill(1), n, d };
  for (let i = 0; i < n; i += 1) {
    const y = i % 5 === 0 ? 1 : 0;
    set.y[i] = y;
    for (let j = 0; j < d; j += 1) set.x[i * d + j] = rng();
    set.x[i * d] = y ? 0.6 + 0.4 * rng() : 0.5 * rng();
    // As in a catalog without the item-item model: its feature is 0 (its prior weight is large, and
    // uniform noise in it is no feature any catalog produces: it reads 1 only for the user's best candidate).
    set.x[i * d + FEATURE_INDEX['item-item']] = 0;
  }
  return set;
}

describe('logistic regression (reference trainer)', () => {
  it('learns to separate classes, class-weighted despite 1:4 imbalance', () => {
    const set = separable(500);
    const model = trainLogistic(set, options);
    const logits = scoreLogits(model, set.x, set.n, set.d);
    let correct = 0;
    for (let i = 0; i < set.n; i += 1) if (((logits[i] as number) > 0 ? 1 : 0) === set.y[i]) correct += 1;
    expect(correct / set.n).toBeGreaterThan(0.9);
    expect(model.weights[0]).toBeGreaterThan(priorModel().weights[0] as number);
    expect(model.variance?.every((v) => v > 0 && Number.isFinite(v))).toBe(true);
  });

  it('returns the prior for an empty set, a single event and all-negative labels', () => {
    const prior = priorModel();
    const empty: TrainingSet = { x: new Float32Array(0), y: new Float32Array(0), w: new Float32Array(0), n: 0, d: FEATURE_WIDTH };
    expect([...trainLogistic(empty, options).weights]).toEqual([...prior.weights]);
    const one: TrainingSet = {
      x: new Float32Array(FEATURE_WIDTH).fill(0.5),
      y: Float32Array.of(1),
      w: Float32Array.of(1),
      n: 1,
      d: FEATURE_WIDTH,
    };
    expect([...trainLogistic(one, options).weights]).toEqual([...prior.weights]);
    const negatives = separable(50);
    negatives.y.fill(0);
    const model = trainLogistic(negatives, options);
    expect([...model.weights]).toEqual([...prior.weights]);
    expect(model.bias).toBe(prior.bias);
  });

  it('keeps NaN and Infinity out of the weights', () => {
    const set = separable(200);
    set.x[3] = Number.NaN;
    set.x[17] = Number.POSITIVE_INFINITY;
    set.x[40] = Number.NEGATIVE_INFINITY;
    set.y[5] = Number.NaN;
    set.w[7] = Number.NaN;
    const model = trainLogistic(set, options);
    expect(model.weights.every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(model.bias)).toBe(true);
  });

  it('falls back to the prior when training diverges', () => {
    const model = trainLogistic(separable(100), { ...options, learningRate: 1e30, momentum: 0 });
    expect(model.weights.every(Number.isFinite)).toBe(true);
  });

  it('scores a non-finite logit as -Infinity so it ranks last', () => {
    const model = { weights: new Float32Array(FEATURE_WIDTH).fill(1), bias: 0 };
    const x = new Float32Array(FEATURE_WIDTH * 2).fill(0.1);
    x[0] = Number.NaN;
    const logits = scoreLogits(model, x, 2, FEATURE_WIDTH);
    expect(logits[0]).toBe(-Infinity);
    expect(Number.isFinite(logits[1] as number)).toBe(true);
  });
});
