import { toCsv, type FunnelRow } from '../shared/experiments/funnel.ts';
import type { ExperimentStatus, InsightsResponse, MetricsSnapshot } from '../shared/insights.ts';
import { SITE_IDS } from '../shared/sites.ts';
import { platformLabel } from '../shared/title-display.ts';

/**
 * Words and files for the insights page, as pure functions of the background's answer: the
 * translator and locale are passed in, so tests read the real English strings without a browser.
 */
export type Translate = (key: string, substitutions?: string | string[]) => string;

/** The strategies the learning code registers, named for people; a new one shows by its id until it gets a string. */
const STRATEGY_KEYS: Record<string, string> = {
  model: 'optionsStrategyModel',
  'content-only': 'optionsStrategyContentOnly',
  popular: 'optionsStrategyPopular',
};

/** Breakdowns on the page, in order, with the heading key of each. */
export const BREAKDOWNS = [
  { group: 'platform', field: 'byPlatform', heading: 'optionsByPlatform' },
  { group: 'site', field: 'bySite', heading: 'optionsBySite' },
  { group: 'kind', field: 'byKind', heading: 'optionsByKind' },
  { group: 'strategy', field: 'byStrategy', heading: 'optionsByStrategy' },
] as const;

export type BreakdownGroup = (typeof BREAKDOWNS)[number]['group'];

/** Upper-cases the first letter, for a name that starts a sentence or a legend ("the full model" → "The full model"). */
export function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** A strategy's name in words ("the full model"), or its id when it has none. */
export function strategyLabel(name: string, t: Translate): string {
  const key = STRATEGY_KEYS[name];
  return key ? t(key) : name;
}

/** A breakdown key in words: site, kind, platform or strategy names; "unknown" and "none" said plainly. */
export function breakdownLabel(group: BreakdownGroup, key: string, t: Translate): string {
  if (key === 'unknown') return t('optionsInsightsUnknown');
  if (group === 'site')
    return key === 'none' ? t('optionsInsightsNoPost') : (SITE_IDS as readonly string[]).includes(key) ? t(`site_${key}`) : key;
  if (group === 'kind') return t(`kind_${key.replace(/-/g, '_')}`);
  if (group === 'platform') return platformLabel(key, t);
  return capitalize(strategyLabel(key, t));
}

/** Number formatters for one locale. */
export function formatters(locale: string): {
  count: (n: number) => string;
  percent: (n: number) => string;
  score: (n: number) => string;
  p: (n: number) => string;
} {
  const count = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const score = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const p = new Intl.NumberFormat(locale, { maximumSignificantDigits: 2 });
  return { count: (n) => count.format(n), percent: (n) => percent.format(n), score: (n) => score.format(n), p: (n) => p.format(n) };
}

/** The funnel totals in one sentence. */
export function funnelSentence(total: FunnelRow, t: Translate, locale: string): string {
  const f = formatters(locale);
  return t('optionsFunnelTotal', [f.count(total.impressions), f.count(total.clicks), f.percent(total.ctr)]);
}

/** The A/B test in plain words: who leads, by how much, the p-value, and whether it is still running. */
export function experimentSentence(status: ExperimentStatus, t: Translate, locale: string): string {
  const f = formatters(locale);
  const a = strategyLabel(status.a, t);
  const b = strategyLabel(status.b, t);
  if (status.status === 'decided' && status.winner) {
    const aWon = status.winner === status.a;
    const [winner, loser] = aWon ? [a, b] : [b, a];
    const [wins, losses] = aWon ? [status.winsA, status.winsB] : [status.winsB, status.winsA];
    const shown = f.count(status.decidedAtImpressions ?? status.impressions);
    return t('optionsExperimentDecided', [winner, loser, f.count(wins), f.count(losses), f.p(status.pValue), shown]);
  }
  if (status.winsA + status.winsB === 0) return capitalize(t('optionsExperimentNoWins', [a, b, f.count(status.impressions)]));
  if (status.winsA === status.winsB) return capitalize(t('optionsExperimentLevel', [a, b, f.count(status.winsA), f.p(status.pValue)]));
  const aLeads = status.winsA > status.winsB;
  const [leader, trailer] = aLeads ? [a, b] : [b, a];
  const [wins, losses] = aLeads ? [status.winsA, status.winsB] : [status.winsB, status.winsA];
  return capitalize(t('optionsExperimentAhead', [leader, trailer, f.count(wins), f.count(losses), f.p(status.pValue)]));
}

/** Strategy names of a snapshot, the registry's own first (model, content-only, popular), then any others by name. */
export function strategyOrder(names: Iterable<string>): string[] {
  const known = Object.keys(STRATEGY_KEYS);
  return [...new Set(names)].sort((x, y) => {
    const ix = known.indexOf(x);
    const iy = known.indexOf(y);
    if (ix !== iy) return (ix < 0 ? known.length : ix) - (iy < 0 ? known.length : iy);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/**
 * The latest metrics in words: how the snapshot was measured, one line per strategy, and which
 * strategy ranked the user's recent titles best.
 */
export function metricsWords(
  snapshot: MetricsSnapshot,
  t: Translate,
  locale: string,
  formatTime: (at: number) => string,
): { summary: string; lines: string[]; best: string } {
  const f = formatters(locale);
  const k = String(snapshot.k);
  const names = strategyOrder(Object.keys(snapshot.strategies));
  const lines = names.map((name) => {
    const m = snapshot.strategies[name] as MetricsSnapshot['strategies'][string];
    return t('optionsMetricsLine', [
      capitalize(strategyLabel(name, t)),
      k,
      f.score(m.ndcg),
      f.score(m.precision),
      f.score(m.recall),
      f.score(m.f1),
    ]);
  });
  // Ties keep the registry order, so the full model is named when it is as good as the rest.
  const best = names.reduce<string | undefined>(
    (top, name) => (top === undefined || (snapshot.strategies[name]?.ndcg ?? 0) > (snapshot.strategies[top]?.ndcg ?? 0) ? name : top),
    undefined,
  );
  const bestNdcg = best ? (snapshot.strategies[best]?.ndcg ?? 0) : 0;
  return {
    summary: t('optionsMetricsSummary', [
      formatTime(snapshot.at),
      f.count(snapshot.heldOutTitles),
      f.count(snapshot.trainTitles),
      f.count(Math.round(snapshot.costMs)),
    ]),
    lines,
    best:
      best && bestNdcg > 0
        ? capitalize(t('optionsMetricsBest', [strategyLabel(best, t), k, f.score(bestNdcg)]))
        : t('optionsMetricsNoneFound', k),
  };
}

/** Days from the first to the last row with every day in between (zeros where nothing happened), at most `maxDays`, newest kept. */
export function fillDays(rows: readonly FunnelRow[], maxDays = 90): FunnelRow[] {
  if (rows.length === 0) return [];
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const keys = rows.map((r) => r.key).sort();
  const last = Date.parse(`${keys[keys.length - 1]}T00:00:00Z`);
  const first = Math.max(Date.parse(`${keys[0]}T00:00:00Z`), last - (maxDays - 1) * 86_400_000);
  const out: FunnelRow[] = [];
  for (let day = first; day <= last; day += 86_400_000) {
    const key = new Date(day).toISOString().slice(0, 10);
    out.push(byKey.get(key) ?? { key, impressions: 0, clicks: 0, ctr: 0 });
  }
  return out;
}

const round = (n: number, digits = 4): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** The funnel as CSV: one row per group and key (day, platform, site, kind, strategy) and a total row. */
export function funnelCsv(insights: InsightsResponse): string {
  const { funnel } = insights;
  const groups: [string, readonly FunnelRow[]][] = [
    ['day', funnel.byDay],
    ...BREAKDOWNS.map(({ group, field }): [string, readonly FunnelRow[]] => [group, funnel[field]]),
    ['total', [funnel.total]],
  ];
  const rows = groups.flatMap(([group, list]) => list.map((r) => [group, r.key, r.impressions, r.clicks, round(r.ctr)]));
  return toCsv(['group', 'key', 'impressions', 'clicks', 'ctr'], rows);
}

/** The metric history as CSV: one row per training and strategy. */
export function metricsCsv(metrics: readonly MetricsSnapshot[]): string {
  const rows = metrics.flatMap((s) =>
    strategyOrder(Object.keys(s.strategies)).map((name) => {
      const m = s.strategies[name] as MetricsSnapshot['strategies'][string];
      return [
        new Date(s.at).toISOString(),
        s.k,
        name,
        round(m.precision),
        round(m.recall),
        round(m.f1),
        round(m.ndcg),
        s.trainTitles,
        s.heldOutTitles,
        round(s.costMs, 1),
      ];
    }),
  );
  return toCsv(['measured_at', 'k', 'strategy', 'precision', 'recall', 'f1', 'ndcg', 'train_titles', 'held_out_titles', 'cost_ms'], rows);
}

/** The whole answer as a JSON file, with a format name so a reader knows what it holds. */
export function insightsJson(insights: InsightsResponse, exportedAt: number): string {
  return JSON.stringify({ format: 'reelflow-insights', version: 1, exportedAt, ...insights }, null, 2);
}

/** Whether there is anything at all to show. */
export function hasInsights(insights: InsightsResponse): boolean {
  return (
    insights.funnel.total.impressions + insights.funnel.total.clicks > 0 || insights.metrics.length > 0 || insights.experiment !== null
  );
}
