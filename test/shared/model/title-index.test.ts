import { describe, expect, it } from 'vitest';
import {
  buildTitleIndex,
  buildTitleIndexAsync,
  titleIndexFromSnapshot,
  titleIndexSnapshot,
  titleIndexSnapshotProblem,
  type TitleIndexSnapshot,
  type TitlePartsCache,
} from '../../../src/shared/model/title-index.ts';
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

describe('title index snapshots', () => {
  const titles = fixtureCatalog();
  const built = buildTitleIndex(titles);

  it('restore, after a structured clone as IndexedDB makes, the very index the build made', () => {
    const copy = structuredClone(titleIndexSnapshot(built));
    expect(titleIndexSnapshotProblem(titles, copy)).toBeUndefined();
    const restored = titleIndexFromSnapshot(titles, copy);
    expect(restored && plain(restored)).toEqual(plain(built));
    expect(restored?.titles).toBe(titles);
  });

  it('are refused for other titles, another format, or damage, saying why', () => {
    const snapshot = titleIndexSnapshot(built);
    const otherTitles = [...titles.slice(1), titles[0] as (typeof titles)[number]];
    const renamedKind = titles.map((t, i) => (i === 2 ? { ...t, kind: 'documentary' as const } : t));
    const weights = Float32Array.from(snapshot.flat.textValues);
    weights[0] = (weights[0] as number) * 2;
    const pastEnd = Uint32Array.from(snapshot.flat.peopleOffsets);
    pastEnd[1] = 999;
    const badId = Int32Array.from(snapshot.kindId);
    badId[0] = 99;
    const cases: [string, readonly (typeof titles)[number][], unknown][] = [
      ['missing', titles, undefined],
      ['format', titles, { ...snapshot, format: snapshot.format + 1 }],
      ['titles', otherTitles, snapshot],
      ['titles', titles.slice(1), snapshot],
      ['titles', renamedKind, snapshot],
      ['shape', titles, { ...snapshot, flat: { ...snapshot.flat, genreIds: [...snapshot.flat.genreIds] } }],
      ['shape', titles, { ...snapshot, vocab: { ...snapshot.vocab, people: [1, 2] } }],
      ['lists', titles, { ...snapshot, flat: { ...snapshot.flat, peopleOffsets: pastEnd } }],
      ['lists', titles, { ...snapshot, kindId: badId }],
      ['checksum', titles, { ...snapshot, flat: { ...snapshot.flat, textValues: weights } }],
      [
        'checksum',
        titles,
        { ...snapshot, vocab: { ...snapshot.vocab, genre: snapshot.vocab.genre.map((g, i) => (i === 0 ? `${g}x` : g)) } },
      ],
    ];
    for (const [problem, forTitles, copy] of cases) {
      const s = copy as TitleIndexSnapshot | undefined;
      expect(titleIndexSnapshotProblem(forTitles, s), problem).toBe(problem);
      expect(titleIndexFromSnapshot(forTitles, s), problem).toBeUndefined();
    }
  });
});
