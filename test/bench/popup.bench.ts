import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium } from '../e2e/harness/chromium.ts';
import { startDemoServer } from '../e2e/harness/server.ts';
import { seedUi } from '../e2e/ui-seed.ts';
import { quantile, type BenchSuite } from './figures.ts';

const RUNS = 15;

/**
 * Time from the popup's navigation start to its first suggestion in the DOM (the
 * `reelflow:first-suggestion` mark), in real Chromium with the built extension and seeded data.
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
      const page = await session.context.newPage();
      await page.setViewportSize({ width: 380, height: 600 });
      const first: number[] = [];
      const loaded: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        await page.goto(`chrome-extension://${session.extensionId}/src/popup/index.html`);
        await page.waitForSelector('body[data-ready="true"]');
        const [mark, dcl] = await page.evaluate(() => [
          performance.getEntriesByName('reelflow:first-suggestion')[0]?.startTime ?? Number.NaN,
          (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventEnd ?? Number.NaN,
        ]);
        if (i > 0) {
          // The first load warms the service worker and the database; a popup opened later finds them warm too.
          first.push(mark);
          loaded.push(dcl);
        }
      }
      first.sort((a, b) => a - b);
      loaded.sort((a, b) => a - b);
      const median = quantile(first, 0.5);
      const reference = quantile(loaded, 0.5);
      return [
        {
          name: 'popup first suggestion (median)',
          value: median,
          unit: 'ms',
          reference: { name: 'popup DOMContentLoaded', value: reference, unit: 'ms' },
          ratio: median / reference,
          target: '<= 100 ms',
          note: `p90 ${quantile(first, 0.9).toFixed(1)} ms over ${first.length} warm opens`,
        },
      ];
    } finally {
      await session.close();
      await server.close();
    }
  },
};
export default suite;
