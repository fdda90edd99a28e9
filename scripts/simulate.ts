/**
 * Simulated popup traffic with an on-device A/B of ranking strategies (issue 7):
 *   npm run simulate -- --ratings FILE [--items FILE] [--days N] [--users N|all] [--seed S]
 *     [--pairs model:content-only,model:popular] [--opens N] [--retrain-days N] [--eta X] [--noise X]
 *
 * Users: MovieLens users, split per user 75/25 at random (seed 42) exactly as `npm run eval`
 * does; item vectors come from implicit ALS on the training split. A user's training ratings are
 * their engagement history; their held-out ratings ≥ 4 are the titles they would click.
 * Loop: each day the user opens the popup `--opens` times (3) and sees k = 8 suggestions, a
 * team-draft interleaving of strategies A and B, each ranked by the extension's own pipeline
 * (prepareUser, trainLogistic, rankCatalog with the shipped diversity and exploration) and
 * capped as the popup caps (rested titles, daily cap), clicked titles gone. Rankings are
 * recomputed every `--retrain-days` days (30) from the history plus the simulated clicks and
 * impressions, as the background learner does.
 * Clicks: position bias, examined with probability 1/(1+rank)^eta (eta = 1), clicked with 0.9
 * when relevant and 0.02 when not. Each interleaved list updates the sign-test tally; once it
 * decides, 90 % of lists show the winner alone (allocate).
 * Ground truth: the better strategy is the one whose own top-8 list at the start earns more
 * expected clicks under the same click model; equal (e.g. no relevant title in either) is a tie.
 * Reports per pairing: CTR per strategy, share of users decided and decided for the better
 * strategy, median impressions to decide; as a table and as JSON. Research data stays out of
 * the extension. Design and limits: docs/simulation.md.
 */
import { parseArgs } from 'node:util';
import { seededRandom } from '../src/shared/experiments/random.ts';
import { DEFAULT_ALS_OPTIONS } from './als.ts';
import { priorModel, trainLogistic, type LogisticModel } from '../src/shared/model/logistic.ts';
import { DEFAULT_PIPELINE_OPTIONS, prepareUser, rankCatalog } from '../src/shared/model/pipeline.ts';
import { createRng, shuffle } from '../src/shared/model/random.ts';
import { STRATEGIES, getStrategy } from '../src/shared/model/strategies/index.ts';
import { buildTitleIndex } from '../src/shared/model/title-index.ts';
import { buildCatalog, ratingEvents, ratingsFormat, readItems, readRatings, splitByUser } from './movielens.ts';
import {
  DEFAULT_CLICK_MODEL,
  DEFAULT_LOOP_OPTIONS,
  simulateUser,
  summarizeOutcomes,
  type LoopOptions,
  type LoopState,
  type PairRanker,
  type UserOutcome,
} from './simulation.ts';

const DAY = 86_400_000;
const RELEVANT_RATING = 4;

const { values: args } = parseArgs({
  options: {
    ratings: { type: 'string' },
    items: { type: 'string' },
    format: { type: 'string' },
    days: { type: 'string', default: '60' },
    users: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    pairs: { type: 'string', default: 'model:content-only,model:popular' },
    opens: { type: 'string', default: String(DEFAULT_LOOP_OPTIONS.opensPerDay) },
    'retrain-days': { type: 'string', default: String(DEFAULT_LOOP_OPTIONS.retrainDays) },
    eta: { type: 'string', default: String(DEFAULT_CLICK_MODEL.eta) },
    noise: { type: 'string', default: String(DEFAULT_CLICK_MODEL.noiseClick) },
  },
});
const usage =
  'usage: npm run simulate -- --ratings FILE [--items FILE] [--days N] [--users N|all] [--seed S] [--pairs A:B,...] ' +
  '[--opens N] [--retrain-days N] [--eta X] [--noise X]';
if (!args.ratings) {
  console.error(usage);
  process.exit(2);
}
const pairs = args.pairs.split(',').map((p) => p.split(':') as [string, string]);
for (const [a, b] of pairs) {
  if (!a || !b || !STRATEGIES[a] || !STRATEGIES[b] || a === b) {
    console.error(`unknown pairing "${a}:${b}"; strategies: ${Object.keys(STRATEGIES).join(', ')}\n${usage}`);
    process.exit(2);
  }
}
const seed = Number(args.seed);
for (const name of ['days', 'opens', 'retrain-days', 'seed'] as const) {
  if (!/^\d+$/u.test(args[name])) {
    console.error(`--${name} must be a whole number\n${usage}`);
    process.exit(2);
  }
}
if (args.users !== 'all' && !/^[1-9]\d*$/u.test(args.users)) {
  console.error(`--users must be a positive whole number or "all"\n${usage}`);
  process.exit(2);
}
const loop: Omit<LoopOptions, 'start'> = {
  ...DEFAULT_LOOP_OPTIONS,
  days: Number(args.days),
  opensPerDay: Number(args.opens),
  retrainDays: Number(args['retrain-days']),
  click: { ...DEFAULT_CLICK_MODEL, eta: Number(args.eta), noiseClick: Number(args.noise) },
};

const started = performance.now();
const format = ratingsFormat(args.ratings, args.format);
const ratings = readRatings(args.ratings, format);
const { userIds, split } = splitByUser(ratings);
const { itemIndex, catalog, alsMs } = buildCatalog(userIds, split, readItems(args.items, format), DEFAULT_ALS_OPTIONS);
const index = buildTitleIndex(catalog);

// A seeded sample of users, simulated in id order.
const simulated =
  args.users === 'all'
    ? userIds
    : shuffle([...userIds], createRng(seed))
        .slice(0, Number(args.users))
        .sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));

/** Rankings (title ids) of the named strategies by the extension's pipeline, from the user's history and popup state. */
function rankStrategies(events: ReturnType<typeof ratingEvents>, state: LoopState, strategies: readonly string[]): Map<string, string[]> {
  const prepared = prepareUser(
    { index, events, feedback: state.feedback, impressions: state.impressions, now: state.now },
    DEFAULT_PIPELINE_OPTIONS,
  );
  const prior = priorModel();
  const learned = strategies.some((s) => getStrategy(s).learned);
  const model: LogisticModel =
    learned && !prepared.coldStart ? trainLogistic(prepared.set, { ...DEFAULT_PIPELINE_OPTIONS.train, prior }) : prior;
  // The learner seeds exploration with the day, so lists move a little from one retrain to the next.
  const rank = { ...DEFAULT_PIPELINE_OPTIONS.rank, seed: (state.now / DAY) | 0 };
  return new Map(
    strategies.map((s) => [
      s,
      rankCatalog(prepared, model, { ...DEFAULT_PIPELINE_OPTIONS, strategy: s, rank }).map((item) => item.titleId),
    ]),
  );
}

const t0 = performance.now();
const strategies = [...new Set(pairs.flat())];
const outcomes: UserOutcome[][] = pairs.map(() => []);
simulated.forEach((user, u) => {
  const { train, test } = split.get(user) ?? { train: [], test: [] };
  const events = ratingEvents(train);
  const relevant = new Set(test.filter((r) => r.rating >= RELEVANT_RATING && itemIndex.has(r.item)).map((r) => r.item));
  const start = Math.max(...train.map((r) => r.at)) + DAY;
  // Every pairing starts from the same state, so the first ranking (and its training) is shared.
  const first = rankStrategies(events, { feedback: [], impressions: [], now: start }, strategies);
  pairs.forEach(([a, b], p) => {
    const rankPair: PairRanker = (state) => {
      const lists =
        state.feedback.length === 0 && state.impressions.length === 0 && state.now === start
          ? first
          : rankStrategies(events, state, [a, b]);
      return { A: lists.get(a) ?? [], B: lists.get(b) ?? [] };
    };
    // One stream per user and pairing, so a user's run does not depend on who ran before.
    const random = seededRandom((seed * 1_000_003 + u * 7919 + p * 104_729) >>> 0);
    outcomes[p]?.push(simulateUser({ id: user, relevant, rank: rankPair }, { ...loop, start }, random));
  });
});
const results = pairs.map(([a, b], p) => ({ a, b, summary: summarizeOutcomes(outcomes[p] ?? []) }));
const simMs = performance.now() - t0;

const pct = (v: number): string => `${(100 * v).toFixed(1)} %`;
console.log(
  `${ratings.length} ratings, ${userIds.length} users (${simulated.length} simulated, seed ${seed}), ${catalog.length} catalog items; ` +
    `${loop.days} days × ${loop.opensPerDay} open(s), k = ${loop.k}, retrain every ${loop.retrainDays || '∞'} days`,
);
console.log(
  `click model: examined 1/(1+rank)^${loop.click.eta}, click ${loop.click.relevantClick} if held-out rating ≥ ${RELEVANT_RATING}, ` +
    `else ${loop.click.noiseClick}; sequential test (mSPRT) α = ${loop.alpha}, ≥ ${loop.minDecisive} decisive lists; ` +
    `after deciding ${pct(1 - loop.keepTesting)} winner only`,
);
console.log(
  `ALS: ${(alsMs / 1000).toFixed(1)} s; simulation: ${(simMs / 1000).toFixed(1)} s ` +
    `(${(simMs / simulated.length / pairs.length).toFixed(0)} ms per user and pairing)`,
);
const head = [
  'A vs B',
  'CTR A',
  'CTR B',
  'CTR A (il)',
  'CTR B (il)',
  'better A/B/tie',
  'decided',
  'right|decided',
  'right|all',
  'decided|tie',
  'med. impr.',
  'med. days',
];
const rows = results.map(({ a, b, summary: s }) => [
  `${a} vs ${b}`,
  pct(s.ctr.A),
  pct(s.ctr.B),
  pct(s.interleavedCtr.A),
  pct(s.interleavedCtr.B),
  `${s.better.A}/${s.better.B}/${s.better.tie}`,
  pct(s.decided),
  pct(s.correctOfDecided),
  pct(s.correctOfAll),
  pct(s.decidedWithoutBetter),
  String(s.medianImpressionsToDecide ?? '–'),
  String(s.medianDaysToDecide ?? '–'),
]);
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)) + 2);
console.log(head.map((h, i) => (i === 0 ? h.padEnd(widths[i] as number) : h.padStart(widths[i] as number))).join(''));
for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(''));
console.log(
  JSON.stringify(
    {
      users: simulated.length,
      items: catalog.length,
      seed,
      split: { trainShare: 0.75, seed: 42 },
      relevantRating: RELEVANT_RATING,
      loop: { ...loop, caps: { ...loop.caps } },
      seconds: (performance.now() - started) / 1000,
      pairings: results.map(({ a, b, summary }) => ({ a, b, ...summary })),
    },
    null,
    2,
  ),
);
