import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { waitForFirstStart } from './extension-page.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ChromiumSession {
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
  /** URLs requested by the extension's service worker or its pages (recorded by the browser). */
  extensionRequests: string[];
  openExtensionPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

/** Real Chromium with the built extension loaded, all traffic through the demo proxy. */
export async function launchChromium(options: { extensionDir?: string; proxyPort: number; headless?: boolean; lang?: string }): Promise<ChromiumSession> {
  const extensionDir = resolve(options.extensionDir ?? 'dist/chrome');
  const profile = mkdtempSync(join(tmpdir(), 'reelflow-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: options.headless ?? true,
    ignoreHTTPSErrors: true,
    locale: options.lang ?? 'en',
    viewport: { width: 1100, height: 800 },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--disable-features=DisableLoadExtensionCommandLineSwitch',
      `--proxy-server=http://127.0.0.1:${options.proxyPort}`,
      '--proxy-bypass-list=<-loopback>',
      '--ignore-certificate-errors',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--disable-default-apps',
      `--lang=${options.lang ?? 'en'}`,
    ],
    env: { ...process.env, LANGUAGE: (options.lang ?? 'en').replace('-', '_') },
  });
  const extensionRequests: string[] = [];
  context.on('request', (request) => {
    const fromWorker = request.serviceWorker() !== null;
    let fromExtensionPage = false;
    try {
      fromExtensionPage = request.frame().url().startsWith('chrome-extension://');
    } catch {
      // requests without a frame (service worker) were counted above
    }
    if ((fromWorker || fromExtensionPage) && !request.url().startsWith('chrome-extension://')) extensionRequests.push(request.url());
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 20_000 }));
  const extensionId = new URL(worker.url()).host;
  const first = await context.newPage();
  await first.goto(`chrome-extension://${extensionId}/src/options/index.html`);
  await waitForFirstStart(first);
  await first.close();
  return {
    context,
    extensionId,
    worker,
    extensionRequests,
    async openExtensionPage(path) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
