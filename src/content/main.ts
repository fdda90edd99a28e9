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

/**
 * The script runs once per page from its registration, and again when a site is turned on while
 * its tabs are open (the background injects it then). A live router from this same extension
 * asks the background again instead of a second one starting; one left behind by a reloaded
 * extension is dead and is replaced.
 */
const RUNNING = Symbol.for('reelflow.router');
type Marked = typeof globalThis & { [RUNNING]?: { alive(): boolean; restart(): void } };

const site = siteForHost(location.hostname);
const adapter = site ? ADAPTERS[site] : undefined;
const running = (globalThis as Marked)[RUNNING];
if (running?.alive()) running.restart();
else if (site && adapter) {
  const router = createRouter({ site, adapter, document, send, alive: contextAlive });
  (globalThis as Marked)[RUNNING] = { alive: contextAlive, restart: () => void router.start() };
  void router.start();
}
