/**
 * BPR-MF (Rendle et al. 2009, "BPR: Bayesian Personalized Ranking from Implicit Feedback"): user and
 * item factors and an item bias trained by SGD on sampled (user, seen item, unseen item) triples to
 * rank the seen one higher. The offline evaluation's matrix-factorisation reference trained for ranking.
 */
import { createRng } from '../src/shared/model/random.ts';
import type { UserItems } from './ease.ts';

export interface BprOptions {
  factors: number;
  learningRate: number;
  /** L2 penalty on the factors and biases touched by each step. */
  reg: number;
  epochs: number;
  seed: number;
}

export const DEFAULT_BPR_OPTIONS: BprOptions = { factors: 64, learningRate: 0.05, reg: 0.0025, epochs: 40, seed: 42 };

export interface BprModel {
  options: BprOptions;
  users: Float32Array;
  items: Float32Array;
  bias: Float32Array;
  /** Scores of every item for training user u. */
  score(u: number): Float64Array;
}

/**
 * Trains BPR-MF. An epoch draws as many triples as there are interactions: a user's interaction
 * uniformly, then an item the user has not seen uniformly. `onEpoch` sees the model after each
 * epoch (validation picks the epoch count) and may return false to stop.
 */
export function trainBpr(
  lists: UserItems,
  itemCount: number,
  options: BprOptions,
  onEpoch?: (epoch: number, model: BprModel) => boolean | undefined,
): BprModel {
  const { factors: k, learningRate: lr, reg } = options;
  const rng = createRng(options.seed);
  const users = new Float32Array(lists.length * k).map(() => (rng() - 0.5) * 0.1);
  const items = new Float32Array(itemCount * k).map(() => (rng() - 0.5) * 0.1);
  const bias = new Float32Array(itemCount);
  const seen = lists.map((l) => new Set(l));
  const pairs: [number, number][] = [];
  lists.forEach((list, u) => {
    for (const i of list) pairs.push([u, i]);
  });
  const model: BprModel = {
    options,
    users,
    items,
    bias,
    score(u: number): Float64Array {
      const out = new Float64Array(itemCount);
      const uo = u * k;
      for (let i = 0; i < itemCount; i += 1) {
        let s = bias[i] as number;
        const io = i * k;
        for (let f = 0; f < k; f += 1) s += (users[uo + f] as number) * (items[io + f] as number);
        out[i] = s;
      }
      return out;
    },
  };
  if (pairs.length === 0 || itemCount < 2) return model;
  for (let epoch = 1; epoch <= options.epochs; epoch += 1) {
    for (let step = 0; step < pairs.length; step += 1) {
      const [u, i] = pairs[Math.floor(rng() * pairs.length)] as [number, number];
      const own = seen[u] as Set<number>;
      if (own.size >= itemCount) continue;
      let j = Math.floor(rng() * itemCount);
      while (own.has(j)) j = Math.floor(rng() * itemCount);
      const uo = u * k;
      const io = i * k;
      const jo = j * k;
      let x = (bias[i] as number) - (bias[j] as number);
      for (let f = 0; f < k; f += 1) x += (users[uo + f] as number) * ((items[io + f] as number) - (items[jo + f] as number));
      // d/dθ ln σ(x) = σ(−x)·dx/dθ
      const g = x > 0 ? Math.exp(-x) / (1 + Math.exp(-x)) : 1 / (1 + Math.exp(x));
      bias[i] = (bias[i] as number) + lr * (g - reg * (bias[i] as number));
      bias[j] = (bias[j] as number) + lr * (-g - reg * (bias[j] as number));
      for (let f = 0; f < k; f += 1) {
        const pu = users[uo + f] as number;
        const qi = items[io + f] as number;
        const qj = items[jo + f] as number;
        users[uo + f] = pu + lr * (g * (qi - qj) - reg * pu);
        items[io + f] = qi + lr * (g * pu - reg * qi);
        items[jo + f] = qj + lr * (-g * pu - reg * qj);
      }
    }
    if (onEpoch && onEpoch(epoch, model) === false) break;
  }
  return model;
}
