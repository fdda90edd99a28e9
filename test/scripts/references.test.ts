import { describe, expect, it } from 'vitest';
import { trainBpr } from '../../scripts/bpr.ts';
import { easeFactors, fitEase, invertSpd, quantizeRow, symmetricEigen } from '../../scripts/ease.ts';
import { carveValidation, scoreFactors, tuneEase, validationNdcg } from '../../scripts/references.ts';
import { createRng } from '../../src/shared/model/random.ts';

/** Random binary data: `users` users, `items` items, each user with items drawn with a per-item bias. */
function randomLists(users: number, items: number, seed = 5): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: users }, () => {
    const list: number[] = [];
    for (let i = 0; i < items; i += 1) if (rng() < 0.15 + 0.3 * ((i % 5) / 5)) list.push(i);
    return list;
  });
}

/** Direct EASEᴿ from its definition, for checking: B = I − P·diag(1/diag P), P = (XᵀX + λI)⁻¹. */
function bruteScores(lists: number[][], items: number, lambda: number, user: number[]): number[] {
  const g = new Float64Array(items * items);
  for (const l of lists) for (const i of l) for (const j of l) g[i * items + j] = (g[i * items + j] as number) + 1;
  for (let i = 0; i < items; i += 1) g[i * items + i] = (g[i * items + i] as number) + lambda;
  const p = invertSpd(g, items);
  return Array.from({ length: items }, (_, i) =>
    user.filter((j) => j !== i).reduce((s, j) => s - (p[j * items + i] as number) / (p[i * items + i] as number), 0),
  );
}

describe('EASEᴿ', () => {
  it('inverts a symmetric positive definite matrix', () => {
    const n = 6;
    const rng = createRng(2);
    const m = Float64Array.from({ length: n * n }, () => rng());
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i += 1)
      for (let j = 0; j < n; j += 1)
        for (let k = 0; k < n; k += 1) a[i * n + j] = (a[i * n + j] as number) + (m[i * n + k] as number) * (m[j * n + k] as number);
    for (let i = 0; i < n; i += 1) a[i * n + i] = (a[i * n + i] as number) + 1;
    const inv = invertSpd(Float64Array.from(a), n);
    for (let i = 0; i < n; i += 1)
      for (let j = 0; j < n; j += 1) {
        let s = 0;
        for (let k = 0; k < n; k += 1) s += (a[i * n + k] as number) * (inv[k * n + j] as number);
        expect(s).toBeCloseTo(i === j ? 1 : 0, 9);
      }
  });

  it('gives the same model through the users side (Woodbury) as through the items side, and as its definition', () => {
    const lists = randomLists(12, 20);
    const woodbury = fitEase(lists, 20, 7, 'woodbury');
    const direct = fitEase(lists, 20, 7, 'direct');
    const user = lists[3] as number[];
    const expected = bruteScores(lists, 20, 7, user);
    const a = woodbury.score(user);
    const b = direct.score(user);
    for (let i = 0; i < 20; i += 1) {
      expect(a[i]).toBeCloseTo(expected[i] as number, 8);
      expect(b[i]).toBeCloseTo(expected[i] as number, 8);
    }
    for (let j = 0; j < 20; j += 1) {
      const ra = woodbury.row(j);
      const rb = direct.row(j);
      expect(ra[j]).toBe(0);
      for (let i = 0; i < 20; i += 1) expect(ra[i]).toBeCloseTo(rb[i] as number, 8);
    }
    for (let i = 0; i < 20; i += 1) expect(woodbury.diagonal[i]).toBeCloseTo(direct.diagonal[i] as number, 8);
    expect(fitEase(lists, 20, 7).via).toBe('woodbury');
    expect(fitEase(randomLists(30, 8), 8, 7).via).toBe('direct');
  });

  it('in low rank, keeping every direction, scores unseen items exactly as EASEᴿ does', () => {
    const lists = randomLists(10, 25);
    const full = fitEase(lists, 25, 5);
    const f = easeFactors(lists, 25, 5, 10, { oversample: 0, powerIterations: 6 });
    for (const u of [0, 4, 9]) {
      const user = lists[u] as number[];
      const exact = full.score(user);
      const low = scoreFactors(f, user);
      for (let i = 0; i < 25; i += 1) if (!user.includes(i)) expect(low[i]).toBeCloseTo(exact[i] as number, 6);
    }
    for (let i = 0; i < 25; i += 1) expect(f.diagonal[i]).toBeCloseTo(full.diagonal[i] as number, 6);
  });

  it('in low rank, fewer directions approximate it: the top-ranked unseen items mostly agree', () => {
    const lists = randomLists(40, 60, 9);
    const full = fitEase(lists, 60, 20);
    const f = easeFactors(lists, 60, 20, 20);
    let agree = 0;
    for (let u = 0; u < 40; u += 1) {
      const user = lists[u] as number[];
      const rank = (s: Float64Array): number[] =>
        [...s.keys()]
          .filter((i) => !user.includes(i))
          .sort((a, b) => (s[b] as number) - (s[a] as number))
          .slice(0, 5);
      const top = new Set(rank(full.score(user)));
      agree += rank(scoreFactors(f, user)).filter((i) => top.has(i)).length;
    }
    expect(agree / (40 * 5)).toBeGreaterThan(0.7);
  });

  it('decomposes a symmetric matrix: A·v = λ·v, values descending', () => {
    const a = Float64Array.from([4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 1]);
    const { values, vectors } = symmetricEigen(a, 3);
    expect(values[0]).toBeGreaterThanOrEqual(values[1] as number);
    expect(values[1]).toBeGreaterThanOrEqual(values[2] as number);
    for (let c = 0; c < 3; c += 1)
      for (let r = 0; r < 3; r += 1) {
        let av = 0;
        for (let k = 0; k < 3; k += 1) av += (a[r * 3 + k] as number) * (vectors[k * 3 + c] as number);
        expect(av).toBeCloseTo((values[c] as number) * (vectors[r * 3 + c] as number), 9);
      }
  });

  it('quantizes a row to int8 codes within half a step', () => {
    const row = [0.31, -0.02, 0, 0.1549, -0.31];
    const { step, vector } = quantizeRow(row);
    expect(vector.every((c) => Number.isInteger(c) && Math.abs(c) <= 127)).toBe(true);
    row.forEach((x, i) => expect(Math.abs((vector[i] as number) * step - x)).toBeLessThanOrEqual(step / 2 + 1e-12));
    expect(quantizeRow([0, 0]).vector).toEqual([0, 0]);
  });
});

describe('BPR-MF', () => {
  it('learns two tastes: an unseen item of the user’s own group outranks the other group’s', () => {
    // Users 0–9 take items 0–9, users 10–19 items 10–19, each missing one; popularity is equal.
    const lists = Array.from({ length: 20 }, (_, u) => {
      const base = u < 10 ? 0 : 10;
      return Array.from({ length: 10 }, (__, i) => base + i).filter((i) => i !== base + (u % 10));
    });
    const model = trainBpr(lists, 20, { factors: 8, learningRate: 0.05, reg: 0.001, epochs: 200, seed: 3 });
    let right = 0;
    for (let u = 0; u < 20; u += 1) {
      const s = model.score(u);
      const own = (u < 10 ? 0 : 10) + (u % 10);
      const other = (u < 10 ? 10 : 0) + (u % 10);
      if ((s[own] as number) > (s[other] as number)) right += 1;
    }
    expect(right).toBeGreaterThanOrEqual(18);
  });
});

describe('validation carved from training', () => {
  it('splits each training part into fit and validation, disjoint and complete; users with under 4 items keep all', () => {
    const train = [
      [1, 2, 3, 4, 5, 6, 7, 8],
      [1, 2, 3],
      [9, 10, 11, 12],
    ];
    const split = carveValidation(train);
    train.forEach((list, u) => {
      const fit = split.fit[u] ?? [];
      const val = split.validation[u] ?? [];
      expect([...fit, ...val].sort((a, b) => a - b)).toEqual(list);
      expect(fit.filter((i) => val.includes(i))).toEqual([]);
    });
    expect(split.validation[0]).toHaveLength(2);
    expect(split.validation[1]).toEqual([]);
    expect(carveValidation(train)).toEqual(split);
  });

  it('chooses the λ with the best validation NDCG@10 among those tried, and scores by the fit part only', () => {
    const lists = randomLists(30, 40, 11);
    const split = carveValidation(lists);
    const tuned = tuneEase(split, 40, [1, 10, 100]);
    const best = tuned.tried.reduce((a, b) => (b.ndcg > a.ndcg ? b : a));
    expect(tuned.chosen).toEqual(best.setting);
    const model = fitEase(split.fit, 40, tuned.chosen.lambda);
    expect(validationNdcg(split, (u) => model.score(split.fit[u] ?? []))).toBeCloseTo(best.ndcg, 12);
  });
});
