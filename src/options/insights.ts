import type { Chart } from 'chart.js';
import { send, t } from '../shared/browser.ts';
import { h } from '../shared/dom.ts';
import type { FunnelRow } from '../shared/experiments/funnel.ts';
import type { InsightsResponse, MetricsSnapshot } from '../shared/insights.ts';
import type * as Charting from './insights-charts.ts';
import type { ChartSpec } from './insights-charts.ts';
import {
  BREAKDOWNS,
  breakdownLabel,
  capitalize,
  experimentSentence,
  fillDays,
  formatters,
  funnelCsv,
  funnelSentence,
  hasInsights,
  insightsJson,
  metricsCsv,
  metricsWords,
  strategyLabel,
  strategyOrder,
} from './insights-text.ts';
import { announce, formatTime } from './state.ts';

/** Days drawn in the per-day chart; the CSV file has every day. */
const MAX_DAYS = 90;

const locale = (): string => navigator.language;
const dayFormat = (long: boolean): Intl.DateTimeFormat =>
  new Intl.DateTimeFormat(locale(), long ? { dateStyle: 'medium', timeZone: 'UTC' } : { month: 'short', day: 'numeric', timeZone: 'UTC' });
const shortTime = (at: number): string =>
  new Intl.DateTimeFormat(locale(), { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(at);

/** Saves text as a file through a Blob URL: made on the device, nothing is sent. */
function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  announce(t('optionsInsightsDownloaded', name));
}

function funnelSpec(
  id: string,
  title: string,
  rows: readonly FunnelRow[],
  label: (key: string) => string,
  options: { horizontal?: boolean; clicksOnly?: boolean },
): ChartSpec {
  const f = formatters(locale());
  const shown = { label: t('optionsImpressions'), values: rows.map((r) => r.impressions), color: 0 };
  const clicked = { label: t('optionsClicks'), values: rows.map((r) => r.clicks), color: 1 };
  const ctr = { label: t('optionsCtr'), values: rows.map((r) => r.ctr), color: 2, percent: true };
  return {
    id,
    title,
    type: 'bar',
    labels: rows.map((r) => label(r.key)),
    series: options.clicksOnly ? [clicked] : options.horizontal ? [shown, clicked] : [shown, clicked, ctr],
    ...(options.horizontal ? { horizontal: true } : {}),
    legend: !options.clicksOnly,
    integer: true,
    format: f.count,
    percentFormat: f.percent,
    table: {
      head: [title, t('optionsImpressions'), t('optionsClicks'), t('optionsCtr')],
      rows: rows.map((r) => [label(r.key), f.count(r.impressions), f.count(r.clicks), r.impressions > 0 ? f.percent(r.ctr) : '–']),
    },
  };
}

function metricSpec(
  id: string,
  title: string,
  metrics: readonly MetricsSnapshot[],
  pick: (m: MetricsSnapshot['strategies'][string]) => number,
): ChartSpec {
  const f = formatters(locale());
  const names = strategyOrder(metrics.flatMap((s) => Object.keys(s.strategies)));
  const value = (s: MetricsSnapshot, name: string): number => {
    const m = s.strategies[name];
    return m ? pick(m) : Number.NaN;
  };
  const cell = (x: number): string => (Number.isNaN(x) ? '–' : f.score(x));
  return {
    id,
    title,
    type: 'line',
    labels: metrics.map((s) => shortTime(s.at)),
    series: names.map((name, i) => ({ label: capitalize(strategyLabel(name, t)), values: metrics.map((s) => value(s, name)), color: i })),
    max: 1,
    legend: true,
    format: f.score,
    table: {
      head: [t('optionsMeasuredAt'), ...names.map((name) => capitalize(strategyLabel(name, t)))],
      rows: metrics.map((s) => [formatTime(s.at), ...names.map((name) => cell(value(s, name)))]),
    },
  };
}

/** The latest metrics in words for the Model section; the not-trained state when nothing was measured yet. */
function renderModelSummary(root: HTMLElement, metrics: readonly MetricsSnapshot[]): void {
  const latest = metrics[metrics.length - 1];
  if (!latest) {
    root.replaceChildren(h('p', { id: 'model-state' }, t('optionsModelNotTrained')));
    return;
  }
  const words = metricsWords(latest, t, locale(), formatTime);
  root.replaceChildren(
    h(
      'div',
      { id: 'model-state' },
      h('p', {}, words.best),
      h('p', {}, words.summary),
      h('ul', {}, ...words.lines.map((line) => h('li', {}, line))),
    ),
    h('p', {}, h('a', { href: '#insights-heading' }, t('optionsModelSeeInsights'))),
  );
}

/** Adds a chart (and its table) to the page being built and returns its figure. */
type AddChart = (spec: ChartSpec) => HTMLElement;

function funnelPart(insights: InsightsResponse, add: AddChart): HTMLElement[] {
  const { funnel } = insights;
  if (funnel.total.impressions + funnel.total.clicks === 0)
    return [h('h3', {}, t('optionsFunnel')), h('p', { class: 'muted' }, t('optionsFunnelEmpty'))];
  const days = fillDays(funnel.byDay, MAX_DAYS);
  const short = dayFormat(false);
  const long = dayFormat(true);
  const perDay = funnelSpec('chart-funnel-day', t('optionsFunnelPerDay'), days, (key) => short.format(Date.parse(`${key}T00:00:00Z`)), {});
  // The table names each day in full; the axis keeps the short form.
  perDay.table.rows = days.map((r, i) => [long.format(Date.parse(`${r.key}T00:00:00Z`)), ...(perDay.table.rows[i] ?? []).slice(1)]);
  perDay.table.head[0] = t('optionsDay');
  const capped = funnel.byDay.some((r) => r.key < (days[0]?.key ?? ''));
  const breakdowns = BREAKDOWNS.filter(({ field }) => funnel[field].length > 0).map(({ group, field, heading }) =>
    add(
      funnelSpec(`chart-by-${group}`, t(heading), funnel[field], (key) => breakdownLabel(group, key, t), {
        horizontal: true,
        clicksOnly: group === 'platform',
      }),
    ),
  );
  return [
    h('h3', {}, t('optionsFunnel')),
    h('p', { id: 'funnel-total' }, funnelSentence(funnel.total, t, locale())),
    add(perDay),
    capped ? h('p', { class: 'muted small' }, t('optionsFunnelDaysCapped', String(MAX_DAYS))) : null,
    h('h3', {}, t('optionsBreakdowns')),
    funnel.byPlatform.length > 0 ? h('p', { class: 'muted small' }, t('optionsByPlatformHelp')) : null,
    h('div', { class: 'chart-grid' }, ...breakdowns),
  ].filter((node): node is HTMLElement => node !== null);
}

function metricsPart(metrics: readonly MetricsSnapshot[], add: AddChart): HTMLElement[] {
  const latest = metrics[metrics.length - 1];
  if (!latest) return [h('h3', {}, t('optionsMetrics')), h('p', { class: 'muted' }, t('optionsMetricsEmpty'))];
  const k = String(latest.k);
  const words = metricsWords(latest, t, locale(), formatTime);
  const ndcg = add(metricSpec('chart-metrics-ndcg', t('optionsMetricNdcg', k), metrics, (m) => m.ndcg));
  const precision = add(metricSpec('chart-metrics-precision', t('optionsMetricPrecision', k), metrics, (m) => m.precision));
  return [
    h('h3', {}, t('optionsMetrics')),
    h('p', { class: 'muted small' }, t('optionsMetricsHelp', k)),
    h('p', { id: 'metrics-best' }, words.best),
    h('p', {}, words.summary),
    h('ul', {}, ...words.lines.map((line) => h('li', {}, line))),
    h('div', { class: 'chart-grid' }, ndcg, precision),
  ];
}

function experimentPart(insights: InsightsResponse, add: AddChart): HTMLElement[] {
  const status = insights.experiment;
  if (!status) return [h('h3', {}, t('optionsExperiment')), h('p', { class: 'muted' }, t('optionsExperimentEmpty'))];
  const f = formatters(locale());
  const names = [capitalize(strategyLabel(status.a, t)), capitalize(strategyLabel(status.b, t)), t('optionsTies')];
  const values = [status.winsA, status.winsB, status.ties];
  const chart = add({
    id: 'chart-experiment',
    title: t('optionsListsWon'),
    type: 'bar',
    horizontal: true,
    labels: names,
    series: [{ label: t('optionsListsWon'), values, color: 0 }],
    barColors: [0, 1, 3],
    legend: false,
    integer: true,
    format: f.count,
    table: { head: [t('optionsStrategy'), t('optionsListsWon')], rows: names.map((name, i) => [name, f.count(values[i] ?? 0)]) },
  });
  return [
    h('h3', {}, t('optionsExperiment')),
    h('p', { class: 'muted small' }, t('optionsExperimentHelp')),
    h('p', { id: 'experiment-status', 'data-status': status.status }, experimentSentence(status, t, locale())),
    chart,
  ];
}

function exportPart(insights: InsightsResponse): HTMLElement[] {
  const date = new Date().toISOString().slice(0, 10);
  const button = (id: string, key: string, save: () => void): HTMLElement => {
    const b = h('button', { type: 'button', id }, t(key));
    b.addEventListener('click', save);
    return b;
  };
  return [
    h('h3', {}, t('optionsInsightsExport')),
    h('p', { class: 'muted small' }, t('optionsInsightsExportHelp')),
    h(
      'p',
      { class: 'row' },
      button('export-funnel-csv', 'optionsExportFunnelCsv', () =>
        download(`reelflow-funnel-${date}.csv`, 'text/csv;charset=utf-8', funnelCsv(insights)),
      ),
      button('export-metrics-csv', 'optionsExportMetricsCsv', () =>
        download(`reelflow-metrics-${date}.csv`, 'text/csv;charset=utf-8', metricsCsv(insights.metrics)),
      ),
      button('export-insights-json', 'optionsExportInsightsJson', () =>
        download(`reelflow-insights-${date}.json`, 'application/json', insightsJson(insights, Date.now())),
      ),
    ),
  ];
}

/**
 * The Insights section (funnel, breakdowns, metric history, A/B status, downloads) and the Model
 * section's summary, both from one `insights:get`. Charts are redrawn when the colour scheme changes.
 */
export function insightsSection(root: HTMLElement, modelRoot: HTMLElement): { refresh: () => Promise<void> } {
  let last: InsightsResponse | undefined;
  let charts: Chart[] = [];
  // Chart.js is most of this page's code; it is fetched (from the extension, never the network) only when there is something to draw.
  let charting: typeof Charting | undefined;
  // Whether the user opened "how Reelflow checks its suggestions": kept when the page is drawn again.
  let moreOpen = false;

  const render = (): void => {
    for (const chart of charts) chart.destroy();
    charts = [];
    if (!last) return;
    renderModelSummary(modelRoot, last.metrics);
    if (!hasInsights(last) || !charting) {
      root.replaceChildren(
        h('p', { class: 'muted' }, t('optionsInsightsHelp')),
        h('p', { id: 'insights-empty' }, t('optionsInsightsEmpty')),
      );
      return;
    }
    const { chartFigure, readTheme } = charting;
    const figures: ReturnType<typeof chartFigure>[] = [];
    const add: AddChart = (spec) => {
      const figure = chartFigure(spec);
      figures.push(figure);
      return figure.element;
    };
    // What the user got leads; how Reelflow measures and tests itself follows, folded, in words.
    const more = h(
      'details',
      { id: 'insights-more', open: moreOpen },
      h('summary', {}, t('optionsInsightsMore')),
      ...metricsPart(last.metrics, add),
      ...experimentPart(last, add),
    );
    more.addEventListener('toggle', () => {
      moreOpen = more.open;
      // Charts drawn while folded had no room: they take their size once shown.
      if (more.open) for (const chart of charts) chart.resize();
    });
    root.replaceChildren(h('p', { class: 'muted' }, t('optionsInsightsHelp')), ...funnelPart(last, add), more, ...exportPart(last));
    const theme = readTheme();
    charts = figures.map((figure) => figure.draw(theme));
  };

  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', render);

  return {
    async refresh() {
      try {
        last = await send('insights:get', {});
        if (hasInsights(last)) charting ??= await import('./insights-charts.ts');
        render();
      } catch (error) {
        // The rest of the page still works when the insights cannot be computed; say why here.
        last = undefined;
        render();
        root.replaceChildren(h('p', { role: 'alert' }, t('optionsInsightsError', error instanceof Error ? error.message : String(error))));
        renderModelSummary(modelRoot, []);
      }
    },
  };
}
