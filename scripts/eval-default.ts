/**
 * `npm run eval -- --catalog default --ratings FILE --items FILE [--douban DIR]`: what a user of
 * the default catalog gets. Each rated MovieLens film is mapped to the shipped catalog by title
 * and year (the mapped share is printed) and the rest are dropped; nothing learned from the
 * ratings is used, only what the catalog ships (no item vectors). Per user, 75/25 at random
 * (seed 42): Reelflow's pipeline, the catalog's popularity prior alone, and most-popular counted
 * on the training split (a reference that uses data Reelflow does not ship). With --douban, the 22
 * users of the Douban dev reviews: the share of each one's later films (time-ordered 75/25) in the
 * top 50. Research data stays out of the extension: it is read here only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { foldName } from '../src/shared/catalog/fold.ts';
import { parseCatalog } from '../src/shared/catalog/schema.ts';
import { TITLE_LANGS, type CatalogTitle } from '../src/shared/catalog/types.ts';
import type { StoredEvent } from '../src/shared/events.ts';
import { FEATURE_WIDTH, catalogFeatures } from '../src/shared/model/features.ts';
import { priorModel, scoreLogits, trainLogistic } from '../src/shared/model/logistic.ts';
import { summarize, type MetricSummary } from '../src/shared/model/metrics.ts';
import { DEFAULT_PIPELINE_OPTIONS, prepareUser, type PipelineOptions } from '../src/shared/model/pipeline.ts';
import { topCandidates } from '../src/shared/model/rank.ts';
import { buildTitleIndex } from '../src/shared/model/title-index.ts';
import { movielensNames } from './catalog/movielens-check.ts';
import { evalDouban } from './eval-douban.ts';
import { csvRecords, readItems, readRatings, splitByUser, type Rating } from './movielens.ts';

const K = 10;

/** The shipped default catalog. */
function defaultCatalog(): CatalogTitle[] {
  const parsed = parseCatalog(gunzipSync(readFileSync('public/catalog/default-catalog.json.gz')).toString('utf8'));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.catalog.titles;
}

/** Maps films by name and year to catalog titles: the same year, else one year off, else the only yearless title of that name. */
export function titleMapper(titles: readonly CatalogTitle[]): (names: string[], year: number | undefined) => string | undefined {
  const byName = new Map<string, CatalogTitle[]>();
  for (const t of titles) {
    if (t.kind === 'series' || t.kind === 'anime-series' || t.kind === 'variety') continue;
    const names = new Set([...TITLE_LANGS.flatMap((l) => t.titles[l] ?? []), ...t.aliases].map(foldName));
    for (const n of names) if (n) byName.set(n, [...(byName.get(n) ?? []), t]);
  }
  return (names, year) => {
    const all = [...new Set(names.flatMap((n) => byName.get(foldName(n)) ?? []))];
    const within = (d: number): CatalogTitle[] =>
      all.filter((t) => year !== undefined && t.year !== undefined && Math.abs(t.year - year) === d);
    for (const found of [within(0), within(1), all.filter((t) => t.year === undefined)]) if (found.length === 1) return found[0]?.id;
    return undefined;
  };
}

/** A user's training ratings as engagement events on their mapped titles (as confirmed links). */
function events(ratings: readonly Rating[], titleOf: Map<string, string>): StoredEvent[] {
  return ratings.flatMap((r) => {
    const titleId = titleOf.get(r.item);
    if (!titleId) return [];
    const event: StoredEvent = {
      site: 'douban',
      action: 'rating',
      at: r.at,
      rating: Math.min(5, Math.max(1, Math.round(r.rating))),
      target: { id: `ml-${r.item}`, url: `https://movie.douban.com/subject/${r.item}/`, text: '', hashtags: [], links: [], itemIds: [] },
      id: `douban:rating:ml-${r.item}`,
      receivedAt: r.at,
      links: [{ titleId, confidence: 1, reason: 'rating', source: 'user' }],
      removedTitleIds: [],
    };
    return [event];
  });
}

const pure: PipelineOptions = {
  ...DEFAULT_PIPELINE_OPTIONS,
  rank: { ...DEFAULT_PIPELINE_OPTIONS.rank, diversity: 0, explorationShare: 0, limit: K },
};

/** Reelflow's ranking of the whole catalog for one user's events, best first, engaged titles left out. */
function reelflowTop(index: ReturnType<typeof buildTitleIndex>, userEvents: StoredEvent[], n: number): number[] {
  const now = Math.max(...userEvents.map((e) => e.at)) + 86_400_000;
  const prepared = prepareUser({ index, events: userEvents, feedback: [], impressions: [], now }, pure);
  const model = prepared.coldStart ? priorModel() : trainLogistic(prepared.set, { ...pure.train, prior: priorModel() });
  const logits = scoreLogits(model, catalogFeatures(prepared.ctx), index.titles.length, FEATURE_WIDTH);
  return topCandidates(logits, prepared.exclude, n);
}

/** Runs the evaluation and prints its table and JSON. */
export function evalDefaultCatalog(args: { ratings: string; items: string; users?: number; douban?: string }): void {
  const started = performance.now();
  const titles = defaultCatalog();
  const index = buildTitleIndex(titles);
  const mapTitle = titleMapper(titles);
  const ratings = readRatings(args.ratings, 'movielens-csv');
  const items = readItems(args.items, 'movielens-csv');
  const rawTitles = new Map(
    csvRecords(readFileSync(args.items, 'utf8'))
      .slice(1)
      .map(([id, title]) => [id ?? '', title ?? '']),
  );
  const titleOf = new Map<string, string>();
  for (const [id] of items) {
    const { names, year } = movielensNames(rawTitles.get(id) ?? '');
    const mapped = mapTitle(names, year);
    if (mapped) titleOf.set(id, mapped);
  }
  const rated = new Set(ratings.map((r) => r.item));
  const mappedRated = [...rated].filter((id) => titleOf.has(id)).length;
  const kept = ratings.filter((r) => titleOf.has(r.item));
  const { userIds, split } = splitByUser(kept);
  const users = args.users ? userIds.slice(0, args.users) : userIds;

  // Most-popular from the training split: a reference with knowledge Reelflow does not ship.
  const counts = new Float32Array(titles.length);
  for (const [, { train }] of split)
    for (const r of train) {
      const i = index.byId.get(titleOf.get(r.item) ?? '');
      if (i !== undefined) counts[i] = (counts[i] as number) + 1;
    }
  const prior = Float32Array.from(titles, (t) => t.popularity);

  type Method = 'Reelflow' | 'prior alone' | 'most-popular (training split)';
  const lists: Record<Method, { ranked: string[]; relevant: Set<string> }[]> = {
    Reelflow: [],
    'prior alone': [],
    'most-popular (training split)': [],
  };
  for (const user of users) {
    const { train, test } = split.get(user) ?? { train: [], test: [] };
    if (train.length === 0 || test.length === 0) continue;
    const seen = new Set(train.map((r) => index.byId.get(titleOf.get(r.item) ?? '') ?? -1));
    const relevant = new Set(test.map((r) => titleOf.get(r.item) ?? ''));
    const ids = (list: number[]): string[] => list.map((i) => titles[i]?.id ?? '');
    lists.Reelflow.push({ ranked: ids(reelflowTop(index, events(train, titleOf), K)), relevant });
    lists['prior alone'].push({ ranked: ids(topCandidates(prior, seen, K)), relevant });
    lists['most-popular (training split)'].push({ ranked: ids(topCandidates(counts, seen, K)), relevant });
  }
  const results = Object.fromEntries(Object.entries(lists).map(([name, l]) => [name, summarize(l, titles.length, K)])) as Record<
    Method,
    MetricSummary
  >;
  console.log(
    `default catalog: ${titles.length} titles; MovieLens: ${rated.size} rated films, ${mappedRated} mapped by title and year ` +
      `(${((100 * mappedRated) / rated.size).toFixed(1)}%), ${kept.length} of ${ratings.length} ratings kept; ` +
      `${lists.Reelflow.length} users, split 75/25 per user at random, seed 42; k = ${K}; no item vectors`,
  );
  console.log(`${'method'.padEnd(32)}${['P@10', 'R@10', 'NDCG@10'].map((h) => h.padStart(10)).join('')}`);
  for (const [name, m] of Object.entries(results))
    console.log(`${name.padEnd(32)}${[m.precision, m.recall, m.ndcg].map((v) => v.toFixed(4).padStart(10)).join('')}`);
  const r = results.Reelflow.ndcg;
  console.log(
    `Reelflow ÷ prior alone (NDCG@10): ${(r / results['prior alone'].ndcg).toFixed(2)}; ` +
      `Reelflow ÷ most-popular (training split): ${(r / results['most-popular (training split)'].ndcg).toFixed(2)}`,
  );
  const douban = args.douban && existsSync(`${args.douban}/reviews.csv`) ? evalDouban(args.douban, titles) : undefined;
  console.log(
    JSON.stringify({
      catalog: 'default',
      mappedShare: mappedRated / rated.size,
      results,
      douban,
      seconds: (performance.now() - started) / 1000,
    }),
  );
}
