import type { Page as PlaywrightPage } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';

/** An extension page (popup or options) of either browser. */
type Evaluator = PlaywrightPage | PuppeteerPage;

/** Runs fn(arg) in the page; both libraries take the same (function, argument) form. */
function evaluate<R, A>(page: Evaluator, fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
  return (page as PlaywrightPage).evaluate(fn as (arg: unknown) => Promise<R>, arg as unknown) as Promise<R>;
}

/** Reads every record of one IndexedDB store of the extension (a read; only the background writes). */
export async function readStore<T = unknown>(page: Evaluator, store: string): Promise<T[]> {
  return evaluate(
    page,
    (name: string) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('reelflow');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(name)) {
            db.close();
            resolve([]);
            return;
          }
          const request = db.transaction(name).objectStore(name).getAll();
          request.onsuccess = () => {
            db.close();
            resolve(request.result as T[]);
          };
          request.onerror = () => reject(request.error);
        };
      }),
    store,
  );
}

/** Sends a raw runtime message from an extension page, as a page would, and returns the reply. */
export async function sendRaw(page: Evaluator, message: unknown): Promise<unknown> {
  return evaluate(
    page,
    (m: unknown) => {
      type Api = { runtime: { sendMessage(message: unknown): Promise<unknown> } };
      const g = globalThis as unknown as { browser?: Api; chrome?: Api };
      const api = g.browser ?? g.chrome;
      if (!api) throw new Error('no extension API on this page');
      return api.runtime.sendMessage(m);
    },
    message,
  );
}

/** What the browser shows on Reelflow's toolbar icon for each tab whose URL matches: the badge text and the tooltip. */
export async function toolbarBadges(page: Evaluator, urlPattern: string): Promise<{ url: string; text: string; title: string }[]> {
  return evaluate(
    page,
    async (pattern: string) => {
      type Api = {
        tabs: { query(q: { url: string }): Promise<{ id?: number; url?: string }[]> };
        action: { getBadgeText(d: { tabId: number }): Promise<string>; getTitle(d: { tabId: number }): Promise<string> };
      };
      const g = globalThis as unknown as { browser?: Api; chrome?: Api };
      const api = g.browser ?? g.chrome;
      if (!api) throw new Error('no extension API on this page');
      const tabs = await api.tabs.query({ url: pattern });
      return Promise.all(
        tabs.map(async (tab) => ({
          url: tab.url ?? '',
          text: await api.action.getBadgeText({ tabId: tab.id ?? -1 }),
          title: await api.action.getTitle({ tabId: tab.id ?? -1 }),
        })),
      );
    },
    urlPattern,
  );
}

/** What the browser itself says of the extension's site access: granted host origins and registered content scripts. */
export interface BrowserSiteAccess {
  origins: string[];
  scripts: { id: string; matches: string[]; js: string[] }[];
}

/** Reads granted host permissions and registered content scripts from the browser (not from Reelflow's own records). */
export async function browserSiteAccess(page: Evaluator): Promise<BrowserSiteAccess> {
  return evaluate(
    page,
    async () => {
      type Api = {
        permissions: { getAll(): Promise<{ origins?: string[] }> };
        scripting: { getRegisteredContentScripts(): Promise<{ id: string; matches?: string[]; js?: string[] }[]> };
      };
      const g = globalThis as unknown as { browser?: Api; chrome?: Api };
      const api = g.browser ?? g.chrome;
      if (!api) throw new Error('no extension API on this page');
      const [permissions, scripts] = await Promise.all([api.permissions.getAll(), api.scripting.getRegisteredContentScripts()]);
      return {
        origins: [...(permissions.origins ?? [])].sort(),
        scripts: scripts
          .map((s) => ({ id: s.id, matches: [...(s.matches ?? [])].sort(), js: s.js ?? [] }))
          .sort((a, b) => a.id.localeCompare(b.id)),
      };
    },
    undefined,
  );
}

/** Polls until fn returns a truthy value or the time runs out. */
export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Waits until the extension finished its first start: the default catalog installed and the
 * background answering promptly again. Tests seed and click only after that, as a user who
 * installed it a minute ago would.
 */
export async function waitForFirstStart(page: Evaluator, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    async () => {
      const reply = (await sendRaw(page, { reelflow: 1, type: 'catalog:status', payload: {} })) as {
        ok: boolean;
        value?: { titleCount?: number };
      };
      return reply.ok && (reply.value?.titleCount ?? 0) > 0;
    },
    'the default catalog to be installed',
    timeoutMs,
  );
  await waitFor(
    async () => {
      const started = Date.now();
      await sendRaw(page, { reelflow: 1, type: 'data:status', payload: {} });
      return Date.now() - started < 250;
    },
    'the background to settle after its first start',
    timeoutMs,
  );
}
