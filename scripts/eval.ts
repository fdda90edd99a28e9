/**
 * Offline evaluation on a public ratings data set (issues 5 and 16):
 *   npm run eval -- --ratings FILE [--items FILE] [--format movielens-csv|movielens-100k] [--rank K]
 * Each user's ratings are their engagement history, split per user 75/25 at random (seed 42).
 * What the catalog would ship is learned from the training split only: ALS item vectors and the
 * low-rank item-item model (EASEᴿ at rank K). Each user's vector and logistic model are then fitted
 * from that user's training part alone, through the same pipeline the extension runs.
 * References in the same run: most-popular, item-kNN, BPR-MF and full-rank EASEᴿ, their
 * hyper-parameters chosen on a validation split carved from the training part (never the test part).
 * Prints P@10, R@10, F1@10, NDCG@10, MAP@10 and coverage. Research data stays out of the extension.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_ALS_OPTIONS } from './als.ts';
import { FEATURE_WIDTH, catalogFeatures } from '../src/shared/model/features.ts';
import { priorModel, scoreLogits, trainLogistic } from '../src/shared/model/logistic.ts';
import { summarize, type MetricSummary } from '../src/shared/model/metrics.ts';
import { DEFAULT_PIPELINE_OPTIONS, prepareUser, rankCatalog, type PipelineOptions } from '../src/shared/model/pipeline.ts';
import { topCandidates } from '../src/shared/model/rank.ts';
import { buildTitleIndex } from '../src/shared/model/title-index.ts';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { trainBpr } from './bpr.ts';
import { easeFactors, fitEase, quantizeRow } from './ease.ts';
import { buildCatalog, ratingEvents, ratingsFormat, readItems, readRatings, splitByUser } from './movielens.ts';
import { carveValidation, tuneBpr, tuneEase, tuneEaseFactors } from './references.ts';

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
    rank: { type: 'string' },
    json: { type: 'string' },
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

// Validation carved from each user's training part: every hyper-parameter below is chosen on it.
const trainIds = [...new Set([...split.values()].flatMap((s) => s.train.map((r) => r.item)))].sort((a, b) => Number(a) - Number(b));
const trainIndex = new Map(trainIds.map((id, i) => [id, i]));
const trainLists = userIds.map((u) => (split.get(u)?.train ?? []).map((r) => trainIndex.get(r.item) as number));
const validation = carveValidation(trainLists);
const rank = Number(args.rank ?? 192);
const tTune = performance.now();
const easeTuning = tuneEase(validation, trainIds.length);
const factorTuning = tuneEaseFactors(validation, trainIds.length, rank);
const bprTuning = tuneBpr(validation, trainIds.length);
const tuneMs = performance.now() - tTune;

// The catalog: items seen in training; ALS vectors and the item-item rows from the training split only.
const alsOptions = { ...DEFAULT_ALS_OPTIONS, ...(args.factors ? { factors: Number(args.factors) } : {}) };
let itemItemMs = 0;
const { itemIds, itemIndex, userIndex, counts, catalog, alsMs } = buildCatalog(userIds, split, items, alsOptions, (lists, n) => {
  const t = performance.now();
  const f = easeFactors(lists, n, factorTuning.chosen.lambda, rank);
  itemItemMs = performance.now() - t;
  return { k: f.k, vectors: f.vectors, scale: Float64Array.from(f.diagonal, (d) => 1 / d) };
});
const k = alsOptions.factors;
const index = buildTitleIndex(catalog);
// What the item-item rows add to a catalog file, as it ships them (int8 codes and a step per title), gzipped.
const itemItemRows = catalog.map((t) => (t.itemItem ? { scale: t.itemItem.scale, ...quantizeRow(t.itemItem.vector) } : undefined));
const per10k = (value: unknown): number => Math.round((gzipSync(JSON.stringify(value)).length / catalog.length) * 10_000);
const itemItemBytesPer10k = per10k(itemItemRows);
// The ALS vectors, at the 4 significant digits `catalog:vectors --digits 4` writes.
const vectorBytesPer10k = per10k(catalog.map((t) => t.vector?.map((x) => Number(x.toPrecision(4)))));
// The references index items as the catalog orders them (both sort the training items by id).
if (itemIds.some((id, i) => trainIndex.get(id) !== i)) throw new Error('catalog order differs from the training item order');

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
const t3 = performance.now();
const ease = fitEase(trainLists, itemIds.length, easeTuning.chosen.lambda);
const easeMs = performance.now() - t3;
const t4 = performance.now();
const bpr = trainBpr(trainLists, itemIds.length, bprTuning.chosen);
const bprMs = performance.now() - t4;

type Method = 'most-popular' | 'item-kNN' | 'BPR-MF' | 'EASE^R' | 'Reelflow' | 'Reelflow (as shipped)';
const lists: Record<Method, { ranked: string[]; relevant: Set<string> }[]> = {
  'most-popular': [],
  'item-kNN': [],
  'BPR-MF': [],
  'EASE^R': [],
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
  const top = (scores: Float32Array | Float64Array): string[] => topCandidates(scores, seen, K).map((i) => itemIds[i] as string);
  lists['most-popular'].push({ ranked: top(counts), relevant });

  const knnScores = new Float32Array(itemIds.length);
  for (const i of seen)
    for (let r = 0; r < 50; r += 1) {
      const j = knn.ids[i * 50 + r] as number;
      if (j >= 0) knnScores[j] = (knnScores[j] as number) + (knn.sims[i * 50 + r] as number);
    }
  lists['item-kNN'].push({ ranked: top(knnScores), relevant });
  const u = userIndex.get(user) as number;
  lists['BPR-MF'].push({ ranked: top(bpr.score(u)), relevant });
  lists['EASE^R'].push({ ranked: top(ease.score([...seen])), relevant });

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
const tuned = <T>(t: { tried: { setting: T; ndcg: number }[] }, label: (s: T) => string): string =>
  t.tried.map((x) => `${label(x.setting)} ${x.ndcg.toFixed(4)}`).join(', ');
console.log(
  `${ratings.length} ratings, ${userIds.length} users (${evalUsers.length} evaluated), ${itemIds.length} catalog items; ` +
    `split 75/25 per user, seed 42; k = ${K}; validation: ${validation.share * 100}% of each training part ` +
    `(users with ≥ 4), seed ${validation.seed}`,
);
console.log(`tuning on validation NDCG@10 (${(tuneMs / 1000).toFixed(1)} s):`);
console.log(`  EASE^R λ = ${easeTuning.chosen.lambda}  [${tuned(easeTuning, (s) => `λ ${s.lambda}`)}]`);
console.log(
  `  item-item rows (EASE^R rank ${factorTuning.chosen.rank}) λ = ${factorTuning.chosen.lambda}  ` +
    `[${tuned(factorTuning, (s) => `λ ${s.lambda}`)}]`,
);
const b = bprTuning.chosen;
console.log(
  `  BPR-MF ${b.factors} factors, lr ${b.learningRate}, reg ${b.reg}, ${b.epochs} epochs, seed ${b.seed}  ` +
    `[${tuned(bprTuning, (s) => `reg ${s.reg}/${s.epochs} ep`)}]`,
);
console.log(
  `ALS ${k} factors × ${alsOptions.iterations} iterations: ${(alsMs / 1000).toFixed(1)} s; ` +
    `item-item rows: ${(itemItemMs / 1000).toFixed(1)} s; item-kNN: ${(knnMs / 1000).toFixed(1)} s; ` +
    `EASE^R: ${(easeMs / 1000).toFixed(1)} s (${ease.via}); BPR-MF: ${(bprMs / 1000).toFixed(1)} s; ` +
    `Reelflow per user: ${perUserMs.toFixed(1)} ms`,
);
console.log(`${pad('method', 24)}${['P@10', 'R@10', 'F1@10', 'NDCG@10', 'MAP@10', 'coverage'].map((h) => h.padStart(10)).join('')}`);
for (const [name, m] of Object.entries(results)) {
  console.log(`${pad(name, 24)}${[m.precision, m.recall, m.f1, m.ndcg, m.map, m.coverage].map((v) => v.toFixed(4).padStart(10)).join('')}`);
}
console.log(
  `catalog item knowledge per 10,000 titles, gzipped: item-item rows (rank ${rank}, int8) ` +
    `${(itemItemBytesPer10k / 1e6).toFixed(2)} MB (budget 2 MB); ` +
    `ALS vectors (${k} factors, 4 digits) ${(vectorBytesPer10k / 1e6).toFixed(2)} MB`,
);
const ratio = (a: Method, b: Method): number => results[a].ndcg / results[b].ndcg;
console.log(
  `NDCG@10: Reelflow / EASE^R = ${ratio('Reelflow', 'EASE^R').toFixed(3)}×; ` +
    `as shipped / Reelflow = ${ratio('Reelflow (as shipped)', 'Reelflow').toFixed(3)}×`,
);
const report = {
  k: K,
  users: evalUsers.length,
  items: itemIds.length,
  seed: 42,
  validation: { seed: validation.seed, share: validation.share },
  als: alsOptions,
  tuning: { ease: easeTuning, itemItem: factorTuning, bpr: bprTuning },
  itemItemRank: rank,
  itemItemBytesPer10k,
  vectorBytesPer10k,
  seconds: (performance.now() - started) / 1000,
  results,
};
console.log(JSON.stringify(report, null, 2));
if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2));
