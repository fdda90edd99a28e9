import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCatalogService, sha256Hex, UPDATE_REQUEST, writeCatalog, type CatalogService } from '../../src/background/catalog.ts';
import { createBackground } from '../../src/background/background.ts';
import type { SenderInfo } from '../../src/background/router.ts';
import { createStore, type Store } from '../../src/background/store.ts';
import { linkEvent } from '../../src/shared/catalog/linker.ts';
import { kvGet, kvPut } from '../../src/shared/db/kv.ts';
import type { Catalog, CatalogMeta, CatalogTitle } from '../../src/shared/catalog/types.ts';
import { envelope, type Reply } from '../../src/shared/messages.ts';
import { defaultSettings } from '../../src/shared/settings.ts';
import type { StoredEvent } from '../../src/shared/events.ts';
import { catalogOrigin, manifestFor } from '../../vite.config.ts';
import { xLike } from '../fixtures/events.ts';
import { readDefaultCatalogText } from '../fixtures/default-catalog.ts';

const fromX: SenderInfo = { fromExtensionPage: false, tabHost: 'x.com', incognito: false };
const fromPage: SenderInfo = { fromExtensionPage: true, incognito: false };
const DEFAULT_TEXT = readDefaultCatalogText();
let dbCounter = 0;

/** A small catalog file: each title a film with English names. */
function catalogText(version: string, titles: Record<string, string[]>): string {
  return JSON.stringify({
    format: 1,
    version,
    attributions: [{ text: 'Test data', licence: 'CC0-1.0', url: 'https://example.org/' }],
    titles: Object.entries(titles).map(([id, en]) => ({ id, kind: 'film', titles: { en } })),
  });
}

async function call<T>(bg: ReturnType<typeof createBackground>, message: unknown, sender: SenderInfo = fromPage): Promise<Reply<T>> {
  const reply = bg.handle(message, sender);
  if (!reply) throw new Error('no reply');
  return reply as Promise<Reply<T>>;
}

function value<T>(reply: Reply<T>): T {
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.value;
}

async function enableX(bg: ReturnType<typeof createBackground>): Promise<void> {
  const settings = defaultSettings();
  settings.sites.x.enabled = true;
  value(await call(bg, envelope('settings:set', settings)));
}

const getEvent = (store: Store, id: string): Promise<StoredEvent | undefined> => store.read((db) => db.get('events', id));

describe('the default catalog in the background', () => {
  let store: Store;
  let catalog: CatalogService;
  let loads = 0;

  beforeAll(async () => {
    store = createStore(`catalog-default-${dbCounter++}`);
    catalog = createCatalogService(store, {
      loadDefault: () => {
        loads += 1;
        return Promise.resolve(DEFAULT_TEXT);
      },
      now: () => 1_000,
    });
    await catalog.ensureDefault();
  }, 120_000);

  it('installs the packaged catalog on first start, titles and meta together', async () => {
    const status = await catalog.status();
    expect(status.titleCount).toBeGreaterThan(45_000);
    expect(status.meta).toMatchObject({ source: 'default', format: 2, titleCount: status.titleCount, installedAt: 1_000 });
    expect(status.meta?.sha256).toBe(await sha256Hex(DEFAULT_TEXT));
    expect(status.meta?.attributions.map((a) => a.licence)).toEqual(['CC-BY-4.0', 'CC-BY-SA-4.0', 'CC-BY-SA-4.0']);
    // The next start finds the same version and leaves the catalog alone.
    const again = createCatalogService(store, { loadDefault: () => Promise.resolve(DEFAULT_TEXT), now: () => 2_000 });
    expect((await again.ensureDefault())?.installedAt).toBe(1_000);
    expect(loads).toBe(1);
    // With the extension version known, a checked version is not even read again.
    const read = vi.fn(() => Promise.resolve(DEFAULT_TEXT));
    for (let i = 0; i < 2; i += 1) await createCatalogService(store, { loadDefault: read, shippedWith: '0.1.0' }).ensureDefault();
    expect(read).toHaveBeenCalledTimes(1);
    // A newer default version ships: installed, since the stored catalog is the built-in one.
    const newer = DEFAULT_TEXT.replace(/"version":"[^"]+"/, '"version":"next"');
    expect(
      (
        await createCatalogService(store, {
          loadDefault: () => Promise.resolve(newer),
          shippedWith: '0.2.0',
          now: () => 3_000,
        }).ensureDefault()
      )?.version,
    ).toBe('next');
  });

  it('links a captured post about 盗梦空间 / Inception to the real catalog title', async () => {
    const bg = createBackground(store, () => 5_000, { catalog });
    await enableX(bg);
    await catalog.linker();
    const zh = xLike({
      target: { ...xLike().target, id: '1', text: '周末又重温了一遍《盗梦空间》，陀螺到底停没停', hashtags: [] },
    });
    const en = xLike({
      target: { ...xLike().target, id: '2', text: 'Rewatched Inception last night and the ending still gets me', hashtags: [] },
    });
    for (const event of [zh, en]) value(await call(bg, envelope('capture:event', event), fromX));
    for (const id of ['x:like:1', 'x:like:2']) {
      const stored = await getEvent(store, id);
      expect(stored?.links.map((l) => l.titleId)).toContain('zw:film:inception');
      expect(stored?.links[0]?.source).toBe('linker');
    }
  });
});

describe('switching catalogs', () => {
  let store: Store;
  let catalog: CatalogService;
  let bg: ReturnType<typeof createBackground>;
  let changes: string[];

  beforeEach(async () => {
    store = createStore(`catalog-switch-${dbCounter++}`);
    catalog = createCatalogService(store, { now: () => 1_000 });
    bg = createBackground(store, () => 5_000, { catalog });
    changes = [];
    bg.bus.on('events-changed', (change) => changes.push(change));
    await enableX(bg);
    await catalog.install(
      catalogText('a-1', { 'a:inception': ['Inception'], 'a:interstellar': ['Interstellar'], 'a:dune': ['Dune Part Two'] }),
      'default',
    );
  });

  const post = (id: string, text: string): ReturnType<typeof xLike> => xLike({ target: { ...xLike().target, id, text, hashtags: [] } });

  it('stores an event captured before the linker is built at once, and links it when the linker is ready', async () => {
    const fresh = createCatalogService(store);
    const bg2 = createBackground(store, () => 5_000, { catalog: fresh });
    expect(fresh.peekLinker()).toBeUndefined();
    value(await call(bg2, envelope('capture:event', post('7', 'Interstellar on the big screen again')), fromX));
    // The write did not wait for the build.
    expect((await getEvent(store, 'x:like:7'))?.links).toBeDefined();
    await fresh.linker();
    await vi.waitFor(async () => expect((await getEvent(store, 'x:like:7'))?.links.map((l) => l.titleId)).toEqual(['a:interstellar']));
  });

  it('saves the built linker with the catalog, and a restarted background restores it instead of rebuilding', async () => {
    const saved = await store.read((db) => kvGet(db.transaction('kv').store, 'linkerSnapshot'));
    if (!saved) throw new Error('no saved linker');
    expect(saved.catalog).toMatch(/^a-1\|[0-9a-f]{64}\|1000$/);
    expect([...saved.snapshot.titleIds].sort()).toEqual(['a:dune', 'a:inception', 'a:interstellar']);
    // Mark the saved labels: a restored linker gives them in its reasons, a rebuilt one does not.
    saved.snapshot.patternLabel = saved.snapshot.patternLabel.map((label) => `restored ${label}`);
    await store.write((db) => kvPut(db.transaction('kv', 'readwrite').store, 'linkerSnapshot', saved));
    const restarted = createCatalogService(store);
    const linked = linkEvent(await restarted.linker(), post('1', 'Interstellar on the big screen again'));
    expect(linked.map((l) => [l.titleId, l.reason])).toEqual([['a:interstellar', 'restored Interstellar in text']]);
    // A snapshot of another catalog is ignored and replaced.
    await store.write((db) => kvPut(db.transaction('kv', 'readwrite').store, 'linkerSnapshot', { ...saved, catalog: 'other' }));
    const rebuilt = createCatalogService(store);
    expect(linkEvent(await rebuilt.linker(), post('1', 'Interstellar on the big screen again')).map((l) => l.reason)).toEqual([
      'Interstellar in text',
    ]);
    await vi.waitFor(async () =>
      expect((await store.read((db) => kvGet(db.transaction('kv').store, 'linkerSnapshot')))?.catalog).toMatch(/^a-1\|/),
    );
  });

  it('never replaces an imported catalog with the packaged default', async () => {
    value(await call(bg, envelope('catalog:import', { text: catalogText('mine', { 'm:x': ['My Own Film'] }) })));
    const read = vi.fn(() => Promise.resolve(catalogText('default-2', { 'd:x': ['Default Film'] })));
    expect((await createCatalogService(store, { loadDefault: read, shippedWith: '9.9.9' }).ensureDefault())?.version).toBe('mine');
    expect(read).not.toHaveBeenCalled();
  });

  it('rejects an invalid catalog naming the field, and keeps the current one', async () => {
    const bad = JSON.parse(catalogText('b-1', { 'b:x': ['X'] })) as { titles: { kind: string }[] };
    (bad.titles[0] as { kind: string }).kind = 'podcast';
    const reply = await call(bg, envelope('catalog:import', { text: JSON.stringify(bad) }));
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.message).toMatch(/titles\[0\]\.kind/);
    const status = value(await call<{ meta?: CatalogMeta; titleCount: number }>(bg, envelope('catalog:status', {})));
    expect(status.meta?.version).toBe('a-1');
    expect(status.titleCount).toBe(3);
    expect((await call(bg, envelope('catalog:import', { text: '{"format": 1, ' }))).ok).toBe(false);
  });

  it('rolls back a switch that fails half way: the old titles, meta and links stay', async () => {
    value(await call(bg, envelope('capture:event', post('1', 'Inception tonight')), fromX));
    const broken: Catalog = {
      format: 1,
      version: 'broken',
      attributions: [],
      // The second title has no id (the store's key), so its put fails after the clear and the first put.
      titles: [
        { id: 'b:ok', kind: 'film', titles: { en: ['Okay'] } } as CatalogTitle,
        { kind: 'film', titles: { en: ['No id'] } } as CatalogTitle,
      ],
    };
    const meta: CatalogMeta = { format: 1, version: 'broken', source: 'imported', attributions: [], titleCount: 2, installedAt: 2 };
    await expect(writeCatalog(store, broken, meta)).rejects.toThrow();
    const [titles, stored, current] = await store.read((db) =>
      Promise.all([db.getAllKeys('titles'), db.get('events', 'x:like:1'), db.get('catalogMeta', 'current')]),
    );
    expect(titles.sort()).toEqual(['a:dune', 'a:inception', 'a:interstellar']);
    expect(current?.version).toBe('a-1');
    expect(stored?.links.map((l) => l.titleId)).toEqual(['a:inception']);
  });

  it('an import re-links every event and keeps the user corrections', async () => {
    value(await call(bg, envelope('capture:event', post('1', 'Inception and Interstellar, back to back')), fromX));
    value(await call(bg, envelope('capture:event', post('2', 'Dune Part Two was loud')), fromX));
    value(await call(bg, envelope('linking:correct', { eventId: 'x:like:1', remove: 'a:interstellar', add: 'a:dune' })));
    changes.length = 0;
    const imported = value(
      await call<{ meta: CatalogMeta; relinked: number }>(
        bg,
        envelope('catalog:import', {
          text: catalogText('b-1', { 'b:inception': ['Inception'], 'a:interstellar': ['Interstellar'], 'b:dune': ['Dune Part Two'] }),
        }),
      ),
    );
    expect(imported.relinked).toBe(2);
    expect(imported.meta).toMatchObject({ version: 'b-1', source: 'imported', titleCount: 3 });
    expect(changes).toEqual(['removed']);
    const [one, two] = await Promise.all([getEvent(store, 'x:like:1'), getEvent(store, 'x:like:2')]);
    // The user's own link stays first; the removed title stays out although the new catalog still has it.
    expect(one?.links.map((l) => `${l.source}:${l.titleId}`)).toEqual(['user:a:dune', 'linker:b:inception']);
    expect(one?.removedTitleIds).toEqual(['a:interstellar']);
    expect(two?.links.map((l) => l.titleId)).toEqual(['b:dune']);
    expect(await store.read((db) => db.getAllKeys('titles'))).toEqual(['a:interstellar', 'b:dune', 'b:inception']);
  });

  it('a link correction round trip: remove, re-capture, add back, and errors for unknown ids', async () => {
    value(await call(bg, envelope('capture:event', post('1', 'Inception and Interstellar, back to back')), fromX));
    changes.length = 0;
    const removed = value(await call<StoredEvent>(bg, envelope('linking:correct', { eventId: 'x:like:1', remove: 'a:inception' })));
    expect(removed.links.map((l) => l.titleId)).toEqual(['a:interstellar']);
    expect(removed.removedTitleIds).toEqual(['a:inception']);
    expect(changes).toEqual(['removed']);
    // The same like captured again: the linker finds Inception again, the correction wins.
    value(await call(bg, envelope('capture:event', post('1', 'Inception and Interstellar, back to back')), fromX));
    expect((await getEvent(store, 'x:like:1'))?.links.map((l) => l.titleId)).toEqual(['a:interstellar']);
    const added = value(await call<StoredEvent>(bg, envelope('linking:correct', { eventId: 'x:like:1', add: 'a:inception' })));
    expect(added.links[0]).toMatchObject({ titleId: 'a:inception', source: 'user', confidence: 1 });
    expect(added.removedTitleIds).toEqual([]);
    expect(await getEvent(store, 'x:like:1')).toEqual(added);

    const unknownTitle = await call(bg, envelope('linking:correct', { eventId: 'x:like:1', add: 'zz:none' }));
    expect(unknownTitle).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringMatching(/^add:/) } });
    const unknownEvent = await call(bg, envelope('linking:correct', { eventId: 'x:like:404', remove: 'a:inception' }));
    expect(unknownEvent).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringMatching(/^eventId:/) } });
    expect((await call(bg, envelope('linking:correct', { eventId: 'x:like:1' }))).ok).toBe(false);
    expect(store.failures().count).toBe(0);
  });
});

describe('publisher updates', () => {
  const URL_ = 'https://catalog.example.org/reelflow/catalog.json';
  let store: Store;

  beforeEach(async () => {
    store = createStore(`catalog-update-${dbCounter++}`);
    await createCatalogService(store).install(catalogText('a-1', { 'a:inception': ['Inception'] }), 'default');
  });

  function fakeFetch(text: string): ReturnType<typeof vi.fn<typeof fetch>> {
    return vi.fn<typeof fetch>(() => Promise.resolve(new Response(text, { status: 200 })));
  }

  it('makes no request at all without a build-time URL', async () => {
    const fetchFn = fakeFetch('');
    expect(await createCatalogService(store, { fetch: fetchFn }).checkForUpdate()).toBe('skipped');
    expect(fetchFn).not.toHaveBeenCalled();
  });

  it('fetches the URL as given, without cookies, referrer, cache or anything about the user', async () => {
    const text = catalogText('r-2', { 'r:heat': ['Heat Wave Again'] });
    const fetchFn = fakeFetch(text);
    const service = createCatalogService(store, { updateUrl: URL_, updateSha256: (await sha256Hex(text)).toUpperCase(), fetch: fetchFn });
    expect(await service.checkForUpdate()).toBe('updated');
    expect(fetchFn).toHaveBeenCalledTimes(1);
    const [url, init] = fetchFn.mock.calls[0] ?? [];
    expect(url).toBe(URL_);
    expect(init).toEqual({ credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' });
    expect(init).toBe(UPDATE_REQUEST);
    expect((await service.status()).meta).toMatchObject({ version: 'r-2', source: 'remote' });
    expect(await service.checkForUpdate()).toBe('current');
  });

  it('rejects a file whose sha256 differs from the pin and keeps the current catalog', async () => {
    const fetchFn = fakeFetch(catalogText('evil', { 'e:x': ['Something Else'] }));
    const service = createCatalogService(store, { updateUrl: URL_, updateSha256: '0'.repeat(64), fetch: fetchFn });
    await expect(service.checkForUpdate()).rejects.toThrow(/sha256/);
    expect((await service.status()).meta?.version).toBe('a-1');
  });

  it('never replaces a catalog the user imported', async () => {
    await createCatalogService(store).install(catalogText('mine', { 'm:x': ['My Film Title'] }), 'imported');
    const fetchFn = fakeFetch(catalogText('r-3', {}));
    expect(await createCatalogService(store, { updateUrl: URL_, fetch: fetchFn }).checkForUpdate()).toBe('skipped');
    expect(fetchFn).not.toHaveBeenCalled();
  });

  it('lets only the catalog origin into the manifest connect-src, and only when set', () => {
    const csp = (url?: string): string =>
      (manifestFor('chrome', url) as unknown as { content_security_policy: { extension_pages: string } }).content_security_policy
        .extension_pages;
    expect(csp()).toMatch(/connect-src 'self'$/);
    expect(csp(URL_)).toMatch(/connect-src 'self' https:\/\/catalog\.example\.org$/);
    expect(() => catalogOrigin('http://catalog.example.org/c.json')).toThrow(/https/);
  });
});
