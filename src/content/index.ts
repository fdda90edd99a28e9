import { browser, send } from '../shared/browser.ts';
import { siteForHost } from '../shared/sites.ts';
import { createRouter } from './router.ts';
import { ADAPTERS } from './sites/index.ts';

/**
 * Content-script entry: finds the site's adapter and hands it to the router (lifecycle, settings,
 * outbox). Nothing here throws into the page.
 */
function contextAlive(): boolean {
  try {
    return browser.runtime?.id !== undefined;
  } catch {
    return false; // Chrome throws "Extension context invalidated" once the extension is reloaded
  }
}

const site = siteForHost(location.hostname);
const adapter = site ? ADAPTERS[site] : undefined;
if (site && adapter) {
  const router = createRouter({ site, adapter, document, send, alive: contextAlive });
  void router.start();
}
