/**
 * The Douban dev users (issue 14's evaluation): each user's reviews in date order, the first 75%
 * as engagement on the films' subject pages, and how many of the later films the top 50 holds.
 * Two ways to read those pages, with the same users, split and truth:
 *  - catalog only: the page's title line linked by the catalog's linker (what Reelflow did before
 *    it read a page's facts);
 *  - with learned titles: each page's facts (name, year, genres, region, language, as the dataset
 *    has them) learned as on the device: a subject the catalog has enriches that title, one it
 *    lacks becomes a local title, and the events link to them by the subject's id.
 * A later film counts as found when the top 50 holds the catalog title it matches (the device's own
 * matching, by name and year); a film no catalog title matches cannot be suggested either way, and
 * is counted in the denominator all the same. Research data stays out of the extension: it is read here only.
 */
import { readFileSync } from 'node:fs';
import {
  combineLinks,
  enrichTitle,
  localTitle,
  matchSubject,
  subjectsFromEvents,
  type LearnedSubject,
} from '../src/shared/catalog/learned.ts';
import { buildLinker, linkEvent } from '../src/shared/catalog/linker.ts';
import type { CatalogTitle } from '../src/shared/catalog/types.ts';
import type { StoredEvent, SubjectFacts } from '../src/shared/events.ts';
import { FEATURE_WIDTH, catalogFeatures } from '../src/shared/model/features.ts';
import { priorModel, scoreLogits, trainLogistic } from '../src/shared/model/logistic.ts';
import { DEFAULT_PIPELINE_OPTIONS, prepareUser, type PipelineOptions } from '../src/shared/model/pipeline.ts';
import { topCandidates } from '../src/shared/model/rank.ts';
import { buildTitleIndex, type TitleIndex } from '../src/shared/model/title-index.ts';
import { csvRecords } from './movielens.ts';

const TOP = 50;
const DAY = 86_400_000;

const pure: PipelineOptions = {
  ...DEFAULT_PIPELINE_OPTIONS,
  rank: { ...DEFAULT_PIPELINE_OPTIONS.rank, diversity: 0, explorationShare: 0, limit: TOP },
};

interface Movie {
  id: string;
  /** The page's title line, as Douban writes it: "公民凯恩 Citizen Kane 1941". */
  line: string;
  facts: SubjectFacts;
}

/** The dataset's films as subject pages: the name split in its Chinese and original parts; year, genres, regions, languages. */
export function readMovies(dir: string): Map<string, Movie> {
  const [head = [], ...rows] = csvRecords(readFileSync(`${dir}/movies.csv`, 'utf8'));
  const col = (name: string): number => head.indexOf(name);
  const list = (cell: string | undefined): string[] => (cell ?? '').split('|').filter((s) => s.trim() !== '');
  const out = new Map<string, Movie>();
  for (const row of rows) {
    const id = row[col('movie_id')] ?? '';
    const name = (row[col('movie_name')] ?? '').trim();
    if (!/^\d+$/.test(id) || !name) continue;
    const parts = /^(.*\p{Script=Han}\S*)\s+([^\p{Script=Han}]+)$/u.exec(name);
    const facts: SubjectFacts = { names: parts ? [parts[1] ?? '', parts[2] ?? ''] : [name], kind: 'film' };
    const year = Number.parseInt((row[col('release_times')] ?? '').slice(0, 4), 10);
    if (year >= 1870 && year <= 2200) facts.year = year;
    const genres = list(row[col('genres')]);
    if (genres.length) facts.genres = genres.slice(0, 16);
    const regions = list(row[col('producing_regions')]);
    if (regions.length) facts.regions = regions.slice(0, 8);
    const languages = list(row[col('languages')]);
    if (languages.length) facts.languages = languages.slice(0, 8);
    out.set(id, { id, line: [name, facts.year].filter(Boolean).join(' '), facts });
  }
  return out;
}

/** A review as the engagement a Douban page records: a rating of the subject, facts included when the page's are read. */
function ratingEvent(movie: Movie, stars: number, at: number, withFacts: boolean): StoredEvent {
  return {
    id: `douban:rating:${movie.id}`,
    site: 'douban',
    action: 'rating',
    at,
    receivedAt: at,
    rating: Math.min(5, Math.max(1, stars || 3)),
    target: {
      id: movie.id,
      url: `https://movie.douban.com/subject/${movie.id}/`,
      text: '',
      title: movie.line,
      hashtags: [],
      links: [],
      itemIds: [{ kind: 'douban-subject', value: movie.id }],
      lang: 'zh',
      ...(withFacts ? { facts: movie.facts } : {}),
    },
    links: [],
    removedTitleIds: [],
  };
}

/** The titles never to suggest, and those released after the user's time: the reviews are from 2021 and before, the catalog is of today. */
function notYetOut(index: TitleIndex, exclude: ReadonlySet<number>, now: number): Set<number> {
  const year = new Date(now).getUTCFullYear();
  const out = new Set(exclude);
  index.year.forEach((y, i) => {
    if (y > year) out.add(i);
  });
  return out;
}

function top(index: TitleIndex, events: StoredEvent[]): Set<string> {
  const now = Math.max(...events.map((e) => e.at)) + DAY;
  const prepared = prepareUser({ index, events, feedback: [], impressions: [], now }, pure);
  const model = prepared.coldStart ? priorModel() : trainLogistic(prepared.set, { ...pure.train, prior: priorModel() });
  const logits = scoreLogits(model, catalogFeatures(prepared.ctx), index.titles.length, FEATURE_WIDTH);
  return new Set(topCandidates(logits, notYetOut(index, prepared.exclude, now), TOP).map((i) => index.titles.at(i)?.id ?? ''));
}

export interface DoubanRow {
  /** Later films of all users. */
  later: number;
  /** Of them, those a catalog title matches (the most either method can find). */
  laterInCatalog: number;
  /** Training reviews linked to a title. */
  linked: number;
  trainReviews: number;
  /** Later films in the user's top 50. */
  hits: number;
  share: number;
}

/** Runs both methods over the dev users; prints a table and returns the figures. */
export function evalDouban(dir: string, catalog: readonly CatalogTitle[]): { users: number; catalogOnly: DoubanRow; learned: DoubanRow } {
  const movies = readMovies(dir);
  const linker = buildLinker(catalog);
  const baseIndex = buildTitleIndex(catalog);
  const byId = new Map(catalog.map((t) => [t.id, t]));
  const [head = [], ...rows] = csvRecords(readFileSync(`${dir}/reviews.csv`, 'utf8'));
  const col = (name: string): number => head.indexOf(name);
  const byUser = new Map<string, { movie: string; at: number; stars: number }[]>();
  for (const r of rows) {
    const user = r[col('user_id')] ?? '';
    const movie = r[col('movie_id')] ?? '';
    if (!user || !movies.has(movie)) continue;
    const at = Date.parse(r[col('date')] ?? '') || 0;
    byUser.set(user, [...(byUser.get(user) ?? []), { movie, at, stars: Number(r[col('stars')]) || 3 }]);
  }
  const empty = (): DoubanRow => ({ later: 0, laterInCatalog: 0, linked: 0, trainReviews: 0, hits: 0, share: 0 });
  const rowsOut = { catalogOnly: empty(), learned: empty() };
  const truthOf = (movie: Movie): string | undefined =>
    matchSubject(linker, { subjectId: movie.id, facts: movie.facts, source: 'page' })?.titleId;
  for (const reviews of byUser.values()) {
    const ordered = [...new Map(reviews.sort((a, b) => a.at - b.at).map((r) => [r.movie, r])).values()];
    const cut = Math.floor(ordered.length * 0.75);
    const train = ordered.slice(0, cut);
    const later = ordered.slice(cut).map((r) => truthOf(movies.get(r.movie) as Movie));
    for (const row of Object.values(rowsOut)) {
      row.later += later.length;
      row.laterInCatalog += later.filter(Boolean).length;
      row.trainReviews += train.length;
    }
    // Catalog only: the page's title line, linked by the catalog's linker.
    const plain = train.map((r) => {
      const event = ratingEvent(movies.get(r.movie) as Movie, r.stars, r.at, false);
      return { ...event, links: linkEvent(linker, event) };
    });
    // With learned titles: the page's facts enrich the catalog's titles or make local ones.
    const withFacts = train.map((r) => ratingEvent(movies.get(r.movie) as Movie, r.stars, r.at, true));
    const subjects = subjectsFromEvents(withFacts);
    const matched = new Map<string, LearnedSubject[]>();
    const local: CatalogTitle[] = [];
    for (const subject of subjects.values()) {
      const match = matchSubject(linker, subject);
      if (match) {
        subject.match = match;
        matched.set(match.titleId, [...(matched.get(match.titleId) ?? []), subject]);
      } else local.push(localTitle(subject));
    }
    const enriched = new Map([...matched].map(([id, list]) => [id, enrichTitle(byId.get(id) as CatalogTitle, list)]));
    const learnedTitles = [...catalog.map((t) => enriched.get(t.id) ?? t), ...local];
    const learnedLinker = buildLinker([...local, ...enriched.values()]);
    const learnedIndex = buildTitleIndex(learnedTitles);
    const linkedFacts = withFacts.map((e) => ({ ...e, links: combineLinks(linkEvent(linker, e), linkEvent(learnedLinker, e)) }));
    const sides: [DoubanRow, TitleIndex, StoredEvent[]][] = [
      [rowsOut.catalogOnly, baseIndex, plain],
      [rowsOut.learned, learnedIndex, linkedFacts],
    ];
    for (const [row, index, events] of sides) {
      const linkedEvents = events.filter((e) => e.links.some((l) => l.confidence >= 0.7));
      row.linked += linkedEvents.length;
      if (linkedEvents.length === 0) continue;
      const found = top(index, linkedEvents);
      row.hits += later.filter((id) => id !== undefined && found.has(id)).length;
      if (process.env.EVAL_DOUBAN_DEBUG && row === rowsOut.learned) debugRanks(index, linkedEvents, later);
    }
  }
  for (const row of Object.values(rowsOut)) row.share = row.hits / Math.max(1, row.later);
  const users = byUser.size;
  console.log(`Douban dev users: ${users}; time-ordered 75/25 per user; a later film counts when its catalog title is in the top ${TOP}`);
  console.log(
    `${'reading the pages'.padEnd(26)}${['linked', 'later', 'in catalog', `top ${TOP}`, 'share'].map((h) => h.padStart(12)).join('')}`,
  );
  for (const [name, row] of [
    ['catalog only', rowsOut.catalogOnly],
    ['with learned titles', rowsOut.learned],
  ] as const)
    console.log(
      `${name.padEnd(26)}${[
        `${row.linked}/${row.trainReviews}`,
        row.later,
        row.laterInCatalog,
        row.hits,
        `${(100 * row.share).toFixed(1)}%`,
      ]
        .map((v) => String(v).padStart(12))
        .join('')}`,
    );
  return { users, ...rowsOut };
}

/** With EVAL_DOUBAN_DEBUG set: where each later film ranks, and the top five, for tuning on this dev set. */
function debugRanks(index: TitleIndex, events: StoredEvent[], later: (string | undefined)[]): void {
  const now = Math.max(...events.map((e) => e.at)) + DAY;
  const prepared = prepareUser({ index, events, feedback: [], impressions: [], now }, pure);
  const model = prepared.coldStart ? priorModel() : trainLogistic(prepared.set, { ...pure.train, prior: priorModel() });
  const logits = scoreLogits(model, catalogFeatures(prepared.ctx), index.titles.length, FEATURE_WIDTH);
  const order = topCandidates(logits, notYetOut(index, prepared.exclude, now), 5000);
  const name = (i: number): string => {
    const t = index.titles.at(i);
    return `${t?.titles['zh-Hans']?.[0] ?? t?.titles.en?.[0] ?? t?.id} ${t?.year ?? ''} ${t?.kind}`;
  };
  console.log(`top: ${order.slice(0, 6).map(name).join(' | ')}`);
  for (const id of later) if (id) console.log(`  later ${name(index.byId.get(id) ?? -1)}: rank ${order.indexOf(index.byId.get(id) ?? -1)}`);
}
