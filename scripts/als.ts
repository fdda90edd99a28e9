import { cholSolve, cholesky, gram } from '../src/shared/model/linalg.ts';
import { createRng } from '../src/shared/model/random.ts';

/** A sparse user × item matrix of implicit feedback strengths, by rows (CSR) and columns (CSC). */
export interface Interactions {
  users: number;
  items: number;
  userPtr: Int32Array;
  userItems: Int32Array;
  userValues: Float32Array;
  itemPtr: Int32Array;
  itemUsers: Int32Array;
  itemValues: Float32Array;
}

/** Builds both orientations from (user, item, value) triples; duplicates are summed. */
export function buildInteractions(users: number, items: number, triples: readonly [number, number, number][]): Interactions {
  const sum = new Map<number, number>();
  for (const [u, i, v] of triples) sum.set(u * items + i, (sum.get(u * items + i) ?? 0) + v);
  const entries = [...sum].sort((a, b) => a[0] - b[0]);
  const userPtr = new Int32Array(users + 1);
  const itemPtr = new Int32Array(items + 1);
  for (const [key] of entries) {
    userPtr[Math.floor(key / items) + 1] = (userPtr[Math.floor(key / items) + 1] as number) + 1;
    itemPtr[(key % items) + 1] = (itemPtr[(key % items) + 1] as number) + 1;
  }
  for (let u = 0; u < users; u += 1) userPtr[u + 1] = (userPtr[u + 1] as number) + (userPtr[u] as number);
  for (let i = 0; i < items; i += 1) itemPtr[i + 1] = (itemPtr[i + 1] as number) + (itemPtr[i] as number);
  const userItems = new Int32Array(entries.length);
  const userValues = new Float32Array(entries.length);
  const itemUsers = new Int32Array(entries.length);
  const itemValues = new Float32Array(entries.length);
  const fill = Int32Array.from(itemPtr);
  entries.forEach(([key, value], e) => {
    const u = Math.floor(key / items);
    const i = key % items;
    userItems[e] = i;
    userValues[e] = value;
    const slot = fill[i] as number;
    itemUsers[slot] = u;
    itemValues[slot] = value;
    fill[i] = slot + 1;
  });
  return { users, items, userPtr, userItems, userValues, itemPtr, itemUsers, itemValues };
}

export interface AlsOptions {
  factors: number;
  iterations: number;
  /** Ridge penalty λ. */
  lambda: number;
  /** Confidence c = 1 + α·value. */
  alpha: number;
  seed: number;
}

export const DEFAULT_ALS_OPTIONS: AlsOptions = { factors: 32, iterations: 12, lambda: 5, alpha: 20, seed: 42 };

/**
 * One half-step of implicit ALS: solves every row of `out` against the fixed factors
 * (Hu, Koren & Volinsky 2008): x = (YᵀY + Yᵀ(C−I)Y + λI)⁻¹ YᵀCp, with YᵀY computed once.
 */
function solveSide(
  ptr: Int32Array,
  idx: Int32Array,
  values: Float32Array,
  fixed: Float32Array,
  fixedRows: number,
  out: Float32Array,
  rows: number,
  options: AlsOptions,
): void {
  const k = options.factors;
  const yty = gram(fixed, fixedRows, k);
  const a = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let r = 0; r < rows; r += 1) {
    a.set(yty);
    b.fill(0);
    for (let i = 0; i < k; i += 1) a[i * k + i] = (a[i * k + i] as number) + options.lambda;
    for (let e = ptr[r] as number; e < (ptr[r + 1] as number); e += 1) {
      const o = (idx[e] as number) * k;
      const c = 1 + options.alpha * (values[e] as number);
      for (let i = 0; i < k; i += 1) {
        const yi = fixed[o + i] as number;
        b[i] = (b[i] as number) + c * yi;
        const s = (c - 1) * yi;
        for (let j = 0; j <= i; j += 1) a[i * k + j] = (a[i * k + j] as number) + s * (fixed[o + j] as number);
      }
    }
    for (let i = 0; i < k; i += 1) for (let j = i + 1; j < k; j += 1) a[i * k + j] = a[j * k + i] as number;
    const l = cholesky(a, k);
    const x = l ? cholSolve(l, b, k) : new Float64Array(k);
    for (let i = 0; i < k; i += 1) out[r * k + i] = Number.isFinite(x[i] as number) ? (x[i] as number) : 0;
  }
}

/** Implicit-feedback ALS over typed arrays: user and item factor matrices (rows × factors). */
export function trainAls(
  data: Interactions,
  options: AlsOptions = DEFAULT_ALS_OPTIONS,
): { userFactors: Float32Array; itemFactors: Float32Array } {
  const k = options.factors;
  const rng = createRng(options.seed);
  const userFactors = new Float32Array(data.users * k);
  const itemFactors = Float32Array.from({ length: data.items * k }, () => (rng() - 0.5) * 0.1);
  for (let it = 0; it < options.iterations; it += 1) {
    solveSide(data.userPtr, data.userItems, data.userValues, itemFactors, data.items, userFactors, data.users, options);
    solveSide(data.itemPtr, data.itemUsers, data.itemValues, userFactors, data.users, itemFactors, data.items, options);
  }
  return { userFactors, itemFactors };
}
