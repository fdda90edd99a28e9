import { describe, expect, it } from 'vitest';
import type { CatalogTitle } from '../../../src/shared/catalog/types.ts';
import type { StoredEvent } from '../../../src/shared/events.ts';
import type { Reason, RankedItem } from '../../../src/shared/suggestions.ts';
import { FEATURE_INDEX, FEATURE_WIDTH, catalogFeatures, type UserContext } from '../../../src/shared/model/features.ts';
import { priorModel, probability, scoreLogits, trainLogistic, type LogisticModel } from '../../../src/shared/model/logistic.ts';
import {
  DEFAULT_PIPELINE_OPTIONS,
  logitUncertainty,
  prepareUser,
  rankCatalog,
  type PipelineOptions,
  type PreparedUser,
} from '../../../src/shared/model/pipeline.ts';
import { facetShare } from '../../../src/shared/model/profile.ts';
import { createRng, normal } from '../../../src/shared/model/random.ts';
import { topCandidates } from '../../../src/shared/model/rank.ts';
import { seriesKeys } from '../../../src/shared/model/series.ts';
import { explain, sameSeriesName } from '../../../src/shared/model/reasons.ts';
import { getStrategy } from '../../../src/shared/model/strategies/index.ts';
import { buildTitleIndex, type TitleIndex } from '../../../src/shared/model/title-index.ts';
import { linkedEvent } from '../../fixtures/catalog.ts';

/*
 * The ranking path is written for speed (issue 16): lists laid end to end, u·v four titles at a
 * time, recency looked up by age, candidates before the exclusion set, uncertainty only for the
 * candidates, reasons' folded names and words kept by title object. This file holds it to the
 * straightforward way of computing the same thing, bit for bit, on a seeded catalog.
 */

const NOW = Date.UTC(2025, 5, 1);
const DAY = 86_400_000;
const GENRES = ['sci-fi', 'drama', 'comedy', 'romance', 'action', 'fantasy', 'horror', 'mystery'];
const KINDS: CatalogTitle['kind'][] = ['film', 'series', 'anime-series', 'anime-film', 'variety', 'documentary'];
const WORDS = ['星', '海', '城', '夜', '梦', 'light', 'dark', 'river', 'king', 'moon', 'Iron', 'Man'];

/** A seeded catalog with the awkward cases: series names, no year, a year far back or ahead, odd years, no vector, tied popularity. */
function seededCatalog(n: number, seed: number): CatalogTitle[] {
  const rng = createRng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
  const yearOf = (i: number): number | undefined => {
    if (i % 37 === 0) return undefined;
    if (i % 41 === 0) return 1600 + i; // older than the recency table
    if (i % 43 === 0) return 2031; // ahead of the clock
    if (i % 47 === 0) return 1999.5; // not a whole year
    return 1960 + Math.floor(rng() * 65);
  };
  return Array.from({ length: n }, (_, i): CatalogTitle => {
    const year = yearOf(i);
    const en = i % 50 === 0 ? 'Iron Man' : i % 50 === 1 ? `Iron Man ${i}` : `${pick(WORDS)} ${pick(WORDS)} ${i}`;
    const zh = i % 60 === 0 ? '进击的巨人' : i % 60 === 1 ? '进击的巨人 最终季' : `${pick(WORDS)}${pick(WORDS)}${pick(WORDS)}`;
    return {
      id: `t${i}`,
      kind: pick(KINDS),
      titles: { en: [en], 'zh-Hans': [zh] },
      aliases: i % 9 === 0 ? [`${pick(WORDS)}${i}`] : [],
      hashtags: i % 11 === 0 ? [`#${pick(WORDS)}Tag`] : [],
      ...(year === undefined ? {} : { year }),
      genres: Array.from({ length: i % 4 }, () => pick(GENRES)),
      people: Array.from({ length: i % 3 }, () => `person${Math.floor(rng() * 40)}`),
      directors: i % 5 === 0 ? [`person${i % 40}`] : [],
      externalIds: {},
      watch: [],
      popularity: i % 13 === 0 ? 0.25 : rng() ** 3,
      ...(i % 29 === 0 ? { popularityKnown: false } : {}),
      ...(i % 31 === 0 ? {} : { vector: Array.from({ length: 9 }, () => (rng() - 0.5) * 0.6) }),
    };
  });
}

function seededUser(index: TitleIndex, seed: number): { prepared: PreparedUser; model: LogisticModel } {
  const rng = createRng(seed);
  const events: StoredEvent[] = Array.from({ length: 40 }, (_, e) => {
    const title = index.titles.at(Math.floor(rng() * index.titles.length)) as CatalogTitle;
    const event = linkedEvent(
      title.id,
      { at: NOW - e * DAY, action: e % 4 === 0 ? 'share' : e % 4 === 1 ? 'comment' : 'like' },
      `${title.titles.en?.[0] ?? ''} ${WORDS[e % WORDS.length]} 好看`,
    );
    return e % 5 === 0 ? { ...event, target: { ...event.target, hashtags: [`#${WORDS[e % WORDS.length]}Tag`] } } : event;
  });
  const impressions = Array.from({ length: 30 }, (_, e) => ({ titleId: `t${e * 7}`, at: NOW - (e + 1) * DAY }));
  const prepared = prepareUser({ index, events, feedback: [], impressions, now: NOW });
  const model = trainLogistic(prepared.set, { ...DEFAULT_PIPELINE_OPTIONS.train, prior: priorModel() });
  return { prepared, model };
}

/** The list, vector and recency columns of catalogFeatures, one title at a time from its own arrays. */
function referenceColumns(ctx: UserContext, i: number): Partial<Record<keyof typeof FEATURE_INDEX, number>> {
  const { index, profile } = ctx;
  const f32 = Math.fround;
  let text = 0;
  if (ctx.textNorm > 1e-12) {
    const doc = index.text.at(i);
    for (let j = 0; j < (doc?.indices.length ?? 0); j += 1)
      text += (doc?.values[j] as number) * (profile.text[doc?.indices[j] as number] as number);
    text *= 1 / ctx.textNorm;
  }
  const genres = [...(index.genreIds.at(i) ?? [])];
  let genre = 0;
  for (const g of genres) genre += f32(facetShare(profile, 'genre', index.vocab.genre[g] as string));
  if (genres.length > 0) genre /= Math.sqrt(genres.length);
  let people = 0;
  for (const p of index.peopleIds.at(i) ?? []) people += f32(facetShare(profile, 'people', index.vocab.people[p] as string));
  let tag = 0;
  for (const t of index.tagIds.at(i) ?? []) tag += f32(Math.max(0, profile.facets.hashtag.weights.get(index.vocab.tag[t] as string) ?? 0));
  let collab = 0;
  const u = ctx.user?.u;
  if (u && index.vectors) for (let j = 0; j < index.k; j += 1) collab += (index.vectors[i * index.k + j] as number) * (u[j] as number);
  const year = index.year[i] as number;
  const finite = (v: number): number => (Number.isFinite(f32(v)) ? f32(v) : 0);
  return {
    text: finite(text),
    genre: finite(Math.min(1.5, genre)),
    people: finite(Math.min(1, people)),
    hashtag: finite(1 - Math.exp(-tag)),
    collab: finite(Math.max(-1, Math.min(2, collab))),
    recency: finite(Number.isFinite(year) ? Math.exp(-Math.max(0, ctx.currentYear - year) / 8) : 0),
  };
}

/** Candidates by sorting every title: best logit first, ties in catalog order. */
function referenceCandidates(logits: Float32Array, exclude: ReadonlySet<number>, size: number): number[] {
  return [...logits.keys()]
    .filter((i) => Number.isFinite(logits[i]) && !exclude.has(i))
    .sort((a, b) => (logits[b] as number) - (logits[a] as number) || a - b)
    .slice(0, Math.max(0, size));
}

/** rankCatalog the straightforward way: every title's uncertainty in a table, a full sort, the re-rank over plain arrays. */
function referenceRanking(prepared: PreparedUser, trained: LogisticModel, options: PipelineOptions): RankedItem[] {
  const { ctx, exclude } = prepared;
  const { index } = ctx;
  const n = index.titles.length;
  const strategy = getStrategy(options.strategy);
  const model = strategy.model(trained);
  const x = catalogFeatures(ctx);
  const logits = scoreLogits(model, x, n, FEATURE_WIDTH);
  let uncertainty: Float32Array | undefined;
  if (strategy.learned && model.variance) {
    uncertainty = new Float32Array(n);
    for (let i = 0; i < n; i += 1) {
      let s = 0;
      for (let j = 0; j < FEATURE_WIDTH; j += 1) s += (x[i * FEATURE_WIDTH + j] as number) ** 2 * (model.variance[j] as number);
      uncertainty[i] = Math.sqrt(s);
    }
  }
  const { rank } = options;
  const pool = referenceCandidates(logits, exclude, rank.poolSize);
  if (pool.length === 0) return [];
  const limit = Math.min(rank.limit, pool.length);
  const explore = uncertainty ? Math.round(limit * Math.min(1, Math.max(0, rank.explorationShare))) : 0;
  const exploreAt = new Set<number>();
  for (let e = 0; e < explore; e += 1) exploreAt.add(Math.min(limit - 1, Math.floor(((e + 1) * limit) / (explore + 1))));
  const rng = createRng(rank.seed);
  const bestLogit = logits[pool[0] as number] as number;
  const picked: { item: number; exploration: boolean }[] = [];
  const kinds = new Map<string, number>();
  const genres = new Map<string, number>();
  const keyCache = new Map<number, string[]>();
  const keysOf = (item: number): string[] => {
    if (!keyCache.has(item)) keyCache.set(item, seriesKeys(index.titles.at(item) as CatalogTitle));
    return keyCache.get(item) ?? [];
  };
  while (picked.length < limit) {
    const left = pool.filter((item) => !picked.some((p) => p.item === item));
    let choice: { item: number; exploration: boolean } | undefined;
    if (exploreAt.has(picked.length) && uncertainty) {
      let top = -Infinity;
      for (const item of left) {
        const draw = (logits[item] as number) + (uncertainty[item] as number) * normal(rng);
        if (draw > top) [top, choice] = [draw, { item, exploration: true }];
      }
    }
    if (!choice) {
      let top = -Infinity;
      const inv = 1 / (picked.length + 1);
      for (const item of left) {
        const genrePenalty = Math.max(0, ...(index.genres.at(item) ?? []).map((g) => genres.get(g) ?? 0));
        // Odds relative to the best; a kind or genre is penalised for its share of the picks past a third.
        const relative = Math.exp((logits[item] as number) - bestLogit);
        const past = (count: number): number => Math.max(0, count * inv - 1 / 3);
        // Each pick of the same franchise costs a full unit of diversity.
        const keys = keysOf(item);
        const repeats = Math.max(0, ...keys.map((key) => picked.filter((p) => keysOf(p.item).includes(key)).length));
        const value =
          relative - rank.diversity * (0.5 * past(kinds.get(index.kind[item] as string) ?? 0) + 0.5 * past(genrePenalty) + repeats);
        if (value > top) [top, choice] = [value, { item, exploration: false }];
      }
    }
    if (!choice) break;
    picked.push(choice);
    kinds.set(index.kind[choice.item] as string, (kinds.get(index.kind[choice.item] as string) ?? 0) + 1);
    for (const g of index.genres.at(choice.item) ?? []) genres.set(g, (genres.get(g) ?? 0) + 1);
  }
  return picked.map(({ item, exploration }) => {
    const reasons: Reason[] = explain(ctx, model, item, x, item * FEATURE_WIDTH);
    if (exploration)
      reasons.push({ phrase: { key: 'reasonExplore', substitutions: [] }, weight: 0, eventIds: [], claim: { relation: 'explore' } });
    return {
      titleId: index.titles.at(item)?.id ?? '',
      score: probability(logits[item] as number),
      strategy: strategy.name,
      reasons,
      exploration,
    };
  });
}

/** sameSeriesName folding every name at every call, as it did before it kept them. */
function referenceSeries(a: CatalogTitle, b: CatalogTitle): string | undefined {
  const forms = (t: CatalogTitle): string[] =>
    Object.values(t.titles)
      .flat()
      .map((name) =>
        name
          .normalize('NFKC')
          .toLowerCase()
          .replace(/[^\p{L}\p{N}]+/gu, ''),
      );
  for (const x of forms(a))
    for (const y of forms(b)) {
      const [short, long] = x.length <= y.length ? [x, y] : [y, x];
      const enough = /\p{Script=Han}/u.test(short) ? short.length >= 3 : short.length >= 6;
      if (enough && short !== long && long.startsWith(short)) return short;
    }
  return undefined;
}

describe('the fast ranking path against the straightforward one', () => {
  const index = buildTitleIndex(seededCatalog(1500, 7));
  const { prepared, model } = seededUser(index, 14);

  it('lays every title list end to end, each title its own run', () => {
    const { flat } = index;
    for (let i = 0; i < index.titles.length; i += 1) {
      const run = <T extends ArrayLike<number>>(offsets: Uint32Array, all: { slice(a: number, b: number): T }): number[] =>
        Array.from(all.slice(offsets[i] as number, offsets[i + 1] as number));
      expect(run(flat.textOffsets, flat.textIndices)).toEqual([...(index.text.at(i)?.indices ?? [])]);
      expect(run(flat.textOffsets, flat.textValues)).toEqual([...(index.text.at(i)?.values ?? [])]);
      expect(run(flat.genreOffsets, flat.genreIds)).toEqual([...(index.genreIds.at(i) ?? [])]);
      expect(run(flat.peopleOffsets, flat.peopleIds)).toEqual([...(index.peopleIds.at(i) ?? [])]);
      expect(run(flat.tagOffsets, flat.tagIds)).toEqual([...(index.tagIds.at(i) ?? [])]);
    }
  });

  it('catalogFeatures computes the list, vector and recency columns bit for bit as one title at a time', () => {
    const x = catalogFeatures(prepared.ctx);
    expect(prepared.ctx.user).toBeDefined();
    let hashtags = 0;
    for (let i = 0; i < index.titles.length; i += 1) {
      for (const [name, value] of Object.entries(referenceColumns(prepared.ctx, i))) {
        const got = x[i * FEATURE_WIDTH + FEATURE_INDEX[name as keyof typeof FEATURE_INDEX]];
        expect(Object.is(got, value), `title ${i} ${name}: ${got} vs ${value}`).toBe(true);
      }
      if ((x[i * FEATURE_WIDTH + FEATURE_INDEX.hashtag] as number) > 0) hashtags += 1;
    }
    expect(hashtags).toBeGreaterThan(0);
  });

  it('topCandidates keeps what a full sort keeps, ties in catalog order, without the excluded or non-finite', () => {
    const rng = createRng(3);
    const logits = Float32Array.from({ length: 3000 }, (_, i) =>
      i % 97 === 0 ? Number.NaN : i % 89 === 0 ? -Infinity : Math.round(rng() * 40) / 4,
    );
    const exclude = new Set(Array.from({ length: 300 }, () => Math.floor(rng() * 3000)));
    for (const size of [0, 1, 7, 200, 2999, 5000])
      expect(topCandidates(logits, exclude, size)).toEqual(referenceCandidates(logits, exclude, size));
  });

  it('logitUncertainty, asked per title, gives what a table over the whole catalog holds', () => {
    const x = catalogFeatures(prepared.ctx);
    const sd = logitUncertainty(model, x);
    expect(sd).toBeDefined();
    const table = new Float32Array(1);
    for (let i = 0; i < index.titles.length; i += 1) {
      let s = 0;
      for (let j = 0; j < FEATURE_WIDTH; j += 1) s += (x[i * FEATURE_WIDTH + j] as number) ** 2 * (model.variance?.[j] as number);
      table[0] = Math.sqrt(s);
      expect(sd?.(i)).toBe(table[0]);
    }
    expect(logitUncertainty(priorModel(), x)).toBeUndefined();
  });

  it('rankCatalog ranks, scores, explores and explains exactly as the straightforward path, for every strategy', () => {
    const variants: PipelineOptions[] = [
      DEFAULT_PIPELINE_OPTIONS,
      {
        ...DEFAULT_PIPELINE_OPTIONS,
        rank: { ...DEFAULT_PIPELINE_OPTIONS.rank, explorationShare: 0.4, diversity: 0.8, poolSize: 120, seed: 5 },
      },
      { ...DEFAULT_PIPELINE_OPTIONS, strategy: 'content-only' },
      { ...DEFAULT_PIPELINE_OPTIONS, strategy: 'popular', rank: { ...DEFAULT_PIPELINE_OPTIONS.rank, limit: 500, poolSize: 400 } },
    ];
    for (const options of variants) {
      const expected = referenceRanking(prepared, model, options);
      expect(expected.length).toBeGreaterThan(0);
      expect(rankCatalog(prepared, model, options)).toEqual(expected);
    }
    const ranked = rankCatalog(prepared, model);
    expect(ranked.some((item) => item.exploration)).toBe(true);
    expect(ranked.some((item) => item.reasons.some((r) => r.phrase.key === 'reasonTopic'))).toBe(true);
  });

  it('reasons say the same before and after the folded names and words of their titles are kept', () => {
    // New title objects: nothing is kept for them yet.
    const fresh = buildTitleIndex(seededCatalog(1500, 7));
    const user = seededUser(fresh, 14);
    const cold = rankCatalog(user.prepared, user.model);
    expect(rankCatalog(user.prepared, user.model)).toEqual(cold);
    const titles = Array.from({ length: 130 }, (_, i) => fresh.titles.at(i) as CatalogTitle);
    let series = 0;
    for (const a of titles)
      for (const b of titles) {
        const name = sameSeriesName(a, b);
        expect(name).toBe(referenceSeries(a, b));
        if (name) series += 1;
      }
    expect(series).toBeGreaterThan(0);
  });
});
