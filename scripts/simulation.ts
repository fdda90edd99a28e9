/**
 * The popup loop of one simulated user with an interleaved A/B of two ranking strategies
 * (issue 7), free of any data set so it can be unit-tested on synthetic users. The data-set side
 * (who the users are, how strategies rank) lives in scripts/simulate.ts; docs/simulation.md
 * explains the design and its limits.
 */
import { allocate, newTally, update, type Tally } from '../src/shared/experiments/ab-test.ts';
import { creditClicks, teamDraftInterleave, type InterleavedItem, type Team } from '../src/shared/experiments/interleaving.ts';
import { applyCaps, DEFAULT_CAP_POLICY, type CapPolicy } from '../src/shared/model/caps.ts';
import type { FeedbackSignal, ImpressionSignal } from '../src/shared/model/signals.ts';

const DAY = 86_400_000;

/**
 * Position-biased clicks: the item at 0-based rank r is examined with probability
 * 1 / (1 + r)^eta; an examined item is clicked with `relevantClick` when the user would like it
 * and `noiseClick` when not (a misclick or curiosity).
 */
export interface ClickModel {
  eta: number;
  relevantClick: number;
  noiseClick: number;
}

// Close to the "navigational" user of Hofmann et al. (2011) interleaving simulations, with a smaller noise rate.
export const DEFAULT_CLICK_MODEL: ClickModel = { eta: 1, relevantClick: 0.9, noiseClick: 0.02 };

/** Probability that a user examines the item at 0-based `rank`. */
export function examination(rank: number, eta: number): number {
  return 1 / (1 + rank) ** eta;
}

/** Probability of a click on the item at `rank`, given whether the user would like it. */
export function clickProbability(rank: number, relevant: boolean, model: ClickModel): number {
  return examination(rank, model.eta) * (relevant ? model.relevantClick : model.noiseClick);
}

/** Expected clicks on a list shown as is (its first `k` items) under the click model. */
export function expectedClicks(list: readonly string[], relevant: ReadonlySet<string>, k: number, model: ClickModel): number {
  let sum = 0;
  for (let r = 0; r < Math.min(k, list.length); r += 1) sum += clickProbability(r, relevant.has(list[r] as string), model);
  return sum;
}

/** What a ranker sees: the user's popup history so far, as the extension stores it. */
export interface LoopState {
  feedback: readonly FeedbackSignal[];
  impressions: readonly ImpressionSignal[];
  now: number;
}

/** Both strategies' rankings (title ids, best first) for the user in this state: one call, so they may share a retrain. */
export type PairRanker = (state: LoopState) => Record<Team, string[]>;

export interface SimUser {
  id: string;
  /** Titles the user would click when examined (held-out ratings ≥ 4 in the MovieLens run). */
  relevant: ReadonlySet<string>;
  rank: PairRanker;
}

export interface LoopOptions {
  days: number;
  opensPerDay: number;
  /** Suggestions shown per popup open. */
  k: number;
  /** Rankings are recomputed from the popup history every this many days; 0 = never. */
  retrainDays: number;
  /** Time of the first day (ms). */
  start: number;
  caps: CapPolicy;
  click: ClickModel;
  alpha: number;
  minDecisive: number;
  /** Share of lists still interleaved after the decision. */
  keepTesting: number;
}

export const DEFAULT_LOOP_OPTIONS: Omit<LoopOptions, 'start'> = {
  days: 60,
  // An engaged user; at one open a day almost no test decides within 60 days (docs/simulation.md).
  opensPerDay: 3,
  k: 8,
  // The learner retrains on every change; here a retrain costs ~0.1 s per user, so a month keeps the default run short.
  retrainDays: 30,
  caps: DEFAULT_CAP_POLICY,
  click: DEFAULT_CLICK_MODEL,
  alpha: 0.05,
  minDecisive: 20,
  keepTesting: 0.1,
};

export interface Counts {
  impressions: number;
  clicks: number;
}

/** What happened to one simulated user. */
export interface UserOutcome {
  id: string;
  /** Per strategy, over every list shown (interleaved or, after the decision, alone). */
  served: Record<Team, Counts>;
  /** Per strategy, over interleaved lists only (credit by team). */
  interleaved: Record<Team, Counts>;
  lists: number;
  tally: Tally;
  /** Day (0-based) of the decision, when there was one. */
  decidedDay?: number;
  /** Ground truth: whose own top-k list earns more expected clicks at the start; 'tie' when equal. */
  better: Team | 'tie';
  expected: Record<Team, number>;
}

/** The list a strategy would show alone: its ranking without clicked titles, capped, first k. */
function capped<T extends { titleId: string }>(
  items: readonly T[],
  clicked: ReadonlySet<string>,
  state: LoopState,
  options: LoopOptions,
): T[] {
  return applyCaps(
    items.filter((i) => !clicked.has(i.titleId)),
    state.impressions,
    state.feedback,
    state.now,
    options.caps,
  );
}

/** Runs the popup loop of one user for `options.days` days with interleaving on; `random` drives every draw. */
export function simulateUser(user: SimUser, options: LoopOptions, random: () => number): UserOutcome {
  const feedback: FeedbackSignal[] = [];
  const impressions: ImpressionSignal[] = [];
  const clicked = new Set<string>();
  let ranking = user.rank({ feedback, impressions, now: options.start });
  const expected = {
    A: expectedClicks(ranking.A, user.relevant, options.k, options.click),
    B: expectedClicks(ranking.B, user.relevant, options.k, options.click),
  };
  const better: Team | 'tie' = Math.abs(expected.A - expected.B) < 1e-9 ? 'tie' : expected.A > expected.B ? 'A' : 'B';
  const served = { A: { impressions: 0, clicks: 0 }, B: { impressions: 0, clicks: 0 } };
  const interleaved = { A: { impressions: 0, clicks: 0 }, B: { impressions: 0, clicks: 0 } };
  let tally = newTally('A', 'B');
  let decidedDay: number | undefined;
  let lists = 0;
  for (let day = 0; day < options.days; day += 1) {
    if (day > 0 && options.retrainDays > 0 && day % options.retrainDays === 0) {
      ranking = user.rank({ feedback, impressions, now: options.start + day * DAY });
    }
    for (let open = 0; open < options.opensPerDay; open += 1) {
      // Opens spread through the day, so "shown today" and resting follow the real clock.
      const now = options.start + day * DAY + ((open + 1) * DAY) / (options.opensPerDay + 1);
      const state = { feedback, impressions, now };
      const mode = allocate(tally, random, options.keepTesting);
      let list: InterleavedItem[];
      if (mode === 'interleave') {
        const a = capped(
          ranking.A.map((titleId) => ({ titleId })),
          clicked,
          state,
          options,
        ).map((i) => i.titleId);
        const b = capped(
          ranking.B.map((titleId) => ({ titleId })),
          clicked,
          state,
          options,
        ).map((i) => i.titleId);
        // Capped again after interleaving: the two lists' new titles together must fit the daily cap.
        list = capped(teamDraftInterleave(a, b, options.k, random), clicked, state, options);
      } else {
        list = capped(
          ranking[mode].map((titleId) => ({ titleId, team: mode })),
          clicked,
          state,
          options,
        ).slice(0, options.k);
      }
      if (list.length === 0) continue;
      lists += 1;
      const clicks = new Set<string>();
      list.forEach((item, r) => {
        impressions.push({ titleId: item.titleId, at: now });
        const target = mode === 'interleave' ? interleaved[item.team] : undefined;
        served[item.team].impressions += 1;
        if (target) target.impressions += 1;
        if (random() < clickProbability(r, user.relevant.has(item.titleId), options.click)) {
          clicks.add(item.titleId);
          served[item.team].clicks += 1;
          if (target) target.clicks += 1;
        }
      });
      for (const titleId of clicks) {
        clicked.add(titleId);
        feedback.push({ titleId, kind: 'click', at: now + 1 });
      }
      // Only interleaved lists are evidence; lists of the winner alone compare nothing.
      if (mode === 'interleave') {
        const wasDecided = tally.decided !== undefined;
        tally = update(tally, creditClicks(list, clicks), list.length, options.alpha, options.minDecisive);
        if (!wasDecided && tally.decided) decidedDay = day;
      }
    }
  }
  return { id: user.id, served, interleaved, lists, tally, ...(decidedDay !== undefined ? { decidedDay } : {}), better, expected };
}

export interface PairingSummary {
  users: number;
  /** clicks / impressions per strategy over all served lists, and over interleaved lists only. */
  ctr: Record<Team, number>;
  interleavedCtr: Record<Team, number>;
  /** clicks / impressions of everything shown, both strategies. */
  servedCtr: Record<'all', number>;
  better: Record<Team | 'tie', number>;
  /** Share of users whose test decided. */
  decided: number;
  /** Of users decided and with a better strategy, the share where the winner was it. */
  correctOfDecided: number;
  /** Of all users with a better strategy, the share where the test decided for it. */
  correctOfAll: number;
  /** Share of users without a better strategy (equal expected clicks) whose test decided anyway. */
  decidedWithoutBetter: number;
  medianImpressionsToDecide: number | null;
  medianDaysToDecide: number | null;
  /** Decisions per winner. */
  winners: Record<Team, number>;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/** Aggregates the outcomes of one pairing over users. */
export function summarizeOutcomes(outcomes: readonly UserOutcome[]): PairingSummary {
  const sum = (f: (o: UserOutcome) => number): number => outcomes.reduce((s, o) => s + f(o), 0);
  const decided = outcomes.filter((o) => o.tally.decided);
  const withBetter = outcomes.filter((o) => o.better !== 'tie');
  const decidedWithBetter = decided.filter((o) => o.better !== 'tie');
  const correct = decidedWithBetter.filter((o) => o.tally.decided?.winner === o.better).length;
  const ties = outcomes.filter((o) => o.better === 'tie');
  return {
    users: outcomes.length,
    ctr: {
      A: ratio(
        sum((o) => o.served.A.clicks),
        sum((o) => o.served.A.impressions),
      ),
      B: ratio(
        sum((o) => o.served.B.clicks),
        sum((o) => o.served.B.impressions),
      ),
    },
    interleavedCtr: {
      A: ratio(
        sum((o) => o.interleaved.A.clicks),
        sum((o) => o.interleaved.A.impressions),
      ),
      B: ratio(
        sum((o) => o.interleaved.B.clicks),
        sum((o) => o.interleaved.B.impressions),
      ),
    },
    servedCtr: {
      all: ratio(
        sum((o) => o.served.A.clicks + o.served.B.clicks),
        sum((o) => o.served.A.impressions + o.served.B.impressions),
      ),
    },
    better: { A: outcomes.filter((o) => o.better === 'A').length, B: outcomes.filter((o) => o.better === 'B').length, tie: ties.length },
    decided: ratio(decided.length, outcomes.length),
    correctOfDecided: ratio(correct, decidedWithBetter.length),
    correctOfAll: ratio(correct, withBetter.length),
    decidedWithoutBetter: ratio(ties.filter((o) => o.tally.decided).length, ties.length),
    medianImpressionsToDecide: median(decided.map((o) => o.tally.decided?.atImpressions ?? 0)),
    medianDaysToDecide: median(decided.map((o) => (o.decidedDay ?? 0) + 1)),
    winners: {
      A: decided.filter((o) => o.tally.decided?.winner === 'A').length,
      B: decided.filter((o) => o.tally.decided?.winner === 'B').length,
    },
  };
}
