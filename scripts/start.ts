/**
 * `npm start`: build, then open Chromium with the extension and a local demo feed served under
 * the real sites' host names (no network needed). `npm start -- --headless` takes the same tour
 * without a window and writes screenshots (English and Chinese, light and dark) to a folder it prints.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, type ChromiumSession } from '../test/e2e/harness/chromium.ts';
import { readStore, waitFor } from '../test/e2e/harness/extension-page.ts';
import { startDemoServer } from '../test/e2e/harness/server.ts';

const args = new Set(process.argv.slice(2));
const wantHeadless = args.has('--headless');
const headless = wantHeadless || (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY);
if (headless && !wantHeadless) console.log('No display found: taking the headless tour and writing screenshots instead.');

if (!args.has('--no-build')) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });

const server = await startDemoServer(resolve('test/fixtures/demo'));
const outDir = resolve('artifacts/screenshots');
mkdirSync(outDir, { recursive: true });

/** The demo sites the tour engages on; each has a page in test/fixtures/demo. */
const DEMO_SITES = ['x', 'weibo', 'douban'] as const;

/** Turns on capture for the demo sites, as a user would on the options page. */
async function enableDemoSites(session: ChromiumSession): Promise<void> {
  const options = await session.openExtensionPage('src/options/index.html');
  await options.waitForSelector('body[data-ready="true"]');
  for (const site of DEMO_SITES) {
    const box = options.locator(`#site-${site}`);
    if (!(await box.isChecked())) await box.check();
  }
  await options.waitForTimeout(300);
  await options.close();
}

/** X: likes every post but the last, reposts the 3 Body Problem post and shares the Inception one. */
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

/** Weibo: 赞 on two posts, 快转 of the 三体 post and a comment on it. */
async function engageOnWeibo(page: Page): Promise<void> {
  await page.goto('https://weibo.com/');
  await page.waitForSelector('article.woo-panel-main');
  await page.locator('#post-santi button.woo-like-main').click();
  await page.locator('#post-st button.woo-like-main').click();
  await page.locator('#post-santi .toolbar_retweet_1xx').click();
  await page.locator('#quick-repost').click();
  await page.locator('#post-santi textarea').fill('汪淼和史强，一定追！');
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
async function browseDemoFeed(session: ChromiumSession): Promise<Page> {
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
async function printCaptured(session: ChromiumSession): Promise<void> {
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
async function onboardAndWaitForSuggestions(session: ChromiumSession): Promise<number> {
  const popup = await session.openExtensionPage('src/popup/index.html');
  await popup.setViewportSize({ width: 380, height: 600 });
  await popup.waitForSelector('body[data-ready="true"]');
  if (await popup.locator('#onboarding-search').count()) {
    for (const query of ['Stranger Things', '葬送的芙莉莲']) {
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

async function shoot(session: ChromiumSession, tag: string): Promise<string[]> {
  const written: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    for (const [name, path, size] of [
      ['popup', 'src/popup/index.html', { width: 380, height: 600 }],
      ['options', 'src/options/index.html', { width: 1000, height: 1400 }],
    ] as const) {
      const page = await session.context.newPage();
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`chrome-extension://${session.extensionId}/${path}`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 }).catch(() => undefined);
      const file = `${outDir}/${name}-${tag}-${scheme}.png`;
      await page.screenshot({ path: file, fullPage: name === 'options' });
      written.push(file);
      await page.close();
    }
  }
  return written;
}

try {
  if (headless) {
    const files: string[] = [];
    for (const lang of ['en', 'zh-CN']) {
      const session = await launchChromium({ proxyPort: server.proxyPort, headless: true, lang });
      await enableDemoSites(session);
      const feed = await browseDemoFeed(session);
      await printCaptured(session);
      const suggested = await onboardAndWaitForSuggestions(session);
      console.log(`${lang}: the popup suggests ${suggested} title(s)`);
      await feed.screenshot({ path: `${outDir}/demo-feed-${lang}.png` });
      files.push(`${outDir}/demo-feed-${lang}.png`, ...(await shoot(session, lang)));
      await session.close();
    }
    console.log(`Screenshots written to ${outDir}:`);
    for (const file of files) console.log(`  ${file}`);
  } else {
    const session = await launchChromium({ proxyPort: server.proxyPort, headless: false });
    await enableDemoSites(session);
    await browseDemoFeed(session);
    await onboardAndWaitForSuggestions(session);
    const popup = await session.openExtensionPage('src/popup/index.html');
    await popup.setViewportSize({ width: 380, height: 600 });
    console.log(
      'Reelflow is running in Chromium with demo pages on https://x.com, https://weibo.com and https://movie.douban.com (served locally).',
    );
    console.log('Close the browser window to stop.');
    await new Promise<void>((done) => session.context.on('close', () => done()));
  }
} finally {
  await server.close();
}
