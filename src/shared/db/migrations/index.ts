import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { ReelflowDB } from '../schema.ts';
import { migrateToV1 } from './v1.ts';

export type Migration = (
  db: IDBPDatabase<ReelflowDB>,
  tx: IDBPTransaction<ReelflowDB, StoreNames<ReelflowDB>[], 'versionchange'>,
) => void | Promise<void>;

/** MIGRATIONS[n - 1] upgrades version n - 1 to n. One file per step. */
export const MIGRATIONS: readonly Migration[] = [migrateToV1];
