import { describe, expect, it } from 'vitest';
import {
  buildTitleIndex,
  buildTitleIndexAsync,
  type Rows,
  type TitleIndex,
  type TitlePartsCache,
} from '../../../src/shared/model/title-index.ts';
import {
  titleIndexFromSnapshot,
  titleIndexSnapshot,
  titleIndexSnapshotProblem,
  DamagedTitleIndexError,
  sealTitleIndexSnapshot,
  slimTitle,
  type TitleIndexSnapshot,
} from '../../../src/shared/model/title-index-snapshot.ts';
import { DEFAULT_PIPELINE_OPTIONS, prepareUser, rankCatalog } from '../../../src/shared/model/pipeline.ts';
import { priorModel, trainLogistic } from '../../../src/shared/model/logistic.ts';
import { fixtureCatalog, linkedEvent } from '../../fixtures/catalog.ts';
import { snapshotTitleTexts, withTitleTexts } from '../../fixtures/snapshot-titles.ts';

/** The index as plain data, to compare two builds field by field. */
function plain(index: ReturnType<typeof buildTitleIndex>): unknown {
  return JSON.parse(
    JSON.stringify(index, (_, value: unknown) => {
      if (value instanceof Map) return [...value];
      if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
      // Rows a restored index makes on first read: every one of them, as the build's arrays hold them.
      if (value && typeof value === 'object' && !Array.isArray(value) && 'at' in value && 'length' in value) {
        const rows = value as Rows<unknown>;
        return Array.from({ length: rows.length }, (_, i) => rows.at(i));
      }
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
  // Item vectors and item-item rows on some titles, as a catalog with collaborative knowledge ships them.
  const titles = fixtureCatalog().map((t, i) =>
    i % 2 === 0
      ? { ...t, vector: [i / 10, 1 - i / 10, 0.5], ...(i % 4 === 0 ? { itemItem: { scale: 0.5 + i, vector: [1, i, 0] } } : {}) }
      : t,
  );
  const built = buildTitleIndex(titles);

  it('restore, after a structured clone as IndexedDB makes, the index the build made, its titles slimmed', () => {
    const copy = structuredClone(titleIndexSnapshot(built));
    expect(titleIndexSnapshotProblem(copy)).toBeUndefined();
    const restored = titleIndexFromSnapshot(copy);
    expect(restored && plain({ ...restored, titles: [] })).toEqual(plain({ ...built, titles: [] }));
    const slimmed = Array.from({ length: titles.length }, (_, i) => restored?.titles.at(i));
    expect(restored?.titles.length).toBe(titles.length);
    expect(slimmed).toEqual(titles.map(slimTitle));
    // What a slim title leaves out: watch links, synopsis, vectors (those are the index's typed arrays).
    expect(slimmed.every((t) => t?.watch.length === 0 && t.synopsis === undefined && t.vector === undefined)).toBe(true);
    expect(restored?.vectors?.length).toBe(titles.length * 3);
  });

  it('rank as the built index ranks: the same titles, scores and reasons', () => {
    const now = Date.UTC(2026, 10, 1);
    const events = [
      linkedEvent('t-three-body', { at: now - 86_400_000, action: 'share' }, '三体 太好看了'),
      linkedEvent('t-dark', { at: now - 3_600_000 }),
      linkedEvent('t-frieren', { at: now - 7_200_000, action: 'comment' }, 'Frieren is the best fantasy anime'),
    ];
    const ranked = (index: TitleIndex): unknown => {
      const prepared = prepareUser({ index, events, feedback: [], impressions: [], now });
      return rankCatalog(prepared, trainLogistic(prepared.set, { ...DEFAULT_PIPELINE_OPTIONS.train, prior: priorModel() }));
    };
    const restored = titleIndexFromSnapshot(structuredClone(titleIndexSnapshot(built))) as TitleIndex;
    const fromBuild = ranked(built);
    expect((fromBuild as unknown[]).length).toBeGreaterThan(0);
    expect(JSON.stringify(ranked(restored))).toBe(JSON.stringify(fromBuild));
  });

  it('are refused for another format, titles that are not the ones named, or damage, saying why', () => {
    const snapshot = titleIndexSnapshot(built);
    const weights = Float32Array.from(snapshot.flat.textValues);
    weights[0] = (weights[0] as number) * 2;
    const pastEnd = Uint32Array.from(snapshot.flat.peopleOffsets);
    pastEnd[1] = 999;
    const badId = Int32Array.from(snapshot.kindId);
    badId[0] = 99;
    const cutShort = Uint32Array.from(snapshot.titleEnds);
    cutShort[cutShort.length - 1] = snapshot.titleText.length - 1;
    const backwards = Uint32Array.from(snapshot.titleEnds);
    backwards[1] = 0;
    const popularity = Float32Array.from(snapshot.popularity);
    popularity[1] = 0.99;
    const cases: [string, unknown][] = [
      ['missing', undefined],
      ['format', { ...snapshot, format: snapshot.format + 1 }],
      ['titles', { ...snapshot, titleEnds: cutShort }],
      ['titles', { ...snapshot, titleEnds: backwards }],
      ['shape', { ...snapshot, titleEnds: snapshot.titleEnds.subarray(1) }],
      ['shape', { ...snapshot, titleText: [...snapshot.titleText] }],
      ['shape', { ...snapshot, flat: { ...snapshot.flat, genreIds: [...snapshot.flat.genreIds] } }],
      ['shape', { ...snapshot, vocab: { ...snapshot.vocab, people: [1, 2] } }],
      ['shape', { ...snapshot, vectors: snapshot.vectors?.subarray(3) }],
      ['shape', { ...snapshot, titleText: undefined }],
      ['shape', { ...snapshot, doubanTitles: Int32Array.of(titles.length), doubanIds: ['1'] }],
      ['lists', { ...snapshot, flat: { ...snapshot.flat, peopleOffsets: pastEnd } }],
      ['lists', { ...snapshot, kindId: badId }],
      ['checksum', { ...snapshot, flat: { ...snapshot.flat, textValues: weights } }],
      ['checksum', { ...snapshot, popularity }],
      ['checksum', { ...snapshot, vocab: { ...snapshot.vocab, genre: snapshot.vocab.genre.map((g, i) => (i === 0 ? `${g}x` : g)) } }],
    ];
    for (const [problem, copy] of cases) {
      const s = copy as TitleIndexSnapshot | undefined;
      // A change to the titles text is damage the checksum finds; sealed anew, the titles check finds it.
      const sealed = s && problem === 'titles' ? sealTitleIndexSnapshot(s) : s;
      if (problem === 'titles') expect(titleIndexSnapshotProblem(s), problem).toBe('checksum');
      expect(titleIndexSnapshotProblem(sealed), problem).toBe(problem);
      expect(titleIndexFromSnapshot(sealed), problem).toBeUndefined();
    }
  });

  it('check each title as it is first read: a damaged one under a sound checksum is an error naming it, never a title', () => {
    const snapshot = titleIndexSnapshot(built);
    const texts = snapshotTitleTexts(snapshot);
    const damaged: [string, (text: string) => string][] = [
      ['kind', (text) => text.replace(/"kind":"[a-z]+"/u, '"kind":"documentary"')],
      ['names', (text) => text.replace(/"titles":\{[^}]*\}/u, '"titles":{"en":"not a list"}')],
      ['json', (text) => text.slice(0, -2)],
    ];
    for (const [what, damage] of damaged) {
      const copy = withTitleTexts(
        snapshot,
        texts.map((t, i) => (i === 2 ? damage(t) : t)),
      );
      expect(snapshotTitleTexts(copy)[2], what).not.toBe(texts[2]);
      const restored = titleIndexFromSnapshot(copy) as TitleIndex;
      expect(restored.titles.at(1)?.id, what).toBe(titles[1]?.id);
      expect(() => restored.titles.at(2), what).toThrow(DamagedTitleIndexError);
      expect(() => restored.titles.at(2), what).toThrow('title 2 is damaged');
    }
    // Two titles swapped: each is read as the one its place names, so neither passes.
    const swapped = titleIndexFromSnapshot(withTitleTexts(snapshot, [texts[1] as string, texts[0] as string, ...texts.slice(2)]));
    expect(() => swapped?.titles.at(0)).toThrow(DamagedTitleIndexError);
    expect(() => swapped?.titles.at(1)).toThrow(DamagedTitleIndexError);
    expect(swapped?.titles.at(2)?.id).toBe(titles[2]?.id);
    // Bytes that are not UTF-8.
    const bytes = Uint8Array.from(snapshot.titleText);
    bytes[(snapshot.titleEnds[0] as number) + 3] = 0xff;
    const garbled = titleIndexFromSnapshot(sealTitleIndexSnapshot({ ...snapshot, titleText: bytes }));
    expect(() => garbled?.titles.at(1)).toThrow('title 1 is damaged');
  });
});
