/**
 * Offline evaluation on a public ratings data set (issue 5):
 *   npm run eval -- --ratings FILE [--items FILE] [--format movielens-csv|movielens-100k]
 * Each user's ratings are their engagement history, split per user 75/25 at random (seed 42).
 * Item vectors come from implicit ALS on the training split only; each user's vector and
 * logistic model are then fitted from that user's training part alone, through the same
 * pipeline the extension runs. Prints P@10, R@10, F1@10, NDCG@10, MAP@10 and coverage for
 * most-popular, item-kNN and Reelflow. Research data stays out of the extension.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_ALS_OPTIONS } from './als.ts';
import { FEATURE_WIDTH, catalogFeatures } from '../src/shared/model/features.ts';
import { priorModel, scoreLogits, trainLogistic } from '../src/shared/model/logistic.ts';
import { summarize, type MetricSummary } from '../src/shared/model/metrics.ts';
import { DEFAULT_PIPELINE_OPTIONS, prepareUser, rankCatalog, type PipelineOptions } from '../src/shared/model/pipeline.ts';
import { topCandidates } from '../src/shared/model/rank.ts';
import { buildTitleIndex } from '../src/shared/model/title-index.ts';
import { buildCatalog, ratingEvents, ratingsFormat, readItems, readRatings, splitByUser } from './movielens.ts';

const K = 10;
const { values: args } = parseArgs({
  options: {
    ratings: { type: 'string' },
    items: { type: 'string' },
    format: { type: 'string' },
    users: { type: 'string' },
    factors: { type: 'string' },
    catalog: { type: 'string' },
    douban: { type: 'string' },
  },
});
if (args.catalog === 'default') {
  if (!args.ratings || !args.items) {
    console.error('usage: npm run eval -- --catalog default --ratings ratings.csv --items movies.csv [--douban DIR] [--users N]');
    process.exit(2);
  }
  const { evalDefaultCatalog } = await import('./eval-default.ts');
  evalDefaultCatalog({
    ratings: args.ratings,
    items: args.items,
    ...(args.users ? { users: Number(args.users) } : {}),
    ...(args.douban ? { douban: args.douban } : {}),
  });
  process.exit(0);
}
if (!args.ratings) {
  console.error('usage: npm run eval -- --ratings FILE [--items FILE] [--format movielens-csv|movielens-100k] [--users N]');
  process.exit(2);
}
const format = ratingsFormat(args.ratings, args.format);

const started = performance.now();
const ratings = readRatings(args.ratings, format);
const items = readItems(args.items, format);

// Per-user 75/25 random split, seed 42, users in a fixed order.
const { userIds, split } = splitByUser(ratings);
const evalUsers = args.users ? userIds.slice(0, Number(args.users)) : userIds;

// The catalog: items seen in training; their vectors from ALS on the training split only.
const alsOptions = { ...DEFAULT_ALS_OPTIONS, ...(args.factors ? { factors: Number(args.factors) } : {}) };
const { itemIds, itemIndex, userIndex, counts, catalog, alsMs } = buildCatalog(userIds, split, items, alsOptions);
const k = alsOptions.factors;
const index = buildTitleIndex(catalog);

// Item-kNN: cosine over co-occurrence in the training split, 50 neighbours per item.
function itemKnn(neighbours = 50): { ids: Int32Array; sims: Float32Array } {
  const n = itemIds.length;
  const usersOf: number[][] = Array.from({ length: n }, () => []);
  const itemsOf = new Map<string, number[]>();
  for (const [user, { train }] of split)
    itemsOf.set(
      user,
      train.map((r) => itemIndex.get(r.item) as number),
    );
  for (const [user, list] of itemsOf) for (const i of list) usersOf[i]?.push(userIndex.get(user) as number);
  const userLists = userIds.map((u) => itemsOf.get(u) ?? []);
  const ids = new Int32Array(n * neighbours).fill(-1);
  const sims = new Float32Array(n * neighbours);
  const co = new Float32Array(n);
  for (let i = 0; i < n; i += 1) {
    co.fill(0);
    for (const u of usersOf[i] ?? []) for (const j of userLists[u] ?? []) co[j] = (co[j] as number) + 1;
    co[i] = 0;
    for (let j = 0; j < n; j += 1)
      if ((co[j] as number) > 0) co[j] = (co[j] as number) / Math.sqrt((counts[i] as number) * (counts[j] as number));
    topCandidates(co, new Set(), neighbours).forEach((j, r) => {
      ids[i * neighbours + r] = j;
      sims[i * neighbours + r] = co[j] as number;
    });
  }
  return { ids, sims };
}
const t1 = performance.now();
const knn = itemKnn();
const knnMs = performance.now() - t1;

type Method = 'most-popular' | 'item-kNN' | 'Reelflow' | 'Reelflow (as shipped)';
const lists: Record<Method, { ranked: string[]; relevant: Set<string> }[]> = {
  'most-popular': [],
  'item-kNN': [],
  Reelflow: [],
  'Reelflow (as shipped)': [],
};
// Scored by pure score order; "as shipped" adds the popup's diversity re-rank and exploration share.
const pure: PipelineOptions = {
  ...DEFAULT_PIPELINE_OPTIONS,
  rank: { ...DEFAULT_PIPELINE_OPTIONS.rank, diversity: 0, explorationShare: 0, limit: K },
};
const shipped: PipelineOptions = { ...DEFAULT_PIPELINE_OPTIONS, rank: { ...DEFAULT_PIPELINE_OPTIONS.rank, limit: K } };
const t2 = performance.now();
for (const user of evalUsers) {
  const { train, test } = split.get(user) ?? { train: [], test: [] };
  const seen = new Set(train.map((r) => itemIndex.get(r.item) as number));
  const relevant = new Set(test.map((r) => r.item));
  lists['most-popular'].push({ ranked: topCandidates(counts, seen, K).map((i) => itemIds[i] as string), relevant });

  const knnScores = new Float32Array(itemIds.length);
  for (const i of seen)
    for (let r = 0; r < 50; r += 1) {
      const j = knn.ids[i * 50 + r] as number;
      if (j >= 0) knnScores[j] = (knnScores[j] as number) + (knn.sims[i * 50 + r] as number);
    }
  lists['item-kNN'].push({ ranked: topCandidates(knnScores, seen, K).map((i) => itemIds[i] as string), relevant });

  // The user's ratings as engagement events, linked to their titles, as the linker would.
  const events = ratingEvents(train);
  const now = Math.max(...train.map((r) => r.at)) + 86_400_000;
  const prepared = prepareUser({ index, events, feedback: [], impressions: [], now }, pure);
  const model = trainLogistic(prepared.set, { ...pure.train, prior: priorModel() });
  const x = catalogFeatures(prepared.ctx);
  const logits = scoreLogits(model, x, itemIds.length, FEATURE_WIDTH);
  lists.Reelflow.push({ ranked: topCandidates(logits, prepared.exclude, K).map((i) => itemIds[i] as string), relevant });
  lists['Reelflow (as shipped)'].push({ ranked: rankCatalog(prepared, model, shipped).map((item) => item.titleId), relevant });
}
const perUserMs = (performance.now() - t2) / evalUsers.length;

const results = Object.fromEntries(Object.entries(lists).map(([name, l]) => [name, summarize(l, itemIds.length, K)])) as Record<
  Method,
  MetricSummary
>;
const pad = (s: string, n: number): string => s.padEnd(n);
console.log(
  `${ratings.length} ratings, ${userIds.length} users (${evalUsers.length} evaluated), ${itemIds.length} catalog items; ` +
    `split 75/25 per user, seed 42; k = ${K}`,
);
console.log(
  `ALS ${k} factors × ${alsOptions.iterations} iterations: ${(alsMs / 1000).toFixed(1)} s; ` +
    `item-kNN: ${(knnMs / 1000).toFixed(1)} s; Reelflow per user: ${perUserMs.toFixed(1)} ms`,
);
console.log(`${pad('method', 24)}${['P@10', 'R@10', 'F1@10', 'NDCG@10', 'MAP@10', 'coverage'].map((h) => h.padStart(10)).join('')}`);
for (const [name, m] of Object.entries(results)) {
  console.log(`${pad(name, 24)}${[m.precision, m.recall, m.f1, m.ndcg, m.map, m.coverage].map((v) => v.toFixed(4).padStart(10)).join('')}`);
}
console.log(
  JSON.stringify(
    {
      k: K,
      users: evalUsers.length,
      items: itemIds.length,
      seed: 42,
      als: alsOptions,
      seconds: (performance.now() - started) / 1000,
      results,
    },
    null,
    2,
  ),
);
