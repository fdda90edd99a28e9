import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExperimentStatus, InsightsResponse, MetricsSnapshot } from '../../src/shared/insights.ts';
import {
  breakdownLabel,
  experimentSentence,
  fillDays,
  funnelCsv,
  funnelSentence,
  hasInsights,
  insightsJson,
  metricsCsv,
  metricsWords,
  strategyOrder,
  type Translate,
} from '../../src/options/insights-text.ts';

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

/** The real locale files, substituted the way browser.i18n.getMessage does ($NAME$ → placeholder → $n). */
function translator(locale: string): Translate {
  const messages = JSON.parse(readFileSync(`public/_locales/${locale}/messages.json`, 'utf8')) as Messages;
  return (key, substitutions) => {
    const entry = messages[key];
    if (!entry) return key;
    const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
    const placeholders = Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]));
    return entry.message.replace(/\$([A-Za-z0-9_]+)\$/g, (_, name: string) =>
      (placeholders[name.toLowerCase()] ?? '').replace(/\$(\d)/g, (__, n: string) => subs[Number(n) - 1] ?? ''),
    );
  };
}

const en = translator('en');
const zh = translator('zh_CN');

const running = (winsA: number, winsB: number, ties = 0): ExperimentStatus => ({
  a: 'model',
  b: 'content-only',
  winsA,
  winsB,
  ties,
  impressions: (winsA + winsB + ties) * 8,
  pValue: 0.1153,
  status: 'running',
});

describe('experiment status in words', () => {
  it('says who leads, by how much, the p-value and that the test runs on', () => {
    expect(experimentSentence(running(14, 6), en, 'en')).toBe(
      'The full model is ahead of content-only: 14 wins to 6, p = 0.12, still testing.',
    );
    expect(experimentSentence(running(3, 9), en, 'en')).toBe(
      'Content-only is ahead of the full model: 9 wins to 3, p = 0.12, still testing.',
    );
  });

  it('says when the strategies are level and when there is nothing to compare yet', () => {
    expect(experimentSentence({ ...running(4, 4), pValue: 1 }, en, 'en')).toBe(
      'The full model and content-only are level: 4 wins each, p = 1, still testing.',
    );
    expect(experimentSentence({ ...running(0, 0, 2), impressions: 16 }, en, 'en')).toBe(
      'The full model is being tested against content-only: no clicks to compare them yet (16 suggestions shown).',
    );
  });

  it('names the winner and the impressions it took once decided', () => {
    const decided: ExperimentStatus = {
      ...running(8, 27),
      pValue: 0.0016,
      status: 'decided',
      winner: 'content-only',
      decidedAtImpressions: 1240,
      impressions: 1500,
    };
    expect(experimentSentence(decided, en, 'en')).toBe(
      'Decided: content-only beat the full model, 27 wins to 8 (p = 0.0016), after 1,240 suggestions shown. ' +
        'Most lists now come from content-only.',
    );
    expect(experimentSentence(decided, zh, 'zh-CN')).toBe(
      '已有结论：仅按内容胜过完整模型，27 胜 8 负（p = 0.0016），用了 1,240 次推荐展示。现在大多数列表由仅按内容提供。',
    );
  });

  it('shows an unregistered strategy by its id', () => {
    expect(experimentSentence({ ...running(5, 2), b: 'explore-more' }, en, 'en')).toBe(
      'The full model is ahead of explore-more: 5 wins to 2, p = 0.12, still testing.',
    );
  });
});

const snapshot = (at: number, ndcg: Record<string, number>): MetricsSnapshot => ({
  at,
  k: 10,
  trainTitles: 18,
  heldOutTitles: 6,
  costMs: 41.6,
  strategies: Object.fromEntries(Object.entries(ndcg).map(([name, n]) => [name, { precision: n / 2, recall: n, f1: n / 1.5, ndcg: n }])),
});

describe('metrics in words', () => {
  const time = (at: number): string => new Date(at).toISOString().slice(0, 10);

  it('lists every strategy in registry order and names the best', () => {
    const words = metricsWords(snapshot(Date.UTC(2025, 9, 6), { popular: 0.12, 'content-only': 0.31, model: 0.42 }), en, 'en', time);
    expect(words.best).toBe('The full model ranks your recent titles best (NDCG@10 0.42).');
    expect(words.lines).toEqual([
      'The full model: NDCG@10 0.42, precision 0.21, recall 0.42, F1 0.28.',
      'Content-only: NDCG@10 0.31, precision 0.16, recall 0.31, F1 0.21.',
      'Most popular: NDCG@10 0.12, precision 0.06, recall 0.12, F1 0.08.',
    ]);
    expect(words.summary).toBe(
      'Measured 2025-10-06 on your 6 most recent linked titles, held out from a model trained on the 18 before them (took 42 ms).',
    );
  });

  it('says so when no strategy found anything, and prefers the full model on a tie', () => {
    expect(metricsWords(snapshot(0, { model: 0, popular: 0 }), en, 'en', time).best).toBe(
      'No strategy found your recent titles in its top 10 yet.',
    );
    expect(metricsWords(snapshot(0, { popular: 0.3, model: 0.3 }), en, 'en', time).best).toContain('The full model');
  });

  it('orders known strategies first, then others by name', () => {
    expect(strategyOrder(['zeta', 'popular', 'alpha', 'model', 'content-only', 'model'])).toEqual([
      'model',
      'content-only',
      'popular',
      'alpha',
      'zeta',
    ]);
  });
});

const row = (key: string, impressions: number, clicks: number) => ({
  key,
  impressions,
  clicks,
  ctr: impressions ? clicks / impressions : 0,
});

const insights: InsightsResponse = {
  funnel: {
    byDay: [row('2025-10-01', 8, 1), row('2025-10-03', 16, 3)],
    byPlatform: [row('netflix', 0, 3), row('=HYPERLINK("x")', 0, 1)],
    bySite: [row('x', 16, 3), row('none', 8, 1)],
    byKind: [row('series', 24, 4)],
    byStrategy: [row('model', 12, 3), row('content-only', 12, 1)],
    total: row('total', 24, 4),
  },
  metrics: [snapshot(Date.UTC(2025, 9, 1), { model: 0.4, popular: 0.1 }), snapshot(Date.UTC(2025, 9, 3), { model: 0.5, popular: 0.2 })],
  experiment: running(3, 1),
};

describe('funnel', () => {
  it('fills the days in between with zeros and keeps only the newest days beyond the cap', () => {
    expect(fillDays(insights.funnel.byDay).map((r) => [r.key, r.impressions])).toEqual([
      ['2025-10-01', 8],
      ['2025-10-02', 0],
      ['2025-10-03', 16],
    ]);
    expect(fillDays(insights.funnel.byDay, 2).map((r) => r.key)).toEqual(['2025-10-02', '2025-10-03']);
    expect(fillDays([])).toEqual([]);
    // Across a month end and a leap day.
    expect(fillDays([row('2024-02-28', 1, 0), row('2024-03-01', 1, 0)]).map((r) => r.key)).toEqual([
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
  });

  it('says the totals with a percentage in the user’s language', () => {
    expect(funnelSentence(insights.funnel.total, en, 'en')).toBe('24 suggestions shown, 4 watch links clicked: 16.7% click-through.');
    expect(funnelSentence(insights.funnel.total, zh, 'zh-CN')).toBe('共展示推荐 24 次，点击观看链接 4 次，点击率 16.7%。');
  });

  it('names breakdown keys for people', () => {
    expect(breakdownLabel('site', 'x', en)).toBe('X (Twitter)');
    expect(breakdownLabel('site', 'none', en)).toBe('No linked post');
    expect(breakdownLabel('kind', 'anime-series', en)).toBe('Anime series');
    expect(breakdownLabel('platform', 'netflix', en)).toBe('Netflix');
    expect(breakdownLabel('strategy', 'popular', zh)).toBe('最热门');
    expect(breakdownLabel('kind', 'unknown', en)).toBe('Unknown');
  });
});

describe('exports', () => {
  it('writes the funnel as CSV, one row per group and key, with formulas defused', () => {
    const lines = funnelCsv(insights).split('\r\n');
    expect(lines[0]).toBe('group,key,impressions,clicks,ctr');
    expect(lines).toContain('day,2025-10-03,16,3,0.1875');
    expect(lines).toContain('platform,netflix,0,3,0');
    expect(lines).toContain(`platform,"'=HYPERLINK(""x"")",0,1,0`);
    expect(lines).toContain('strategy,content-only,12,1,0.0833');
    expect(lines.at(-2)).toBe('total,total,24,4,0.1667');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(1 + 2 + 2 + 2 + 1 + 2 + 1 + 1);
  });

  it('writes the metric history as CSV, one row per training and strategy', () => {
    expect(metricsCsv(insights.metrics).split('\r\n')).toEqual([
      'measured_at,k,strategy,precision,recall,f1,ndcg,train_titles,held_out_titles,cost_ms',
      '2025-10-01T00:00:00.000Z,10,model,0.2,0.4,0.2667,0.4,18,6,41.6',
      '2025-10-01T00:00:00.000Z,10,popular,0.05,0.1,0.0667,0.1,18,6,41.6',
      '2025-10-03T00:00:00.000Z,10,model,0.25,0.5,0.3333,0.5,18,6,41.6',
      '2025-10-03T00:00:00.000Z,10,popular,0.1,0.2,0.1333,0.2,18,6,41.6',
      '',
    ]);
    expect(metricsCsv([])).toBe('measured_at,k,strategy,precision,recall,f1,ndcg,train_titles,held_out_titles,cost_ms\r\n');
  });

  it('writes the whole answer as JSON that reads back the same', () => {
    const parsed = JSON.parse(insightsJson(insights, 123)) as InsightsResponse & { format: string; exportedAt: number };
    expect(parsed.format).toBe('reelflow-insights');
    expect(parsed.exportedAt).toBe(123);
    expect({ funnel: parsed.funnel, metrics: parsed.metrics, experiment: parsed.experiment }).toEqual(insights);
  });

  it('knows when there is nothing to show', () => {
    const empty: InsightsResponse = {
      funnel: { byDay: [], byPlatform: [], bySite: [], byKind: [], byStrategy: [], total: row('total', 0, 0) },
      metrics: [],
      experiment: null,
    };
    expect(hasInsights(empty)).toBe(false);
    expect(hasInsights(insights)).toBe(true);
    expect(hasInsights({ ...empty, experiment: running(0, 0) })).toBe(true);
  });
});
