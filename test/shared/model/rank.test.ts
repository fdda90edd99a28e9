import { describe, expect, it } from 'vitest';
import type { CatalogTitle } from '../../../src/shared/catalog/types.ts';
import type { StoredEvent } from '../../../src/shared/events.ts';
import type { RankedItem } from '../../../src/shared/suggestions.ts';
import type { Feedback, Impression } from '../../../src/shared/db/schema.ts';
import { applyCaps, restingTitles, DEFAULT_CAP_POLICY } from '../../../src/shared/model/caps.ts';
import { averagePrecisionAtK, coverage, f1AtK, ndcgAtK, precisionAtK, recallAtK } from '../../../src/shared/model/metrics.ts';
import { DEFAULT_PIPELINE_OPTIONS, prepareUser, rankCatalog } from '../../../src/shared/model/pipeline.ts';
import { priorModel, trainLogistic } from '../../../src/shared/model/logistic.ts';
import { rankItems } from '../../../src/shared/model/rank.ts';
import { REASON_KEYS } from '../../../src/shared/model/reasons.ts';
import { STRATEGIES, getStrategy } from '../../../src/shared/model/strategies/index.ts';
import { buildTitleIndex } from '../../../src/shared/model/title-index.ts';
import en from '../../../public/_locales/en/messages.json' with { type: 'json' };
import zh from '../../../public/_locales/zh_CN/messages.json' with { type: 'json' };
import { fixtureCatalog, linkedEvent } from '../../fixtures/catalog.ts';

const now = 1_760_000_000_000 + 86_400_000;
const DAY = 86_400_000;
const index = buildTitleIndex(fixtureCatalog());

function train(prepared: ReturnType<typeof prepareUser>) {
  return trainLogistic(prepared.set, { ...DEFAULT_PIPELINE_OPTIONS.train, prior: priorModel() });
}

describe('ranking pipeline', () => {
  const events = [
    linkedEvent('t-three-body', { action: 'share', at: now - DAY }, '三体 太好看了 #三体'),
    linkedEvent('t-three-body', { action: 'like', at: now - 2 * DAY }, '三体 第二季什么时候'),
    linkedEvent('t-wandering-earth', { action: 'comment', at: now - DAY }, '流浪地球 科幻'),
  ];

  it('drops engaged and rejected titles and puts similar ones first, with reasons and events', () => {
    const feedback: Feedback[] = [{ id: 1, titleId: 't-bake-off', kind: 'not-interested', at: now }];
    const prepared = prepareUser({ index, events, feedback, impressions: [], now });
    expect(prepared.coldStart).toBe(false);
    const items = rankCatalog(prepared, train(prepared), {
      ...DEFAULT_PIPELINE_OPTIONS,
      rank: { ...DEFAULT_PIPELINE_OPTIONS.rank, explorationShare: 0 },
    });
    const ids = items.map((i) => i.titleId);
    expect(ids).not.toContain('t-three-body');
    expect(ids).not.toContain('t-wandering-earth');
    expect(ids).not.toContain('t-bake-off');
    expect(ids[0]).toBe('t-wandering-earth-2');
    const first = items[0] as RankedItem;
    expect(first.strategy).toBe('model');
    expect(first.reasons.length).toBeGreaterThan(0);
    expect(first.reasons.every((r) => (REASON_KEYS as readonly string[]).includes(r.phrase.key))).toBe(true);
    const withEvents = first.reasons.find((r) => r.eventIds.length > 0);
    expect(withEvents?.eventIds.every((id) => events.some((e) => e.id === id))).toBe(true);
    expect(items.every((i) => i.score >= 0 && i.score <= 1)).toBe(true);
  });

  it('cold start: no history ranks by the prior (popularity), and an interested pick steers it', () => {
    const cold = prepareUser({ index, events: [], feedback: [], impressions: [], now });
    expect(cold.coldStart).toBe(true);
    const items = rankCatalog(cold, priorModel());
    expect(items[0]?.titleId).toBe('t-stranger-things');
    const picked = prepareUser({
      index,
      events: [],
      feedback: [{ id: 2, titleId: 't-frieren', kind: 'interested', at: now }],
      impressions: [],
      now,
    });
    const ranked = rankCatalog(picked, train(picked), {
      ...DEFAULT_PIPELINE_OPTIONS,
      rank: { ...DEFAULT_PIPELINE_OPTIONS.rank, explorationShare: 0 },
    }).map((i) => i.titleId);
    expect(ranked.indexOf('t-spirited-away')).toBeLessThan(ranked.indexOf('t-bake-off'));
  });

  it('with one event, it still ranks and every score is finite', () => {
    const prepared = prepareUser({ index, events: [events[0] as StoredEvent], feedback: [], impressions: [], now });
    const items = rankCatalog(prepared, train(prepared));
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => Number.isFinite(i.score))).toBe(true);
  });

  it('exploration is seeded: same seed, same list; some slots are marked', () => {
    const prepared = prepareUser({ index, events, feedback: [], impressions: [], now });
    const model = train(prepared);
    const opts = { ...DEFAULT_PIPELINE_OPTIONS, rank: { ...DEFAULT_PIPELINE_OPTIONS.rank, explorationShare: 0.3, seed: 7 } };
    const a = rankCatalog(prepared, model, opts);
    const b = rankCatalog(prepared, model, opts);
    expect(a.map((i) => i.titleId)).toEqual(b.map((i) => i.titleId));
    expect(a.some((i) => i.exploration)).toBe(true);
    expect(a[0]?.exploration).toBe(false);
    expect(a.find((i) => i.exploration)?.reasons.some((r) => r.phrase.key === 'reasonExplore')).toBe(true);
  });

  it('re-ranks for diversity: kinds do not all come first', () => {
    const logits = new Float32Array(index.titles.length);
    for (let i = 0; i < index.titles.length; i += 1) logits[i] = index.titles.at(i)?.kind === 'series' ? 5 - i * 0.01 : 4.8 - i * 0.01;
    const plain = rankItems(
      { index, logits, exclude: new Set(), strategy: 'model', explain: () => [] },
      { limit: 4, explorationShare: 0, diversity: 0, poolSize: 50, seed: 1 },
    );
    const diverse = rankItems(
      { index, logits, exclude: new Set(), strategy: 'model', explain: () => [] },
      { limit: 4, explorationShare: 0, diversity: 1, poolSize: 50, seed: 1 },
    );
    const kinds = (items: typeof plain): Set<string> => new Set(items.map((i) => index.kind[index.byId.get(i.titleId) ?? -1] ?? ''));
    expect(kinds(plain).size).toBe(1);
    expect(kinds(diverse).size).toBeGreaterThan(1);
  });

  it('does not fill the list with one franchise: three Star Trek titles on top give one card, unless nothing else is near', () => {
    const names = [
      'Star Trek: Voyager',
      'Star Trek: Discovery',
      'Star Trek II: The Wrath of Khan',
      'Night Harbor',
      'The Quiet Shore',
      'Paper Moon Road',
    ];
    const catalog = names.map((name, i) => ({
      ...(fixtureCatalog()[0] as CatalogTitle),
      id: `t${i}`,
      kind: 'film' as const,
      genres: [],
      titles: { en: [name] },
    }));
    const small = buildTitleIndex(catalog);
    const rank = (logits: number[], diversity: number): string[] =>
      rankItems(
        { index: small, logits: Float32Array.from(logits), exclude: new Set(), strategy: 'model', explain: () => [] },
        { limit: 4, explorationShare: 0, diversity, poolSize: 50, seed: 1 },
      ).map((item) => item.titleId);
    const close = [3, 2.95, 2.9, 2.85, 2.8, 2.75];
    expect(rank(close, 0)).toEqual(['t0', 't1', 't2', 't3']);
    expect(rank(close, 0.4)).toEqual(['t0', 't3', 't4', 't5']);
    // A second Star Trek far ahead of everything else still makes the list.
    expect(rank([3, 2.95, 0, -1, -1.2, -1.4], 0.4).slice(0, 2)).toEqual(['t0', 't1']);
  });

  it('has a strategy registry with the model and two baselines', () => {
    expect(Object.keys(STRATEGIES).sort()).toEqual(['content-only', 'model', 'popular']);
    expect(getStrategy('nope').name).toBe('model');
    const prepared = prepareUser({ index, events, feedback: [], impressions: [], now });
    const popular = rankCatalog(prepared, train(prepared), {
      ...DEFAULT_PIPELINE_OPTIONS,
      strategy: 'popular',
      rank: { ...DEFAULT_PIPELINE_OPTIONS.rank, diversity: 0 },
    });
    expect(popular[0]?.titleId).toBe('t-stranger-things');
    expect(popular[0]?.strategy).toBe('popular');
  });

  it('every reason key exists in both locales', () => {
    for (const key of REASON_KEYS) {
      expect(en, key).toHaveProperty(key);
      expect(zh, key).toHaveProperty(key);
    }
  });
});

describe('caps', () => {
  const imp = (titleId: string, at: number): Impression => ({ titleId, at, rank: 0, strategy: 'model' });

  it('rests a title shown on 3 days without a click for 14 days, counting one impression per day', () => {
    const shown = [imp('a', now - 5 * DAY), imp('a', now - 4 * DAY), imp('a', now - 4 * DAY + 1000), imp('a', now - 3 * DAY)];
    expect(restingTitles(shown, [], now, DEFAULT_CAP_POLICY).has('a')).toBe(true);
    expect(restingTitles(shown, [], now + 12 * DAY, DEFAULT_CAP_POLICY).has('a')).toBe(false);
    expect(restingTitles(shown.slice(0, 3), [], now, DEFAULT_CAP_POLICY).has('a')).toBe(false);
    const clicked: Feedback[] = [{ titleId: 'a', kind: 'click', at: now - 3.5 * DAY }];
    expect(restingTitles(shown, clicked, now, DEFAULT_CAP_POLICY).has('a')).toBe(false);
  });

  it("applies the daily cap to new titles, keeps today's, and snoozes everything", () => {
    const items = ['a', 'b', 'c', 'd'].map((titleId) => ({ titleId }));
    const shown = [imp('c', now - 1000), imp('x', now - 2000)];
    const capped = applyCaps(items, shown, [], now, { ...DEFAULT_CAP_POLICY, dailyCap: 3 });
    expect(capped.map((i) => i.titleId)).toEqual(['a', 'c']);
    expect(applyCaps(items, [], [], now, { ...DEFAULT_CAP_POLICY, snoozedUntil: now + DAY })).toEqual([]);
    expect(
      applyCaps(items, [], [], now, { ...DEFAULT_CAP_POLICY, snoozedTitles: new Map([['b', now + DAY]]) }).map((i) => i.titleId),
    ).toEqual(['a', 'c', 'd']);
  });
});

describe('metrics', () => {
  const ranked = ['a', 'b', 'c', 'd'];
  const relevant = new Set(['a', 'c', 'z']);
  it('computes precision, recall, F1, NDCG, MAP and coverage', () => {
    expect(precisionAtK(ranked, relevant, 4)).toBe(0.5);
    expect(recallAtK(ranked, relevant, 4)).toBeCloseTo(2 / 3);
    expect(f1AtK(ranked, relevant, 4)).toBeCloseTo((2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3));
    const dcg = 1 + 1 / Math.log2(4);
    const ideal = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(ndcgAtK(ranked, relevant, 4)).toBeCloseTo(dcg / ideal);
    expect(averagePrecisionAtK(ranked, relevant, 4)).toBeCloseTo((1 + 2 / 3) / 3);
    expect(coverage([ranked, ['a', 'e']], 10, 2)).toBeCloseTo(3 / 10);
    expect(ndcgAtK(ranked, new Set(), 4)).toBe(0);
  });
});
