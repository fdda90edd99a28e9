import { describe, expect, it } from 'vitest';
import { buildInteractions, trainAls } from '../../scripts/als.ts';

describe('implicit ALS', () => {
  it('learns vectors under which a user prefers the unseen item of their own group', () => {
    // Two taste groups: users 0-4 like items 0-3, users 5-9 like items 4-7; user 0 has not seen item 3.
    const triples: [number, number, number][] = [];
    for (let u = 0; u < 10; u += 1)
      for (let i = u < 5 ? 0 : 4; i < (u < 5 ? 4 : 8); i += 1) if (!(u === 0 && i === 3)) triples.push([u, i, 1]);
    const data = buildInteractions(10, 8, triples);
    expect(data.userPtr[10]).toBe(triples.length);
    const { userFactors, itemFactors } = trainAls(data, { factors: 4, iterations: 10, lambda: 0.1, alpha: 10, seed: 1 });
    const score = (u: number, i: number): number => {
      let s = 0;
      for (let f = 0; f < 4; f += 1) s += (userFactors[u * 4 + f] as number) * (itemFactors[i * 4 + f] as number);
      return s;
    };
    expect(score(0, 3)).toBeGreaterThan(score(0, 5));
    expect([...userFactors, ...itemFactors].every(Number.isFinite)).toBe(true);
  });
});
