import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { createStore } from '../../../src/background/store.ts';
import { CURRENT_MODEL, recordProblem } from '../../../src/background/training/model-record.ts';
import { linkerFromSnapshot } from '../../../src/shared/catalog/linker.ts';
import type { StoredLinker } from '../../../src/shared/db/kv.ts';
import { MIGRATIONS } from '../../../src/shared/db/migrations/index.ts';
import { openReelflowDb } from '../../../src/shared/db/open.ts';
import { DB_VERSION } from '../../../src/shared/db/schema.ts';
import { decodeValue, dumpDatabase, loadDump, schemaOf, type DatabaseDump } from '../../fixtures/db/dump.ts';

/**
 * STYLE.md section 5 and issue 17, "every earlier database version upgrades with its data": each
 * test/fixtures/db/v<N>.json is a dump of a full database at version N (test/fixtures/db/make-fixture.ts
 * made it), loaded as it was and opened by today's code, which runs every migration since.
 */
const FIXTURES = 'test/fixtures/db';
const fixturePath = (version: number): string => `${FIXTURES}/v${version}.json`;
const FIXTURE_VERSIONS = readdirSync(FIXTURES)
  .map((file) => /^v(\d+)\.json$/.exec(file)?.[1])
  .filter((v): v is string => v !== undefined)
  .map(Number)
  .sort((a, b) => a - b);
const fixture = (version: number): DatabaseDump => JSON.parse(readFileSync(fixturePath(version), 'utf8')) as DatabaseDump;

/** Every store's records, decoded, in key order: what a database holds. */
type Records = Record<string, { key: unknown; value: unknown }[]>;
const recordsOf = (dump: DatabaseDump): Records =>
  Object.fromEntries(
    Object.entries(dump.stores).map(([name, store]) => [
      name,
      store.records.map(({ key, value }) => ({ key: decodeValue(key), value: decodeValue(value) })),
    ]),
  );

/**
 * What migration N does to the records a database had before it, when it changes them. A step that
 * only adds stores or indexes changes no record and needs no entry: the upgrade test then holds every
 * older record to be exactly as it was.
 */
const RECORD_CHANGES: Record<number, (records: Records) => Records> = {};

/** The records of an older database as they must be after every migration up to today's version. */
function expectedAfterUpgrade(from: number, records: Records): Records {
  let expected = records;
  for (let v = from + 1; v <= DB_VERSION; v += 1) expected = RECORD_CHANGES[v]?.(expected) ?? expected;
  return expected;
}

let dbCounter = 0;

describe('database migrations', () => {
  it('has one step per version', () => {
    expect(MIGRATIONS).toHaveLength(DB_VERSION);
  });

  it('has a fixture of a full database of every earlier version', () => {
    // Today's version has one too while it is the only one; from version 2 on, the one before it must.
    for (let v = 1; v <= Math.max(1, DB_VERSION - 1); v += 1) {
      expect(
        existsSync(fixturePath(v)),
        `DB_VERSION is ${DB_VERSION}, but there is no dump of a full version-${v} database, ${fixturePath(v)}. ` +
          `Databases of version ${v} exist on users' machines and must upgrade with their data: make the file with the ` +
          `code at version ${v} (before the bump: "npx tsx test/fixtures/db/make-fixture.ts"; after it, check out the ` +
          `last commit at version ${v}, run it there and bring the file back), and commit it.`,
      ).toBe(true);
    }
  });

  it('has no fixture of a version the code does not know', () => {
    expect(FIXTURE_VERSIONS.filter((v) => v > DB_VERSION)).toEqual([]);
    expect(FIXTURE_VERSIONS.length).toBeGreaterThan(0);
  });

  for (const version of FIXTURE_VERSIONS) {
    it(`v${version}: the fixture is the database migrations up to ${version} build, with records in every store`, async () => {
      const dump = fixture(version);
      expect(dump).toMatchObject({ format: 'reelflow-db-dump', version });
      const fresh = await openReelflowDb(`fresh-${dbCounter++}`, version);
      expect(schemaOf(dump)).toEqual(schemaOf(await dumpDatabase(fresh, '')));
      fresh.close();
      const empty = Object.entries(dump.stores).filter(([, store]) => store.records.length === 0);
      expect(empty.map(([name]) => name)).toEqual([]);
    });

    it(`v${version}: a full database upgrades to v${DB_VERSION} with every record present and equal`, async () => {
      const dump = fixture(version);
      const name = `upgrade-${dbCounter++}`;
      await loadDump(dump, name);
      const db = await openReelflowDb(name);
      expect(db.version).toBe(DB_VERSION);
      const after = await dumpDatabase(db, '');
      // The same stores and indexes as a new install of today's version.
      const fresh = await openReelflowDb(`fresh-${dbCounter++}`);
      expect(schemaOf(after)).toEqual(schemaOf(await dumpDatabase(fresh, '')));
      fresh.close();
      // Every record of every store the old version had, under its key, equal to the last property.
      const expected = expectedAfterUpgrade(version, recordsOf(dump));
      const actual = recordsOf(after);
      for (const [store, records] of Object.entries(expected)) {
        expect(actual[store]?.length, `${store}: records`).toBe(records.length);
        expect(actual[store], store).toStrictEqual(records);
      }
      // Typed arrays came back as typed arrays: the model passes its own checksum and the linker restores.
      // (checked at the width it was trained at: a model of an older feature set is retrained, not read).
      const model = (await db.get('model', CURRENT_MODEL)) as { featureWidth?: number } | undefined;
      expect(recordProblem(model, model?.featureWidth)).toBeUndefined();
      const linker = (await db.get('kv', 'linkerSnapshot')) as StoredLinker | undefined;
      expect(linker && linkerFromSnapshot(linker.snapshot).titles.length).toBe(await db.count('titles'));
      // The key generators go on from where they were: new feedback never takes an old id.
      const ids = (await db.getAllKeys('feedback')).map(Number);
      expect(await db.add('feedback', { titleId: 't', kind: 'seen', at: 1 })).toBeGreaterThan(Math.max(...ids));
      db.close();
    });
  }

  it('refuses a database newer than the code with an error that says so, and changes nothing', async () => {
    const name = `newer-${dbCounter++}`;
    const newer: DatabaseDump = { ...fixture(FIXTURE_VERSIONS.at(-1) ?? 1), version: DB_VERSION + 1 };
    await loadDump(newer, name);
    const message =
      `the stored database is version ${DB_VERSION + 1}, newer than this Reelflow reads (version ${DB_VERSION}): ` +
      'a newer Reelflow wrote it. Nothing was read or changed; update Reelflow to use it again.';
    await expect(openReelflowDb(name)).rejects.toThrow(message);
    // What the options page and every message get from the background: the same words.
    const store = createStore(name);
    await expect(store.read((db) => db.count('events'))).rejects.toMatchObject({ code: 'storage', message: `VersionError: ${message}` });
    const raw = await openDB(name);
    expect(raw.version).toBe(DB_VERSION + 1);
    expect(recordsOf(await dumpDatabase(raw, ''))).toStrictEqual(recordsOf(newer));
    raw.close();
  });

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
