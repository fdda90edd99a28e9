import type { IDBPDatabase } from 'idb';
import { openReelflowDb } from '../shared/db/open.ts';
import { isQuotaError } from '../shared/db/quota.ts';
import { DB_NAME, DB_VERSION, USER_DATA_STORES, type ReelflowDB } from '../shared/db/schema.ts';
import { MessageError } from '../shared/messages.ts';

export type Db = IDBPDatabase<ReelflowDB>;

export interface Store {
  /** Runs a read; reopens the database once if it was closed under us. */
  read<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /**
   * Runs a write. A closed database is reopened and the write retried once; any other failure
   * (quota, an aborted transaction) is counted and thrown as a MessageError, never swallowed.
   */
  write<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** Clears every store that holds the user's data, in one transaction. */
  clearUserData(): Promise<void>;
  failures(): { count: number; last?: string };
  close(): void;
}

function isClosedError(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'InvalidStateError' || (error instanceof Error && /closing|closed/i.test(error.message));
}

/** The background's handle on IndexedDB; the only writer of it (STYLE.md section 1). */
export function createStore(name: string = DB_NAME, version: number = DB_VERSION): Store {
  let opening: Promise<Db> | undefined;
  let failureCount = 0;
  let lastFailure: string | undefined;

  function open(): Promise<Db> {
    opening ??= openReelflowDb(name, version, {
      onClose: () => {
        void opening?.then((db) => db.close());
        opening = undefined;
      },
    }).catch((error: unknown) => {
      opening = undefined;
      throw error;
    });
    return opening;
  }

  async function run<T>(fn: (db: Db) => Promise<T>, isWrite: boolean): Promise<T> {
    try {
      return await fn(await open());
    } catch (error) {
      if (!isClosedError(error)) return fail(error, isWrite);
      opening = undefined;
      try {
        return await fn(await open());
      } catch (retryError) {
        return fail(retryError, isWrite);
      }
    }
  }

  function fail(error: unknown, isWrite: boolean): never {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (isWrite) {
      failureCount += 1;
      lastFailure = message;
    }
    throw new MessageError(isQuotaError(error) ? 'quota' : 'storage', message);
  }

  return {
    read: (fn) => run(fn, false),
    write: (fn) => run(fn, true),
    async clearUserData() {
      await run(async (db) => {
        const tx = db.transaction([...USER_DATA_STORES], 'readwrite');
        await Promise.all([...USER_DATA_STORES.map((store) => tx.objectStore(store).clear()), tx.done]);
      }, true);
    },
    failures: () => ({ count: failureCount, ...(lastFailure === undefined ? {} : { last: lastFailure }) }),
    close() {
      void opening?.then((db) => db.close());
      opening = undefined;
    },
  };
}
