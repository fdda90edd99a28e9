import { resolve } from 'node:path';
import type { Page as PlaywrightPage } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/shared/settings.ts';
import type { SuggestionsResponse } from '../../src/shared/suggestions.ts';
import { axeViolations } from './harness/axe.ts';
import { launchChromium, type ChromiumSession } from './harness/chromium.ts';
import { sendRaw, waitFor, waitForFirstStart } from './harness/extension-page.ts';
import { launchFirefox, type FirefoxSession } from './harness/firefox.ts';
import { privacyViolations, startDemoServer, type DemoServer } from './harness/server.ts';

/**
 * Issue 15, "what Reelflow thinks you like": in a real browser, with the default catalog and the
 * real learner in the extension's background, a user who picked four science-fiction films sees
 * science fiction in their taste profile and in the reasons of their suggestions; "Not for me" on it
 * retrains, and then no suggestion is science fiction and no reason names it; "Put everything back"
 * brings it back.
 */

type Page = PlaywrightPage | PuppeteerPage;
const evaluate = <R, A>(page: Page, fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> =>
  (page as PlaywrightPage).evaluate(fn as (arg: unknown) => Promise<R>, arg as unknown) as Promise<R>;

const PICKS = ['zw:film:inception', 'zw:film:thematrix', 'zw:film:interstellar', 'zw:film:arrival'];
const GENRE = 'sci-fi';
const GENRE_NAMES = ['Science fiction', 'science fiction', 'sci-fi'];

async function ask<T>(page: Page, type: string, payload: unknown): Promise<T> {
  const reply = (await sendRaw(page, { reelflow: 1, type, payload })) as { ok: boolean; value: T; error?: unknown };
  if (!reply.ok) throw new Error(`${type}: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

/** The ranking's titles that are of the genre, and the reasons that name it (recomputed from what the background answers). */
async function genreInRanking(page: Page): Promise<{ computedAt: number | undefined; titles: string[]; reasons: string[]; count: number }> {
  const answer = await ask<SuggestionsResponse>(page, 'popup:suggestions', { limit: 50 });
  const titles = answer.suggestions.filter((s) => s.title.genres.includes(GENRE)).map((s) => s.titleId);
  const reasons = answer.suggestions.flatMap((s) =>
    s.reasons.filter((r) => JSON.stringify(r.claim ?? {}).includes(`"${GENRE}"`)).map((r) => `${s.titleId}: ${r.phrase.key}`),
  );
  return { computedAt: answer.computedAt, titles, reasons, count: answer.suggestions.length };
}

/** Picks the four films as a new user would in onboarding, and waits for the ranking they lead to. */
async function seedPicks(page: Page): Promise<void> {
  const settings = await ask<Settings>(page, 'settings:get', {});
  await ask(page, 'settings:set', { ...settings, onboarded: true });
  for (const titleId of PICKS) await ask(page, 'feedback:add', { titleId, kind: 'interested' });
  await waitFor(async () => (await genreInRanking(page)).reasons.length > 0, 'a ranking whose reasons name science fiction', 60_000);
}

const entrySelector = `#taste li.taste-entry[data-facet="genres"][data-key="${GENRE}"]`;

/** What the options page's taste section shows: genre keys listed, genres taken out, and the status line. */
async function tasteShown(page: Page): Promise<{ genres: string[]; removed: string[]; status: string; names: string }> {
  return evaluate(
    page,
    () => ({
      genres: [...document.querySelectorAll('#taste li.taste-entry[data-facet="genres"]')].map((li) => li.getAttribute('data-key') ?? ''),
      removed: [...document.querySelectorAll('#taste li.taste-removed')].map((li) => li.getAttribute('data-key') ?? ''),
      status: document.getElementById('status')?.textContent ?? '',
      names: document.getElementById('taste')?.textContent ?? '',
    }),
    undefined,
  );
}

async function clickIn(page: Page, selector: string): Promise<void> {
  await evaluate(
    page,
    (s: string) => {
      const element = document.querySelector<HTMLElement>(s);
      if (!element) throw new Error(`no ${s}`);
      element.click();
    },
    selector,
  );
}

/** The taste section's whole story in one browser: listed with its actions, taken out, retrained without, put back. */
async function correctTaste(control: Page, open: (path: string) => Promise<Page>): Promise<Page> {
  await seedPicks(control);
  const before = await genreInRanking(control);
  // The options page as the user opens it after those picks.
  const options = await open('src/options/index.html');
  expect(before.reasons.length).toBeGreaterThan(0);
  expect(before.titles.length).toBeGreaterThan(0);

  // Listed first among the genres (all four picks are science fiction), with the four picks behind it.
  await waitFor(async () => (await tasteShown(options)).genres.includes(GENRE), 'science fiction in the taste profile', 30_000);
  const shown = await tasteShown(options);
  expect(shown.genres[0]).toBe(GENRE);
  const behind = await evaluate(
    options,
    (s: string) => [...document.querySelectorAll(`${s} .taste-why li`)].map((li) => li.getAttribute('data-event-id')),
    entrySelector,
  );
  expect(behind).toHaveLength(4);
  expect(behind.every((id) => id?.startsWith('feedback:'))).toBe(true);

  // "Not for me": saved, retrained, redrawn.
  await clickIn(options, `${entrySelector} button.taste-remove`);
  await waitFor(
    async () => (await tasteShown(options)).status === 'Your suggestions were retrained.',
    'the retrain after the correction',
    60_000,
  );
  const after = await tasteShown(options);
  expect(after.genres).not.toContain(GENRE);
  expect(after.removed).toEqual([GENRE]);
  const corrected = await genreInRanking(options);
  expect(corrected.computedAt).toBeGreaterThan(before.computedAt ?? 0);
  expect(corrected.count).toBeGreaterThan(0);
  expect(corrected.titles).toEqual([]);
  expect(corrected.reasons).toEqual([]);
  const settings = await ask<Settings>(options, 'settings:get', {});
  expect(settings.taste?.genres).toEqual([GENRE]);

  // The popup, as the user sees it: cards, and not one reason that says science fiction.
  const page = await open('src/popup/index.html');
  await waitFor(
    async () => evaluate(page, () => document.querySelectorAll('.suggestion').length > 0, undefined),
    'the popup cards',
    30_000,
  );
  const cards = await evaluate(page, () => [...document.querySelectorAll('.suggestion')].map((card) => card.textContent ?? ''), undefined);
  for (const text of cards) for (const name of GENRE_NAMES) expect(text).not.toContain(name);
  await page.close();

  // Put everything back: retrained with it again.
  await clickIn(options, '#taste-reset');
  await waitFor(
    async () => (await tasteShown(options)).genres.includes(GENRE) && (await genreInRanking(options)).reasons.length > 0,
    'science fiction back after the reset',
    60_000,
  );
  expect((await ask<Settings>(options, 'settings:get', {})).taste).toEqual({ genres: [], people: [], titles: [], sites: [] });
  return options;
}

describe('taste profile in real Chromium', () => {
  let server: DemoServer;
  let session: ChromiumSession;

  beforeAll(async () => {
    server = await startDemoServer(resolve('test/fixtures/demo'));
    session = await launchChromium({ proxyPort: server.proxyPort });
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('lists science fiction and its picks; "Not for me" retrains without it (no suggestion or reason of it); reset undoes it', async () => {
    const control = await session.openExtensionPage('src/options/index.html');
    await waitForFirstStart(control, 90_000);
    const options = (await correctTaste(control, async (path) => {
      const page = await session.openExtensionPage(path);
      await page.waitForSelector('body[data-ready="true"]');
      return page;
    })) as PlaywrightPage;
    await control.close();
    // The section with a genre taken out and put back, in both colour schemes: no axe violations.
    await options.locator('#taste-heading').scrollIntoViewIfNeeded();
    for (const colorScheme of ['light', 'dark'] as const) {
      await options.emulateMedia({ colorScheme });
      expect(await axeViolations(options), `taste ${colorScheme}`).toEqual([]);
    }
    await options.close();
  }, 240_000);

  it('opens the taste profile from the popup in one click', async () => {
    const popup = await session.openExtensionPage('src/popup/index.html');
    await popup.waitForSelector('body[data-ready="true"]');
    const [tab] = await Promise.all([session.context.waitForEvent('page'), popup.click('#open-taste')]);
    await tab.waitForSelector('body[data-ready="true"]');
    expect(new URL(tab.url()).hash).toBe('#taste-heading');
    expect(await tab.locator('#taste li.taste-entry').count()).toBeGreaterThan(0);
    await tab.close();
    await popup.close();
  });

  it('made no network request but the test’s own pages', () => {
    expect(privacyViolations(server.log)).toEqual([]);
  });
});

describe('taste profile in real Firefox', () => {
  let server: DemoServer;
  let session: FirefoxSession;

  beforeAll(async () => {
    server = await startDemoServer(resolve('test/fixtures/demo'));
    session = await launchFirefox({ proxyPort: server.proxyPort });
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('"Not for me" on science fiction retrains, and no suggestion or reason is science fiction; reset brings it back', async () => {
    const control = await session.openExtensionPage('src/options/index.html');
    await waitForFirstStart(control, 90_000);
    const options = await correctTaste(control, async (path) => {
      const page = await session.openExtensionPage(path);
      await page.waitForSelector('body[data-ready="true"]');
      return page;
    });
    await options.close();
    await control.close();
  }, 240_000);

  it('made no network request but the test’s own pages', () => {
    expect(privacyViolations(server.log)).toEqual([]);
  });
});
