import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../e2e/harness/chromium.ts';
import { startDemoServer } from '../e2e/harness/server.ts';
import { seedUi } from '../e2e/ui-seed.ts';
import { quantile, type BenchSuite } from './figures.ts';

const RUNS = 15;
/** Opens with the background asleep: each wakes the service worker, so they are slow and few. */
const COLD_RUNS = 5;

/** One popup open, in ms from its navigation start. */
interface Open {
  /** DOMContentLoaded ended: the page and its scripts loaded and ran. */
  dcl: number;
  /** The popup's script started (and asked for the snapshot). */
  started: number;
  /** The popup sent popup:suggestions... */
  asked: number;
  /** ...and had the answer. */
  answered: number;
  /** The first suggestion is in the DOM. */
  inDom: number;
  /** The first suggestion's heading was painted (Element Timing). */
  painted: number;
  /** The page's first paint with any content (the header), for comparison. */
  fcp: number;
}

/**
 * Reads one open's timings. A string, not a function: the page runs it as written (no helpers
 * a transpiler might add). Element Timing entries reach observers only, hence the buffered one.
 */
const READ_OPEN = `new Promise((resolve) => {
  const nav = performance.getEntriesByType('navigation')[0];
  const mark = (name) => performance.getEntriesByName('reelflow:' + name)[0]?.startTime ?? NaN;
  const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
  const result = { dcl: nav?.domContentLoadedEventEnd ?? NaN, started: mark('started'), asked: mark('asked'), answered: mark('answered'), inDom: mark('first-suggestion'), painted: NaN, fcp };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.identifier === 'reelflow:first-suggestion') {
        result.painted = entry.renderTime || entry.loadTime;
        observer.disconnect();
        resolve(result);
      }
    }
  });
  observer.observe({ type: 'element', buffered: true });
  setTimeout(() => { observer.disconnect(); resolve(result); }, 2000);
})`;

async function open(page: Page, url: string): Promise<Open> {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return (await page.evaluate(READ_OPEN)) as Open;
}

/** Median and p90 of the finite values; `missing` counts the rest (an open without that stage). */
function stats(values: number[]): { median: number; p90: number; missing: number } {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return { median: quantile(finite, 0.5), p90: quantile(finite, 0.9), missing: values.length - finite.length };
}

/** Median of each stage, so a slow figure says where its time went. */
function breakdown(opens: Open[]): string {
  const stages: [string, (o: Open) => number][] = [
    ['DCL', (o) => o.dcl],
    ['script started', (o) => o.started],
    ['asked', (o) => o.asked],
    ['message round trip', (o) => o.answered - o.asked],
    ['in DOM', (o) => o.inDom],
    ['painted', (o) => o.painted],
    ['first contentful paint', (o) => o.fcp],
  ];
  return stages.map(([name, of]) => `${name} ${stats(opens.map(of)).median.toFixed(0)}`).join(', ');
}

/** Stops the extension's service worker, as Chromium does after 30 s idle (never, while a DevTools client is attached). */
async function stopWorker(cdp: CDPSession): Promise<void> {
  await cdp.send('ServiceWorker.stopAllWorkers');
}

/**
 * Time from the popup's navigation start to its first suggestion in the DOM (the
 * `reelflow:first-suggestion` mark) and painted (Element Timing on its heading), in real Chromium
 * with the built extension and seeded data. Warm opens find the background running (the test
 * harness keeps it awake); asleep opens stop it first, like a popup opened long after the last use.
 * Reference: the same page's DOMContentLoaded, i.e. what loading the page alone costs.
 */
const suite: BenchSuite = {
  name: 'popup',
  async run() {
    if (!existsSync('dist/chrome/manifest.json')) throw new Error('popup bench needs the build: run `npm run build` first');
    const server = await startDemoServer(resolve('test/fixtures/demo'));
    const session = await launchChromium({ proxyPort: server.proxyPort });
    try {
      const options = await session.openExtensionPage('src/options/index.html');
      await options.waitForSelector('body[data-ready="true"]');
      await seedUi(options);
      await options.close();
      const page = await session.context.newPage();
      await page.setViewportSize({ width: 380, height: 600 });
      const url = `chrome-extension://${session.extensionId}/src/popup/index.html`;
      const warm: Open[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const timings = await open(page, url);
        // The first load warms the service worker and the database; a popup opened later finds them warm too.
        if (i > 0) warm.push(timings);
      }
      const cdp = await session.context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      const asleep: Open[] = [];
      for (let i = 0; i < COLD_RUNS; i += 1) {
        await page.goto('about:blank');
        await stopWorker(cdp);
        await page.waitForTimeout(500);
        asleep.push(await open(page, url));
      }
      await cdp.detach();

      const reference = { name: 'popup DOMContentLoaded', value: stats(warm.map((o) => o.dcl)).median, unit: 'ms' };
      const figure = (name: string, opens: Open[], field: keyof Open, note: string) => {
        const s = stats(opens.map((o) => o[field]));
        const missing = s.missing > 0 ? `; ${s.missing} opens without it` : '';
        return { name, value: s.median, unit: 'ms', reference, ratio: s.median / reference.value, target: '<= 100 ms', note: `p90 ${s.p90.toFixed(1)} ms over ${opens.length} ${note}${missing}; medians: ${breakdown(opens)}` };
      };
      return [
        figure('popup first suggestion (median)', warm, 'inDom', 'warm opens, in the DOM'),
        figure('popup first suggestion painted (median)', warm, 'painted', 'warm opens, Element Timing'),
        figure('popup first suggestion, background asleep (median)', asleep, 'inDom', 'opens with the service worker stopped first'),
      ];
    } finally {
      await session.close();
      await server.close();
    }
  },
};
export default suite;
