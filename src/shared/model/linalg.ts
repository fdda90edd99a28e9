/** Small dense linear algebra over Float64Array, row-major; enough for k×k ridge solves (k ≤ 128). */

/** Cholesky factor L (lower, row-major) of a symmetric positive definite k×k matrix, or undefined if it is not SPD. */
export function cholesky(a: Float64Array, k: number): Float64Array | undefined {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i += 1) {
    for (let j = 0; j <= i; j += 1) {
      let sum = a[i * k + j] as number;
      for (let p = 0; p < j; p += 1) sum -= (l[i * k + p] as number) * (l[j * k + p] as number);
      if (i === j) {
        if (!(sum > 0) || !Number.isFinite(sum)) return undefined;
        l[i * k + i] = Math.sqrt(sum);
      } else {
        l[i * k + j] = sum / (l[j * k + j] as number);
      }
    }
  }
  return l;
}

/** Solves L Lᵀ x = b given the Cholesky factor L. */
export function cholSolve(l: Float64Array, b: ArrayLike<number>, k: number): Float64Array {
  const y = new Float64Array(k);
  for (let i = 0; i < k; i += 1) {
    let sum = b[i] as number;
    for (let p = 0; p < i; p += 1) sum -= (l[i * k + p] as number) * (y[p] as number);
    y[i] = sum / (l[i * k + i] as number);
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i -= 1) {
    let sum = y[i] as number;
    for (let p = i + 1; p < k; p += 1) sum -= (l[p * k + i] as number) * (x[p] as number);
    x[i] = sum / (l[i * k + i] as number);
  }
  return x;
}

/** The Gram matrix VᵀV (k×k) of n row vectors of length k stored in one flat array. */
export function gram(vectors: Float32Array, n: number, k: number): Float64Array {
  const g = new Float64Array(k * k);
  for (let r = 0; r < n; r += 1) {
    const o = r * k;
    for (let i = 0; i < k; i += 1) {
      const vi = vectors[o + i] as number;
      if (vi === 0) continue;
      for (let j = i; j < k; j += 1) g[i * k + j] = (g[i * k + j] as number) + vi * (vectors[o + j] as number);
    }
  }
  for (let i = 0; i < k; i += 1) for (let j = 0; j < i; j += 1) g[i * k + j] = g[j * k + i] as number;
  return g;
}
