import { browser, send } from '../shared/browser.ts';
import type { ActionKind, CapturedEvent, Retraction } from '../shared/events.ts';
import { siteForHost, type SiteId } from '../shared/sites.ts';
import type { AdapterContext } from './adapter.ts';
import { ADAPTERS } from './sites/index.ts';

/**
 * The content-script router: finds the site's adapter, asks the background whether to capture,
 * starts the adapter with an AbortSignal, and stops it when the extension goes away.
 * Nothing here throws into the page.
 */
const site: SiteId | undefined = siteForHost(location.hostname);
let controller: AbortController | undefined;

function contextAlive(): boolean {
  try {
    return browser.runtime.id !== undefined;
  } catch {
    return false;
  }
}

function stop(): void {
  controller?.abort();
  controller = undefined;
}

function quietly(promise: Promise<unknown>): void {
  promise.catch((error: unknown) => {
    if (!contextAlive()) stop(); // extension reloaded or removed: the old script retires
    else console.debug('Reelflow:', error);
  });
}

async function start(current: SiteId): Promise<void> {
  const { capture, actions } = await send('content:hello', { site: current });
  const adapter = ADAPTERS[current];
  if (!capture || !adapter) return;
  stop();
  controller = new AbortController();
  const ctx: AdapterContext = {
    signal: controller.signal,
    document,
    actions: new Set(actions as ActionKind[]),
    emit: (event: CapturedEvent) => quietly(send('capture:event', event)),
    retract: (retraction: Retraction) => quietly(send('capture:retract', retraction)),
    miss: (selector: string) => quietly(send('content:selector-miss', { site: current, selector })),
    now: () => Date.now(),
  };
  try {
    adapter.start(ctx);
  } catch (error) {
    console.debug('Reelflow: adapter failed to start', error);
  }
}

if (site) quietly(start(site));
