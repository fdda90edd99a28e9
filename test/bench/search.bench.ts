import { createTitleSearch } from '../../src/shared/catalog/search.ts';
import { parseCatalog } from '../../src/shared/catalog/schema.ts';
import type { CatalogTitle } from '../../src/shared/catalog/types.ts';
import { readDefaultCatalogText } from '../fixtures/default-catalog.ts';
import { quantile, type BenchSuite } from './figures.ts';

/** What a new user types in the first-run search, one keystroke at a time. */
const QUERIES = [
  'inception',
  'the dark knight',
  'stranger things',
  'breaking bad',
  '三体',
  '盗梦空间',
  '进击的巨人',
  '鬼滅の刃',
  'star wars',
  'friends',
];
const KEYSTROKES = QUERIES.flatMap((q) => Array.from(q, (_, i) => q.slice(0, i + 1)));

/** The search before this index: every name lower-cased on every query, every match sorted. */
function referenceSearch(all: readonly CatalogTitle[], query: string, limit: number): CatalogTitle[] {
  const needle = query.trim().toLowerCase();
  const scored: { title: CatalogTitle; score: number }[] = [];
  for (const title of all) {
    let best = 0;
    for (const name of [...Object.values(title.titles).flat(), ...title.aliases].map((n) => n.toLowerCase())) {
      if (name === needle) best = Math.max(best, 3);
      else if (name.startsWith(needle)) best = Math.max(best, 2);
      else if (name.includes(needle)) best = Math.max(best, 1);
    }
    if (best > 0) scored.push({ title, score: best + title.popularity / 2 });
  }
  scored.sort((a, b) => b.score - a.score || a.title.id.localeCompare(b.title.id));
  return scored.slice(0, limit).map((entry) => entry.title);
}

function perKeystroke(run: (query: string) => unknown, rounds = 3): number[] {
  const times: number[] = [];
  for (let r = 0; r < rounds; r += 1)
    for (const query of KEYSTROKES) {
      const t0 = performance.now();
      run(query);
      times.push(performance.now() - t0);
    }
  return times.sort((a, b) => a - b);
}

/** First-run search on the full default catalog, per keystroke, against the search it replaced (same run). */
const suite: BenchSuite = {
  name: 'search',
  async run() {
    const parsed = parseCatalog(readDefaultCatalogText());
    if (!parsed.ok) throw new Error(parsed.error);
    const titles = parsed.catalog.titles;
    const t0 = performance.now();
    const index = createTitleSearch(titles);
    const buildMs = performance.now() - t0;
    perKeystroke((q) => index.search(q, 8), 1); // warm
    const ours = perKeystroke((q) => index.search(q, 8));
    const reference = perKeystroke((q) => referenceSearch(titles, q, 8), 1);
    const p95 = quantile(ours, 0.95);
    const refP95 = quantile(reference, 0.95);
    return [
      {
        name: 'onboarding search p95 per keystroke',
        value: p95,
        unit: 'ms',
        reference: { name: 'per-query lower-casing and full sort (the search it replaced)', value: refP95, unit: 'ms' },
        ratio: p95 / refP95,
        target: '<= 30 ms p95 on the full catalog',
        note:
          `${titles.length} titles, ${KEYSTROKES.length} keystrokes × 3; median ${quantile(ours, 0.5).toFixed(2)} ms; ` +
          `index built once in ${buildMs.toFixed(0)} ms`,
      },
    ];
  },
};

export default suite;
