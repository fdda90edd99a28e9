import { describe, expect, it } from 'vitest';
import { buildTitleIndex, buildTitleIndexAsync, type TitlePartsCache } from '../../../src/shared/model/title-index.ts';
import { fixtureCatalog } from '../../fixtures/catalog.ts';

/** The index as plain data, to compare two builds field by field. */
function plain(index: ReturnType<typeof buildTitleIndex>): unknown {
  return JSON.parse(
    JSON.stringify(index, (_, value: unknown) => {
      if (value instanceof Map) return [...value];
      if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
      return value;
    }),
  );
}

describe('title index builds', () => {
  const titles = fixtureCatalog();

  it('a build with a parts cache equals a fresh build, and the next build reuses every unchanged title', () => {
    const cache: TitlePartsCache = new Map();
    const first = buildTitleIndex(titles, cache);
    expect(plain(first)).toEqual(plain(buildTitleIndex(titles)));
    expect(cache.size).toBe(titles.length);
    const before = new Map([...cache].map(([id, entry]) => [id, entry.parts]));
    // One title gains a name (learned from a page); another catalog drops the last title.
    const changed = titles.slice(0, -1).map((t, i) => (i === 0 ? { ...t, aliases: [...t.aliases, '一个新名字'] } : { ...t }));
    const second = buildTitleIndex(changed, cache);
    expect(plain(second)).toEqual(plain(buildTitleIndex(changed)));
    expect(cache.size).toBe(changed.length);
    const [first0, ...rest] = changed;
    expect(cache.get(String(first0?.id))?.parts).not.toBe(before.get(String(first0?.id)));
    for (const t of rest) expect(cache.get(t.id)?.parts).toBe(before.get(t.id));
    expect(cache.has(String(titles.at(-1)?.id))).toBe(false);
  });

  it('the async build pauses between slices once its budget is spent, and builds the same index', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => ({ ...(titles[i % titles.length] as (typeof titles)[number]), id: `t${i}` }));
    let pauses = 0;
    let clock = 0;
    const index = await buildTitleIndexAsync(many, {
      budgetMs: 5,
      // Every look at the clock is one millisecond later: a pause every fifth slice at most.
      clock: () => (clock += 1),
      pause: async () => {
        pauses += 1;
      },
    });
    expect(pauses).toBeGreaterThan(0);
    expect(plain(index)).toEqual(plain(buildTitleIndex(many)));
  });
});
