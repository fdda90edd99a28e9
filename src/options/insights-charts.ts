import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartDataset,
} from 'chart.js';
import { t } from '../shared/browser.ts';
import { h } from '../shared/dom.ts';

// Only what the insights charts draw, so the bundle leaves out the other chart types, scales and plugins.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

/** Colours of the page's current scheme, read from its CSS variables so charts follow dark mode. */
export interface Theme {
  fg: string;
  muted: string;
  line: string;
  series: string[];
  font: string;
}

/** Reads the theme from the page's CSS variables (options.css defines --chart-1 to --chart-4 per scheme). */
export function readTheme(): Theme {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string): string => style.getPropertyValue(name).trim();
  return {
    fg: v('--fg'),
    muted: v('--muted'),
    line: v('--line'),
    series: [1, 2, 3, 4].map((i) => v(`--chart-${i}`)),
    font: style.fontFamily,
  };
}

export interface Series {
  label: string;
  values: number[];
  /** Index into the theme's series colours. */
  color: number;
  /** Drawn as a line on the right-hand percent axis (click-through) instead of bars. */
  percent?: boolean;
}

export interface ChartSpec {
  id: string;
  title: string;
  labels: string[];
  series: Series[];
  type: 'bar' | 'line';
  horizontal?: boolean;
  /** One fixed y range, e.g. 0..1 for metrics. */
  max?: number;
  /** Whole numbers only on the value axis (counts: no "0.5 clicks" tick). */
  integer?: boolean;
  legend?: boolean;
  /** Colours per bar instead of per series (one series whose bars are different things). */
  barColors?: number[];
  format: (n: number) => string;
  percentFormat?: (n: number) => string;
  /** The accessible alternative: the same numbers as a table. */
  table: { head: string[]; rows: string[][] };
}

function dataset(spec: ChartSpec, s: Series, theme: Theme): ChartDataset<'bar' | 'line', number[]> {
  const color = theme.series[s.color % theme.series.length] ?? theme.fg;
  const base = { label: s.label, data: s.values };
  if (s.percent)
    return { ...base, type: 'line', yAxisID: 'percent', borderColor: color, backgroundColor: color, pointRadius: 2, borderWidth: 2 };
  if (spec.type === 'line') return { ...base, type: 'line', borderColor: color, backgroundColor: color, pointRadius: 3, borderWidth: 2 };
  const colors = spec.barColors ? spec.barColors.map((c) => theme.series[c % theme.series.length] ?? color) : color;
  return { ...base, type: 'bar', backgroundColor: colors, borderColor: colors, maxBarThickness: 28 };
}

function config(spec: ChartSpec, theme: Theme): ChartConfiguration<'bar' | 'line', number[], string> {
  const axis = { ticks: { color: theme.muted }, grid: { color: theme.line }, border: { color: theme.line } };
  const valueAxis = {
    ...axis,
    beginAtZero: true,
    ...(spec.max !== undefined ? { max: spec.max } : {}),
    ticks: { color: theme.muted, ...(spec.integer ? { precision: 0 } : {}), callback: (v: string | number) => spec.format(Number(v)) },
  };
  const hasPercent = spec.series.some((s) => s.percent);
  const percentFormat = spec.percentFormat ?? spec.format;
  return {
    type: spec.type,
    data: { labels: spec.labels, datasets: spec.series.map((s) => dataset(spec, s, theme)) },
    options: {
      // No animation: the numbers are the point, and it respects reduced motion without a second path.
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: spec.horizontal ? 'y' : 'x',
      color: theme.fg,
      font: { family: theme.font },
      scales: {
        [spec.horizontal ? 'y' : 'x']: axis,
        [spec.horizontal ? 'x' : 'y']: valueAxis,
        ...(hasPercent
          ? {
              percent: {
                ...axis,
                position: 'right',
                beginAtZero: true,
                grid: { drawOnChartArea: false },
                ticks: { color: theme.muted, callback: (v: string | number) => percentFormat(Number(v)) },
              },
            }
          : {}),
      },
      plugins: {
        legend: { display: spec.legend ?? spec.series.length > 1, labels: { color: theme.fg, boxWidth: 12 } },
        tooltip: {
          callbacks: {
            label: (item) => {
              const series = spec.series[item.datasetIndex];
              const value = Number(item.raw);
              return `${series?.label ?? ''}: ${series?.percent ? percentFormat(value) : spec.format(value)}`;
            },
          },
        },
      },
    },
  };
}

/**
 * A chart with its title and its numbers as a table (the text alternative), as a figure. The
 * chart is drawn by `draw()` once the figure is in the page, so Chart.js measures a laid-out box.
 */
export function chartFigure(spec: ChartSpec): { element: HTMLElement; draw: (theme: Theme) => Chart<'bar' | 'line', number[], string> } {
  const captionId = `${spec.id}-title`;
  const canvas = h('canvas', { id: spec.id, role: 'img', 'aria-label': t('optionsChartLabel', spec.title) }, spec.title);
  const head = h('tr', {}, ...spec.table.head.map((cell) => h('th', { scope: 'col' }, cell)));
  const rows = spec.table.rows.map(([first, ...rest]) =>
    h('tr', {}, h('th', { scope: 'row' }, first ?? ''), ...rest.map((cell) => h('td', {}, cell))),
  );
  const element = h(
    'figure',
    { class: 'chart', 'data-chart': spec.id },
    h('figcaption', { id: captionId }, spec.title),
    h('div', { class: spec.horizontal ? 'chart-box chart-box-h' : 'chart-box' }, canvas),
    h(
      'details',
      { class: 'chart-data' },
      h('summary', {}, t('optionsChartTable')),
      h('table', { 'aria-labelledby': captionId }, h('thead', {}, head), h('tbody', {}, ...rows)),
    ),
  );
  if (spec.horizontal) element.style.setProperty('--bars', String(Math.max(spec.labels.length, 1)));
  return { element, draw: (theme) => new Chart(canvas, config(spec, theme)) };
}
