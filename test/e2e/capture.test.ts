import { readFileSync } from 'node:fs';
import { RATE_LIMITS } from '../../src/background/handlers/capture.ts';
import { resolve } from 'node:path';
import type { Page as PlaywrightPage } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapturedEventSchema, type StoredEvent } from '../../src/shared/events.ts';
import type { Settings } from '../../src/shared/settings.ts';
import { originPatterns, type SiteId } from '../../src/shared/sites.ts';
import { launchChromium, type ChromiumSession } from './harness/chromium.ts';
import { browserSiteAccess, readStore, sendRaw, toolbarBadges, waitFor } from './harness/extension-page.ts';
import { launchFirefox, type FirefoxSession } from './harness/firefox.ts';
import { privacyViolations, startDemoServer, type DemoServer } from './harness/server.ts';

const en = JSON.parse(readFileSync('public/_locales/en/messages.json', 'utf8')) as Record<string, { message: string } | undefined>;

/**
 * Issue 3 end to end: the built extension in real Chromium and real Firefox captures real clicks on
 * the demo pages (test/fixtures/demo, served under the real host names), stores one event per
 * action in IndexedDB, retracts on undo, and stores nothing for a disabled site or a private window.
 */
const PAGES = resolve('test/fixtures/demo');
const X_ST = '1900000000000000001'; // the Oppenheimer post (#post-st)
const X_3BP = '1900000000000000002'; // the Attack on Titan post (#post-3bp)
const X_INCEPTION = '1900000000000000003';
const X_LUNCH = '1900000000000000004';

type ExtensionPage = PlaywrightPage | PuppeteerPage;

/** The slice of the extension API the private-window steps call inside an extension page. */
interface ExtensionApi {
  extension: { isAllowedIncognitoAccess(): Promise<boolean> };
  windows: { create(options: { incognito: boolean; url: string }): Promise<{ incognito?: boolean }> };
}

/**
 * Asks, from an extension page, inside the tab showing `url` and in Reelflow's own isolated world
 * (where its content script runs, out of the page's sight): whether the content script is running
 * there (its router marks that world), and what the background answers a hello from that tab.
 * Undefined while the tab is not there yet.
 */
async function probeTab(page: ExtensionPage, url: string): Promise<{ running: boolean; hello: unknown } | undefined> {
  return (page as PlaywrightPage).evaluate(async (u: string) => {
    type Api = {
      tabs: { query(query: object): Promise<{ id?: number; url?: string }[]> };
      scripting: { executeScript(injection: { target: { tabId: number }; func: () => unknown }): Promise<{ result?: unknown }[]> };
    };
    const g = globalThis as unknown as { browser?: Api; chrome?: Api };
    const api = (g.browser ?? g.chrome) as Api;
    const tab = (await api.tabs.query({})).find((t) => t.url === u);
    if (tab?.id === undefined) return undefined;
    const [injected] = await api.scripting.executeScript({
      target: { tabId: tab.id },
      func: async () => {
        type Runtime = { runtime: { sendMessage(message: unknown): Promise<unknown> } };
        const w = globalThis as unknown as { browser?: Runtime; chrome?: Runtime };
        const running = Symbol.for('reelflow.router') in globalThis;
        const hello = await (w.browser ?? w.chrome)?.runtime.sendMessage({ reelflow: 1, type: 'content:hello', payload: { site: 'x' } });
        return { running, hello };
      },
    });
    return injected?.result as { running: boolean; hello: unknown } | undefined;
  }, url);
}

/** x's last-seen time in the site health records (0 before any). */
async function xLastSeen(page: ExtensionPage): Promise<number> {
  return (await readStore<{ site: string; lastSeen?: number }>(page, 'siteHealth')).find((h) => h.site === 'x')?.lastSeen ?? 0;
}

/**
 * x's last-seen time once it stops moving. Allowing private windows reloads the extension, which
 * runs its content script again in the open x.com tabs of the normal window; their hellos mark x
 * seen a moment later.
 */
async function settledLastSeen(page: ExtensionPage): Promise<number> {
  let last = await xLastSeen(page);
  const settled = await waitFor(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const now = await xLastSeen(page);
      const stable = now === last;
      last = now;
      return stable && { now };
    },
    'x’s last-seen time to settle',
    20_000,
  );
  return settled.now;
}

/**
 * Waits until Reelflow's content script runs in the private tab and the background has answered a
 * hello from there (refused), then checks the visit left no trace: x's last-seen time is unchanged.
 */
async function refusedWithoutTrace(page: ExtensionPage, url: string, seenBefore: number): Promise<void> {
  const probe = await waitFor(async () => {
    const found = await probeTab(page, url).catch(() => undefined);
    return found?.running && found;
  }, 'Reelflow’s content script running in the private tab');
  expect(probe.hello).toEqual({ ok: true, value: { capture: false, actions: [] } });
  expect(await xLastSeen(page), 'a private visit leaves no last-seen time').toBe(seenBefore);
}

/** What both automation libraries offer a test for a web page. */
interface Tab {
  goto(url: string): Promise<unknown>;
  click(selector: string): Promise<void>;
  /** Runs a script in the page's own world (the page, not Reelflow). */
  evaluate(script: string): Promise<unknown>;
  waitForSelector(selector: string): Promise<unknown>;
  close(): Promise<void>;
}

/** One browser under test: pages, an extension page that reads IndexedDB, and a private window. */
interface Driver {
  newTab(): Promise<Tab>;
  options(): Promise<ExtensionPage>;
  /** Opens the popup's page in a tab (it asks for its list as the toolbar popup does). */
  popup(): Promise<Tab>;
  /** Opens url in a private window (the extension allowed there, so the test shows Reelflow's own refusal). */
  privateTab(url: string): Promise<Tab>;
}

const events = (page: ExtensionPage): Promise<StoredEvent[]> => readStore<StoredEvent>(page, 'events');

async function stored(page: ExtensionPage, id: string): Promise<StoredEvent> {
  return waitFor(async () => (await events(page)).find((e) => e.id === id), `event ${id}`);
}

async function gone(page: ExtensionPage, id: string): Promise<void> {
  await waitFor(async () => !(await events(page)).some((e) => e.id === id), `retraction of ${id}`);
}

async function settingsOf(page: ExtensionPage): Promise<Settings> {
  const reply = (await sendRaw(page, { reelflow: 1, type: 'settings:get', payload: {} })) as { ok: boolean; value: Settings };
  if (!reply.ok) throw new Error(`settings:get failed: ${JSON.stringify(reply)}`);
  return reply.value;
}

/** A stored record is whole: the captured part passes the message schema and the stored fields are set. */
function expectWhole(record: StoredEvent): void {
  const { id, receivedAt, links, removedTitleIds, ...captured } = record;
  expect(v.safeParse(CapturedEventSchema, captured).success, `${id} is a valid event`).toBe(true);
  expect(id).toBe(`${record.site}:${record.action}:${record.target.id}`);
  expect(receivedAt).toBeGreaterThan(0);
  // The background links on capture (issue 4); nothing the user corrected yet.
  for (const link of links) expect(link).toMatchObject({ source: 'linker', titleId: expect.any(String) as string });
  expect(removedTitleIds).toEqual([]);
}

/** The tests both browsers run; each step relies on the ones before it (one browser launch per describe). */
function captureTests(driver: () => Driver, started: () => number): void {
  let x: Tab;
  let weibo: Tab;

  it('turns X, Weibo and Douban on from the options page checkboxes', async () => {
    const options = await driver().options();
    const tab = options as unknown as Tab; // the same calls exist in both libraries
    await tab.waitForSelector('body[data-ready="true"]');
    for (const site of ['x', 'weibo', 'douban']) await tab.click(`#site-${site}`);
    await waitFor(async () => {
      const s = await settingsOf(options);
      return s.sites.x.enabled && s.sites.weibo.enabled && s.sites.douban.enabled && !s.sites.youtube.enabled;
    }, 'the three sites enabled');
    // Asked for in the click, and granted for these three sites only; a content script each, nowhere else.
    const on: SiteId[] = ['douban', 'weibo', 'x'];
    const access = await waitFor(async () => {
      const now = await browserSiteAccess(options);
      return now.scripts.length === on.length && now;
    }, 'three content scripts registered');
    expect(access.origins).toEqual(on.flatMap(originPatterns).sort());
    expect(access.scripts.map((script) => [script.id, script.matches])).toEqual(
      on.map((site) => [`reelflow-site-${site}`, originPatterns(site).sort()]),
    );
  });

  it('stores a like and a repost clicked on x.com with the post’s fields', async () => {
    x = await driver().newTab();
    await x.goto('https://x.com/home');
    await x.waitForSelector('article[data-testid="tweet"]');
    await x.click('#post-st [data-testid="like"]');
    await x.click('#post-3bp [data-testid="retweet"]');
    await x.click('[data-testid="retweetConfirm"]');
    const options = await driver().options();
    const like = await stored(options, `x:like:${X_ST}`);
    expect(like).toMatchObject({
      site: 'x',
      action: 'like',
      target: {
        id: X_ST,
        url: `https://x.com/DemoStudio/status/${X_ST}`,
        author: '@DemoStudio',
        hashtags: ['Oppenheimer'],
        links: ['https://t.co/demo01'],
        itemIds: [{ kind: 'x-status', value: X_ST }],
        lang: 'en',
      },
    });
    expect(like.target.text).toContain('Oppenheimer in IMAX: three hours that felt like one.');
    expect(like.at).toBeGreaterThanOrEqual(started());
    const repost = await stored(options, `x:repost:${X_3BP}`);
    expect(repost).toMatchObject({
      site: 'x',
      action: 'repost',
      target: {
        id: X_3BP,
        url: `https://x.com/SciFiShelf/status/${X_3BP}`,
        hashtags: ['AttackOnTitan', '进击的巨人'],
        itemIds: [{ kind: 'x-status', value: X_3BP }],
      },
    });
    expect(repost.target.text).toContain('Attack on Titan');
    for (const record of [like, repost]) expectWhole(record);
  });

  it('shows on the toolbar icon of that tab how many it noticed, and opening the popup clears it', async () => {
    const options = await driver().options();
    // The like and the repost above: two stored from the x.com tab.
    const stored = (await events(options)).filter((e) => e.site === 'x' && e.at >= started()).length;
    expect(stored).toBe(2);
    const noticed = en.badgeNoticed?.message.replace('$COUNT$', String(stored));
    const shown = await waitFor(async () => {
      const badges = await toolbarBadges(options, 'https://x.com/*');
      return badges.length === 1 && badges[0]?.text === String(stored) && badges;
    }, 'the x.com tab badge');
    expect(shown[0]?.title).toBe(noticed);
    const popup = await driver().popup();
    await popup.waitForSelector('body[data-ready="true"]');
    await waitFor(async () => (await toolbarBadges(options, 'https://x.com/*'))[0]?.text === '', 'the badge cleared');
    expect((await toolbarBadges(options, 'https://x.com/*'))[0]?.title).toBe(en.extName?.message);
    await popup.close();
  });

  it('ignores clicks a page script makes: el.click() and dispatchEvent store nothing', async () => {
    // The page's own script forges a like and a bookmark on the lunch post, ten times each.
    await x.evaluate(`(() => {
      const like = document.querySelector('#post-lunch [data-testid="like"]');
      const mark = document.querySelector('#post-lunch [data-testid="bookmark"]');
      for (let i = 0; i < 10; i += 1) {
        like.click();
        mark.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true }));
      }
    })()`);
    // A barrier: a real click after the forged ones is stored; the forged ones are not.
    await x.click('#post-inception [data-testid="bookmark"]');
    const options = await driver().options();
    await stored(options, `x:bookmark:${X_INCEPTION}`);
    await new Promise((r) => setTimeout(r, 300));
    const ids = (await events(options)).map((e) => e.id);
    expect(ids).not.toContain(`x:like:${X_LUNCH}`);
    expect(ids).not.toContain(`x:bookmark:${X_LUNCH}`);
  });

  it('retracts the like on unlike and the repost on undo repost', async () => {
    await x.click(`#post-st [data-testid="unlike"]`);
    await x.click('#post-3bp [data-testid="unretweet"]');
    await x.click('[data-testid="unretweetConfirm"]');
    const options = await driver().options();
    await gone(options, `x:like:${X_ST}`);
    await gone(options, `x:repost:${X_3BP}`);
  });

  it('stores 赞 and 快转 on weibo.com with the #话题#, and retracts 取消赞', async () => {
    weibo = await driver().newTab();
    await weibo.goto('https://weibo.com/');
    await weibo.waitForSelector('article.woo-panel-main');
    await weibo.click('#post-santi button.woo-like-main');
    await weibo.click('#post-santi .toolbar_retweet_1xx');
    await weibo.click('#quick-repost');
    const options = await driver().options();
    const like = await stored(options, 'weibo:like:NsTi3BdyA');
    expect(like).toMatchObject({
      site: 'weibo',
      action: 'like',
      target: {
        id: 'NsTi3BdyA',
        url: 'https://weibo.com/1000000001/NsTi3BdyA',
        author: '动画放映厅',
        hashtags: ['进击的巨人'],
        links: ['https://video.example.cn/aot'],
        itemIds: [{ kind: 'weibo-status', value: 'NsTi3BdyA' }],
        lang: 'zh',
      },
    });
    expect(like.target.text).toContain('艾伦和三笠');
    const repost = await stored(options, 'weibo:repost:NsTi3BdyA');
    expect(repost.target.hashtags).toEqual(['进击的巨人']);
    for (const record of [like, repost]) expectWhole(record);
    // The button is now in its liked state (取消赞): the same click un-likes.
    await weibo.click('#post-santi button.woo-like-liked');
    await gone(options, 'weibo:like:NsTi3BdyA');
    expect((await events(options)).map((e) => e.id)).toContain('weibo:repost:NsTi3BdyA');
  });

  it('stores 想看 saved on a movie.douban.com subject with its Douban id', async () => {
    const douban = await driver().newTab();
    await douban.goto('https://movie.douban.com/subject/3541415/');
    await douban.waitForSelector('#interest_sect_level');
    await douban.click('a[name="pbtn-3541415-wish"]');
    await douban.click('#collect_form_3541415 input[type="submit"]');
    const options = await driver().options();
    const wish = await stored(options, 'douban:wish:3541415');
    expect(wish).toMatchObject({
      site: 'douban',
      action: 'wish',
      target: {
        id: '3541415',
        url: 'https://movie.douban.com/subject/3541415/',
        title: '盗梦空间 Inception (2010)',
        itemIds: [{ kind: 'douban-subject', value: '3541415' }],
      },
    });
    expectWhole(wish);
    await douban.close();
  });

  it('stores nothing from a site the user turned off', async () => {
    const options = await driver().options();
    const tab = options as unknown as Tab;
    await tab.click('#site-weibo');
    await waitFor(async () => !(await settingsOf(options)).sites.weibo.enabled, 'weibo off');
    // Turned off, the site's permission is released and its content script goes.
    const access = await waitFor(async () => {
      const now = await browserSiteAccess(options);
      return now.scripts.length === 2 && now;
    }, 'the Weibo content script gone');
    expect(access.origins).toEqual(['douban', 'x'].flatMap((site) => originPatterns(site as SiteId)).sort());
    expect(access.scripts.map((script) => script.id)).toEqual(['reelflow-site-douban', 'reelflow-site-x']);
    await weibo.goto('https://weibo.com/');
    await weibo.waitForSelector('article.woo-panel-main');
    await weibo.click('#post-st button.woo-like-main');
    // A barrier: a click on an enabled site, sent after the Weibo click, is stored; the Weibo one is not.
    await x.click('#post-inception [data-testid="like"]');
    await stored(options, `x:like:${X_INCEPTION}`);
    await new Promise((r) => setTimeout(r, 500));
    expect((await events(options)).map((e) => e.id)).not.toContain('weibo:like:NsStrThgs');
  });

  it('captures on a tab already open when its site is turned on, without a reload', async () => {
    // The Weibo tab stays as the step before left it: loaded while Weibo was off.
    const options = await driver().options();
    const seen = async (): Promise<number> =>
      (await readStore<{ site: string; lastSeen?: number }>(options, 'siteHealth')).find((h) => h.site === 'weibo')?.lastSeen ?? 0;
    const seenBefore = await seen();
    await (options as unknown as Tab).click('#site-weibo');
    await waitFor(
      async () => (await browserSiteAccess(options)).scripts.some((script) => script.id === 'reelflow-site-weibo'),
      'weibo registered again',
    );
    // The background ran the script in the open tab; its hello arrives, and it captures from then on.
    await waitFor(async () => (await seen()) > seenBefore, 'a hello from the open Weibo tab');
    await weibo.click('#post-inception button.woo-like-main');
    expect(await stored(options, 'weibo:like:NsIncEpt0')).toMatchObject({ site: 'weibo', action: 'like' });
    await weibo.close();
  });

  it('offers, when a site is turned off, to delete what was captured there, with the count; deletes only that', async () => {
    const options = await driver().options();
    const tab = options as unknown as Tab;
    const before = await events(options);
    const weiboCount = before.filter((e) => e.site === 'weibo').length;
    expect(weiboCount).toBeGreaterThan(0);
    await tab.click('#site-weibo');
    await waitFor(async () => !(await settingsOf(options)).sites.weibo.enabled, 'weibo off');
    await tab.waitForSelector('#site-weibo-delete');
    const offer = (await tab.evaluate('document.querySelector(\'[data-site="weibo"] .site-delete-offer\').textContent')) as string;
    expect(offer).toContain(`Reelflow still keeps ${weiboCount} capture${weiboCount === 1 ? '' : 's'} from Weibo.`);
    expect(offer).toContain(`Delete the ${weiboCount}`);
    await tab.click('#site-weibo-delete');
    await waitFor(async () => !(await events(options)).some((e) => e.site === 'weibo'), 'the Weibo captures deleted');
    const after = await events(options);
    expect(after.map((e) => e.id).sort()).toEqual(
      before
        .filter((e) => e.site !== 'weibo')
        .map((e) => e.id)
        .sort(),
    );
    const status = await waitFor(async () => {
      const text = (await tab.evaluate("document.getElementById('status')?.textContent ?? ''")) as string;
      return text.includes('Deleted') && text;
    }, 'the deletion announced');
    expect(status).toContain(`Deleted ${weiboCount} capture${weiboCount === 1 ? '' : 's'} from Weibo.`);
    expect(await tab.evaluate("document.querySelector('.site-delete-offer') === null")).toBe(true);
    // On again for the steps after this one; turning it on offers nothing.
    await tab.click('#site-weibo');
    await waitFor(async () => (await settingsOf(options)).sites.weibo.enabled, 'weibo on again');
  });

  it('links the X like about Inception and the Douban 想看 on 盗梦空间 to the default catalog title', async () => {
    const options = await driver().options();
    const status = (await sendRaw(options, { reelflow: 1, type: 'catalog:status', payload: {} })) as {
      ok: boolean;
      value: { titleCount: number; meta?: { source: string } };
    };
    expect(status.value.titleCount).toBeGreaterThan(15_000);
    expect(status.value.meta?.source).toBe('default');
    for (const id of [`x:like:${X_INCEPTION}`, 'douban:wish:3541415']) {
      // Linked in the write, or just after it when the linker was still being built.
      const linked = await waitFor(
        async () => (await events(options)).find((e) => e.id === id && e.links.some((l) => l.titleId === 'zw:film:inception')),
        `${id} linked`,
        30_000,
      );
      expect(linked.links.find((l) => l.titleId === 'zw:film:inception')).toMatchObject({
        source: 'linker',
        reason: expect.any(String) as string,
      });
    }
  });

  it('stores nothing from a private window, even with the extension allowed there', async () => {
    const tab = await driver().privateTab('https://x.com/home?private=1');
    await tab.waitForSelector('article[data-testid="tweet"]');
    const options = await driver().options();
    const before = await events(options);
    await tab.click('#post-lunch [data-testid="like"]');
    await tab.click('#post-lunch [data-testid="bookmark"]');
    // Barrier in the normal window, after the private clicks (reloaded: allowing private windows reloaded the extension).
    await x.goto('https://x.com/home');
    await x.waitForSelector('article[data-testid="tweet"]');
    await x.click('#post-3bp [data-testid="like"]');
    await stored(options, `x:like:${X_3BP}`);
    await new Promise((r) => setTimeout(r, 500));
    const after = (await events(options)).map((e) => e.id);
    expect(after).not.toContain(`x:like:${X_LUNCH}`);
    expect(after).not.toContain(`x:bookmark:${X_LUNCH}`);
    expect(after.length).toBe(before.length + 1);
    await tab.close();
  });
}

/** A status id for the i-th post of the burst (kept as a string: 19 digits are beyond a double). */
const burstId = (i: number): string => `19000000000000010${String(i).padStart(2, '0')}`;

describe('the built content scripts', () => {
  it.each(['chrome', 'firefox'])('accept only trusted events (%s): the test seam is not in the build', (target) => {
    const script = readFileSync(`dist/${target}/src/content/main.js`, 'utf8');
    expect(script).toContain('isTrusted');
    // The seam is `import.meta.env.MODE === 'test'`; in a build the mode is the browser's, and the branch is gone.
    expect(script).not.toMatch(/["'`]test["'`]/);
    expect(script).not.toContain('import.meta');
  });
});

describe('capture in real Chromium', () => {
  let server: DemoServer;
  let session: ChromiumSession;
  let options: PlaywrightPage | undefined;
  let started = 0;

  async function extensionPage(): Promise<PlaywrightPage> {
    if (options && !options.isClosed()) return options;
    // Allowing incognito reloads the extension; its pages need a moment to come back.
    options = await waitFor(async () => session.openExtensionPage('src/options/index.html').catch(() => undefined), 'the options page');
    return options;
  }

  const driver: Driver = {
    newTab: () => session.context.newPage(),
    options: extensionPage,
    popup: () => session.openExtensionPage('src/popup/index.html'),
    async privateTab(url) {
      // Developer mode keeps the unpacked extension enabled when the incognito toggle reloads it.
      const manager = await session.context.newPage();
      await manager.goto(`chrome://extensions/?id=${session.extensionId}`);
      await manager.locator('#devMode').click();
      await manager.locator('#allow-incognito').click();
      await waitFor(
        async () =>
          (await manager.locator('#allow-incognito').getAttribute('aria-pressed')) === 'true' ||
          (await manager.locator('#allow-incognito[checked]').count()) > 0,
        'incognito allowed',
      );
      await manager.close();
      options = undefined;
      const page = await waitFor(async () => {
        const current = await extensionPage();
        return (
          (await current
            .evaluate(() => (globalThis as unknown as { chrome: ExtensionApi }).chrome.extension.isAllowedIncognitoAccess())
            .catch(() => false)) && current
        );
      }, 'the extension back with incognito access');
      const seenBefore = await settledLastSeen(page);
      const incognito = await page.evaluate(
        async (u) =>
          (await (globalThis as unknown as { chrome: ExtensionApi }).chrome.windows.create({ incognito: true, url: u })).incognito,
        url,
      );
      expect(incognito).toBe(true);
      const tab = await waitFor(async () => session.context.pages().find((p) => p.url() === url), 'the incognito tab');
      // The content script runs there and asks the background, which says no and records nothing.
      await refusedWithoutTrace(page, url, seenBefore);
      return tab;
    },
  };

  beforeAll(async () => {
    server = await startDemoServer(PAGES);
    session = await launchChromium({ proxyPort: server.proxyPort });
    started = Date.now();
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  captureTests(
    () => driver,
    () => started,
  );

  it('turns a site off when the user revokes its access in the browser, and says so in options', async () => {
    const options = await extensionPage();
    await options.waitForSelector('body[data-ready="true"]');
    expect(await options.locator('#site-weibo').isChecked()).toBe(true);
    // What chrome://extensions does when the user removes a site under "Site access".
    const manager = await session.context.newPage();
    await manager.goto('chrome://extensions');
    await manager.evaluate(
      async ({ id, hosts }) => {
        const developer = (
          globalThis as unknown as { chrome: { developerPrivate: { removeHostPermission(id: string, host: string): Promise<void> } } }
        ).chrome.developerPrivate;
        for (const host of hosts) await developer.removeHostPermission(id, host);
      },
      { id: session.extensionId, hosts: originPatterns('weibo') },
    );
    await waitFor(async () => !(await settingsOf(options)).sites.weibo.enabled, 'weibo turned off by the revocation');
    const access = await waitFor(async () => {
      const now = await browserSiteAccess(options);
      return !now.scripts.some((script) => script.id === 'reelflow-site-weibo') && now;
    }, 'the Weibo content script gone');
    expect(access.origins.some((origin) => origin.includes('weibo'))).toBe(false);
    await manager.close();
    // The user comes back to the options tab; headless Chromium fires no focus on bringToFront, so the test does.
    await options.bringToFront();
    await options.evaluate(() => window.dispatchEvent(new Event('focus')));
    await waitFor(async () => !(await options.locator('#site-weibo').isChecked()), 'options showing Weibo off');
  });

  it('stores every like of a burst exactly once while the service worker is stopped mid-write', async () => {
    const BURST = 30;
    const page = await session.context.newPage();
    await page.goto('https://x.com/home');
    await page.waitForSelector('article[data-testid="tweet"]');
    // X's infinite scroll: more posts arrive in the same document.
    await page.evaluate(
      (ids) => {
        const template = document.getElementById('post-lunch')?.closest('[data-testid="cellInnerDiv"]');
        if (!template) throw new Error('no post to copy');
        ids.forEach((id, i) => {
          const cell = template.cloneNode(true) as Element;
          const article = cell.querySelector('article') as Element;
          article.id = `burst-${i}`;
          // Status ids are strings: 19-digit numbers are beyond a double's exact integers.
          article.querySelector('a[href*="/status/"]')?.setAttribute('href', `/NoodleDiary/status/${id}`);
          (article.querySelector('[data-testid="tweetText"]') as Element).textContent = `Burst post ${i} about Oppenheimer`;
          template.parentElement?.append(cell);
        });
      },
      Array.from({ length: BURST }, (_, i) => burstId(i)),
    );
    const options = await extensionPage();
    // While a DevTools client is attached Chromium never stops the worker on its own: stop it explicitly.
    const cdp = await session.context.newCDPSession(options);
    await cdp.send('ServiceWorker.enable');
    let stopped = 0;
    let restarted = 0;
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const version of versions) {
        if (version.runningStatus === 'stopped') stopped += 1;
        else if (version.runningStatus === 'running' && stopped > 0) restarted += 1;
      }
    });
    const stops: Promise<unknown>[] = [];
    for (let i = 0; i < BURST; i += 1) {
      await page.click(`#burst-${i} [data-testid="like"]`);
      if (i % 10 === 4) {
        // Three real stops, not one asked for thrice: each waits until the clicks since have woken the worker again.
        if (stops.length > 0) await waitFor(async () => restarted >= stops.length, 'the worker back after a stop', 15_000);
        stops.push(cdp.send('ServiceWorker.stopAllWorkers')); // not awaited: the clicks go on meanwhile
      }
    }
    await Promise.all(stops);
    const ids = Array.from({ length: BURST }, (_, i) => `x:like:${burstId(i)}`);
    const burst = await waitFor(
      async () => {
        const found = (await events(options)).filter((e) => e.target.text.startsWith('Burst post'));
        return found.length >= BURST && found;
      },
      'all burst likes',
      20_000,
    ).catch(async (error: unknown) => {
      const found = (await events(options)).filter((e) => e.target.text.startsWith('Burst post')).map((e) => e.target.text);
      throw new Error(`${String(error)}: ${found.length} of ${BURST} stored (${found.join(', ')})`);
    });
    expect(burst.map((e) => e.id).sort()).toEqual(ids.sort());
    for (const record of burst) expectWhole(record);
    // The worker really went away three times and came back (the next message starts it again).
    expect(stopped).toBeGreaterThanOrEqual(3);
    expect(restarted).toBeGreaterThanOrEqual(3);
    await cdp.detach();
    await page.close();
  });

  it('stores no more than the rate limit of a 1,000-click burst, and keeps everything stored before', async () => {
    const FLOOD = 1000;
    const options = await extensionPage();
    const before = await events(options);
    const page = await session.context.newPage();
    await page.goto('https://x.com/home');
    await page.waitForSelector('article[data-testid="tweet"]');
    await page.evaluate((n) => {
      const template = document.getElementById('post-lunch')?.closest('[data-testid="cellInnerDiv"]');
      if (!template) throw new Error('no post to copy');
      for (let i = 0; i < n; i += 1) {
        const cell = template.cloneNode(true) as Element;
        const article = cell.querySelector('article') as Element;
        article.id = `flood-${i}`;
        article.querySelector('a[href*="/status/"]')?.setAttribute('href', `/NoodleDiary/status/1900000000000${String(200000 + i)}`);
        (article.querySelector('[data-testid="tweetText"]') as Element).textContent = `Flood post ${i}`;
        template.parentElement?.append(cell);
      }
    }, FLOOD);
    // Trusted input as fast as the browser takes it: each like button focused, then Enter pressed
    // (the browser turns the key into a real click), far faster than a person.
    const began = Date.now();
    for (let i = 0; i < FLOOD; i += 1) {
      await page.focus(`#flood-${i} [data-testid="like"]`);
      await page.keyboard.press('Enter');
    }
    const minutes = Math.floor((Date.now() - began) / 60_000) + 1;
    await new Promise((r) => setTimeout(r, 2000));
    const after = await events(options);
    const flood = after.filter((e) => e.target.text.startsWith('Flood post'));
    expect(flood.length).toBeGreaterThan(0);
    // At most the per-tab limit for each minute the burst took (one, on a quick machine).
    expect(flood.length).toBeLessThanOrEqual(RATE_LIMITS.perTabPerMinute * minutes);
    // Everything stored before is there, unchanged (its links may be re-made meanwhile, which is not a loss).
    const whole = (list: StoredEvent[]): unknown[] =>
      list.map(({ links: _links, ...rest }) => rest).sort((a, b) => a.id.localeCompare(b.id));
    expect(whole(after.filter((e) => !e.target.text.startsWith('Flood post')))).toEqual(whole(before));
    // The rest were dropped: counted in the site's health (some may never leave the page's bounded outbox).
    const health = (await readStore<{ site: string; dropped?: number }>(options, 'siteHealth')).find((h) => h.site === 'x');
    expect(health?.dropped ?? 0).toBeGreaterThan(FLOOD / 2);
    expect(flood.length + (health?.dropped ?? 0)).toBeLessThanOrEqual(FLOOD);
    await page.close();
  }, 180_000);

  it('made no network request but the test’s own page loads', () => {
    expect(session.extensionRequests).toEqual([]);
    expect(privacyViolations(server.log)).toEqual([]);
    expect(server.log.some((r) => r.host === 'weibo.com' && r.mode === 'navigate')).toBe(true);
  });
});

describe('capture in real Firefox', () => {
  let server: DemoServer;
  let session: FirefoxSession;
  let options: PuppeteerPage | undefined;
  let started = 0;

  async function extensionPage(): Promise<PuppeteerPage> {
    if (options && !options.isClosed()) return options;
    options = await session.openExtensionPage('src/options/index.html');
    await options.waitForSelector('body[data-ready="true"]');
    return options;
  }

  const driver: Driver = {
    newTab: () => session.browser.newPage(),
    options: extensionPage,
    popup: () => session.openExtensionPage('src/popup/index.html'),
    async privateTab(url) {
      // about:addons → Reelflow → Run in Private Windows: Allow, as a user would.
      const addons = await session.browser.newPage();
      await addons.goto('about:addons', { waitUntil: [] });
      // waitForFunction compiles a Function, which about: pages refuse; poll instead.
      await waitFor(() => addons.evaluate(() => 'gViewController' in window).catch(() => false), 'about:addons');
      await addons.evaluate((id) => {
        (window as unknown as { gViewController: { loadView(view: string): void } }).gViewController.loadView(
          `addons://detail/${encodeURIComponent(id)}`,
        );
      }, 'reelflow@reelflow.app');
      await waitFor(
        async () =>
          addons.click('input[name="private-browsing"][value="1"]').then(
            () => true,
            () => false,
          ),
        'the private windows setting',
      );
      await addons.close();
      const page = await waitFor(async () => {
        options = undefined;
        const current = await extensionPage().catch(() => undefined);
        return (
          current &&
          (await current
            .evaluate(() => (globalThis as unknown as { browser: ExtensionApi }).browser.extension.isAllowedIncognitoAccess())
            .catch(() => false)) &&
          current
        );
      }, 'the add-on allowed in private windows');
      const seenBefore = await settledLastSeen(page);
      const incognito = await page.evaluate(
        async (u) =>
          (await (globalThis as unknown as { browser: ExtensionApi }).browser.windows.create({ incognito: true, url: u })).incognito,
        url,
      );
      expect(incognito).toBe(true);
      const target = await session.browser.waitForTarget((t) => t.url() === url, { timeout: 10_000 });
      const tab = await target.page();
      if (!tab) throw new Error('no page for the private window');
      await refusedWithoutTrace(page, url, seenBefore);
      return tab;
    },
  };

  beforeAll(async () => {
    server = await startDemoServer(PAGES);
    session = await launchFirefox({ proxyPort: server.proxyPort });
    started = Date.now();
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  captureTests(
    () => driver,
    () => started,
  );

  it('made no network request but the test’s own page loads', () => {
    expect(privacyViolations(server.log)).toEqual([]);
    expect(server.log.some((r) => r.host === 'weibo.com' && r.mode === 'navigate')).toBe(true);
  });
});
