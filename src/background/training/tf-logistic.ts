import * as tf from '@tensorflow/tfjs-core';
import {
  classBalancedWeights,
  isFiniteModel,
  posteriorVariance,
  sanitize,
  untrainable,
  type LogisticModel,
  type TrainOptions,
  type TrainingSet,
} from '../../shared/model/logistic.ts';

/** Where a chunked training run stands: enough to continue it after the worker was stopped. */
export interface TrainState {
  epoch: number;
  weights: Float32Array;
  bias: number;
  velocity: Float32Array;
  velocityBias: number;
}

export interface ChunkOptions {
  /** Epochs per chunk; between chunks the state is reported and the event loop breathes. */
  chunkEpochs: number;
  /** Continue from this state instead of the prior. */
  resume?: TrainState;
  /** Called after each chunk, e.g. to write a checkpoint; training waits for it. */
  onChunk?: (state: TrainState) => Promise<void>;
  /** Stops between chunks when it returns true (the worker is going away). */
  shouldStop?: () => boolean;
}

/**
 * The tfjs trainer: the same math as the reference trainer (trainLogistic), written as one
 * fused full-batch step per epoch inside tf.tidy, with a hand-written gradient
 * Xᵀ(s⊙(σ(Xw+b)−y)) + λ(w−w₀) instead of Layers and autograd, whose per-step overhead
 * dominated at this width. Returns undefined if stopped before the end.
 */
export async function trainLogisticTf(
  set: TrainingSet,
  options: TrainOptions,
  chunk: ChunkOptions = { chunkEpochs: 50 },
): Promise<LogisticModel | undefined> {
  sanitize(set);
  const prior = options.prior;
  if (untrainable(set)) return { weights: Float32Array.from(prior.weights), bias: prior.bias };
  const { n, d } = set;
  const s = classBalancedWeights(set);
  const start = chunk.resume;
  const X = tf.tensor2d(set.x, [n, d]);
  const Y = tf.tensor2d(set.y, [n, 1]);
  const S = tf.tensor2d(s, [n, 1]);
  const w0 = tf.tensor2d(prior.weights, [d, 1]);
  const w = tf.variable(tf.tensor2d(start?.weights ?? prior.weights, [d, 1]));
  const b = tf.variable(tf.scalar(start?.bias ?? prior.bias));
  const vw = tf.variable(tf.tensor2d(start?.velocity ?? new Float32Array(d), [d, 1]));
  const vb = tf.variable(tf.scalar(start?.velocityBias ?? 0));
  const lr = tf.scalar(options.learningRate);
  const mu = tf.scalar(options.momentum);
  const l2 = tf.scalar(options.l2);
  const step = (): void =>
    tf.tidy(() => {
      const r = tf.mul(tf.sub(tf.sigmoid(tf.add(tf.matMul(X, w), b)), Y), S);
      const g = tf.add(tf.matMul(X, r, true, false), tf.mul(l2, tf.sub(w, w0)));
      vw.assign(tf.sub(tf.mul(mu, vw), tf.mul(lr, g)));
      vb.assign(tf.sub(tf.mul(mu, vb), tf.mul(lr, tf.sum(r))));
      w.assign(tf.add(w, vw));
      b.assign(tf.add(b, vb));
    });
  const read = async (epoch: number): Promise<TrainState> => {
    const [weights, bias, velocity, velocityBias] = await Promise.all([w.data(), b.data(), vw.data(), vb.data()]);
    return {
      epoch,
      weights: Float32Array.from(weights),
      bias: bias[0] as number,
      velocity: Float32Array.from(velocity),
      velocityBias: velocityBias[0] as number,
    };
  };
  try {
    let epoch = start?.epoch ?? 0;
    while (epoch < options.epochs) {
      const end = Math.min(options.epochs, epoch + Math.max(1, chunk.chunkEpochs));
      for (; epoch < end; epoch += 1) step();
      const state = await read(epoch);
      if (chunk.onChunk) await chunk.onChunk(state);
      if (epoch < options.epochs && chunk.shouldStop?.()) return undefined;
      // Let messages (the popup) be answered between chunks.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const final = await read(epoch);
    const model: LogisticModel = { weights: final.weights, bias: final.bias };
    if (!isFiniteModel(model)) return { weights: Float32Array.from(prior.weights), bias: prior.bias };
    model.variance = posteriorVariance(set, model, s, options.l2);
    return model;
  } finally {
    tf.dispose([X, Y, S, w0, w, b, vw, vb, lr, mu, l2]);
  }
}
