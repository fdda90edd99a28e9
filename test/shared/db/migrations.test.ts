import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { openReelflowDb } from '../../../src/shared/db/open.ts';
import { MIGRATIONS } from '../../../src/shared/db/migrations/index.ts';
import { DB_VERSION } from '../../../src/shared/db/schema.ts';

/**
 * Each step: open version N-1 with seeded data, upgrade to N, nothing lost.
 * SEEDS[n] writes data in the shape of version n (0 = no database yet).
 */
const SEEDS: Record<number, (name: string) => Promise<void>> = {
  0: async () => {},
};
const CHECKS: Record<number, (db: Awaited<ReturnType<typeof openReelflowDb>>) => Promise<void>> = {
  1: async (db) => {
    expect([...db.objectStoreNames].sort()).toEqual(
      ['catalogMeta', 'events', 'feedback', 'impressions', 'kv', 'model', 'siteHealth', 'titles'].sort(),
    );
    expect([...db.transaction('events').store.indexNames].sort()).toEqual(['by-at', 'by-site']);
  },
};

describe('database migrations', () => {
  it('has one step, one seed and one check per version', () => {
    expect(MIGRATIONS).toHaveLength(DB_VERSION);
    for (let v = 1; v <= DB_VERSION; v += 1) {
      expect(SEEDS[v - 1], `seed for v${v - 1}`).toBeTypeOf('function');
      expect(CHECKS[v], `check for v${v}`).toBeTypeOf('function');
    }
  });

  for (let version = 1; version <= DB_VERSION; version += 1) {
    it(`upgrades v${version - 1} to v${version} without losing data`, async () => {
      const name = `migrate-${version}`;
      if (version > 1) await openReelflowDb(name, version - 1).then((db) => db.close());
      await SEEDS[version - 1]?.(name);
      const db = await openReelflowDb(name, version);
      await CHECKS[version]?.(db);
      db.close();
    });
  }

  it('leaves the old version intact when a step fails', async () => {
    const name = 'migrate-fail';
    const raw = await openDB(name, 1, { upgrade: (db) => void db.createObjectStore('kv') });
    await raw.put('kv', 'kept', 'k');
    raw.close();
    await expect(openReelflowDb(name, DB_VERSION + 1)).rejects.toThrow(/no migration/);
    const again = await openDB(name);
    expect(again.version).toBe(1);
    expect(await again.get('kv', 'k')).toBe('kept');
    again.close();
  });
});
