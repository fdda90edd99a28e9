import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { ReelflowDB } from '../schema.ts';

/** Version 1: the first schema; every store and index the app starts with. */
export function migrateToV1(
  db: IDBPDatabase<ReelflowDB>,
  _tx: IDBPTransaction<ReelflowDB, StoreNames<ReelflowDB>[], 'versionchange'>,
): void {
  const events = db.createObjectStore('events', { keyPath: 'id' });
  events.createIndex('by-at', 'at');
  events.createIndex('by-site', 'site');
  db.createObjectStore('titles', { keyPath: 'id' });
  db.createObjectStore('catalogMeta');
  db.createObjectStore('model', { keyPath: 'name' });
  const impressions = db.createObjectStore('impressions', { keyPath: 'id', autoIncrement: true });
  impressions.createIndex('by-title', 'titleId');
  impressions.createIndex('by-at', 'at');
  const feedback = db.createObjectStore('feedback', { keyPath: 'id', autoIncrement: true });
  feedback.createIndex('by-title', 'titleId');
  feedback.createIndex('by-at', 'at');
  db.createObjectStore('kv');
  db.createObjectStore('siteHealth', { keyPath: 'site' });
}
