import type { StoreNames } from 'idb';
import { createStore, type Db, type Store } from '../../src/background/store.ts';
import type { ReelflowDB } from '../../src/shared/db/schema.ts';

/**
 * How a browser refuses a write once storage is full, modelled on what they do:
 * - 'chromium': a transaction that puts any bytes is refused when they do not fit in what is left
 *   (quota minus usage), however much it would free; one that only deletes always goes through
 *   (content/browser/indexed_db, BucketContext::CheckCanUseDiskSpace, measured in test/e2e/storage.test.ts).
 * - 'firefox': a write is refused when it leaves more stored than the quota allows and more than
 *   there was before; a rewrite that shrinks records goes through (SQLite reuses the freed pages).
 * Usage is the JSON size of every record, so freed bytes count at once (Chromium frees them when
 * LevelDB compacts, which the e2e test meets for real).
 */
export type DiskModel = 'chromium' | 'firefox';

export interface FullDisk extends Store {
  /** Bytes stored now, by the model's measure. */
  usage(): Promise<number>;
  /** Sets the quota, in the model's bytes (Infinity: no limit). */
  setQuota(bytes: number): void;
  /** Writes the store refused for want of space so far. */
  refusals(): number;
}

type Snapshot = Map<string, { inline: boolean; records: Map<string, { key: IDBValidKey; value: unknown; size: number }> }>;

/** The size of a record as the model counts it: its JSON (typed arrays as their numbers). */
function sizeOf(value: unknown): number {
  return JSON.stringify(value, (_, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v)).length;
}

async function snapshot(db: Db): Promise<Snapshot> {
  const names = [...db.objectStoreNames];
  const tx = db.transaction(names);
  const result: Snapshot = new Map();
  for (const name of names) {
    const store = tx.objectStore(name);
    const [keys, values] = await Promise.all([store.getAllKeys(), store.getAll()]);
    const records = new Map(keys.map((key, i) => [JSON.stringify(key), { key, value: values[i], size: sizeOf(values[i]) }]));
    result.set(name, { inline: store.keyPath !== null, records });
  }
  await tx.done;
  return result;
}

const total = (s: Snapshot): number =>
  [...s.values()].reduce((sum, { records }) => sum + [...records.values()].reduce((n, r) => n + r.size, 0), 0);

/** Bytes the write put: every record that is new or changed, at its new size. */
function bytesPut(before: Snapshot, after: Snapshot): number {
  let bytes = 0;
  for (const [name, { records }] of after) {
    const old = before.get(name)?.records;
    for (const [key, record] of records) {
      const previous = old?.get(key);
      if (!previous || sizeOf(previous.value) !== record.size || JSON.stringify(previous.value) !== JSON.stringify(record.value)) {
        bytes += record.size;
      }
    }
  }
  return bytes;
}

/**
 * The real store over fake-indexeddb, with a quota: a write the model refuses is rolled back and
 * fails as the browser's does, a `QuotaExceededError` DOMException thrown inside the store's own
 * write, so the store reports and counts it as it would in a browser. Writes run one at a time.
 */
export function fullDisk(name: string, model: DiskModel, quota = Infinity): FullDisk {
  const inner = createStore(name);
  let limit = quota;
  let refused = 0;
  let queue: Promise<unknown> = Promise.resolve();

  async function restore(to: Snapshot): Promise<void> {
    await inner.write(async (db) => {
      const names = [...to.keys()] as StoreNames<ReelflowDB>[];
      const tx = db.transaction(names, 'readwrite');
      for (const store of names) {
        const { inline, records } = to.get(store) ?? { inline: true, records: new Map() };
        const os = tx.objectStore(store);
        await os.clear();
        for (const { key, value } of records.values()) await (inline ? os.put(value as never) : os.put(value as never, key as never));
      }
      await tx.done;
    });
  }

  async function write<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    const before = await inner.read(snapshot);
    const result = await inner.write(fn);
    const after = await inner.read(snapshot);
    const put = bytesPut(before, after);
    const over = model === 'chromium' ? put > 0 && total(before) + put > limit : total(after) > limit && total(after) > total(before);
    if (!over) return result;
    refused += 1;
    await restore(before);
    return inner.write(() => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError')));
  }

  return {
    ...inner,
    read: inner.read,
    write<T>(fn: (db: Db) => Promise<T>): Promise<T> {
      const run = queue.then(() => write(fn));
      queue = run.catch(() => undefined);
      return run;
    },
    clearUserData: inner.clearUserData,
    failures: inner.failures,
    close: inner.close,
    usage: () => inner.read(async (db) => total(await snapshot(db))),
    setQuota(bytes) {
      limit = bytes;
    },
    refusals: () => refused,
  };
}
