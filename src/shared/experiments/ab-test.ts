import type { Team } from './interleaving.ts';

/** Running tally of an interleaving experiment between strategies A and B. */
export interface Tally {
  a: string;
  b: string;
  winsA: number;
  winsB: number;
  ties: number;
  /** Impressions (items shown) so far, for "how many impressions it needed". */
  impressions: number;
  /** Set once the test decided; traffic then shifts to the winner. */
  decided?: { winner: Team; pValue: number; atImpressions: number };
}

export interface Decision {
  status: 'running' | 'decided';
  winner?: Team;
  pValue: number;
}

/** A new tally between two named strategies. */
export function newTally(a: string, b: string): Tally {
  return { a, b, winsA: 0, winsB: 0, ties: 0, impressions: 0 };
}

/** Adds the outcome of one shown list of `shown` items. */
export function record(tally: Tally, outcome: Team | 'tie', shown: number): Tally {
  return {
    ...tally,
    winsA: tally.winsA + (outcome === 'A' ? 1 : 0),
    winsB: tally.winsB + (outcome === 'B' ? 1 : 0),
    ties: tally.ties + (outcome === 'tie' ? 1 : 0),
    impressions: tally.impressions + shown,
  };
}

/** ln C(n, k) via log-gamma sums (exact enough for n up to millions). */
function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i += 1) sum += Math.log((n - k + i) / i);
  return sum;
}

/**
 * Two-sided exact binomial sign test of wins against p = 0.5, ties left out (the standard test for
 * interleaving outcomes). Returns the p-value.
 */
export function signTestPValue(winsA: number, winsB: number): number {
  const n = winsA + winsB;
  if (n === 0) return 1;
  const k = Math.min(winsA, winsB);
  let tail = 0;
  for (let i = 0; i <= k; i += 1) tail += Math.exp(logChoose(n, i) - n * Math.LN2);
  return Math.min(1, 2 * tail);
}

/** Whether the evidence decides the test: p < alpha with at least `minDecisive` non-tied lists. */
export function decide(tally: Tally, alpha = 0.05, minDecisive = 20): Decision {
  const pValue = signTestPValue(tally.winsA, tally.winsB);
  if (tally.winsA + tally.winsB < minDecisive || pValue >= alpha || tally.winsA === tally.winsB) return { status: 'running', pValue };
  return { status: 'decided', winner: tally.winsA > tally.winsB ? 'A' : 'B', pValue };
}

/** What to show next: interleave while the test runs; once decided, mostly the winner alone. */
export function allocate(tally: Tally, random: () => number, keepTesting = 0.1): 'interleave' | Team {
  if (!tally.decided) return 'interleave';
  return random() < keepTesting ? 'interleave' : tally.decided.winner;
}

/** Records an outcome and, when the evidence is there, marks the tally decided (once). */
export function update(tally: Tally, outcome: Team | 'tie', shown: number, alpha = 0.05, minDecisive = 20): Tally {
  const next = record(tally, outcome, shown);
  if (next.decided) return next;
  const decision = decide(next, alpha, minDecisive);
  if (decision.status === 'decided' && decision.winner) {
    next.decided = { winner: decision.winner, pValue: decision.pValue, atImpressions: next.impressions };
  }
  return next;
}
