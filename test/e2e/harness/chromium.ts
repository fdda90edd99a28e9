import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { SITE_IDS, originPatterns } from '../../../src/shared/sites.ts';
import { waitForFirstStart } from './extension-page.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ChromiumSession {
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
  /** URLs requested by the extension's service worker or its pages (recorded by the browser). */
  extensionRequests: string[];
  openExtensionPage(path: string): Promise<Page>;
  /** With `waitForFirstStart: false`, the options page opened while the first start is still under way. */
  firstPage?: Page;
  close(): Promise<void>;
}

const ALL_SITE_ORIGINS = SITE_IDS.flatMap(originPatterns);

/**
 * The user's "Allow" on the optional host-permission prompt, given ahead of time: Chromium has
 * no switch that answers the prompt, so the harness adds the sites through chrome://extensions'
 * own site-access control (what a user does under "Site access"). That only records the grant;
 * the permission becomes active when Reelflow asks for it with permissions.request in a real
 * click, which then resolves true without a dialog.
 */
async function allowSiteAccess(context: BrowserContext, extensionId: string, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  const page = await context.newPage();
  await page.goto('chrome://extensions');
  await page.evaluate(
    async ({ id, hosts }) => {
      const developer = (
        globalThis as unknown as { chrome: { developerPrivate: { addHostPermission(id: string, host: string): Promise<void> } } }
      ).chrome.developerPrivate;
      for (const host of hosts) await developer.addHostPermission(id, host);
    },
    { id: extensionId, hosts: [...origins] },
  );
  await page.close();
}

/** Real Chromium with the built extension loaded, all traffic through the demo proxy. */
const CHROMIUM_FEATURES_OFF = [
  'DisableLoadExtensionCommandLineSwitch',
  'OptimizationGuideModelDownloading',
  'OptimizationHints',
  'OptimizationHintsFetching',
  'OptimizationTargetPrediction',
  'AutofillServerCommunication',
  'MediaRouter',
  'DialMediaRouteProvider',
  'CertificateTransparencyComponentUpdater',
  'Translate',
  'InterestFeedContentSuggestions',
  'PrivacySandboxSettings4',
  'NetworkTimeServiceQuerying',
];

export async function launchChromium(options: {
  extensionDir?: string;
  proxyPort: number;
  headless?: boolean;
  lang?: string;
  /** Origins the user will allow when Reelflow asks (default: every site's). */
  allowSites?: readonly string[];
  /** Waits for the default catalog's install (default); false returns at once with that page open (the install bench). */
  waitForFirstStart?: boolean;
}): Promise<ChromiumSession> {
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
      // Chromium's own background services (model downloads, autofill, media router, network time) stay off, so
      // the proxy log holds only what pages and the extension asked for, and the browser endpoints named in server.ts.
      `--disable-features=${CHROMIUM_FEATURES_OFF.join(',')}`,
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
      '--disable-client-side-phishing-detection',
      '--disable-domain-reliability',
      '--disable-breakpad',
      '--no-pings',
      '--no-service-autorun',
      '--metrics-recording-only',
      '--safebrowsing-disable-auto-update',
      '--password-store=basic',
      '--use-mock-keychain',
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
  await allowSiteAccess(context, extensionId, options.allowSites ?? ALL_SITE_ORIGINS);
  const first = await context.newPage();
  await first.goto(`chrome-extension://${extensionId}/src/options/index.html`);
  const wait = options.waitForFirstStart ?? true;
  if (wait) {
    await waitForFirstStart(first);
    await first.close();
  }
  return {
    ...(wait ? {} : { firstPage: first }),
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
