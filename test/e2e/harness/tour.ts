/**
 * The README's tour of the demo feed (test/fixtures/demo, served under the real host names): the
 * sites turned on, real clicks on X, Weibo and Douban, the popup's first-run picks, and then what
 * the popup suggests, with each suggestion's reason and the events behind it. `npm start` takes it,
 * and test/e2e/tour.test.ts holds its suggestions to the captured titles.
 */
import type { Page } from 'playwright-core';
import type { ChromiumSession } from './chromium.ts';
import { readStore, waitFor } from './extension-page.ts';

/** The demo sites the tour engages on; each has a page in test/fixtures/demo. */
export const DEMO_SITES = ['x', 'weibo', 'douban'] as const;

/** Turns on capture for the demo sites, as a user would on the options page. */
export async function enableDemoSites(session: ChromiumSession): Promise<void> {
  const options = await session.openExtensionPage('src/options/index.html');
  await options.waitForSelector('body[data-ready="true"]');
  for (const site of DEMO_SITES) {
    const box = options.locator(`#site-${site}`);
    if (!(await box.isChecked())) await box.check();
  }
  await options.waitForTimeout(300);
  await options.close();
}

/** X: likes every post but the last, reposts the Attack on Titan post and shares the Inception one. */
async function engageOnX(page: Page): Promise<void> {
  await page.goto('https://x.com/home');
  await page.waitForSelector('article[data-testid="tweet"]');
  const posts = page.locator('article[data-testid="tweet"]');
  const count = await posts.count();
  for (let i = 0; i < count - 1; i += 1) await posts.nth(i).locator('[data-testid="like"]').click();
  await page.locator('#post-3bp [data-testid="retweet"]').click();
  await page.locator('[data-testid="retweetConfirm"]').click();
  await page.locator('#post-inception button[aria-label="Share post"]').click();
  await page.locator('#copy-link').click();
}

/** Weibo: 赞 on two posts, 快转 of the 进击的巨人 post and a comment on it. */
async function engageOnWeibo(page: Page): Promise<void> {
  await page.goto('https://weibo.com/');
  await page.waitForSelector('article.woo-panel-main');
  await page.locator('#post-santi button.woo-like-main').click();
  await page.locator('#post-st button.woo-like-main').click();
  await page.locator('#post-santi .toolbar_retweet_1xx').click();
  await page.locator('#quick-repost').click();
  await page.locator('#post-santi textarea').fill('完结篇一定去电影院看！');
  await page.locator('#post-santi .Composer_mar1_ujs0j button').click();
}

/** Douban: 想看 with five stars and a short comment, 有用 on a comment, 推荐. */
async function engageOnDouban(page: Page): Promise<void> {
  await page.goto('https://movie.douban.com/subject/3541415/');
  await page.waitForSelector('#interest_sect_level');
  await page.locator('a[name="pbtn-3541415-wish"]').click();
  await page.locator('#stars a[data-rating="5"]').click();
  await page.locator('#collect_form_3541415 textarea').fill('终于要补这部了');
  await page.locator('#collect_form_3541415 input[type="submit"]').click();
  await page.locator('.comment-item[data-cid="2200000001"] a.vote-comment').click();
  await page.locator('a.lnk-sharing').click();
}

/** Visits the demo sites and engages with a few posts on each through real clicks; returns the X feed. */
export async function browseDemoFeed(session: ChromiumSession): Promise<Page> {
  const weibo = await session.context.newPage();
  await engageOnWeibo(weibo);
  await weibo.close();
  const douban = await session.context.newPage();
  await engageOnDouban(douban);
  await douban.close();
  const feed = await session.context.newPage();
  await engageOnX(feed);
  return feed;
}

/** Prints what the tour's clicks stored, so a broken adapter or demo page shows at once. */
export async function printCaptured(session: ChromiumSession): Promise<void> {
  const options = await session.openExtensionPage('src/options/index.html');
  const events = await waitFor(
    async () => {
      const stored = await readStore<{ id: string }>(options, 'events');
      return stored.length >= 14 && stored;
    },
    "the tour's events",
    5_000,
  ).catch(async () => readStore<{ id: string }>(options, 'events'));
  console.log(
    `The tour stored ${events.length} events: ${events
      .map((e) => e.id)
      .sort()
      .join(', ')}`,
  );
  await options.close();
}

/**
 * Finishes the popup's first-run onboarding as a user would (picks two titles they like), then
 * waits for the background to learn from the captured posts and the picks, so the popup shows
 * suggestions with reasons rather than the onboarding.
 */
export async function onboardAndWaitForSuggestions(session: ChromiumSession): Promise<number> {
  const popup = await session.openExtensionPage('src/popup/index.html');
  await popup.setViewportSize({ width: 380, height: 600 });
  await popup.waitForSelector('body[data-ready="true"]');
  if (await popup.locator('#onboarding-search').count()) {
    for (const query of ['Interstellar', '葬送的芙莉莲']) {
      await popup.locator('#onboarding-search').fill(query);
      const pick = popup.locator('#onboarding-results button.pick').first();
      await pick.waitFor({ timeout: 10_000 }).then(
        () => pick.click(),
        () => console.log(`no catalog match for ${query}`),
      );
    }
    await popup.locator('#onboarding-done').click();
  }
  let count = 0;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const reply = (await popup.evaluate(() =>
      (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({
        reelflow: 1,
        type: 'popup:suggestions',
        payload: {},
      }),
    )) as { ok: boolean; value?: { suggestions: unknown[] } };
    count = reply.ok ? (reply.value?.suggestions.length ?? 0) : 0;
    if (count > 0) break;
    await popup.waitForTimeout(1000);
  }
  await popup.close();
  return count;
}

/** One suggestion as the popup shows it after the tour: its title, reason, and the events "Why this?" lists. */
export interface TourSuggestion {
  titleId: string;
  title: string;
  reason: string;
  why: string[];
}

/** What the popup shows after the tour, card by card, with "Why this?" opened on each. */
export async function tourSuggestions(session: ChromiumSession): Promise<TourSuggestion[]> {
  const popup = await session.openExtensionPage('src/popup/index.html');
  await popup.setViewportSize({ width: 380, height: 600 });
  await popup.waitForSelector('body[data-ready="true"]');
  await popup.waitForSelector('.suggestion', { timeout: 10_000 }).catch(() => undefined);
  const out: TourSuggestion[] = [];
  const cards = popup.locator('li.suggestion');
  for (let i = 0; i < (await cards.count()); i += 1) {
    const card = cards.nth(i);
    await card.locator('details.why summary').click();
    await card
      .locator('.why-events li:not(.muted)')
      .first()
      .waitFor({ timeout: 5_000 })
      .catch(() => undefined);
    out.push({
      titleId: (await card.getAttribute('data-title-id')) ?? '',
      title: (await card.locator('h2').textContent()) ?? '',
      reason: (await card.locator('.reason').textContent()) ?? '',
      why: await card.locator('.why-events li').allTextContents(),
    });
  }
  await popup.close();
  return out;
}

/** Prints the tour's suggestions, each with its reason and the events behind it. */
export function printSuggestions(lang: string, suggestions: readonly TourSuggestion[]): void {
  console.log(`${lang}: the popup suggests ${suggestions.length} title(s)`);
  suggestions.forEach((s, i) => {
    console.log(`  ${i + 1}. ${s.title} — ${s.reason}`);
    for (const line of s.why) console.log(`       · ${line}`);
  });
}
