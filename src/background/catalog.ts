import { buildLinker, linkerFromSnapshot, linkerSnapshot, relinkEvent, type Linker } from '../shared/catalog/linker.ts';
import { parseCatalogInSteps } from '../shared/catalog/schema.ts';
import type { Catalog, CatalogMeta } from '../shared/catalog/types.ts';
import { kvGet, kvPut, type StoredLinker } from '../shared/db/kv.ts';
import { MessageError, type CatalogStatus, type InstallTimes } from '../shared/messages.ts';
import type { Store } from './store.ts';

/**
 * The catalog in the background: installs the packaged default catalog on first start (and when
 * a newer default ships, unless the user imported their own), switches catalogs atomically, and
 * builds the linker once per background lifetime. Issue 4.
 */
export interface CatalogService {
  /** Installs the packaged default catalog when none is stored or a newer default ships. */
  ensureDefault(): Promise<CatalogMeta | undefined>;
  /** The linker for the stored catalog, built on first call and cached. */
  linker(): Promise<Linker>;
  /** The cached linker, if built; the capture path never waits for a build. */
  peekLinker(): Linker | undefined;
  /** Validates catalog text and switches to it, re-linking every event; an invalid file throws and changes nothing. */
  install(text: string, source: CatalogMeta['source']): Promise<{ meta: CatalogMeta; relinked: number }>;
  /** The stored catalog's meta and title count, and how long this worker's last install took. */
  status(): Promise<CatalogStatus>;
  /** Fetches the build-time update URL, if any, and installs a newer catalog from it. */
  checkForUpdate(): Promise<'updated' | 'current' | 'skipped'>;
  /** Called once a linker is built (the capture path links what it stored before). */
  onLinkerReady(listener: (linker: Linker) => void): void;
}

export interface CatalogOptions {
  /** Reads the packaged default catalog's text (runtime.getURL in the extension); none in tests that do not need it. */
  loadDefault?: () => Promise<string>;
  /**
   * The extension version the packaged catalog came with. The packaged file can only change with
   * the extension, so once checked for a version it is not read again on each worker start.
   */
  shippedWith?: string;
  /** The publisher's update URL (VITE_CATALOG_URL); undefined means no network at all. */
  updateUrl?: string;
  /** sha256 (hex) the update file must have (VITE_CATALOG_SHA256). */
  updateSha256?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

/** The fetch options of an update request: no cookies, no referrer, no cache, nothing about the user. */
export const UPDATE_REQUEST: RequestInit = { credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' };

/** Titles written between two waits of an install (each put clones its record on the worker's thread). */
const PUT_CHUNK = 1000;

function snapshotKey(meta: CatalogMeta): string {
  return `${meta.version}|${meta.sha256 ?? ''}|${meta.installedAt}`;
}

function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Hex sha256 of a text (UTF-8). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The `version` of a catalog file, read from its head without parsing 6 MB of JSON. */
function peekVersion(text: string): string | undefined {
  const m = /"version"\s*:\s*"((?:[^"\\]|\\.){1,128})"/.exec(text.slice(0, 4096));
  return m ? (JSON.parse(`"${m[1] ?? ''}"`) as string) : undefined;
}

/**
 * Writes a catalog in one transaction: titles cleared and put, the meta replaced, and, when a
 * linker is given, every event re-linked (keeping corrections). Any failure aborts the whole
 * transaction, so the old catalog and links stay. Without a linker the transaction leaves the
 * events store out of its scope, so captures are not held up behind a first install.
 */
export async function writeCatalog(store: Store, catalog: Catalog, meta: CatalogMeta, linker?: Linker): Promise<number> {
  return store.write(async (db) => {
    const scope: ('titles' | 'catalogMeta' | 'events')[] = linker ? ['titles', 'catalogMeta', 'events'] : ['titles', 'catalogMeta'];
    const tx = db.transaction(scope, 'readwrite');
    const pending: Promise<unknown>[] = [];
    // Requests queued before a failure reject with AbortError; they are awaited below or on abort, never left unhandled.
    const track = (request: Promise<unknown>): void => {
      request.catch(() => undefined);
      pending.push(request);
    };
    try {
      const titles = tx.objectStore('titles');
      track(titles.clear());
      for (let i = 0; i < catalog.titles.length; i += PUT_CHUNK) {
        for (const title of catalog.titles.slice(i, i + PUT_CHUNK)) track(titles.put(title));
        // Waiting on a request keeps the transaction open and lets the worker answer messages meanwhile.
        await pending[pending.length - 1];
      }
      track(tx.objectStore('catalogMeta').put(meta, 'current'));
      let relinked = 0;
      if (linker) {
        const events = tx.objectStore('events');
        for (const event of await events.getAll()) {
          track(events.put({ ...event, links: relinkEvent(linker, event) }));
          relinked += 1;
        }
      }
      await Promise.all(pending);
      await tx.done;
      return relinked;
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // Already aborted by the failing request.
      }
      await tx.done.catch(() => undefined);
      throw error;
    }
  });
}

/** Creates the background's catalog service over a store. */
export function createCatalogService(store: Store, options: CatalogOptions = {}): CatalogService {
  const now = options.now ?? Date.now;
  let cached: Linker | undefined;
  let building: Promise<Linker> | undefined;
  // The default catalog being installed: a linker built before it lands would be empty.
  let installing: Promise<unknown> = Promise.resolve();
  // Bumped by every install, so a build from the previous catalog's titles is not cached over it.
  let generation = 0;
  const readyListeners: ((linker: Linker) => void)[] = [];
  let lastInstall: InstallTimes | undefined;

  function ready(linker: Linker): Linker {
    cached = linker;
    building = undefined;
    readyListeners.forEach((listener) => listener(linker));
    return linker;
  }

  const saveLinker = (record: StoredLinker): Promise<void> =>
    store.write((db) => kvPut(db.transaction('kv', 'readwrite').store, 'linkerSnapshot', record));

  async function build(): Promise<Linker> {
    await installing.catch(() => undefined);
    const startedIn = generation;
    const [meta, saved] = await store.read((db) => {
      const tx = db.transaction(['catalogMeta', 'kv']);
      return Promise.all([tx.objectStore('catalogMeta').get('current'), kvGet(tx.objectStore('kv'), 'linkerSnapshot')]);
    });
    // The saved linker needs no titles: a restarted worker reads one record instead of the whole catalog.
    const restored = meta && saved?.catalog === snapshotKey(meta) ? linkerFromSnapshot(saved.snapshot) : undefined;
    await yieldToEvents();
    const linker = restored ?? buildLinker(await store.read((db) => db.getAll('titles')));
    if (startedIn !== generation && cached) return cached;
    if (!restored && meta) {
      // Saved for the next start of the service worker; a failure only costs a rebuild then.
      const record: StoredLinker = { catalog: snapshotKey(meta), snapshot: linkerSnapshot(linker) };
      saveLinker(record).catch((error: unknown) => console.warn('Reelflow: linker not saved', error));
    }
    return ready(linker);
  }

  /** Validates and installs; the new linker is built before the switch so events are re-linked in the same transaction. */
  async function install(text: string, source: CatalogMeta['source'], relink = true): Promise<{ meta: CatalogMeta; relinked: number }> {
    const t0 = performance.now();
    // Each phase takes a few hundred ms of the worker's only thread; messages waiting meanwhile are answered between them.
    await yieldToEvents();
    const parsed = await parseCatalogInSteps(text, yieldToEvents);
    if (!parsed.ok) throw new MessageError('invalid', `catalog: ${parsed.error}`);
    const { catalog } = parsed;
    const meta: CatalogMeta = {
      format: catalog.format,
      version: catalog.version,
      source,
      attributions: catalog.attributions,
      titleCount: catalog.titles.length,
      installedAt: now(),
      sha256: await sha256Hex(text),
    };
    const t1 = performance.now();
    await yieldToEvents();
    const linker = buildLinker(catalog.titles);
    const t2 = performance.now();
    await yieldToEvents();
    const relinked = await writeCatalog(store, catalog, meta, relink ? linker : undefined);
    lastInstall = { parseMs: t1 - t0, linkerMs: t2 - t1, writeMs: performance.now() - t2, totalMs: performance.now() - t0 };
    generation += 1;
    ready(linker);
    // Keyed by the catalog it came from, so it can be written after the switch: a stale one is ignored.
    const record: StoredLinker = { catalog: snapshotKey(meta), snapshot: linkerSnapshot(linker) };
    await saveLinker(record).catch((error: unknown) => console.warn('Reelflow: linker not saved', error));
    return { meta, relinked };
  }

  async function currentMeta(): Promise<CatalogMeta | undefined> {
    return store.read((db) => db.get('catalogMeta', 'current'));
  }

  return {
    ensureDefault() {
      const { loadDefault } = options;
      if (!loadDefault) return currentMeta();
      const run = (async (): Promise<CatalogMeta | undefined> => {
        const [meta, checked] = await store.read((db) => {
          const tx = db.transaction(['catalogMeta', 'kv']);
          return Promise.all([tx.objectStore('catalogMeta').get('current'), kvGet(tx.objectStore('kv'), 'catalogCheckedFor')]);
        });
        // A catalog the user imported, or the publisher's remote one, is never replaced by the packaged default.
        if (meta && meta.source !== 'default') return meta;
        if (meta && options.shippedWith !== undefined && checked === options.shippedWith) return meta;
        const text = await loadDefault();
        // On the very first start no event can predate the catalog: nothing to re-link.
        const installed = meta && peekVersion(text) === meta.version ? meta : (await install(text, 'default', meta !== undefined)).meta;
        const shippedWith = options.shippedWith;
        if (shippedWith !== undefined)
          await store.write((db) => kvPut(db.transaction('kv', 'readwrite').store, 'catalogCheckedFor', shippedWith));
        return installed;
      })();
      installing = run;
      return run;
    },
    linker() {
      if (cached) return Promise.resolve(cached);
      building ??= build().catch((error: unknown) => {
        building = undefined;
        throw error;
      });
      return building;
    },
    peekLinker: () => cached,
    install,
    async status() {
      const [meta, titleCount] = await store.read((db) => Promise.all([db.get('catalogMeta', 'current'), db.count('titles')]));
      const status: CatalogStatus = meta ? { meta, titleCount } : { titleCount };
      if (lastInstall) status.lastInstall = lastInstall;
      return status;
    },
    async checkForUpdate() {
      const url = options.updateUrl;
      if (!url) return 'skipped';
      const meta = await currentMeta();
      if (meta?.source === 'imported') return 'skipped';
      const response = await (options.fetch ?? fetch)(url, UPDATE_REQUEST);
      if (!response.ok) throw new Error(`catalog update: HTTP ${response.status}`);
      const text = await response.text();
      const sha = await sha256Hex(text);
      if (options.updateSha256 && sha !== options.updateSha256.toLowerCase()) {
        throw new Error(`catalog update: sha256 ${sha} does not match the pinned ${options.updateSha256}`);
      }
      if (meta?.sha256 === sha || (meta && peekVersion(text) === meta.version && meta.source === 'remote')) return 'current';
      await install(text, 'remote');
      return 'updated';
    },
    onLinkerReady(listener) {
      readyListeners.push(listener);
    },
  };
}
