import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium } from '../e2e/harness/chromium.ts';
import { sendRaw, waitFor } from '../e2e/harness/extension-page.ts';
import { startDemoServer } from '../e2e/harness/server.ts';
import { seedUi } from '../e2e/ui-seed.ts';
import { DEFAULT_PIPELINE_OPTIONS, prepareUser, rankCatalog } from '../../src/shared/model/pipeline.ts';
import { priorModel, trainLogistic } from '../../src/shared/model/logistic.ts';
import { buildTitleIndex } from '../../src/shared/model/title-index.ts';
import type { ModelStatus, Reply } from '../../src/shared/messages.ts';
import { fixtureCatalog, linkedEvent } from '../fixtures/catalog.ts';
import { quantile, type BenchSuite } from './figures.ts';

const TITLES = 3000;
const EVENTS = 200;
/** Longer than the background's start takes to write its popup snapshot after a retrain that woke it. */
const SETTLE_MS = 2_500;

/**
 * A full retrain in real Chromium (the built extension's service worker, its tfjs backend, its
 * IndexedDB), requested through `model:retrain`; reference: the same data through the same
 * pipeline with the plain Float32Array trainer in node, in the same run.
 */
const suite: BenchSuite = {
  name: 'retrain',
  async run() {
    if (!existsSync('dist/chrome/manifest.json')) throw new Error('retrain bench needs the build: run `npm run build` first');
    const base = fixtureCatalog();
    const titles = Array.from({ length: TITLES }, (_, i) => {
      const t = base[i % base.length] as (typeof base)[number];
      return { ...t, id: `${t.id}-${i}`, popularity: ((i * 7919) % 1000) / 1000 };
    });
    const t0 = Date.UTC(2026, 9, 1);
    const events = Array.from({ length: EVENTS }, (_, i) =>
      linkedEvent((titles[(i * 37) % TITLES] as (typeof titles)[number]).id, { at: t0 + i * 3_600_000, action: i % 3 ? 'like' : 'share' }),
    );

    const nodeTimes: number[] = [];
    for (let r = 0; r < 3; r += 1) {
      const start = performance.now();
      const index = buildTitleIndex(titles);
      const prepared = prepareUser({ index, events, feedback: [], impressions: [], now: Date.now() });
      rankCatalog(prepared, trainLogistic(prepared.set, { ...DEFAULT_PIPELINE_OPTIONS.train, prior: priorModel() }));
      nodeTimes.push(performance.now() - start);
    }

    const server = await startDemoServer(resolve('test/fixtures/demo'));
    const session = await launchChromium({ proxyPort: server.proxyPort });
    try {
      const page = await session.openExtensionPage('src/options/index.html');
      await page.waitForSelector('body[data-ready="true"]');
      await seedUi(page, { titles, events, ranking: { computedAt: 0, modelVersion: 0, coldStart: true, items: [] } });
      const times: number[] = [];
      const warmWall: number[] = [];
      let backend = '?';
      // Wall time from the page: a message that wakes a stopped worker waits for its start too.
      const retrain = async (): Promise<{ wall: number; inWorker: number }> => {
        const started = performance.now();
        const reply = (await sendRaw(page, { reelflow: 1, type: 'model:retrain', payload: {} })) as Reply<ModelStatus>;
        const wall = performance.now() - started;
        if (!reply.ok) throw new Error(reply.error.message);
        backend = reply.value.backend;
        return { wall, inWorker: reply.value.lastTrainMs ?? Number.NaN };
      };
      for (let r = 0; r < 4; r += 1) {
        const run = await retrain();
        times.push(run.inWorker);
        // The first one builds the title index (and saves it): warm runs are the others.
        if (r > 0) warmWall.push(run.wall);
      }
      // While a DevTools client is attached Chromium never stops the worker on its own: stop it explicitly.
      const cdp = await session.context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      let running = true;
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        for (const version of versions) running = version.runningStatus !== 'stopped';
      });
      const coldWall: number[] = [];
      const afterRestart: number[] = [];
      for (let r = 0; r < 3; r += 1) {
        await cdp.send('ServiceWorker.stopAllWorkers');
        await waitFor(async () => !running, 'the worker stopped', 15_000);
        const run = await retrain();
        coldWall.push(run.wall);
        afterRestart.push(run.inWorker);
        // The start's own work (its popup snapshot, a second in) is done before a warm run is timed.
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        warmWall.push((await retrain()).wall);
      }
      const median = quantile(
        [...times].sort((a, b) => a - b),
        0.5,
      );
      const reference = quantile(
        [...nodeTimes].sort((a, b) => a - b),
        0.5,
      );
      const list = (times: number[]): string => times.map((t) => t.toFixed(0)).join(', ');
      const coldMedian = quantile(
        [...coldWall].sort((a, b) => a - b),
        0.5,
      );
      const warmMedian = quantile(
        [...warmWall].sort((a, b) => a - b),
        0.5,
      );
      return [
        {
          name: `first retrain after a service-worker restart (${EVENTS} events, default catalog + ${TITLES} titles)`,
          value: coldMedian,
          unit: 'ms',
          reference: { name: 'a warm retrain in the same worker, same data', value: warmMedian, unit: 'ms' },
          ratio: coldMedian / warmMedian,
          target: '<= 2',
          note:
            `wall time from the options page, the worker's start included; after restarts: ${list(coldWall)} ms ` +
            `(in the learner ${list(afterRestart)} ms), warm ${list(warmWall)} ms`,
        },
        {
          name: `full retrain in Chromium's service worker (${EVENTS} events, ${TITLES} titles, tfjs ${backend})`,
          value: median,
          unit: 'ms',
          reference: { name: 'same pipeline in node with the plain trainer', value: reference, unit: 'ms' },
          ratio: median / reference,
          note: `runs: ${times.map((t) => t.toFixed(0)).join(', ')} ms; the first includes building the title index`,
        },
      ];
    } finally {
      await session.close();
      await server.close();
    }
  },
};
export default suite;
