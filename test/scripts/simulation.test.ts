import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/shared/experiments/random.ts';
import {
  DEFAULT_CLICK_MODEL,
  DEFAULT_LOOP_OPTIONS,
  clickProbability,
  examination,
  expectedClicks,
  simulateUser,
  summarizeOutcomes,
  type PairRanker,
  type SimUser,
  type UserOutcome,
} from '../../scripts/simulation.ts';

// A tiny synthetic world: 200 titles, the user likes the first 40 of them.
const TITLES = Array.from({ length: 200 }, (_, i) => `t${i}`);
const RELEVANT = new Set(TITLES.slice(0, 40));
const GOOD = TITLES;
const BAD = [...TITLES].reverse();
const START = Date.UTC(2024, 0, 1);

function user(id: string, a: readonly string[], b: readonly string[], relevant: ReadonlySet<string> = RELEVANT): SimUser {
  const rank: PairRanker = () => ({ A: [...a], B: [...b] });
  return { id, relevant, rank };
}

function run(a: readonly string[], b: readonly string[], users: number, relevant: ReadonlySet<string> = RELEVANT): UserOutcome[] {
  return Array.from({ length: users }, (_, u) =>
    simulateUser(user(`u${u}`, a, b, relevant), { ...DEFAULT_LOOP_OPTIONS, opensPerDay: 1, start: START }, seededRandom(1000 + u)),
  );
}

describe('click model', () => {
  it('examines the top item always and later ones less, by 1/(1+rank)^eta', () => {
    expect(examination(0, 1)).toBe(1);
    expect(examination(3, 1)).toBeCloseTo(0.25);
    expect(examination(3, 2)).toBeCloseTo(1 / 16);
    expect(clickProbability(1, true, DEFAULT_CLICK_MODEL)).toBeCloseTo(0.45);
    expect(clickProbability(1, false, DEFAULT_CLICK_MODEL)).toBeCloseTo(0.01);
  });

  it('expects more clicks from a list with the relevant titles on top', () => {
    const good = expectedClicks(GOOD, RELEVANT, 8, DEFAULT_CLICK_MODEL);
    const bad = expectedClicks(BAD, RELEVANT, 8, DEFAULT_CLICK_MODEL);
    expect(good).toBeGreaterThan(2);
    expect(bad).toBeLessThan(0.1);
  });
});

describe('simulated A/B', () => {
  it('picks the strategy that ranks the relevant titles first, and then serves it', () => {
    const outcomes = run(GOOD, BAD, 20);
    const summary = summarizeOutcomes(outcomes);
    expect(summary.better.A).toBe(20);
    expect(summary.decided).toBe(1);
    expect(summary.winners).toEqual({ A: 20, B: 0 });
    expect(summary.correctOfAll).toBe(1);
    expect(summary.ctr.A).toBeGreaterThan(5 * summary.ctr.B);
    // After the decision the winner gets most of the traffic.
    expect(outcomes.every((o) => o.served.A.impressions > 2 * o.served.B.impressions)).toBe(true);
    expect(summary.medianImpressionsToDecide).toBeGreaterThanOrEqual(20 * 8 * 0.5);
  });

  it('decides the other way when B is the better strategy', () => {
    const summary = summarizeOutcomes(run(BAD, GOOD, 10));
    expect(summary.winners).toEqual({ A: 0, B: 10 });
  });

  it('rarely decides between two identical strategies, and calls it a tie', () => {
    // Three titles in four relevant, so clicks keep coming and ~30 lists per user are decisive.
    const outcomes = run(GOOD, GOOD, 40, new Set(TITLES.filter((_, i) => i % 4 !== 0)));
    const summary = summarizeOutcomes(outcomes);
    expect(summary.better.tie).toBe(40);
    expect(outcomes.reduce((s, o) => s + o.tally.winsA + o.tally.winsB, 0) / 40).toBeGreaterThan(20);
    // The nominal level is 5 %; testing after every list inflates it (about 9 % here, 15 % with twice the lists).
    expect(summary.decided).toBeLessThanOrEqual(0.2);
    expect(summary.decidedWithoutBetter).toBe(summary.decided);
  });

  it('never shows a clicked title again and keeps k items per list', () => {
    const shown: string[][] = [];
    const u = user('u', GOOD, BAD);
    const outcome = simulateUser(
      {
        ...u,
        rank: (state) => {
          shown.push(state.feedback.map((f) => f.titleId));
          return u.rank(state);
        },
      },
      { ...DEFAULT_LOOP_OPTIONS, days: 30, opensPerDay: 1, retrainDays: 5, start: START },
      seededRandom(5),
    );
    expect(outcome.lists).toBe(30);
    // Retrains see the clicks so far, which only grow.
    expect(shown).toHaveLength(6);
    expect((shown.at(-1) ?? []).length).toBeGreaterThan(0);
    expect(outcome.served.A.impressions + outcome.served.B.impressions).toBe(30 * 8);
  });

  it('is reproducible from its seed', () => {
    const once = run(GOOD, BAD, 3).map((o) => o.tally);
    expect(run(GOOD, BAD, 3).map((o) => o.tally)).toEqual(once);
  });
});
