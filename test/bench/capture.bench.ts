import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { JSDOM } from 'jsdom';
import type { AdapterContext } from '../../src/content/adapter.ts';
import x from '../../src/content/sites/x.ts';
import { ACTION_KINDS } from '../../src/shared/events.ts';
import { quantile, type BenchSuite } from './figures.ts';

/** A 500-post X timeline built from the reduced fixture's first post, each with its own status id. */
function timeline(posts: number): JSDOM {
  const source = new JSDOM(readFileSync('test/fixtures/sites/x/timeline.html', 'utf8')).window.document;
  const post = source.querySelector('#post-a')?.closest('[data-testid="cellInnerDiv"]')?.outerHTML ?? '';
  const cells = Array.from({ length: posts }, (_, i) =>
    post.replaceAll('1900000000000000001', String(1900000000000000000n + BigInt(i))).replace('id="post-a"', `id="post-${i}"`),
  );
  return new JSDOM(`<!doctype html><html><body><main>${cells.join('')}</main></body></html>`, { url: 'https://x.com/home' });
}

/** The built content script (registered per site by the background); absent before `npm run build`. */
const CONTENT_SCRIPT = 'dist/chrome/src/content/main.js';

/** Its gzipped size against its raw size, and whether any tfjs slipped in. */
function contentScriptSize(): {
  name: string;
  value: number;
  unit: string;
  reference: { name: string; value: number; unit: string };
  ratio: number;
  target: string;
  note: string;
}[] {
  if (!existsSync(CONTENT_SCRIPT)) return [];
  const raw = readFileSync(CONTENT_SCRIPT);
  const gzipped = gzipSync(raw, { level: 9 }).length;
  const tfjs = /tensorflow|tfjs/i.test(raw.toString('utf8'));
  return [
    {
      name: 'content script size, gzipped',
      value: gzipped / 1024,
      unit: 'KB',
      reference: { name: 'the same file raw', value: raw.length / 1024, unit: 'KB' },
      ratio: gzipped / raw.length,
      target: '<= 20 KB, no tfjs',
      note: `${CONTENT_SCRIPT}; tfjs inside: ${tfjs ? 'YES' : 'no'}`,
    },
  ];
}

function perEvent(fn: () => void, runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

/** Capture-handler cost per click and the work a scroll causes, on a 500-post page (jsdom). */
const suite: BenchSuite = {
  name: 'capture',
  async run() {
    const bare = timeline(500);
    const page = timeline(500);
    const win = page.window;
    const registered: string[] = [];
    const add = win.document.addEventListener.bind(win.document);
    win.document.addEventListener = ((
      type: string,
      ...rest: Parameters<Document['addEventListener']> extends [string, ...infer R] ? R : never
    ) => {
      registered.push(type);
      add(type, ...rest);
    }) as Document['addEventListener'];
    let emitted = 0;
    const ctx: AdapterContext = {
      signal: new win.AbortController().signal,
      document: win.document,
      actions: new Set(ACTION_KINDS),
      emit: () => void (emitted += 1),
      retract: () => undefined,
      miss: () => undefined,
      now: () => Date.now(),
    };
    x.start(ctx);

    const buttons = [...win.document.querySelectorAll('[data-testid="like"] path')];
    const bareButtons = [...bare.window.document.querySelectorAll('[data-testid="like"] path')];
    const clickOn = (list: Element[], view: JSDOM['window']) => {
      let i = 0;
      return () => {
        const target = list[(i += 37) % list.length] as Element;
        target.dispatchEvent(new view.MouseEvent('click', { bubbles: true, composed: true }));
      };
    };
    const runs = 2000;
    perEvent(clickOn(buttons, win), 200); // warm-up
    perEvent(clickOn(bareButtons, bare.window), 200);
    const withAdapter = perEvent(clickOn(buttons, win), runs);
    const reference = perEvent(clickOn(bareButtons, bare.window), runs);

    const scroll = (view: JSDOM['window']) => () => {
      view.document.dispatchEvent(new view.Event('scroll'));
      view.dispatchEvent(new view.Event('scroll'));
      view.document.dispatchEvent(new view.WheelEvent('wheel', { bubbles: true }));
    };
    const before = emitted;
    const scrollWith = perEvent(scroll(win), runs);
    const scrollBare = perEvent(scroll(bare.window), runs);
    const scrollListeners = registered.filter((t) => /scroll|wheel|touch|pointermove|mousemove/.test(t)).length;
    const median = quantile(withAdapter, 0.5);
    const medianRef = quantile(reference, 0.5);
    return [
      {
        name: 'click on a like button, 500-post page, median',
        value: median,
        unit: 'ms',
        reference: { name: 'the same click with no adapter', value: medianRef, unit: 'ms' },
        ratio: median / medianRef,
        target: '<= 0.5 ms',
        note: `handler share ≈ ${(median - medianRef).toFixed(3)} ms; ${emitted} events built`,
      },
      {
        name: 'click on a like button, 500-post page, p99',
        value: quantile(withAdapter, 0.99),
        unit: 'ms',
        reference: { name: 'the same click with no adapter', value: quantile(reference, 0.99), unit: 'ms' },
        ratio: quantile(withAdapter, 0.99) / quantile(reference, 0.99),
      },
      {
        name: 'scroll + wheel dispatch, median',
        value: quantile(scrollWith, 0.5),
        unit: 'ms',
        reference: { name: 'the same dispatch with no adapter', value: quantile(scrollBare, 0.5), unit: 'ms' },
        ratio: quantile(scrollWith, 0.5) / quantile(scrollBare, 0.5),
        target: 'no work',
        note:
          `listeners registered: ${registered.join(', ')}; scroll-type listeners ${scrollListeners}; ` +
          `events during scroll ${emitted - before}`,
      },
      ...contentScriptSize(),
    ];
  },
};
export default suite;
