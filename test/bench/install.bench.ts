import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium } from '../e2e/harness/chromium.ts';
import { startDemoServer } from '../e2e/harness/server.ts';
import type { CatalogStatus } from '../../src/shared/messages.ts';
import { quantile, type BenchSuite } from './figures.ts';

/**
 * The first start in real Chromium: the built extension installs its packaged default catalog into
 * IndexedDB (validate, build the linker, write every title). Reference, in the same browser and
 * run: a bare IndexedDB put loop of the same records (the file's titles as parsed, 1,000 puts per
 * wait, as the install writes them) into a scratch database of an extension page. Meanwhile the
 * page asks `settings:get` every 100 ms: the slowest answer says whether the worker keeps answering.
 */
const PUT_LOOP = `(async () => {
  const api = globalThis.browser ?? globalThis.chrome;
  const response = await fetch(api.runtime.getURL('/catalog/default-catalog.json.gz'));
  const text = await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).text();
  const titles = JSON.parse(text).titles;
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('reelflow-bench-' + Math.random(), 1);
    open.onupgradeneeded = () => open.result.createObjectStore('titles', { keyPath: 'id' });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const started = performance.now();
  await new Promise((resolve, reject) => {
    const tx = db.transaction('titles', 'readwrite');
    const store = tx.objectStore('titles');
    let i = 0;
    const next = () => {
      let last;
      for (const end = Math.min(titles.length, i + 1000); i < end; i += 1) last = store.put(titles[i]);
      if (i < titles.length) last.onsuccess = next;
    };
    next();
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  const ms = performance.now() - started;
  db.close();
  return { ms, count: titles.length };
})()`;

const ASK_DURING_FIRST_START = `(async () => {
  const api = globalThis.browser ?? globalThis.chrome;
  const send = (type) => api.runtime.sendMessage({ reelflow: 1, type, payload: {} });
  const latencies = [];
  let status;
  const watch = (async () => {
    for (;;) {
      const reply = await send('catalog:status');
      if (reply && reply.ok && reply.value.lastInstall) return (status = reply.value);
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  while (!status) {
    const asked = performance.now();
    await send('settings:get');
    latencies.push(performance.now() - asked);
    await new Promise((r) => setTimeout(r, 50));
  }
  await watch;
  return { latencies, status };
})()`;

const suite: BenchSuite = {
  name: 'install',
  async run() {
    if (!existsSync('dist/chrome/manifest.json')) throw new Error('install bench needs the build: run `npm run build` first');
    const server = await startDemoServer(resolve('test/fixtures/demo'));
    const session = await launchChromium({ proxyPort: server.proxyPort, waitForFirstStart: false });
    try {
      const page = session.firstPage ?? (await session.openExtensionPage('src/options/index.html'));
      // Asked every 50 ms from a page opened as the worker starts, until the install is done (checked apart:
      // catalog:status counts titles, which waits for the install's write to end).
      const { latencies, status } = (await page.evaluate(ASK_DURING_FIRST_START)) as { latencies: number[]; status: CatalogStatus };
      const install = status.lastInstall;
      if (!install) throw new Error('no install measured');
      const loops: number[] = [];
      let count = 0;
      for (let r = 0; r < 3; r += 1) {
        const loop = (await page.evaluate(PUT_LOOP)) as { ms: number; count: number };
        loops.push(loop.ms);
        count = loop.count;
      }
      const putLoop = quantile(
        [...loops].sort((a, b) => a - b),
        0.5,
      );
      latencies.sort((a, b) => a - b);
      return [
        {
          name: 'first-start install of the default catalog (validate, linker, write)',
          value: install.totalMs,
          unit: 'ms',
          reference: { name: `bare IndexedDB put loop of the same ${count} records, same browser`, value: putLoop, unit: 'ms' },
          ratio: install.totalMs / putLoop,
          target: '<= 2x reference',
          note:
            `validate ${install.parseMs.toFixed(0)} ms, linker ${install.linkerMs.toFixed(0)} ms, ` +
            `write ${install.writeMs.toFixed(0)} ms; ${status.titleCount} titles stored`,
        },
        {
          name: 'settings:get answered during an install, slowest',
          value: latencies[latencies.length - 1] ?? Number.NaN,
          unit: 'ms',
          reference: { name: 'median answer in the same polls', value: quantile(latencies, 0.5), unit: 'ms' },
          ratio: (latencies[latencies.length - 1] ?? Number.NaN) / quantile(latencies, 0.5),
          target: 'answered throughout',
          note: `${latencies.length} asks every ~50 ms from a page opened as the worker started, until the install was done`,
        },
      ];
    } finally {
      await session.close();
      await server.close();
    }
  },
};
export default suite;
