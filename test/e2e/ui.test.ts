import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { Page as FirefoxPage } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Feedback } from '../../src/shared/db/schema.ts';
import { USER_DATA_STORES } from '../../src/shared/db/schema.ts';
import type { ExportFile } from '../../src/shared/export-format.ts';
import { axeTransientStates, axeViolations } from './harness/axe.ts';
import { launchChromium, type ChromiumSession } from './harness/chromium.ts';
import { readStore, sendRaw, waitFor } from './harness/extension-page.ts';
import { launchFirefox, type FirefoxSession } from './harness/firefox.ts';
import { privacyViolations, startDemoServer, type DemoServer } from './harness/server.ts';
import { SEED_EVENTS, seedUi } from './ui-seed.ts';

const PAGES = resolve('test/fixtures/demo');
const POPUP = 'src/popup/index.html';
/** The title ids in the popup's snapshot (storage.session), read in an extension page; a string, so it runs as written. */
/** The states the axe tests visit after the first paint. */
const PASSING_STATES = 'paused, undo, snoozed, delete confirmation, import error';
const SNAPSHOT_IDS =
  "(globalThis.browser ?? globalThis.chrome).storage.session.get('popup-snapshot')" +
  ".then((items) => items['popup-snapshot']?.suggestions.map((s) => s.titleId))";
const OPTIONS = 'src/options/index.html';

/**
 * Waits until the popup's snapshot lists these titles: the background rewrites it just after a
 * popup's impressions are stored, a moment after the popup is ready.
 */
async function snapshotShows(page: Page | FirefoxPage, ids: string[], what: string): Promise<string[]> {
  return waitFor(async () => {
    const now = (await (page as Page).evaluate(SNAPSHOT_IDS)) as string[] | undefined;
    return JSON.stringify(now) === JSON.stringify(ids) && now;
  }, what);
}

/** Every state axeTransientStates checks, each with no violation. */
const NO_TRANSIENT_VIOLATIONS = {
  'popup paused banner': [],
  'popup undo toast': [],
  'popup snoozed': [],
  'options delete confirmation': [],
  'options import error': [],
};

/** A file the options page must refuse to import, with an error on screen. */
function notJsonFile(): string {
  mkdirSync('artifacts', { recursive: true });
  const file = resolve('artifacts', 'e2e-not-json.json');
  writeFileSync(file, 'this is not JSON {');
  return file;
}

/** Relative luminance (WCAG) of an opaque computed `rgb(r, g, b)` colour, 0 black to 1 white; NaN for anything else (transparent too). */
function luminance(rgb: string): number {
  const channels = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(rgb)?.slice(1) ?? [];
  const [r = NaN, g = NaN, b = NaN] = channels.map((c) => {
    const s = Number(c) / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe('popup and options in real Chromium', () => {
  let server: DemoServer;
  let session: ChromiumSession;
  let options: Page;

  const openPopup = async (): Promise<Page> => {
    const popup = await session.context.newPage();
    await popup.setViewportSize({ width: 380, height: 600 });
    await popup.goto(`chrome-extension://${session.extensionId}/${POPUP}`);
    await popup.waitForSelector('body[data-ready="true"]');
    return popup;
  };

  beforeAll(async () => {
    server = await startDemoServer(PAGES);
    session = await launchChromium({ proxyPort: server.proxyPort });
    // Watch links go to real platforms; answer them locally so nothing leaves the machine.
    await session.context.route(/^https:\/\/www\.netflix\.com\//, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Netflix stand-in</title>' }),
    );
    options = await session.openExtensionPage(OPTIONS);
    await options.waitForSelector('body[data-ready="true"]');
    await seedUi(options);
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('shows the seeded suggestions with title, kind, year, reason and why', async () => {
    const popup = await openPopup();
    const titles = await popup.locator('.suggestion h2').allTextContents();
    expect(titles).toEqual(['3 Body Problem', 'Frieren: Beyond Journey’s End', 'The Bear', 'In the Mood for Love']);
    // Four cards whole in the popup's 380×600, before any scrolling.
    const bottoms = await popup.locator('.suggestion').evaluateAll((cards) => cards.map((c) => c.getBoundingClientRect().bottom));
    expect(bottoms.length).toBeGreaterThanOrEqual(4);
    for (const bottom of bottoms.slice(0, 4)) expect(bottom).toBeLessThanOrEqual(600);
    // Feedback buttons are icons named by their labels.
    expect(
      await popup
        .locator('.suggestion')
        .first()
        .locator('.feedback button')
        .evaluateAll((b) => b.map((x) => x.getAttribute('aria-label'))),
    ).toEqual(['Interested', 'Not interested', 'Seen it']);
    const first = popup.locator('.suggestion').first();
    expect(await first.locator('.meta').textContent()).toBe('Series · 2024');
    expect(await first.locator('.reason').textContent()).toBe('You engaged with posts about #3BodyProblem.');
    await first.locator('details.why summary').click();
    await first.locator('.why-events a').waitFor();
    expect(await first.locator('.why-events a').textContent()).toContain('The sophon scene in episode 5');
    // Region US, no platforms chosen: Netflix is offered, the China-only Tencent Video link is not.
    expect(await first.locator('a.watch').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href))).toEqual([
      'https://www.netflix.com/title/81024821?utm_source=reelflow&utm_medium=extension',
    ]);
    const impressions = await readStore<{ titleId: string; rank: number }>(popup, 'impressions');
    expect(impressions.slice(-4).map((i) => [i.titleId, i.rank])).toEqual([
      ['three-body', 0],
      ['frieren', 1],
      ['the-bear', 2],
      ['in-the-mood-for-love', 3],
    ]);
    // The answer the background keeps ready for the next open, readable by the popup (never written by it).
    // The seed went into IndexedDB behind the background's back, so the snapshot catches up when this
    // open's impressions are recorded, a moment after the popup is ready.
    const expected = ['three-body', 'frieren', 'the-bear', 'in-the-mood-for-love'];
    expect(await snapshotShows(popup, expected, 'the snapshot of this answer')).toEqual(expected);
    await popup.close();
  });

  it('paints the snapshot at once, then the live answer where it differs; a title shown again that day is no new impression', async () => {
    // A stale snapshot, as if the ranking changed since it was written: the same titles, reversed.
    const live = ['three-body', 'frieren', 'the-bear', 'in-the-mood-for-love'];
    // The last popup's impressions rewrite the snapshot just after they are stored; let that land first.
    await options.waitForTimeout(300);
    await options.evaluate(`chrome.storage.session.get('popup-snapshot').then((items) => {
      const snapshot = items['popup-snapshot'];
      return chrome.storage.session.set({ 'popup-snapshot': { ...snapshot, suggestions: [...snapshot.suggestions].reverse() } });
    })`);
    const shownBefore = (await readStore(options, 'impressions')).length;
    const popup = await session.context.newPage();
    // Every list the popup puts on screen, in order (added before the page's own scripts run).
    await popup.addInitScript(`window.lists = [];
      new MutationObserver(() => {
        const ids = [...document.querySelectorAll('#content .suggestion')].map((card) => card.dataset.titleId);
        if (ids.length > 0 && ids.join() !== (window.lists.at(-1) ?? []).join()) window.lists.push(ids);
      }).observe(document, { childList: true, subtree: true });`);
    await popup.goto(`chrome-extension://${session.extensionId}/${POPUP}`);
    await popup.waitForSelector('body[data-ready="true"]');
    // The stale snapshot first (its first card is painted on a frame of its own, the rest one frame
    // later), then the live answer; nothing else, and never a mix of the two.
    const lists = (await popup.evaluate('window.lists')) as string[][];
    expect(lists[0]?.[0]).toBe(live.at(-1));
    expect(lists.at(-1)).toEqual(live);
    const isPrefixOf = (full: string[]) => (list: string[]) => list.every((id, i) => full[i] === id);
    for (const list of lists) expect(isPrefixOf([...live].reverse())(list) || isPrefixOf(live)(list), list.join()).toBe(true);
    // The background puts its own answer back once this open's impressions are handled.
    expect(await snapshotShows(popup, live, 'the live answer back in the snapshot')).toEqual(live);
    // The four were shown earlier today (the first test): an impression is a title shown on a day, so none is added.
    const impressions = await readStore<{ titleId: string; at: number }>(popup, 'impressions');
    expect(impressions).toHaveLength(shownBefore);
    const today = new Date();
    today.setHours(0, 0, 0, 0);
    const shownToday = impressions.filter((i) => i.at >= today.getTime()).map((i) => i.titleId);
    expect(shownToday.sort()).toEqual([...live].sort());
    await popup.close();
  });

  it('opens a watch link in a new tab and records the click', async () => {
    const popup = await openPopup();
    const link = popup.locator('.suggestion[data-title-id="three-body"] a.watch');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    const [tab] = await Promise.all([session.context.waitForEvent('page'), link.click()]);
    await tab.waitForLoadState();
    expect(tab.url()).toBe('https://www.netflix.com/title/81024821?utm_source=reelflow&utm_medium=extension');
    const clicks = await waitFor(
      async () => (await readStore<Feedback>(options, 'feedback')).filter((f) => f.kind === 'click'),
      'the click feedback',
    );
    expect(clicks).toMatchObject([{ titleId: 'three-body', kind: 'click', platform: 'netflix' }]);
    await tab.close();
    await popup.close();
  });

  it('hides a title marked not interested, lists it in options, and brings it back on undo', async () => {
    const popup = await openPopup();
    const card = popup.locator('.suggestion[data-title-id="the-bear"]');
    await card.locator('button[data-action="not-interested"]').click();
    await card.waitFor({ state: 'hidden' });
    await popup.locator('#toast button.undo').waitFor();
    // The undo button has the focus, so a keyboard user can take it back at once.
    expect(await popup.evaluate(() => document.activeElement?.className)).toBe('undo');

    const page = await session.openExtensionPage(OPTIONS);
    await page.waitForSelector('body[data-ready="true"]');
    // The watch link opened in the test before is listed, with no Undo: it happened, it is no preference.
    expect(await page.locator('#feedback-list li[data-kind="click"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#feedback-list li[data-kind="click"] button').count()).toBe(0);
    const item = page.locator('#feedback-list li[data-title-id="the-bear"][data-kind="not-interested"]');
    expect(await item.textContent()).toContain('Not interested');
    expect(await item.textContent()).toContain('The Bear');
    await page.close();

    // A fresh popup leaves it out too.
    const again = await openPopup();
    expect(await again.locator('.suggestion[data-title-id="the-bear"]').count()).toBe(0);
    await again.close();

    await popup.locator('#toast button.undo').click();
    await card.waitFor({ state: 'visible' });
    // The cached ranking is recomputed in the background after feedback changes (the popup never
    // waits for training), so a popup opened later shows the title again once that has run.
    await waitFor(
      async () => {
        const reopened = await openPopup();
        const count = await reopened.locator('.suggestion[data-title-id="the-bear"]').count();
        await reopened.close();
        return count === 1;
      },
      'the-bear back in a fresh popup',
      20_000,
    );
    await popup.close();
  });

  it('shows a paused state with one-click resume', async () => {
    await options.reload();
    await options.waitForSelector('body[data-ready="true"]');
    await options.locator('#paused').check();
    await options.locator('#status:has-text("Saved")').waitFor();
    const popup = await openPopup();
    await popup.locator('#resume').click();
    await popup.locator('#resume').waitFor({ state: 'detached' });
    expect(await sendRaw(popup, { reelflow: 1, type: 'settings:get', payload: {} })).toMatchObject({ ok: true, value: { paused: false } });
    await popup.close();
  });

  it('snoozes all suggestions for a week and brings them back on request', async () => {
    const popup = await openPopup();
    await popup.locator('#snooze').click();
    await popup.locator('section.snoozed').waitFor();
    expect(await popup.locator('.suggestion').count()).toBe(0);
    // A popup opened meanwhile stays snoozed: the background keeps the answer.
    const again = await openPopup();
    await again.locator('section.snoozed').waitFor();
    expect(await again.locator('.suggestion').count()).toBe(0);
    await again.close();
    await popup.locator('#unsnooze').click();
    await popup.locator('.suggestion').first().waitFor();
    expect(await popup.locator('.suggestion').count()).toBeGreaterThan(0);
    expect(await popup.locator('section.snoozed').count()).toBe(0);
    await popup.close();
  });

  it('disables a site in options and capture stops there', async () => {
    await options.reload();
    await options.waitForSelector('body[data-ready="true"]');
    await options.locator('#site-x').check();
    await waitFor(
      async () =>
        ((await sendRaw(options, { reelflow: 1, type: 'content:hello', payload: { site: 'x' } })) as { value: { capture: boolean } }).value
          .capture,
      'capture on for x',
    );
    await options.locator('#site-x').uncheck();
    await options.locator('#status:has-text("Saved")').waitFor();
    expect(await sendRaw(options, { reelflow: 1, type: 'content:hello', payload: { site: 'x' } })).toMatchObject({
      ok: true,
      value: { capture: false },
    });
    // A like on the x.com tab is not stored now (the seeded event is the only one from x).
    const feed = await session.context.newPage();
    await feed.goto('https://x.com/home');
    await feed.waitForSelector('article[data-testid="tweet"]');
    const likes = feed.locator('button[data-testid="like"]');
    expect(await likes.count()).toBeGreaterThan(0);
    await likes.first().click();
    await feed.waitForTimeout(800);
    expect((await readStore<{ id: string; site: string }>(options, 'events')).filter((e) => e.site === 'x').map((e) => e.id)).toEqual([
      SEED_EVENTS[0]?.id,
    ]);
    await feed.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no axe-core violations on popup and options (${scheme})`, async () => {
      for (const path of [POPUP, OPTIONS]) {
        const page = await session.context.newPage();
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(`chrome-extension://${session.extensionId}/${path}`);
        await page.waitForSelector('body[data-ready="true"]');
        // The page really renders in this scheme, as the Firefox test checks too.
        const [prefersDark, background] = await page.evaluate(
          () => [matchMedia('(prefers-color-scheme: dark)').matches, getComputedStyle(document.body).backgroundColor] as const,
        );
        expect(prefersDark, `${path} matches (prefers-color-scheme: dark)`).toBe(scheme === 'dark');
        if (scheme === 'dark') expect(luminance(background), `${path} body background ${background}`).toBeLessThan(0.05);
        else expect(luminance(background), `${path} body background ${background}`).toBeGreaterThan(0.8);
        if (path === POPUP)
          await page
            .locator('details.why')
            .first()
            .evaluate((d) => ((d as HTMLDetailsElement).open = true));
        else
          await page
            .locator('#sites details')
            .first()
            .evaluate((d) => ((d as HTMLDetailsElement).open = true));
        expect(await axeViolations(page), `${path} ${scheme}`).toEqual([]);
        await page.close();
      }
    });
  }

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no axe-core violations in the pages' passing states (${scheme}): ${PASSING_STATES}`, async () => {
      const found = await axeTransientStates(async (path) => {
        const page = await session.context.newPage();
        await page.setViewportSize({ width: 380, height: 600 });
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(`chrome-extension://${session.extensionId}/${path}`);
        await page.waitForSelector('body[data-ready="true"]');
        return page;
      }, notJsonFile());
      expect(found).toEqual(NO_TRANSIENT_VIOLATIONS);
    });
  }

  it('exports everything, deletes everything (storage empty), imports it back identical', async () => {
    await options.reload();
    await options.waitForSelector('body[data-ready="true"]');
    await sendRaw(options, { reelflow: 1, type: 'feedback:add', payload: { titleId: 'frieren', kind: 'interested' } });
    const [download] = await Promise.all([options.waitForEvent('download'), options.locator('#export').click()]);
    const path = await download.path();
    const exported = JSON.parse(readFileSync(path, 'utf8')) as ExportFile;
    expect(exported.format).toBe('reelflow-export');
    expect(exported.events.map((e) => e.id).sort()).toEqual(SEED_EVENTS.map((e) => e.id).sort());
    // The watch-link click and this "interested" (an undone "not interested" may be swept by retention meanwhile).
    expect(exported.feedback.filter((f) => !f.undone).map((f) => `${f.kind} ${f.titleId}`)).toEqual(
      expect.arrayContaining(['click three-body', 'interested frieren']),
    );

    await options.locator('#delete-all').click();
    await options.locator('#delete-all-confirm').click();
    await options.locator('#status:has-text("Everything was deleted")').waitFor();
    for (const store of USER_DATA_STORES) {
      // The settings page itself re-reads settings after deleting; only defaults come back, and not from storage.
      expect(await readStore(options, store), store).toEqual([]);
    }
    expect(await options.locator('#events > li').count()).toBe(0);

    await options.locator('#import').setInputFiles(path);
    await options.locator('#status:has-text("Imported")').waitFor();
    const reply = (await sendRaw(options, { reelflow: 1, type: 'data:export', payload: {} })) as { ok: true; value: ExportFile };
    // The retention sweep (an alarm a minute after each start of the worker) deletes undone feedback whenever it runs,
    // imported or not: the file comes back whole but for what the sweep may have removed meanwhile.
    const settled = (file: ExportFile): ExportFile => ({ ...file, exportedAt: 0, feedback: file.feedback.filter((f) => !f.undone) });
    expect(settled(reply.value)).toEqual(settled(exported));
    expect(exported.feedback.some((f) => f.undone)).toBe(true);
    expect(await options.locator('#events > li').count()).toBe(SEED_EVENTS.length);
  });

  it('lists every stored action, a page at a time: "show older actions" loads the rest', async () => {
    const exported = ((await sendRaw(options, { reelflow: 1, type: 'data:export', payload: {} })) as { value: ExportFile }).value;
    const [base] = exported.events;
    if (!base) throw new Error('the seeded events are missing');
    const extra = Array.from({ length: 450 }, (_, i) => ({
      ...base,
      id: `x:like:page${i}`,
      at: base.at - (i + 1) * 60_000,
      target: { ...base.target, id: `page${i}` },
    }));
    expect(
      await sendRaw(options, { reelflow: 1, type: 'data:import', payload: { ...exported, events: extra, feedback: [], impressions: [] } }),
    ).toMatchObject({ ok: true });
    const total = exported.events.length + extra.length;
    await options.reload();
    await options.waitForSelector('body[data-ready="true"]');
    const items = options.locator('#events > li');
    await waitFor(async () => (await items.count()) === 200, 'the first page of actions');
    expect(await options.locator('#event-summary').textContent()).toBe(`${total} stored actions (newest first). Showing the newest 200.`);
    await options.locator('#events-more').click();
    await waitFor(async () => (await items.count()) === 400, 'the second page');
    // The keyboard lands on the first action just loaded.
    expect(
      await options.evaluate(() => document.activeElement?.closest('#events > li') === document.querySelectorAll('#events > li')[200]),
    ).toBe(true);
    await options.locator('#events-more').click();
    await waitFor(async () => (await items.count()) === total, 'every action');
    expect(await options.locator('#events-more').isHidden()).toBe(true);
    expect(await options.locator('#event-summary').textContent()).toBe(`${total} stored actions (newest first).`);
    // The oldest is last.
    expect(await items.last().getAttribute('data-event-id')).toBe('x:like:page449');
  });

  it("lists the region's platforms first and folds the others; another region redraws the list", async () => {
    await options.reload();
    await options.waitForSelector('body[data-ready="true"]');
    const before = await options.locator('#region').inputValue();
    const where = async (id: string): Promise<string> =>
      (await options.locator(`#platforms-here #platform-${id}`).count()) > 0
        ? 'here'
        : (await options.locator(`#platforms-elsewhere #platform-${id}`).count()) > 0
          ? 'elsewhere'
          : 'missing';
    await options.locator('#region').selectOption('US');
    await options.waitForSelector('#platforms-here #platform-hulu');
    expect(await Promise.all(['netflix', 'hulu', 'crunchyroll', 'qq', 'bilibili'].map(where))).toEqual([
      'here',
      'here',
      'here',
      'elsewhere',
      'elsewhere',
    ]);
    expect(await options.locator('#platforms-elsewhere').getAttribute('open')).toBeNull();
    await options.locator('#region').selectOption('CN');
    await options.waitForSelector('#platforms-here #platform-qq');
    expect(await Promise.all(['netflix', 'hulu', 'qq', 'bilibili'].map(where))).toEqual(['here', 'elsewhere', 'here', 'here']);
    // The choice keeps its place: focus stays on the region control.
    expect(await options.evaluate(() => document.activeElement?.id)).toBe('region');
    await options.locator('#region').selectOption(before);
    await options.waitForSelector(`#region option[value="${before}"]:checked`, { state: 'attached' });
  });

  it('made no network request but the test’s own pages', () => {
    expect(session.extensionRequests.filter((url) => !url.startsWith('https://www.netflix.com/'))).toEqual([]);
    // The clicked watch link is the user's own navigation (answered locally by the route above).
    expect(privacyViolations(server.log, ['www.netflix.com'])).toEqual([]);
  });
});

describe('popup and options in real Firefox', () => {
  let server: DemoServer;
  let session: FirefoxSession;
  let options: FirefoxPage;

  beforeAll(async () => {
    server = await startDemoServer(PAGES);
    session = await launchFirefox({ proxyPort: server.proxyPort });
    options = await session.openExtensionPage(OPTIONS);
    await options.waitForSelector('body[data-ready="true"]');
    await seedUi(options);
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('shows the seeded suggestions, records a watch-link click, and hides and restores a title', async () => {
    const popup = await session.openExtensionPage(POPUP);
    await popup.waitForSelector('body[data-ready="true"]');
    expect(await popup.$$eval('.suggestion h2', (h2s) => h2s.map((h) => h.textContent))).toEqual([
      '3 Body Problem',
      'Frieren: Beyond Journey’s End',
      'The Bear',
      'In the Mood for Love',
    ]);
    // As in Chromium: the snapshot catches up with the seed when this open's impressions are recorded.
    const expected = ['three-body', 'frieren', 'the-bear', 'in-the-mood-for-love'];
    expect(await snapshotShows(popup, expected, 'the snapshot of this answer')).toEqual(expected);

    // puppeteer's BiDi view of Firefox does not report the new tab (its load is refused by the offline
    // proxy); that the link opens a new tab is checked in Chromium, here its attributes and the click.
    expect(
      await popup.$eval('.suggestion[data-title-id="three-body"] a.watch', (a) => [a.getAttribute('target'), a.getAttribute('rel')]),
    ).toEqual(['_blank', 'noopener noreferrer']);
    await popup.click('.suggestion[data-title-id="three-body"] a.watch');
    const clicks = await waitFor(
      async () => (await readStore<Feedback>(options, 'feedback')).filter((f) => f.kind === 'click'),
      'the click feedback',
    );
    expect(clicks).toMatchObject([{ titleId: 'three-body', platform: 'netflix' }]);

    await popup.bringToFront();
    await popup.click('.suggestion[data-title-id="the-bear"] button[data-action="not-interested"]');
    await popup.waitForSelector('.suggestion[data-title-id="the-bear"]', { hidden: true });
    const listed = await waitFor(
      async () => (await readStore<Feedback>(options, 'feedback')).find((f) => f.kind === 'not-interested' && !f.undone),
      'not-interested feedback',
    );
    expect(listed.titleId).toBe('the-bear');
    await popup.click('#toast button.undo');
    await popup.waitForSelector('.suggestion[data-title-id="the-bear"]', { visible: true });
    await popup.close();
  });

  it('disables a site, and exports, deletes and imports everything back', async () => {
    await options.close();
    options = await session.openExtensionPage(OPTIONS);
    await options.waitForSelector('body[data-ready="true"]');
    await options.click('#site-douban');
    await waitFor(
      async () =>
        (
          (await sendRaw(options, { reelflow: 1, type: 'settings:get', payload: {} })) as {
            value: { sites: { douban: { enabled: boolean } } };
          }
        ).value.sites.douban.enabled,
      'douban on',
    );
    await options.click('#site-douban');
    await waitFor(
      async () =>
        !(
          (await sendRaw(options, { reelflow: 1, type: 'settings:get', payload: {} })) as {
            value: { sites: { douban: { enabled: boolean } } };
          }
        ).value.sites.douban.enabled,
      'douban off',
    );
    expect(await sendRaw(options, { reelflow: 1, type: 'content:hello', payload: { site: 'douban' } })).toMatchObject({
      ok: true,
      value: { capture: false },
    });

    // Firefox downloads are outside what BiDi exposes; the file's content is what data:export answers.
    const exported = ((await sendRaw(options, { reelflow: 1, type: 'data:export', payload: {} })) as { value: ExportFile }).value;
    expect(exported.events).toHaveLength(SEED_EVENTS.length);
    await options.click('#delete-all');
    await options.click('#delete-all-confirm');
    await options.waitForSelector('#status');
    await waitFor(async () => (await readStore(options, 'events')).length === 0, 'events deleted');
    for (const store of USER_DATA_STORES) expect(await readStore(options, store), store).toEqual([]);
    const input = await options.$('#import');
    const file = resolve('artifacts', 'e2e-firefox-export.json');
    mkdirSync('artifacts', { recursive: true });
    writeFileSync(file, JSON.stringify(exported));
    await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(file);
    await waitFor(async () => (await readStore(options, 'events')).length === SEED_EVENTS.length, 'events imported');
    const again = ((await sendRaw(options, { reelflow: 1, type: 'data:export', payload: {} })) as { value: ExportFile }).value;
    expect({ ...again, exportedAt: 0 }).toEqual({ ...exported, exportedAt: 0 });
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no axe-core violations on popup and options (${scheme})`, async () => {
      await session.setColorScheme(scheme);
      try {
        for (const path of [POPUP, OPTIONS]) {
          const page = await session.openExtensionPage(path);
          await page.waitForSelector('body[data-ready="true"]');
          // The page really renders in this scheme: the media query answers it and the page's colours follow.
          const [prefersDark, background] = await page.evaluate(
            () => [matchMedia('(prefers-color-scheme: dark)').matches, getComputedStyle(document.body).backgroundColor] as const,
          );
          expect(prefersDark, `${path} matches (prefers-color-scheme: dark)`).toBe(scheme === 'dark');
          if (scheme === 'dark') expect(luminance(background), `${path} body background ${background}`).toBeLessThan(0.05);
          else expect(luminance(background), `${path} body background ${background}`).toBeGreaterThan(0.8);
          const details = path === POPUP ? 'details.why' : '#sites details';
          // After the import of the test before, the suggestions come back once the model has retrained.
          await page.waitForSelector(details, { timeout: 20_000 }).catch(async (error: unknown) => {
            // What the page shows instead, so a failure says what the user would have seen.
            throw new Error(`${path}: no ${details} in ${JSON.stringify(await page.evaluate(() => document.body.innerText))}`, {
              cause: error,
            });
          });
          await page.$eval(details, (d) => ((d as HTMLDetailsElement).open = true));
          expect(await axeViolations(page), `${path} ${scheme}`).toEqual([]);
          await page.close();
        }
      } finally {
        await session.setColorScheme(null);
      }
    });
  }

  it(`has no axe-core violations in the pages' passing states (dark): ${PASSING_STATES}`, async () => {
    await session.setColorScheme('dark');
    try {
      const found = await axeTransientStates(async (path) => {
        const page = await session.openExtensionPage(path);
        await page.waitForSelector('body[data-ready="true"]');
        return page;
      }, notJsonFile());
      expect(found).toEqual(NO_TRANSIENT_VIOLATIONS);
    } finally {
      await session.setColorScheme(null);
    }
  });

  it('made no network request but the test’s own pages and the clicked watch link', () => {
    expect(privacyViolations(server.log, ['www.netflix.com'])).toEqual([]);
  });
});
