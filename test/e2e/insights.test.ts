import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { Page as FirefoxPage } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentState } from '../../src/shared/experiments/experiment.ts';
import type { Feedback, Impression } from '../../src/shared/db/schema.ts';
import type { StoredEvent } from '../../src/shared/events.ts';
import type { MetricsSnapshot } from '../../src/shared/insights.ts';
import { axeViolations } from './harness/axe.ts';
import { launchChromium, type ChromiumSession } from './harness/chromium.ts';
import { launchFirefox, type FirefoxSession } from './harness/firefox.ts';
import { privacyViolations, startDemoServer, type DemoServer } from './harness/server.ts';
import { SEED_EVENTS, SEED_RANKING, SEED_TITLES, seedUi } from './ui-seed.ts';

const PAGES = resolve('test/fixtures/demo');
const OPTIONS = 'src/options/index.html';
const DAY = 86_400_000;
const CHARTS = [
  'chart-funnel-day',
  'chart-by-platform',
  'chart-by-site',
  'chart-by-kind',
  'chart-by-strategy',
  'chart-metrics-ndcg',
  'chart-metrics-precision',
  'chart-experiment',
];
const STATUS = 'The full model is ahead of content-only: 14 wins to 6, p = 0.78, still testing.';

type Evaluator = Page | FirefoxPage;

/**
 * The insights seed, dated from now so the retention sweep keeps it: 24 suggestions over three
 * days from two strategies, 4 watch-link clicks, three trainings' metrics and a running A/B test
 * at 14 wins to 6 (a sign-test p of 0.115).
 */
/**
 * The seed's "now": noon of the local day, so an item an hour before it is on the same day
 * whenever the test runs (at 00:30 an hour earlier is yesterday, and the per-day rows would move).
 */
function middayToday(): number {
  const noon = new Date();
  noon.setHours(12, 0, 0, 0);
  return noon.getTime();
}

function insightsSeed(now: number): {
  impressions: Impression[];
  feedback: Feedback[];
  metrics: MetricsSnapshot[];
  experiment: ExperimentState;
  events: StoredEvent[];
} {
  const titles = ['three-body', 'frieren', 'the-bear', 'in-the-mood-for-love'];
  const impressions = Array.from({ length: 24 }, (_, i): Impression => ({
    titleId: titles[i % 4] as string,
    at: now - (2 - Math.floor(i / 8)) * DAY - 3_600_000 + i * 1000,
    rank: i % 8,
    strategy: i % 2 === 0 ? 'model' : 'content-only',
  }));
  const feedback: Feedback[] = [
    ...[2, 1, 0].map((d): Feedback => ({ titleId: 'three-body', kind: 'click', at: now - d * DAY - 60_000, platform: 'netflix' })),
    { titleId: 'frieren', kind: 'click', at: now - 60_000, platform: 'crunchyroll' },
  ];
  const snapshot = (at: number, model: number, content: number, popular: number): MetricsSnapshot => ({
    at,
    k: 10,
    trainTitles: 9,
    heldOutTitles: 3,
    costMs: 38,
    strategies: Object.fromEntries(
      Object.entries({ model, 'content-only': content, popular }).map(([name, n]) => [
        name,
        { precision: n / 3, recall: n, f1: n / 2, ndcg: n },
      ]),
    ),
  });
  const metrics = [
    snapshot(now - 2 * DAY, 0.3, 0.25, 0.1),
    snapshot(now - DAY, 0.38, 0.3, 0.12),
    snapshot(now - 3_600_000, 0.42, 0.31, 0.12),
  ];
  const experiment: ExperimentState = {
    tally: { a: 'model', b: 'content-only', winsA: 14, winsB: 6, ties: 2, impressions: 176 },
    pending: [],
  };
  // The UI seed's events, moved into the retention window.
  const events = SEED_EVENTS.map((e, i) => ({ ...e, at: now - (3 + i) * DAY, receivedAt: now - (3 + i) * DAY }));
  return { impressions, feedback, metrics, experiment, events };
}

/** Writes the seed from an extension page (test setup only: in the product only the background writes). */
async function seedInsights(page: Evaluator, now: number): Promise<void> {
  const seed = insightsSeed(now);
  await seedUi(page, { titles: SEED_TITLES, events: seed.events, ranking: SEED_RANKING });
  await (page as Page).evaluate(
    (s: ReturnType<typeof insightsSeed>) =>
      new Promise<void>((done, fail) => {
        const open = indexedDB.open('reelflow');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['impressions', 'feedback', 'kv'], 'readwrite');
          for (const i of s.impressions) tx.objectStore('impressions').add(i);
          for (const f of s.feedback) tx.objectStore('feedback').add(f);
          tx.objectStore('kv').put(s.metrics, 'metricsHistory');
          tx.objectStore('kv').put(s.experiment, 'experiment');
          tx.oncomplete = () => {
            db.close();
            done();
          };
          tx.onerror = () => fail(tx.error);
        };
      }),
    seed,
  );
}

/** Runs axe-core in the page with every chart's data table open, so the tables are checked too. */
async function axeWithTablesOpen(page: Evaluator): Promise<string[]> {
  await (page as Page).evaluate(() => document.querySelectorAll<HTMLDetailsElement>('details').forEach((d) => (d.open = true)));
  return axeViolations(page);
}

/**
 * Opens "how Reelflow checks its suggestions" (the metric history and the A/B test, folded under the
 * funnel) and waits until its charts have their size.
 */
async function openMore(page: Evaluator): Promise<void> {
  await (page as Page).evaluate(() => {
    const more = document.getElementById('insights-more') as HTMLDetailsElement | null;
    if (!more) throw new Error('no #insights-more');
    more.querySelector('summary')?.click();
  });
  await (page as Page).waitForFunction(() => (document.getElementById('chart-experiment')?.getBoundingClientRect().width ?? 0) > 100);
}

/** Each chart canvas's drawn size (CSS box and backing store). */
async function chartSizes(page: Evaluator): Promise<Record<string, [number, number, number]>> {
  return (page as Page).evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll<HTMLCanvasElement>('figure.chart canvas')].map((c) => [
        c.id,
        [c.getBoundingClientRect().width, c.getBoundingClientRect().height, c.width * c.height],
      ]),
    ),
  ) as Promise<Record<string, [number, number, number]>>;
}

/** Whether the per-day chart has pixels of the scheme's first series colour (the "shown" bars). */
/**
 * The first series colour and how many pixels of the per-day chart are drawn in it, once the chart
 * shows it (a redraw after a scheme change lands a frame or more after the colours change), or after 5 s.
 */
async function drawnInSeriesColour(page: Page): Promise<{ colour: string; pixels: number }> {
  const end = Date.now() + 5000;
  for (;;) {
    const drawn = await countSeriesPixels(page);
    if (drawn.pixels > 50 || Date.now() > end) return drawn;
    await page.waitForTimeout(100);
  }
}

async function countSeriesPixels(page: Page): Promise<{ colour: string; pixels: number }> {
  return page.evaluate(() => {
    const colour = getComputedStyle(document.documentElement).getPropertyValue('--chart-1').trim();
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    const canvas = document.getElementById('chart-funnel-day') as HTMLCanvasElement;
    const data = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
    let pixels = 0;
    for (let i = 0; i < data.length; i += 4)
      if (data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255) pixels += 1;
    return { colour, pixels };
  });
}

describe('insights page in real Chromium', () => {
  let server: DemoServer;
  let session: ChromiumSession;
  let options: Page;
  const pageProblems: string[] = [];

  const openOptions = async (scheme: 'light' | 'dark' = 'light'): Promise<Page> => {
    const page = await session.context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') pageProblems.push(m.text());
    });
    page.on('pageerror', (e) => pageProblems.push(e.message));
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`chrome-extension://${session.extensionId}/${OPTIONS}`);
    await page.waitForSelector('body[data-ready="true"]');
    return page;
  };

  beforeAll(async () => {
    server = await startDemoServer(PAGES);
    session = await launchChromium({ proxyPort: server.proxyPort });
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('says there is nothing yet, without loading the chart code, before anything was shown', async () => {
    options = await openOptions();
    expect(await options.locator('#insights-empty').textContent()).toContain('Nothing to show yet');
    expect(await options.locator('#insights canvas').count()).toBe(0);
    expect(await options.locator('#model-state').textContent()).toContain('Not measured yet');
    const scripts = await options.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    expect(scripts.filter((url) => url.includes('insights-charts'))).toEqual([]);
  });

  it('draws the funnel, breakdowns, metric history and A/B status from seeded data', async () => {
    await seedInsights(options, middayToday());
    await options.reload();
    await options.waitForSelector('body[data-ready="true"]');
    // What the user got leads; the ranking quality and the A/B test are folded under it, in words.
    expect(await options.locator('#insights-more').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await options.locator('#funnel-total').isVisible()).toBe(true);
    await openMore(options);
    const sizes = await chartSizes(options);
    expect(Object.keys(sizes).sort()).toEqual([...CHARTS].sort());
    for (const [id, [width, height, backing]] of Object.entries(sizes)) {
      expect(width, id).toBeGreaterThan(100);
      expect(height, id).toBeGreaterThan(80);
      expect(backing, id).toBeGreaterThan(0);
    }
    expect(await options.locator('#experiment-status').textContent()).toBe(STATUS);
    expect(await options.locator('#funnel-total').textContent()).toBe('24 suggestions shown, 4 watch links clicked: 16.7% click-through.');
    expect(await options.locator('#metrics-best').textContent()).toBe('The full model ranks your recent titles best (NDCG@10 0.42).');
    // The text alternative: the per-day table has the three days with their counts.
    const dayRows = await options
      .locator('[data-chart="chart-funnel-day"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.children].slice(1).map((c) => c.textContent)));
    expect(dayRows).toEqual([
      ['8', '1', '12.5%'],
      ['8', '1', '12.5%'],
      ['8', '2', '25%'],
    ]);
    expect(await options.locator('[data-chart="chart-by-platform"] tbody th').allTextContents()).toEqual(['Crunchyroll', 'Netflix']);
    expect(await options.locator('[data-chart="chart-experiment"] tbody tr').evaluateAll((rows) => rows.map((r) => r.textContent))).toEqual(
      ['The full model14', 'Content-only6', 'Ties2'],
    );
    // Model section: the latest metrics in words instead of "not trained".
    const model = await options.locator('#model-state').textContent();
    expect(model).toContain('The full model ranks your recent titles best (NDCG@10 0.42).');
    expect(model).toContain('Most popular: NDCG@10 0.12');
  });

  it('downloads the funnel and the metric history as CSV and everything as JSON', async () => {
    const save = async (id: string): Promise<{ name: string; text: string }> => {
      const [download] = await Promise.all([options.waitForEvent('download'), options.locator(`#${id}`).click()]);
      return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
    };
    const funnel = await save('export-funnel-csv');
    expect(funnel.name).toMatch(/^reelflow-funnel-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = funnel.text.split('\r\n');
    expect(lines[0]).toBe('group,key,impressions,clicks,ctr');
    expect(lines.filter((l) => l.startsWith('day,'))).toHaveLength(3);
    expect(lines).toContain('platform,netflix,0,3,0');
    expect(lines).toContain('kind,anime-series,6,1,0.1667');
    expect(lines).toContain('strategy,model,12,3,0.25');
    expect(lines).toContain('total,total,24,4,0.1667');

    const metrics = await save('export-metrics-csv');
    const rows = metrics.text.trim().split('\r\n');
    expect(rows[0]).toBe('measured_at,k,strategy,precision,recall,f1,ndcg,train_titles,held_out_titles,cost_ms');
    expect(rows).toHaveLength(1 + 3 * 3);
    expect(rows.at(-3)).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z,10,model,0\.14,0\.42,0\.21,0\.42,9,3,38$/);

    const json = JSON.parse((await save('export-insights-json')).text) as {
      format: string;
      funnel: { total: { impressions: number } };
      metrics: unknown[];
      experiment: { winsA: number };
    };
    expect([json.format, json.funnel.total.impressions, json.metrics.length, json.experiment.winsA]).toEqual([
      'reelflow-insights',
      24,
      3,
      14,
    ]);
    expect(await options.locator('#status').textContent()).toMatch(/^Saved reelflow-insights-.*\.json\.$/);
  });

  it('draws in the colours of the scheme and redraws when it changes', async () => {
    const page = await openOptions('light');
    await page.locator('#chart-funnel-day').waitFor();
    const light = await drawnInSeriesColour(page);
    expect(light.pixels, light.colour).toBeGreaterThan(50);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => getComputedStyle(document.documentElement).getPropertyValue('--chart-1').trim() !== '#2f5f9e');
    const dark = await drawnInSeriesColour(page);
    expect(dark.colour).not.toBe(light.colour);
    expect(dark.pixels, dark.colour).toBeGreaterThan(50);
    await page.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no axe-core violations with the insights and their tables shown (${scheme})`, async () => {
      const page = await openOptions(scheme);
      await openMore(page);
      expect(await axeWithTablesOpen(page), scheme).toEqual([]);
      await page.close();
    });
  }

  it('broke no content security policy and made no network request', () => {
    expect(pageProblems).toEqual([]);
    expect(session.extensionRequests).toEqual([]);
    expect(privacyViolations(server.log)).toEqual([]);
  });
});

describe('insights page in real Firefox', () => {
  let server: DemoServer;
  let session: FirefoxSession;

  beforeAll(async () => {
    server = await startDemoServer(PAGES);
    session = await launchFirefox({ proxyPort: server.proxyPort });
    const page = await session.openExtensionPage(OPTIONS);
    await page.waitForSelector('body[data-ready="true"]');
    await seedInsights(page, middayToday());
    await page.close();
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('draws every chart, says the A/B status and has no axe-core violations', async () => {
    const page = await session.openExtensionPage(OPTIONS);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('#chart-experiment');
    await openMore(page);
    const sizes = await chartSizes(page);
    expect(Object.keys(sizes).sort()).toEqual([...CHARTS].sort());
    for (const [id, [width, height, backing]] of Object.entries(sizes)) {
      expect(width * height * backing, id).toBeGreaterThan(0);
    }
    expect(await page.$eval('#experiment-status', (p) => p.textContent)).toBe(STATUS);
    expect(await axeWithTablesOpen(page)).toEqual([]);
    await page.close();
  });

  it('made no network request', () => {
    expect(privacyViolations(server.log)).toEqual([]);
  });
});
