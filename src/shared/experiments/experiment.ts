import { allocate, decide, newTally, update, type Tally } from './ab-test.ts';
import { creditClicks, teamDraftInterleave, type InterleavedItem } from './interleaving.ts';
import type { ExperimentStatus } from '../insights.ts';
import type { RankedItem } from '../suggestions.ts';

/** The strategies compared by default: the full model against content similarity alone. */
export const DEFAULT_EXPERIMENT = { a: 'model', b: 'content-only' } as const;
/** A shown list collects clicks for this long, or until the next list is shown. */
export const LIST_WINDOW_MS = 30 * 60_000;
/** Lists awaiting their outcome, at most. */
const MAX_PENDING = 20;

export interface ShownList {
  at: number;
  items: InterleavedItem[];
  clicked: string[];
}

/** The experiment as kept in kv: the tally and the lists still collecting clicks. */
export interface ExperimentState {
  tally: Tally;
  pending: ShownList[];
}

/** A fresh experiment between the default strategies. */
export function newExperiment(a: string = DEFAULT_EXPERIMENT.a, b: string = DEFAULT_EXPERIMENT.b): ExperimentState {
  return { tally: newTally(a, b), pending: [] };
}

/**
 * The list the popup shows: team-draft interleaved while the test runs; once it decided, mostly the
 * winner's own list (allocate). Without a second ranking, strategy A's list as it is.
 */
export function arrange(
  state: ExperimentState,
  a: readonly RankedItem[],
  b: readonly RankedItem[] | undefined,
  limit: number,
  random: () => number,
): RankedItem[] {
  if (!b || b.length === 0) return a.slice(0, limit);
  const mode = allocate(state.tally, random);
  if (mode === 'A') return a.slice(0, limit);
  if (mode === 'B') return b.slice(0, limit);
  const byId = { A: new Map(a.map((item) => [item.titleId, item])), B: new Map(b.map((item) => [item.titleId, item])) };
  const names = { A: state.tally.a, B: state.tally.b };
  return teamDraftInterleave(
    a.map((i) => i.titleId),
    b.map((i) => i.titleId),
    limit,
    random,
  ).map(({ titleId, team }) => ({
    ...(byId[team].get(titleId) as RankedItem),
    strategy: names[team],
  }));
}

/** Settles lists whose window has passed (or all, when a new list supersedes them) into the tally. */
export function settle(state: ExperimentState, now: number, all = false): ExperimentState {
  let tally = state.tally;
  const pending: ShownList[] = [];
  for (const list of state.pending) {
    if (all || now - list.at >= LIST_WINDOW_MS) tally = update(tally, creditClicks(list.items, new Set(list.clicked)), list.items.length);
    else pending.push(list);
  }
  return { tally, pending };
}

/** Records a shown list; only an interleaved list (both strategies in it) is evidence for the test. */
export function recordShown(state: ExperimentState, items: readonly { titleId: string; strategy: string }[], now: number): ExperimentState {
  const settled = settle(state, now, true);
  const { a, b } = settled.tally;
  const teams = items.map((item) => ({ titleId: item.titleId, team: item.strategy === a ? 'A' : item.strategy === b ? 'B' : undefined }));
  const interleaved = teams.some((t) => t.team === 'A') && teams.some((t) => t.team === 'B');
  if (!interleaved) return settled;
  const list: ShownList = { at: now, items: teams.filter((t): t is InterleavedItem => t.team !== undefined), clicked: [] };
  return { ...settled, pending: [...settled.pending, list].slice(-MAX_PENDING) };
}

/** Credits a watch-link click to the newest shown list that has the title. */
export function recordClick(state: ExperimentState, titleId: string, now: number): ExperimentState {
  const pending = state.pending.map((list) => ({ ...list, clicked: [...list.clicked] }));
  for (let i = pending.length - 1; i >= 0; i -= 1) {
    const list = pending[i] as ShownList;
    if (now - list.at < LIST_WINDOW_MS && list.items.some((item) => item.titleId === titleId)) {
      if (!list.clicked.includes(titleId)) list.clicked.push(titleId);
      break;
    }
  }
  return { ...state, pending };
}

/** The experiment in the shape the insights page shows. */
export function experimentStatus(state: ExperimentState): ExperimentStatus {
  const { tally } = state;
  const decision = decide(tally);
  const status: ExperimentStatus = {
    a: tally.a,
    b: tally.b,
    winsA: tally.winsA,
    winsB: tally.winsB,
    ties: tally.ties,
    impressions: tally.impressions,
    pValue: tally.decided?.pValue ?? decision.pValue,
    status: tally.decided ? 'decided' : 'running',
  };
  if (tally.decided) {
    status.winner = tally.decided.winner === 'A' ? tally.a : tally.b;
    status.decidedAtImpressions = tally.decided.atImpressions;
  }
  return status;
}
