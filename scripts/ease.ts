/**
 * EASEᴿ (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"): the closed-form
 * item-item model B = I − P·diag(1/diag P), P = (XᵀX + λI)⁻¹, diag B = 0, on binary implicit
 * data X (users × items). Scores of a user: x_u·B. The offline evaluation's strongest reference,
 * and the source of the item-item neighbours a catalog may ship (learned from the training part only).
 *
 * With fewer users than items (MovieLens latest-small: 610 × 8,809) the n×n inverse is avoided by
 * the Woodbury identity P = (I − Xᵀ(λI + XXᵀ)⁻¹X)/λ: only a users×users matrix is inverted, and
 * the result is the same model (a test checks both ways against each other).
 */

import { createRng } from '../src/shared/model/random.ts';

/** Each user's items (indices into 0..items−1). */
export type UserItems = readonly (readonly number[])[];

export interface EaseModel {
  lambda: number;
  items: number;
  /** Scores of every item for a user with these items (the user's own items score as the model gives them). */
  score(userItems: readonly number[]): Float64Array;
  /** Row j of B: B_ji for every i (what item j adds to each item's score). */
  row(j: number): Float64Array;
  /** λ·P_ii per item: how much of item i its own column explains not (B_ji = −P_ji/P_ii). */
  diagonal: Float64Array;
  /** "woodbury" or "direct": which side was inverted. */
  via: 'woodbury' | 'direct';
}

/** In-place inverse of a symmetric positive definite n×n matrix (row-major) by Gauss–Jordan without pivoting. */
export function invertSpd(a: Float64Array, n: number): Float64Array {
  for (let k = 0; k < n; k += 1) {
    const ko = k * n;
    const pivot = a[ko + k] as number;
    if (!(Math.abs(pivot) > 1e-300)) throw new Error(`matrix is singular at row ${k}`);
    const inv = 1 / pivot;
    a[ko + k] = 1;
    for (let j = 0; j < n; j += 1) a[ko + j] = (a[ko + j] as number) * inv;
    for (let i = 0; i < n; i += 1) {
      if (i === k) continue;
      const io = i * n;
      const f = a[io + k] as number;
      if (f === 0) continue;
      a[io + k] = 0;
      for (let j = 0; j < n; j += 1) a[io + j] = (a[io + j] as number) - f * (a[ko + j] as number);
    }
  }
  return a;
}

function usersOfItems(lists: UserItems, items: number): number[][] {
  const out: number[][] = Array.from({ length: items }, () => []);
  lists.forEach((list, u) => {
    for (const i of list) out[i]?.push(u);
  });
  return out;
}

/** Σ over groups of every pair of members (the Gram matrix of binary rows) plus λ on the diagonal, size×size. */
function cooccurrence(groups: readonly (readonly number[])[], size: number, lambda: number): Float64Array {
  const out = new Float64Array(size * size);
  for (const group of groups)
    for (const a of group) {
      const o = a * size;
      for (const b of group) out[o + b] = (out[o + b] as number) + 1;
    }
  for (let i = 0; i < size; i += 1) out[i * size + i] = (out[i * size + i] as number) + lambda;
  return out;
}

/** Fits EASEᴿ with penalty λ; `via` forces a side (tests), otherwise the smaller one is inverted. */
export function fitEase(lists: UserItems, items: number, lambda: number, via?: EaseModel['via']): EaseModel {
  const users = lists.length;
  const side = via ?? (users < items ? 'woodbury' : 'direct');
  return side === 'woodbury' ? fitWoodbury(lists, items, lambda) : fitDirect(lists, items, lambda);
}

function fitDirect(lists: UserItems, items: number, lambda: number): EaseModel {
  const n = items;
  // P = (XᵀX + λI)⁻¹: items that share a user, counted.
  const p = invertSpd(cooccurrence(lists, n, lambda), n);
  const row = (j: number): Float64Array => {
    const out = new Float64Array(n);
    // B_ji = −P_ji / P_ii (P is symmetric, so P_ji = P_ij: row j of P).
    for (let i = 0; i < n; i += 1) out[i] = i === j ? 0 : -(p[j * n + i] as number) / (p[i * n + i] as number);
    return out;
  };
  const score = (userItems: readonly number[]): Float64Array => {
    const s = new Float64Array(n);
    for (const j of userItems) {
      const o = j * n;
      for (let i = 0; i < n; i += 1) if (i !== j) s[i] = (s[i] as number) - (p[o + i] as number) / (p[i * n + i] as number);
    }
    return s;
  };
  const diagonal = Float64Array.from({ length: n }, (_, i) => lambda * (p[i * n + i] as number));
  return { lambda, items, score, row, diagonal, via: 'direct' };
}

function fitWoodbury(lists: UserItems, items: number, lambda: number): EaseModel {
  const users = lists.length;
  const usersOf = usersOfItems(lists, items);
  // M = (XXᵀ + λI)⁻¹: users that share an item, counted.
  const m = invertSpd(cooccurrence(usersOf, users, lambda), users);
  // d_i = λ·P_ii = 1 − x_iᵀ M x_i (x_i: the users of item i).
  const d = new Float64Array(items);
  usersOf.forEach((us, i) => {
    let q = 0;
    for (const u of us) {
      const o = u * users;
      for (const v of us) q += m[o + v] as number;
    }
    d[i] = 1 - q;
  });
  // For a user row x (as a users-vector r = x·Xᵀ·M), t = r·X; then for i off the row, s_i = t_i / d_i
  // and on it s_i = 1 − (1 − t_i)/d_i (B's zero diagonal: an item never scores itself).
  const spread = (r: Float64Array, own: ReadonlySet<number>): Float64Array => {
    const t = new Float64Array(items);
    lists.forEach((list, v) => {
      const rv = r[v] as number;
      if (rv === 0) return;
      for (const i of list) t[i] = (t[i] as number) + rv;
    });
    for (let i = 0; i < items; i += 1) {
      const ti = t[i] as number;
      t[i] = own.has(i) ? 1 - (1 - ti) / (d[i] as number) : ti / (d[i] as number);
    }
    return t;
  };
  const score = (userItems: readonly number[]): Float64Array => {
    // x·Xᵀ: how many of these items each training user has.
    const xxt = new Float64Array(users);
    for (const j of userItems) for (const v of usersOf[j] ?? []) xxt[v] = (xxt[v] as number) + 1;
    const r = new Float64Array(users);
    for (let v = 0; v < users; v += 1) {
      const c = xxt[v] as number;
      if (c === 0) continue;
      const o = v * users;
      for (let w = 0; w < users; w += 1) r[w] = (r[w] as number) + c * (m[o + w] as number);
    }
    return spread(r, new Set(userItems));
  };
  const row = (j: number): Float64Array => {
    // B_ji = x_jᵀ M x_i / d_i for i ≠ j: r = M x_j, spread over X.
    const r = new Float64Array(users);
    for (const u of usersOf[j] ?? []) {
      const o = u * users;
      for (let w = 0; w < users; w += 1) r[w] = (r[w] as number) + (m[o + w] as number);
    }
    const out = spread(r, new Set());
    out[j] = 0;
    return out;
  };
  return { lambda, items, score, row, diagonal: d, via: 'woodbury' };
}

/** Eigen-decomposition of a symmetric n×n matrix (row-major, copied) by cyclic Jacobi: values descending, vectors as columns. */
export function symmetricEigen(input: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep += 1) {
    let off = 0;
    for (let p = 0; p < n; p += 1) for (let q = p + 1; q < n; q += 1) off += (a[p * n + q] as number) ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p += 1)
      for (let q = p + 1; q < n; q += 1) {
        const apq = a[p * n + q] as number;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = ((a[q * n + q] as number) - (a[p * n + p] as number)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k += 1) {
          const akp = a[k * n + p] as number;
          const akq = a[k * n + q] as number;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k += 1) {
          const apk = a[p * n + k] as number;
          const aqk = a[q * n + k] as number;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k += 1) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => (a[y * n + y] as number) - (a[x * n + x] as number));
  const values = Float64Array.from(order, (i) => a[i * n + i] as number);
  const vectors = new Float64Array(n * n);
  order.forEach((col, j) => {
    for (let k = 0; k < n; k += 1) vectors[k * n + j] = v[k * n + col] as number;
  });
  return { values, vectors };
}

/** Orthonormalizes the l columns of an m×l matrix (row-major) in place, modified Gram–Schmidt. */
function orthonormalize(z: Float64Array, m: number, l: number): void {
  for (let j = 0; j < l; j += 1) {
    for (let p = 0; p < j; p += 1) {
      let dot = 0;
      for (let r = 0; r < m; r += 1) dot += (z[r * l + j] as number) * (z[r * l + p] as number);
      for (let r = 0; r < m; r += 1) z[r * l + j] = (z[r * l + j] as number) - dot * (z[r * l + p] as number);
    }
    let norm = 0;
    for (let r = 0; r < m; r += 1) norm += (z[r * l + j] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let r = 0; r < m; r += 1) z[r * l + j] = (z[r * l + j] as number) / norm;
  }
}

/** The low-rank form of EASEᴿ a catalog can ship: per item a k-vector and the diagonal term. */
export interface EaseFactors {
  k: number;
  lambda: number;
  /** items×k: aᵢ = vᵢ ⊙ √(σ²/(σ²+λ)), vᵢ item i's row of X's top right singular vectors. */
  vectors: Float64Array;
  /** 1 − ‖aᵢ‖², the part of P's diagonal (×λ) the score of item i is divided by. */
  diagonal: Float64Array;
  /** σ² of the kept components, largest first. */
  spectrum: Float64Array;
}

/**
 * EASEᴿ in low rank. Off its diagonal B = Xᵀ(XXᵀ+λI)⁻¹X·D⁻¹ = V·diag(σ²/(σ²+λ))·Vᵀ·D⁻¹ (X = USVᵀ),
 * so keeping the top k singular directions gives, per item, one vector aᵢ and one number dᵢ:
 * score(u, i) = aᵢ·Σⱼ∈u aⱼ / dᵢ. The directions come from a randomized range finder
 * (Halko, Martinsson & Tropp 2011) with power iterations over the sparse X: no n×n matrix is formed.
 */
export function easeFactors(
  lists: UserItems,
  items: number,
  lambda: number,
  k: number,
  options: { oversample?: number; powerIterations?: number; seed?: number } = {},
): EaseFactors {
  const users = lists.length;
  const l = Math.min(k + (options.oversample ?? 20), users, items);
  const rng = createRng(options.seed ?? 42);
  const usersOf = usersOfItems(lists, items);
  // X·Y for Y items×l → users×l; Xᵀ·Z for Z users×l → items×l.
  const times = (y: Float64Array): Float64Array => {
    const z = new Float64Array(users * l);
    lists.forEach((list, u) => {
      const o = u * l;
      for (const i of list) for (let c = 0; c < l; c += 1) z[o + c] = (z[o + c] as number) + (y[i * l + c] as number);
    });
    return z;
  };
  const timesT = (z: Float64Array): Float64Array => {
    const y = new Float64Array(items * l);
    usersOf.forEach((us, i) => {
      const o = i * l;
      for (const u of us) for (let c = 0; c < l; c += 1) y[o + c] = (y[o + c] as number) + (z[u * l + c] as number);
    });
    return y;
  };
  let z = times(Float64Array.from({ length: items * l }, () => rng() - 0.5));
  orthonormalize(z, users, l);
  for (let q = 0; q < (options.powerIterations ?? 4); q += 1) {
    const y = timesT(z);
    orthonormalize(y, items, l);
    z = times(y);
    orthonormalize(z, users, l);
  }
  // Bm = Qᵀ X (l × items) is yᵀ with y = Xᵀ Q; its right singular vectors are X's, from the l×l Bm Bmᵀ = yᵀy.
  const y = timesT(z);
  const small = new Float64Array(l * l);
  for (let i = 0; i < items; i += 1) {
    const o = i * l;
    for (let a = 0; a < l; a += 1) {
      const ya = y[o + a] as number;
      if (ya === 0) continue;
      for (let b = a; b < l; b += 1) small[a * l + b] = (small[a * l + b] as number) + ya * (y[o + b] as number);
    }
  }
  for (let a = 0; a < l; a += 1) for (let b = 0; b < a; b += 1) small[a * l + b] = small[b * l + a] as number;
  const { values, vectors: w } = symmetricEigen(small, l);
  const kept = Math.min(k, l);
  const vectors = new Float64Array(items * kept);
  const diagonal = new Float64Array(items).fill(1);
  const spectrum = new Float64Array(kept);
  for (let c = 0; c < kept; c += 1) {
    const s2 = Math.max(values[c] as number, 0);
    spectrum[c] = s2;
    if (s2 <= 1e-12) continue;
    // vᵢ = (y·w_c)ᵢ / σ, then scaled by √(σ²/(σ²+λ)): together y·w_c / √(σ²+λ).
    const scale = 1 / Math.sqrt(s2 + lambda);
    for (let i = 0; i < items; i += 1) {
      let s = 0;
      const o = i * l;
      for (let a = 0; a < l; a += 1) s += (y[o + a] as number) * (w[a * l + c] as number);
      vectors[i * kept + c] = s * scale;
    }
  }
  for (let i = 0; i < items; i += 1) {
    let s = 0;
    for (let c = 0; c < kept; c += 1) s += (vectors[i * kept + c] as number) ** 2;
    diagonal[i] = 1 - s;
  }
  return { k: kept, lambda, vectors, diagonal, spectrum };
}

/** A row as a catalog ships it: int8 codes and the step that decodes them (row ≈ codes × step). */
export function quantizeRow(row: ArrayLike<number>): { step: number; vector: number[] } {
  let max = 0;
  for (let i = 0; i < row.length; i += 1) max = Math.max(max, Math.abs(row[i] as number));
  if (!(max > 0)) return { step: 1, vector: Array.from({ length: row.length }, () => 0) };
  const step = Number((max / 127).toPrecision(4));
  return { step, vector: Array.from(row, (x) => Math.max(-127, Math.min(127, Math.round(x / step)))) };
}
