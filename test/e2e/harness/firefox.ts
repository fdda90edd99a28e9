import { resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { GECKO_ID } from '../../../vite.config.ts';
import { waitForFirstStart } from './extension-page.ts';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** A fixed internal UUID so the test knows the extension's moz-extension:// origin. */
export const FIREFOX_UUID = '5d6b7a2e-7f3c-4c1e-9a57-3f0d2c8b9e11';

export interface FirefoxSession {
  browser: Browser;
  origin: string;
  openExtensionPage(path: string): Promise<Page>;
  /** Makes every page, open or not, answer prefers-color-scheme with this scheme (null: Firefox's default). */
  setColorScheme(scheme: 'light' | 'dark' | null): Promise<void>;
  close(): Promise<void>;
}

/** The raw BiDi channel puppeteer keeps on its Firefox browser; `moz:scope` is a Firefox extension of the protocol. */
interface RawBidi {
  send(method: string, params: object): Promise<{ result: Record<string, unknown> }>;
}

/** Values of layout.css.prefers-color-scheme.content-override (0 dark, 1 light). */
const CONTENT_SCHEME = { dark: 0, light: 1 } as const;

/**
 * Sets the colour-scheme preference live from the browser window's privileged scope. Firefox ESR
 * answers "unknown command" to BiDi's emulation.setMediaFeaturesOverride and puppeteer's
 * emulateMediaFeatures needs CDP, and a second launch only for dark mode costs about 15 s; the pref
 * applies at once to open pages too, moz-extension:// ones included. Needs --remote-allow-system-access.
 */
async function setContentColorScheme(browser: Browser, scheme: 'light' | 'dark' | null): Promise<void> {
  const bidi = (browser as unknown as { connection: RawBidi }).connection;
  const tree = await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
  const windows = tree.result.contexts as { context: string; url: string }[];
  const browserWindow = windows.find((c) => c.url === 'chrome://browser/content/browser.xhtml');
  if (!browserWindow) throw new Error(`no browser window among the privileged contexts: ${windows.map((c) => c.url).join(', ')}`);
  const pref = "'layout.css.prefers-color-scheme.content-override'";
  const expression =
    scheme === null ? `Services.prefs.clearUserPref(${pref})` : `Services.prefs.setIntPref(${pref}, ${CONTENT_SCHEME[scheme]})`;
  const reply = await bidi.send('script.evaluate', { expression, target: { context: browserWindow.context }, awaitPromise: false });
  if (reply.result.type !== 'success') throw new Error(`setting the colour scheme failed: ${JSON.stringify(reply.result)}`);
}

/** Real Firefox ESR over WebDriver BiDi with the built add-on installed, all traffic through the demo proxy. */
export async function launchFirefox(options: {
  extensionDir?: string;
  proxyPort: number;
  headless?: boolean;
  /** Extra preferences, e.g. browser.privatebrowsing.autostart for a private-only session. */
  prefs?: Record<string, unknown>;
}): Promise<FirefoxSession> {
  const extensionDir = resolve(options.extensionDir ?? 'dist/firefox');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: options.headless ?? true,
    acceptInsecureCerts: true,
    args: ['--remote-allow-system-access'],
    // Release builds ignore services.settings.server unless this is set; with it, remote settings go nowhere.
    env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': options.proxyPort,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': options.proxyPort,
      'network.proxy.no_proxies_on': '',
      'network.proxy.allow_hijacking_localhost': true,
      // Keep Firefox's own background traffic off, so the proxy log shows only what pages and the add-on do.
      'app.normandy.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'browser.safebrowsing.downloads.enabled': false,
      'browser.safebrowsing.provider.mozilla.updateURL': '',
      'browser.newtabpage.enabled': false,
      'browser.startup.page': 0,
      'datareporting.policy.dataSubmissionEnabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'extensions.getAddons.cache.enabled': false,
      'extensions.update.enabled': false,
      'services.settings.server': 'https://remote-settings.invalid/v1',
      'browser.region.network.url': '',
      'browser.search.update': false,
      'network.dns.disablePrefetch': true,
      'network.prefetch-next': false,
      'network.http.speculative-parallel-limit': 0,
      'extensions.blocklist.enabled': false,
      'security.remote_settings.crlite_filters.enabled': false,
      'security.remote_settings.intermediates.enabled': false,
      'browser.region.update.enabled': false,
      'browser.topsites.contile.enabled': false,
      'browser.newtabpage.activity-stream.feeds.system.topstories': false,
      'browser.newtabpage.activity-stream.feeds.snippets': false,
      'toolkit.telemetry.enabled': false,
      'toolkit.telemetry.unified': false,
      'toolkit.telemetry.server': '',
      'browser.ping-centre.telemetry': false,
      'messaging-system.rsexperimentloader.enabled': false,
      'browser.contentblocking.report.lockwise.enabled': false,
      'identity.fxaccounts.enabled': false,
      'browser.aboutHomeSnippets.updateUrl': '',
      'media.gmp-manager.url': '',
      'media.gmp-gmpopenh264.enabled': false,
      'media.gmp-widevinecdm.enabled': false,
      'app.update.auto': false,
      'app.update.enabled': false,
      'network.trr.mode': 5,
      'privacy.query_stripping.enabled': false,
      'browser.safebrowsing.blockedURIs.enabled': false,
      'browser.safebrowsing.passwords.enabled': false,
      'geo.provider.network.url': '',
      // The user's "Allow" on the optional host-permission prompt: permissions.request, still called
      // by Reelflow inside a real click, is answered yes without the doorhanger a test cannot click.
      'extensions.webextOptionalPermissionPrompts': false,
      ...options.prefs,
    },
  });
  await browser.installExtension(extensionDir);
  const origin = `moz-extension://${FIREFOX_UUID}`;
  const first = await browser.newPage();
  await first.goto(`${origin}/src/options/index.html`, { waitUntil: [] });
  await first.waitForSelector('body[data-ready]');
  await waitForFirstStart(first);
  await first.close();
  return {
    browser,
    origin,
    async openExtensionPage(path) {
      const page = await browser.newPage();
      await page.goto(`${origin}/${path}`, { waitUntil: [] });
      return page;
    },
    setColorScheme: (scheme) => setContentColorScheme(browser, scheme),
    async close() {
      await browser.close();
    },
  };
}
