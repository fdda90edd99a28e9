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
    if (failure) throw failure;
    if ((error as { name?: unknown } | null)?.name === 'VersionError') throw await tooNew(name, version);
    throw error;
  }
}

/**
 * The error for a database a newer Reelflow wrote (the user went back to an older one): it says so
 * and names both versions. The browser opened nothing and changed nothing; the data waits for the newer code.
 */
async function tooNew(name: string, version: number): Promise<Error> {
  let stored = 'a newer version';
  try {
    const db = await openDB(name);
    stored = `version ${db.version}`;
    db.close();
  } catch {
    // the version stays unnamed; the message still says what happened
  }
  const error = new Error(
    `the stored database is ${stored}, newer than this Reelflow reads (version ${version}): a newer Reelflow wrote it. ` +
      'Nothing was read or changed; update Reelflow to use it again.',
  );
  error.name = 'VersionError';
  return error;
}
