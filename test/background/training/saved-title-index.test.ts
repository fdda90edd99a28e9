import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { switchBackend } from '../../../src/background/training/backend.ts';
import { createLearner } from '../../../src/background/training/learner.ts';
import { createStore, type Store } from '../../../src/background/store.ts';
import { kvGet, kvPut, type StoredTitleIndex } from '../../../src/shared/db/kv.ts';
import { sealTitleIndexSnapshot } from '../../../src/shared/model/title-index-snapshot.ts';
import { snapshotTitleTexts, withTitleTexts } from '../../fixtures/snapshot-titles.ts';
import { fixtureCatalog, linkedEvent, seedCatalogAndEvents } from '../../fixtures/catalog.ts';

/*
 * The title index a worker built is saved in the kv store, so the first retrain after the service
 * worker restarts reads it back instead of tokenizing the catalog again (issue 16). A copy of other
 * titles or a damaged one is rebuilt, never used.
 */

const NOW = 1_760_000_000_000;
let dbCounter = 0;

async function seededStore(): Promise<Store> {
  const store = createStore(`saved-index-${dbCounter++}`);
  const events = [
    linkedEvent('t-three-body', { at: NOW, action: 'share' }, '三体 太好看了'),
    linkedEvent('t-dark', { at: NOW }),
    linkedEvent('t-frieren', { at: NOW }),
  ];
  await seedCatalogAndEvents(store, events);
  return store;
}

/** One worker's learner: where each run's index came from, and its ranking. */
async function retrainIn(store: Store): Promise<{ from: string[]; titleIds: string[] }> {
  const from: string[] = [];
  const learner = createLearner(store, { now: () => NOW, debounceMs: 0, onIndex: (source) => from.push(source) });
  const ranking = await learner.retrain('test');
  return { from, titleIds: ranking.items.map((item) => item.titleId) };
}

const saved = (store: Store): Promise<StoredTitleIndex | undefined> => store.read((db) => kvGet(db.transaction('kv').store, 'titleIndex'));
const save = (store: Store, record: StoredTitleIndex): Promise<void> =>
  store.write((db) => kvPut(db.transaction('kv', 'readwrite').store, 'titleIndex', record));

describe('the saved title index', () => {
  beforeAll(async () => {
    await switchBackend('cpu');
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('is saved by the worker that built it and read back by the next, which ranks the same', async () => {
    const store = await seededStore();
    const first = await retrainIn(store);
    expect(first.from).toEqual(['built']);
    expect((await saved(store))?.snapshot.titleIds).toEqual(
      fixtureCatalog()
        .map((t) => t.id)
        .sort(),
    );
    const next = await retrainIn(store);
    expect(next.from).toEqual(['saved']);
    expect(next.titleIds).toEqual(first.titleIds);
    expect(next.titleIds.length).toBeGreaterThan(0);
  });

  it('is rebuilt, and saved anew, when the catalog changed since (a stale copy)', async () => {
    const store = await seededStore();
    await retrainIn(store);
    const before = await saved(store);
    const extra = { ...(fixtureCatalog()[0] as ReturnType<typeof fixtureCatalog>[number]), id: 't-zz-new', titles: { en: ['A New One'] } };
    await store.write((db) => db.put('titles', extra));
    expect((await retrainIn(store)).from).toEqual(['built']);
    const after = await saved(store);
    expect(after?.key).not.toBe(before?.key);
    expect(after?.snapshot.titleIds).toContain('t-zz-new');
    expect((await retrainIn(store)).from).toEqual(['saved']);
  });

  it('is rebuilt when a copy under the right key is of other titles', async () => {
    const store = await seededStore();
    await retrainIn(store);
    const record = (await saved(store)) as StoredTitleIndex;
    // Sealed anew: no damage the checksum would find, only titles that are not the ones it names.
    const otherOrder = sealTitleIndexSnapshot({ ...record.snapshot, titleIds: record.snapshot.titleIds.slice().reverse() });
    await save(store, { ...record, snapshot: otherOrder });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // Found as the first title is read (it is not the one named there): that run builds anew.
    expect((await retrainIn(store)).from).toEqual(['saved', 'built']);
    expect(warn.mock.calls.some(([message]) => /title \d+ is damaged; rebuilding it/u.test(String(message)))).toBe(true);
    expect((await saved(store))?.snapshot.titleIds).toEqual(record.snapshot.titleIds);
  });

  it('is rebuilt, never used, when damaged: a changed weight, a list past its end, a field of the wrong type', async () => {
    const store = await seededStore();
    const reference = await retrainIn(store);
    const record = (await saved(store)) as StoredTitleIndex;
    const { snapshot } = record;
    const values = Float32Array.from(snapshot.flat.textValues);
    values[3] = (values[3] as number) + 0.5;
    const offsets = Uint32Array.from(snapshot.flat.genreOffsets);
    offsets[2] = (offsets[snapshot.titleIds.length] as number) + 5;
    const damaged: [string, StoredTitleIndex['snapshot']][] = [
      ['checksum', { ...snapshot, flat: { ...snapshot.flat, textValues: values } }],
      ['lists', { ...snapshot, flat: { ...snapshot.flat, genreOffsets: offsets } }],
      ['shape', { ...snapshot, idf: Array.from(snapshot.idf) as unknown as Float32Array }],
      ['format', { ...snapshot, format: snapshot.format + 1 }],
    ];
    for (const [problem, copy] of damaged) {
      await save(store, { ...record, snapshot: copy });
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const run = await retrainIn(store);
      expect(run.from, problem).toEqual(['built']);
      expect(run.titleIds, problem).toEqual(reference.titleIds);
      expect(
        warn.mock.calls.some(([message]) => String(message).includes(`(${problem})`)),
        problem,
      ).toBe(true);
      warn.mockRestore();
      // The build saved a sound copy over the damaged one.
      expect((await retrainIn(store)).from, problem).toEqual(['saved']);
    }
  });

  it('is dropped and built anew when a title in it reads back damaged under a sound checksum, and the run still ranks', async () => {
    const store = await seededStore();
    const reference = await retrainIn(store);
    const record = (await saved(store)) as StoredTitleIndex;
    const { snapshot } = record;
    // Every title's names unreadable, sealed anew: only reading a title finds it.
    const titles = snapshotTitleTexts(snapshot).map((t) => t.replace(/"titles":\{[^}]*\}/u, '"titles":7'));
    await save(store, { ...record, snapshot: withTitleTexts(snapshot, titles) });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const run = await retrainIn(store);
    expect(run.from).toEqual(['saved', 'built']);
    expect(run.titleIds).toEqual(reference.titleIds);
    expect(warn.mock.calls.some(([message]) => /title \d+ is damaged; rebuilding it/u.test(String(message)))).toBe(true);
    expect((await saved(store))?.snapshot.titleText).toEqual(snapshot.titleText);
  });
});
