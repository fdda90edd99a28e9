import contentScript from '../content/main.ts?script';
import { browser } from '../shared/browser.ts';
import { createBackground } from './background.ts';
import { createBadge } from './badge.ts';
import { createBus, type BackgroundEvents } from './bus.ts';
import type { PendingState } from './capture-queue.ts';
import { createCatalogService } from './catalog.ts';
import { createLearnedTitles } from './learned-titles.ts';
import { readChallenger } from './handlers/suggestions.ts';
import { RETENTION_ALARM, RETENTION_PERIOD_MINUTES } from './retention.ts';
import { messageListener } from './router.ts';
import { createSiteAccess, openTabTargets, type SiteAccessApi } from './site-access.ts';
import { createStore } from './store.ts';
import { WASM_DIR, initBackend } from './training/backend.ts';
import { createLearner } from './training/learner.ts';
import { modelControl } from './training/status.ts';

/** Wires the background, the learner, site access and the alarms to the browser; it decides nothing. */
const store = createStore();
const bus = createBus<BackgroundEvents>();
const updateUrl = import.meta.env.VITE_CATALOG_URL;
const updateSha256 = import.meta.env.VITE_CATALOG_SHA256;
const catalog = createCatalogService(store, {
  // An extension-origin read of the packaged file, not a network request.
  loadDefault: async () => {
    const response = await fetch(browser.runtime.getURL('/catalog/default-catalog.json.gz'));
    if (!response.ok || !response.body) throw new Error(`default catalog: HTTP ${response.status}`);
    // Shipped gzipped (scripts/build-catalog.ts says why); inflated here, once per install.
    return new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).text();
  },
  shippedWith: browser.runtime.getManifest().version,
  ...(updateUrl ? { updateUrl } : {}),
  ...(updateSha256 ? { updateSha256 } : {}),
});
// The popup's ready answer lives in storage.session: memory only, gone when the browser closes, and
// readable by extension pages but not content scripts (the default access level in both browsers).
const session = {
  set: (items: Record<string, unknown>) => browser.storage.session.set(items),
  remove: (key: string) => browser.storage.session.remove(key),
};
// Captures refused for want of space wait in storage.local: the extension's own store, apart from IndexedDB.
const PENDING_KEY = 'pending-captures';
const pending = {
  load: async () => (await browser.storage.local.get(PENDING_KEY))[PENDING_KEY] as PendingState | undefined,
  save: (state: PendingState) => browser.storage.local.set({ [PENDING_KEY]: state }),
};
// What the device learned from the pages the user engaged with: the learner ranks those titles too.
const learned = createLearnedTitles(store, catalog, {
  uiLanguage: () => browser.i18n.getUILanguage(),
  release: browser.runtime.getManifest().version,
});
const learner = createLearner(store, {
  onRankingChanged: () => void bus.emit('ranking-changed'),
  challenger: () => readChallenger(store),
  titles: learned,
});
const background = createBackground(store, Date.now, {
  model: modelControl(store, learner),
  catalog,
  session,
  bus,
  learned,
  pending,
  locale: () => browser.i18n.getUILanguage(),
  badge: createBadge({
    async show(tabId, text, count) {
      await Promise.all([
        browser.action.setBadgeText({ tabId, text }),
        browser.action.setBadgeBackgroundColor({ tabId, color: '#3b5bdb' }),
        browser.action.setTitle({ tabId, title: browser.i18n.getMessage('badgeNoticed', String(count)) }),
      ]);
    },
    async clearAll() {
      const tabs = await browser.tabs.query({});
      const title = browser.i18n.getMessage('extName');
      await Promise.allSettled(
        tabs.flatMap((tab) =>
          tab.id === undefined
            ? []
            : [browser.action.setBadgeText({ tabId: tab.id, text: '' }), browser.action.setTitle({ tabId: tab.id, title })],
        ),
      );
    },
  }),
});

const RETRAIN_ALARM = 'reelflow-retrain';
/** Periodic retraining picks up time decay and impressions; six hours is often enough and cheap. */
const RETRAIN_PERIOD_MINUTES = 360;

bus.on('events-changed', (change) => {
  // A deleted event must leave no trace: drop the old weights first, then train without it.
  if (change === 'removed') void learner.discard().then(() => learner.schedule('events removed', 0));
  else learner.schedule('events added');
});
bus.on('feedback-changed', () => learner.schedule('feedback', 1_000));
// A correction of the taste profile changes what is learned from: retrain at once.
bus.on('settings-changed', (previous, next) => {
  if (JSON.stringify(previous.taste ?? null) !== JSON.stringify(next.taste ?? null)) learner.schedule('taste corrected', 0);
});
void browser.alarms.create(RETRAIN_ALARM, { periodInMinutes: RETRAIN_PERIOD_MINUTES });
browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === RETRAIN_ALARM) learner.schedule('alarm', 0);
});
// The catalog goes in first, so the first ranking has titles; a failure still lets the learner start.
const catalogReady = catalog.ensureDefault().catch((error: unknown) => console.error('Reelflow: default catalog not installed', error));
void Promise.all([catalogReady, initBackend('wasm', browser.runtime.getURL(`/${WASM_DIR}`))])
  .then(() => learner.start())
  .catch((error: unknown) => console.error('Reelflow: learner did not start', error))
  // A retrain that woke the worker (an alarm, a request) rewrites the snapshot as it ends: this one
  // waits for it, instead of restoring the catalog's linker on the same thread meanwhile.
  .then(() => learner.idle())
  // Once per start: after a browser restart storage.session is empty, and caps move with the clock.
  .then(() => background.refreshSnapshot());
// Listening for the browser's start wakes the worker then, so the first popup finds its snapshot.
browser.runtime.onStartup.addListener(() => undefined);

// Site access: content scripts are registered per site, only while the site is on and its
// optional host permission is granted (src/background/site-access.ts).
const siteAccessApi: SiteAccessApi = {
  granted: (origins) => browser.permissions.contains({ origins }),
  release: async (origins) => {
    await browser.permissions.remove({ origins });
  },
  registered: () => browser.scripting.getRegisteredContentScripts(),
  register: (scripts) => browser.scripting.registerContentScripts(scripts),
  unregister: (ids) => browser.scripting.unregisterContentScripts({ ids }),
  injectOpenTabs: async (origins, file) => {
    const tabs = await browser.tabs.query({ url: origins });
    const done = await Promise.allSettled(
      openTabTargets(tabs).map((tabId) => browser.scripting.executeScript({ target: { tabId }, files: [file] })),
    );
    return done.filter((result) => result.status === 'fulfilled').length;
  },
};
const siteAccess = createSiteAccess(siteAccessApi, contentScript, background.settings);
const reportSync = (error: unknown): void => console.error('Reelflow: content scripts not in sync with settings', error);
void siteAccess.sync().catch(reportSync);
bus.on('settings-changed', (previous, next) => siteAccess.changed(previous, next).then(() => undefined, reportSync));
browser.permissions.onAdded.addListener(() => void siteAccess.sync().catch(reportSync));
browser.permissions.onRemoved.addListener(({ origins }) => {
  // Turning the sites off syncs through the settings change; a sync follows for what was already off.
  void siteAccess
    .revoked(origins ?? [])
    .then(() => siteAccess.sync())
    .catch(reportSync);
});

const self = { id: browser.runtime.id, origin: browser.runtime.getURL('/').replace(/\/$/, '') };
browser.runtime.onMessage.addListener(messageListener(background.handle, self));

// Retention: a periodic sweep deletes what is older than the user's limit. Creating an alarm
// that already exists with the same period just replaces it, so this is safe on every start.
void browser.alarms.create(RETENTION_ALARM, { delayInMinutes: 1, periodInMinutes: RETENTION_PERIOD_MINUTES });
browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name !== RETENTION_ALARM) return;
  background.sweep().catch((error: unknown) => console.warn('Reelflow: retention sweep failed', error));
});

// Publisher updates: only when a catalog URL was set at build time; otherwise no alarm, no request.
const CATALOG_UPDATE_ALARM = 'reelflow-catalog-update';
/** Daily is plenty for a catalog and keeps the request rare. */
const CATALOG_UPDATE_PERIOD_MINUTES = 24 * 60;
if (updateUrl) {
  void browser.alarms.create(CATALOG_UPDATE_ALARM, { delayInMinutes: 5, periodInMinutes: CATALOG_UPDATE_PERIOD_MINUTES });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== CATALOG_UPDATE_ALARM) return;
    void catalogReady
      .then(() => catalog.checkForUpdate())
      .then((result) => {
        // Events were re-linked: like a removal, the old weights go and the model retrains.
        if (result === 'updated') void learner.discard().then(() => learner.schedule('catalog updated', 0));
      })
      .catch((error: unknown) => console.warn('Reelflow: catalog update failed', error));
  });
}
