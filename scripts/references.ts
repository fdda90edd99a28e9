/**
 * The evaluation's reference rankers, tuned the honest way: hyper-parameters are chosen on a
 * validation split carved from each user's training part (never from the test part), then the
 * chosen model is refitted on the whole training part. NDCG@10 on validation decides.
 */
import { ndcgAtK } from '../src/shared/model/metrics.ts';
import { createRng, shuffle } from '../src/shared/model/random.ts';
import { topCandidates } from '../src/shared/model/rank.ts';
import { DEFAULT_BPR_OPTIONS, trainBpr, type BprModel, type BprOptions } from './bpr.ts';
import { easeFactors, fitEase, type EaseFactors, type EaseModel, type UserItems } from './ease.ts';

export interface ValidationSplit {
  /** Each user's training items less the carved-out validation items. */
  fit: number[][];
  /** Each user's validation items (empty for users with too few to spare). */
  validation: number[][];
  seed: number;
  share: number;
}

/** Carves a share of every user's training items (users with 4 or more) into validation, seeded. */
export function carveValidation(train: UserItems, seed = 7, share = 0.25): ValidationSplit {
  const rng = createRng(seed);
  const fit: number[][] = [];
  const validation: number[][] = [];
  for (const list of train) {
    const items = shuffle(
      [...list].sort((a, b) => a - b),
      rng,
    );
    const cut = items.length >= 4 ? Math.round(items.length * share) : 0;
    validation.push(items.slice(0, cut));
    fit.push(items.slice(cut));
  }
  return { fit, validation, seed, share };
}

/** Mean NDCG@k over users with validation items, ranking every item the user did not fit on. */
export function validationNdcg(split: ValidationSplit, scoreOf: (u: number) => Float64Array | Float32Array, k = 10): number {
  let sum = 0;
  let users = 0;
  split.validation.forEach((relevant, u) => {
    if (relevant.length === 0) return;
    const ranked = topCandidates(scoreOf(u), new Set(split.fit[u]), k).map(String);
    sum += ndcgAtK(ranked, new Set(relevant.map(String)), k);
    users += 1;
  });
  return users === 0 ? 0 : sum / users;
}

export interface Tuned<T> {
  chosen: T;
  /** Every setting tried with its validation NDCG@10. */
  tried: { setting: T; ndcg: number }[];
}

export const EASE_LAMBDAS = [25, 50, 100, 200, 350, 500, 750, 1000, 2000] as const;

/** EASEᴿ's λ by validation NDCG@10. */
export function tuneEase(split: ValidationSplit, items: number, lambdas: readonly number[] = EASE_LAMBDAS): Tuned<{ lambda: number }> {
  const tried = lambdas.map((lambda) => {
    const model: EaseModel = fitEase(split.fit, items, lambda);
    return { setting: { lambda }, ndcg: validationNdcg(split, (u) => model.score(split.fit[u] ?? [])) };
  });
  const best = tried.reduce((a, b) => (b.ndcg > a.ndcg ? b : a));
  return { chosen: best.setting, tried };
}

export const BPR_GRID: readonly Partial<BprOptions>[] = [{ reg: 0.0005 }, { reg: 0.0025 }, { reg: 0.01 }];

/** BPR-MF's penalty and epoch count by validation NDCG@10 (checked every 5 epochs). */
export function tuneBpr(
  split: ValidationSplit,
  items: number,
  grid: readonly Partial<BprOptions>[] = BPR_GRID,
  base: BprOptions = { ...DEFAULT_BPR_OPTIONS, epochs: 60 },
): Tuned<BprOptions> {
  const tried: { setting: BprOptions; ndcg: number }[] = [];
  for (const change of grid) {
    const options = { ...base, ...change };
    trainBpr(split.fit, items, options, (epoch, model: BprModel) => {
      if (epoch % 5 === 0) tried.push({ setting: { ...options, epochs: epoch }, ndcg: validationNdcg(split, (u) => model.score(u)) });
      return undefined;
    });
  }
  const best = tried.reduce((a, b) => (b.ndcg > a.ndcg ? b : a));
  return { chosen: best.setting, tried };
}

/** The low-rank item-item model a catalog ships: its λ by validation NDCG@10 at the rank the catalog budget allows. */
export function tuneEaseFactors(
  split: ValidationSplit,
  items: number,
  rank: number,
  lambdas: readonly number[] = EASE_LAMBDAS,
): Tuned<{ lambda: number; rank: number }> {
  const tried = lambdas.map((lambda) => {
    const f = easeFactors(split.fit, items, lambda, rank);
    return { setting: { lambda, rank: f.k }, ndcg: validationNdcg(split, (u) => scoreFactors(f, split.fit[u] ?? [])) };
  });
  const best = tried.reduce((a, b) => (b.ndcg > a.ndcg ? b : a));
  return { chosen: best.setting, tried };
}

/** Scores of every item under low-rank EASEᴿ factors for a user with these items. */
export function scoreFactors(f: EaseFactors, userItems: readonly number[]): Float64Array {
  const { k, vectors, diagonal } = f;
  const p = new Float64Array(k);
  for (const j of userItems) for (let c = 0; c < k; c += 1) p[c] = (p[c] as number) + (vectors[j * k + c] as number);
  const n = diagonal.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    let s = 0;
    for (let c = 0; c < k; c += 1) s += (p[c] as number) * (vectors[i * k + c] as number);
    out[i] = s / (diagonal[i] as number);
  }
  return out;
}
