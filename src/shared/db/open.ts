import { openDB, type IDBPDatabase } from 'idb';
import { MIGRATIONS } from './migrations/index.ts';
import { DB_NAME, DB_VERSION, type ReelflowDB } from './schema.ts';

/**
 * Opens the database, running every migration step between the stored version and `version`
 * in order, inside the one upgrade transaction: a step that fails aborts it, so the stored
 * version and its data stay as they were, and the step's own error is what the caller sees.
 */
export async function openReelflowDb(
  name: string = DB_NAME,
  version: number = DB_VERSION,
  hooks: { onClose?: () => void } = {},
): Promise<IDBPDatabase<ReelflowDB>> {
  let failure: unknown;
  try {
    return await openDB<ReelflowDB>(name, version, {
      async upgrade(db, oldVersion, newVersion, tx) {
        try {
          for (let v = oldVersion + 1; v <= (newVersion ?? version); v += 1) {
            const step = MIGRATIONS[v - 1];
            if (!step) throw new Error(`no migration to database version ${v}`);
            await step(db, tx);
          }
        } catch (error) {
          failure = error;
          tx.done.catch(() => undefined); // the abort below rejects it; the open request reports the failure
          tx.abort();
        }
      },
      blocking() {
        // Another context wants a newer version: let go so it can upgrade.
        hooks.onClose?.();
      },
      terminated() {
        hooks.onClose?.();
      },
    });
  } catch (error) {
    throw failure ?? error;
  }
}
