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

  it('a build with a parts cache equals a fresh build, and the next build over the same objects tokenizes only the new ones', () => {
    const cache: TitlePartsCache = new WeakMap();
    const first = buildTitleIndex(titles, cache);
    expect(plain(first)).toEqual(plain(buildTitleIndex(titles)));
    for (const t of titles) expect(cache.has(t)).toBe(true);
    const before = new Map(titles.map((t) => [t, cache.get(t)]));
    // One title learned on the device (a new object) takes the place of the catalog's, and the last is gone.
    const [head, ...rest] = titles.slice(0, -1);
    const learned = { ...(head as (typeof titles)[number]), aliases: [...(head?.aliases ?? []), '一个新名字'] };
    const changed = [learned, ...rest];
    const second = buildTitleIndex(changed, cache);
    expect(plain(second)).toEqual(plain(buildTitleIndex(changed)));
    expect(cache.get(learned)).toBeDefined();
    expect(cache.get(learned)).not.toBe(before.get(head as (typeof titles)[number]));
    for (const t of rest) expect(cache.get(t)).toBe(before.get(t));
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
