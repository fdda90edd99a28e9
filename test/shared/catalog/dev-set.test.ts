import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildLinker, linkInput, type LinkInput } from '../../../src/shared/catalog/linker.ts';
import { parseCatalog } from '../../../src/shared/catalog/schema.ts';
import { readDefaultCatalogText } from '../../fixtures/default-catalog.ts';
import { devCases, pr, scoreLinker, scoreTable } from '../../fixtures/catalog/dev-set-eval.ts';

interface DevItem {
  source: string;
  site: string;
  subject?: string;
  text: string;
  expected: string[];
  acceptable?: string[];
  textExpected?: string[];
}

const devSet = JSON.parse(readFileSync('test/fixtures/catalog/dev-set.json', 'utf8')) as { items: DevItem[] };
const parsed = parseCatalog(readDefaultCatalogText());
if (!parsed.ok) throw new Error(parsed.error);
const linker = buildLinker(parsed.catalog.titles);

function score(withSubject: boolean): { precision: number; recall: number; misses: string[]; wrong: string[] } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const misses: string[] = [];
  const wrong: string[] = [];
  for (const item of devSet.items) {
    const input: LinkInput = { texts: item.text ? [item.text] : [] };
    if (withSubject && item.subject) input.subject = item.subject;
    const got = new Set(linkInput(linker, input).map((l) => l.titleId));
    const expected = withSubject ? item.expected : (item.textExpected ?? (item.subject ? [] : item.expected));
    for (const id of got) {
      if (expected.includes(id)) tp += 1;
      else if (!item.acceptable?.includes(id)) {
        fp += 1;
        wrong.push(`${id} in "${item.text.slice(0, 40)}"`);
      }
    }
    for (const id of expected) {
      if (!got.has(id)) {
        fn += 1;
        misses.push(`${id} in "${item.text.slice(0, 40)}"`);
      }
    }
  }
  return { precision: tp / Math.max(1, tp + fp), recall: tp / Math.max(1, tp + fn), misses, wrong };
}

describe('linker quality on the labelled development set', () => {
  it('has real items, each with its source', () => {
    expect(devSet.items.length).toBeGreaterThanOrEqual(50);
    for (const item of devSet.items) expect(item.source).toMatch(/dom-snapshots\//);
    const ids = new Set(parsed.catalog.titles.map((t) => t.id));
    for (const item of devSet.items) for (const id of [...item.expected, ...(item.acceptable ?? [])]) expect(ids.has(id), id).toBe(true);
  });

  it('links events (subject + text) with precision >= 0.95 and recall >= 0.90', () => {
    const { precision, recall, misses, wrong } = score(true);
    console.info(
      `dev set, events: P ${precision.toFixed(3)} R ${recall.toFixed(3)}; misses ${JSON.stringify(misses)}; wrong ${JSON.stringify(wrong)}`,
    );
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });

  it('reports text-only precision and recall (no page subject), for the record', () => {
    const { precision, recall, misses, wrong } = score(false);
    console.info(
      `dev set, text only: P ${precision.toFixed(3)} R ${recall.toFixed(3)}; ` +
        `misses ${JSON.stringify(misses)}; wrong ${JSON.stringify(wrong)}`,
    );
    // Regression guard only: 13 labelled links, measured P 0.846 / R 0.917 when this was written.
    expect(precision).toBeGreaterThanOrEqual(0.8);
    expect(recall).toBeGreaterThanOrEqual(0.85);
  });
});

/**
 * The gate of issue 13 on the labelled dev set: the 804 real Douban reviews (as events on their
 * subject pages) and 210 invented posts (test/fixtures/catalog/dev-set-eval.ts says how labels are
 * matched). A development set: the linker was tuned on it. Before the linker's rework (current
 * catalog then): precision 0.446, recall 0.879 (zh 0.434 / 0.926, en 0.574 / 0.628).
 */
describe('linker quality on the labelled real reviews and posts', () => {
  const { cases, skipped } = devCases();
  const score = scoreLinker(linker, parsed.catalog.titles, cases);

  it(`reports precision and recall per language and per source of the link${skipped ? ` (posts only: ${skipped})` : ''}`, () => {
    console.info(`dev set (${skipped ? 'posts only' : 'real reviews + posts'}):\n${scoreTable(score)}`);
    // Without ../shared/data the reviews are absent and only the 210 committed posts are scored.
    expect(score.cases).toBeGreaterThanOrEqual(skipped ? 200 : 400);
  });

  it.skipIf(skipped !== undefined)(
    `links with precision >= 0.92 and recall >= 0.879 (today's) ${skipped ? `— skipped: ${skipped}` : ''}`,
    () => {
      const { precision, recall } = pr(score.all);
      expect(precision).toBeGreaterThanOrEqual(0.92);
      expect(recall).toBeGreaterThanOrEqual(0.879);
      // The page subject, matched whole, is what most Douban events link by.
      expect(pr(score.bySource.subject ?? { tp: 0, fp: 0, fn: 0 }).precision).toBeGreaterThanOrEqual(0.98);
    },
  );
});
