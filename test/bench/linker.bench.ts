import { readFileSync } from 'node:fs';
import AhoCorasick from 'modern-ahocorasick';
import { foldName, foldText, getFoldTable } from '../../src/shared/catalog/fold.ts';
import { buildLinker, linkInput, linkerFromSnapshot, linkerSnapshot } from '../../src/shared/catalog/linker.ts';
import { scanTrie } from '../../src/shared/catalog/matcher.ts';
import { parseCatalog } from '../../src/shared/catalog/schema.ts';
import { quantile, sample, type BenchSuite } from './figures.ts';
import { readDefaultCatalogText } from '../fixtures/default-catalog.ts';

/** Mixed zh/en posts: the dev sets' texts (saved pages, invented posts), repeated to about 300 k characters; linking is per post. */
function corpus(): string[] {
  const dev = JSON.parse(readFileSync('test/fixtures/catalog/dev-set.json', 'utf8')) as { items: { text: string; subject?: string }[] };
  const invented = JSON.parse(readFileSync('test/fixtures/catalog/dev-posts.json', 'utf8')) as {
    items: { text: string; title?: string }[];
  };
  const posts = [...dev.items.map((i) => `${i.subject ?? ''} ${i.text}`), ...invented.items.map((i) => `${i.title ?? ''} ${i.text}`)];
  const size = posts.reduce((n, p) => n + p.length, 0);
  return Array.from({ length: Math.ceil(300_000 / size) }, () => posts).flat();
}

/** Linking throughput and matcher build against the full default catalog, with modern-ahocorasick as the same-run reference. */
const suite: BenchSuite = {
  name: 'linker',
  async run() {
    const parsed = parseCatalog(readDefaultCatalogText());
    if (!parsed.ok) throw new Error(parsed.error);
    const titles = parsed.catalog.titles;
    const t0 = performance.now();
    getFoldTable();
    const tables = performance.now() - t0;
    const heap0 = process.memoryUsage().heapUsed;
    let linker = buildLinker(titles);
    const heap = (process.memoryUsage().heapUsed - heap0) / 1e6;
    const builds = await sample(() => (linker = buildLinker(titles)), 300, 3);
    // What a restarted service worker does instead of a build: the saved snapshot read back
    // (structuredClone stands in for IndexedDB's clone) and the linker rebuilt around it.
    const snapshot = linkerSnapshot(linker);
    const restores = await sample(() => linkerFromSnapshot(structuredClone(snapshot)), 300, 3);
    const patterns = linker.trie.patterns;
    // One timed build: the reference takes seconds for this many patterns.
    const r0 = performance.now();
    const reference = new AhoCorasick(patterns);
    const refBuilds = [performance.now() - r0];

    const posts = corpus();
    const bytes = posts.reduce((n, p) => n + Buffer.byteLength(p, 'utf8'), 0) / 1e6;
    // Ours: fold each post and find the names in it (a reused buffer, as the background does).
    let buffer = foldText('');
    const ours = await sample(
      () => {
        for (const post of posts) {
          buffer = foldText(post, buffer);
          scanTrie(linker.trie, buffer);
        }
      },
      300,
      5,
    );
    // The reference scans posts folded beforehand (its folding is not timed): a conservative comparison.
    const prefolded = posts.map((p) => foldName(p));
    const theirs = await sample(
      () => {
        for (const post of prefolded) reference.count(post);
      },
      300,
      3,
    );
    // The whole path an event takes: ids, hashtags, names, support and context words (warmed up first, as a running worker is).
    for (const post of posts) linkInput(linker, { texts: [post], hashtags: [], urls: [] }, buffer);
    const full = await sample(
      () => {
        for (const post of posts) linkInput(linker, { texts: [post], hashtags: [], urls: [] }, buffer);
      },
      300,
      5,
    );
    const fullMbs = bytes / (quantile(full, 0.5) / 1000);
    const mbs = bytes / (quantile(ours, 0.5) / 1000);
    const refMbs = bytes / (quantile(theirs, 0.5) / 1000);
    const build = quantile(builds, 0.5);
    const refBuild = quantile(refBuilds, 0.5);
    return [
      {
        name: 'link throughput (fold + scan, mixed zh/en)',
        value: mbs,
        unit: 'MB/s',
        reference: { name: 'modern-ahocorasick count per pre-folded post, same patterns', value: refMbs, unit: 'MB/s' },
        ratio: mbs / refMbs,
        target: '>= 20 MB/s, >= reference',
      },
      {
        name: 'linkInput, the whole path (ids, hashtags, names, support), mixed zh/en',
        value: fullMbs,
        unit: 'MB/s',
        reference: { name: 'fold + scan alone, same run', value: mbs, unit: 'MB/s' },
        ratio: fullMbs / mbs,
        target: '>= 20 MB/s',
      },
      {
        name: 'matcher build (warm)',
        value: build,
        unit: 'ms',
        reference: { name: 'modern-ahocorasick build, same patterns', value: refBuild, unit: 'ms' },
        ratio: build / refBuild,
        target: '<= 0.5x reference',
        note: `${patterns.length} names, ${titles.length} titles`,
      },
      {
        name: 'linker restore from the saved snapshot (clone + rebuild of the lists)',
        value: quantile(restores, 0.5),
        unit: 'ms',
        reference: { name: 'matcher build, same run', value: build, unit: 'ms' },
        ratio: quantile(restores, 0.5) / build,
        target: '<= 0.5x build',
      },
      { name: 'fold tables (once per process)', value: tables, unit: 'ms' },
      { name: 'matcher heap', value: heap, unit: 'MB', note: 'heap delta of the first build (GC noise possible)' },
    ];
  },
};
export default suite;
