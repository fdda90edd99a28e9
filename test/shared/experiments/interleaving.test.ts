import { describe, expect, it } from 'vitest';
import { allocate, decide, newTally, sequentialPValue, signTestPValue, update } from '../../../src/shared/experiments/ab-test.ts';
import { creditClicks, teamDraftInterleave } from '../../../src/shared/experiments/interleaving.ts';
import { seededRandom } from '../../../src/shared/experiments/random.ts';

describe('team-draft interleaving', () => {
  it('merges two rankings without duplicates, teams balanced within one', () => {
    const a = ['t1', 't2', 't3', 't4', 't5'];
    const b = ['t3', 't6', 't1', 't7', 't8'];
    const random = seededRandom(7);
    for (let round = 0; round < 50; round += 1) {
      const list = teamDraftInterleave(a, b, 6, random);
      const ids = list.map((i) => i.titleId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(6);
      const teamA = list.filter((i) => i.team === 'A').length;
      expect(Math.abs(teamA - (6 - teamA))).toBeLessThanOrEqual(1);
      // Each team's picks keep its own ranking's order.
      const aPicks = list.filter((i) => i.team === 'A').map((i) => a.indexOf(i.titleId));
      expect([...aPicks].sort((x, y) => x - y)).toEqual(aPicks);
    }
  });

  it('gives each ranking its top item in the first two places', () => {
    const list = teamDraftInterleave(['a1', 'a2'], ['b1', 'b2'], 2, seededRandom(1));
    expect(list.map((i) => i.titleId).sort()).toEqual(['a1', 'b1']);
  });

  it('fills from one side when the other runs out, and credits clicks by team', () => {
    const list = teamDraftInterleave(['x'], ['y', 'z', 'w'], 4, seededRandom(3));
    expect(list.map((i) => i.titleId).sort()).toEqual(['w', 'x', 'y', 'z']);
    expect(creditClicks(list, new Set(['x']))).toBe('A');
    expect(creditClicks(list, new Set(['z', 'w']))).toBe('B');
    expect(creditClicks(list, new Set(['x', 'y']))).toBe('tie');
    expect(creditClicks(list, new Set())).toBe('tie');
  });

  it('is unbiased: identical rankings split wins evenly under random clicks', () => {
    const random = seededRandom(42);
    const ranking = Array.from({ length: 20 }, (_, i) => `t${i}`);
    let a = 0;
    let b = 0;
    for (let n = 0; n < 4000; n += 1) {
      const list = teamDraftInterleave(ranking, ranking, 8, random);
      const clicked = new Set(list.filter(() => random() < 0.15).map((i) => i.titleId));
      const outcome = creditClicks(list, clicked);
      if (outcome === 'A') a += 1;
      if (outcome === 'B') b += 1;
    }
    expect(signTestPValue(a, b)).toBeGreaterThan(0.01);
  });
});

describe('A/B decision', () => {
  it('computes the exact two-sided sign test', () => {
    expect(signTestPValue(0, 0)).toBe(1);
    expect(signTestPValue(5, 5)).toBeCloseTo(1, 10);
    // P(X <= 2 | n = 10) = 56 / 1024; two-sided 0.109375
    expect(signTestPValue(8, 2)).toBeCloseTo(0.109375, 10);
    expect(signTestPValue(2, 8)).toBeCloseTo(0.109375, 10);
    expect(signTestPValue(60, 30)).toBeLessThan(0.01);
  });

  it('has an always-valid sequential p-value: peeking after every list keeps false positives under alpha', () => {
    expect(sequentialPValue(0, 0)).toBe(1);
    // BF(8, 2) = B(9, 3) * 2^10 = (8! 2! / 11!) * 1024 = 1024 / 495
    expect(sequentialPValue(8, 2)).toBeCloseTo(495 / 1024, 8);
    expect(sequentialPValue(60, 30)).toBeLessThan(0.05);
    expect(sequentialPValue(60, 30)).toBeGreaterThan(signTestPValue(60, 30)); // the price of peeking
    // Two identical strategies (fair coin), checked after every one of 400 lists, in 2,000 runs.
    const random = seededRandom(2024);
    let falsePositives = 0;
    for (let run = 0; run < 2000; run += 1) {
      let tally = newTally('a', 'b');
      for (let n = 0; n < 400 && !tally.decided; n += 1) tally = update(tally, random() < 0.5 ? 'A' : 'B', 8);
      if (tally.decided) falsePositives += 1;
    }
    expect(falsePositives / 2000).toBeLessThan(0.05);
  });

  it('decides only with enough evidence and then shifts traffic to the winner', () => {
    let tally = newTally('model', 'content-only');
    for (let i = 0; i < 6; i += 1) tally = update(tally, 'A', 8);
    expect(decide(tally).status).toBe('running'); // too few lists yet
    expect(allocate(tally, seededRandom(1))).toBe('interleave');
    const random = seededRandom(9);
    while (!tally.decided) tally = update(tally, random() < 0.75 ? 'A' : random() < 0.5 ? 'B' : 'tie', 8);
    expect(tally.decided.winner).toBe('A');
    expect(tally.decided.pValue).toBeLessThan(0.05);
    const picks = Array.from({ length: 1000 }, () => allocate(tally, random));
    const share = picks.filter((p) => p === 'A').length / picks.length;
    expect(share).toBeGreaterThan(0.85);
    expect(picks).not.toContain('B');
  });
});
