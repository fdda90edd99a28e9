/**
 * `npm start`: build, then open Chromium with the extension and a local demo feed served under
 * the real sites' host names (no network needed). `npm start -- --headless` takes the same tour
 * without a window and writes screenshots (English and Chinese, light and dark) to a folder it prints.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium, type ChromiumSession } from '../test/e2e/harness/chromium.ts';
import { startDemoServer } from '../test/e2e/harness/server.ts';
import {
  browseDemoFeed,
  enableDemoSites,
  onboardAndWaitForSuggestions,
  printCaptured,
  printSuggestions,
  tourSuggestions,
} from '../test/e2e/harness/tour.ts';

const args = new Set(process.argv.slice(2));
const wantHeadless = args.has('--headless');
const headless = wantHeadless || (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY);
if (headless && !wantHeadless) console.log('No display found: taking the headless tour and writing screenshots instead.');

if (!args.has('--no-build')) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });

const server = await startDemoServer(resolve('test/fixtures/demo'));
const outDir = resolve('artifacts/screenshots');
mkdirSync(outDir, { recursive: true });

async function shoot(session: ChromiumSession, tag: string): Promise<string[]> {
  const written: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    for (const [name, path, size] of [
      ['popup', 'src/popup/index.html', { width: 380, height: 600 }],
      ['why', 'src/popup/index.html', { width: 380, height: 600 }],
      ['options', 'src/options/index.html', { width: 1000, height: 1400 }],
      ['taste', 'src/options/index.html#taste-heading', { width: 1000, height: 900 }],
      ['insights', 'src/options/index.html#insights-heading', { width: 1000, height: 900 }],
    ] as const) {
      const page = await session.context.newPage();
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`chrome-extension://${session.extensionId}/${path}`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 }).catch(() => undefined);
      const file = `${outDir}/${name}-${tag}-${scheme}.png`;
      // "Why this?" of the first card, open, with the posts behind it loaded.
      if (name === 'why') {
        await page
          .locator('details.why')
          .first()
          .evaluate((d) => ((d as HTMLDetailsElement).open = true));
        await page
          .waitForFunction(() => !document.querySelector('details.why[open] .why-events li.muted'), undefined, { timeout: 10_000 })
          .catch(() => undefined);
      }
      // Your taste and Insights: those sections of the options page on their own.
      if (name === 'taste' || name === 'insights')
        await page.locator(`section[aria-labelledby="${name}-heading"]`).screenshot({ path: file });
      else await page.screenshot({ path: file, fullPage: name === 'options' });
      written.push(file);
      await page.close();
    }
  }
  return written;
}

try {
  if (headless) {
    const files: string[] = [];
    for (const lang of ['en', 'zh-CN', 'zh-TW']) {
      const session = await launchChromium({ proxyPort: server.proxyPort, headless: true, lang });
      await enableDemoSites(session);
      const feed = await browseDemoFeed(session);
      await printCaptured(session);
      // First run: the popup's onboarding, before any pick.
      const first = await session.context.newPage();
      await first.setViewportSize({ width: 380, height: 600 });
      await first.goto(`chrome-extension://${session.extensionId}/src/popup/index.html`);
      await first.waitForSelector('#onboarding-results[aria-busy="false"] button.pick', { timeout: 30_000 }).catch(() => undefined);
      await first.screenshot({ path: `${outDir}/first-run-${lang}.png` });
      files.push(`${outDir}/first-run-${lang}.png`);
      await first.close();
      await onboardAndWaitForSuggestions(session);
      printSuggestions(lang, await tourSuggestions(session));
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
