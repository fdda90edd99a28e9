import { createBus, type BackgroundEvents, type Bus } from './bus.ts';
import { createCatalogService, type CatalogService } from './catalog.ts';
import type { PendingStorage } from './capture-queue.ts';
import { createCapture } from './handlers/capture.ts';
import { createCatalogHandlers } from './handlers/catalog.ts';
import { createData } from './handlers/data.ts';
import { createInsightsHandlers } from './handlers/insights.ts';
import { createLinking } from './handlers/linking.ts';
import { createModelHandlers, type ModelControl } from './handlers/model.ts';
import { createSettingsHandlers } from './handlers/settings.ts';
import { createSuggestions } from './handlers/suggestions.ts';
import type { Badge } from './badge.ts';
import { createLearnedTitles, type LearnedTitles } from './learned-titles.ts';
import type { SnapshotStorage } from './popup-snapshot.ts';
import type { SweepResult } from './retention.ts';
import { createRouter, type Handlers, type Route } from './router.ts';
import { createSettingsStore, type SettingsStore } from './settings-store.ts';
import type { Store } from './store.ts';

export interface Background {
  /** Answers one raw message: validates it, checks the sender, runs the handler, wraps errors as data. */
  handle: Route;
  /** What changed, for whoever follows it (the learner, site access, the popup's snapshot). */
  bus: Bus<BackgroundEvents>;
  /** The settings, as the handlers read and write them. */
  settings: SettingsStore;
  /** Deletes what is older than the user's retention limit (run by a periodic alarm). */
  sweep(): Promise<SweepResult>;
  /** Rewrites the popup's snapshot (once per start, as caps move with the clock); never rejects. */
  refreshSnapshot(): Promise<void>;
}

/** What the background is wired to besides the store; each has a default for tests. */
export interface BackgroundDeps {
  /** The learner's controls; without them model:* answers that the learner is not running. */
  model?: ModelControl;
  /** The catalog service; one over the same store by default. */
  catalog?: CatalogService;
  /** Where the popup's ready answer is kept (browser.storage.session); without it, none is kept. */
  session?: SnapshotStorage;
  /** The bus the learner and site access listen on; a new one by default. */
  bus?: Bus<BackgroundEvents>;
  /** Titles learned from pages; derived over the same store and catalog by default (the learner reads them too). */
  learned?: LearnedTitles;
  /** The browser's language (i18n.getUILanguage), or how to ask for it: a new install's region follows it. */
  locale?: string | (() => string);
  /** The toolbar badge (browser.action); none in tests that do not look at it. */
  badge?: Badge;
  /** Where captures refused for want of space wait (browser.storage.local); in memory by default. */
  pending?: PendingStorage;
}

/** Quiet time after a change of what was learned before the touched events are re-linked. */
const RELINK_DELAY_MS = 1_000;

/** Puts the background together: one handler file per message prefix, over one store and one bus. */
export function createBackground(store: Store, now: () => number = Date.now, deps: BackgroundDeps = {}): Background {
  const bus = deps.bus ?? createBus<BackgroundEvents>();
  const catalog = deps.catalog ?? createCatalogService(store, { now });
  const settings = createSettingsStore(store, (previous, next) => bus.emit('settings-changed', previous, next), deps.locale);
  // The UI's language: titles go to the pages named in its script.
  const uiLanguage = (): string => (typeof deps.locale === 'function' ? deps.locale() : deps.locale) ?? 'en';
  const learned = deps.learned ?? createLearnedTitles(store, catalog, { uiLanguage });
  const linking = createLinking({ store, catalog, learned, bus });
  const badge = deps.badge;
  const suggestions = createSuggestions({
    store,
    settings,
    now,
    bus,
    learned,
    uiLanguage,
    ...(badge ? { badge } : {}),
    ...(deps.session ? { session: deps.session } : {}),
  });
  wireLearned(learned, catalog, bus);
  const capture = createCapture({
    store,
    settings,
    now,
    linking,
    learned,
    bus,
    ...(badge ? { badge } : {}),
    ...(deps.pending ? { pending: deps.pending } : {}),
  });
  const data = createData({ store, settings, now, bus, clearSnapshot: suggestions.clearSnapshot, queue: capture.queue });
  const handlers: Handlers = {
    ...capture.handlers,
    ...linking.handlers,
    ...suggestions.handlers,
    ...data.handlers,
    ...createSettingsHandlers(settings),
    ...createCatalogHandlers({ store, catalog, learned, bus, uiLanguage }),
    ...createModelHandlers(deps.model),
    ...createInsightsHandlers({ store, suggestions, learned }),
  };
  return { handle: createRouter(handlers), bus, settings, sweep: data.sweep, refreshSnapshot: suggestions.refreshSnapshot };
}

/**
 * Keeps links and learned titles in step: a change of what was learned re-links the events it
 * touched; deleted events are learned from again (a title no event names is gone); another
 * catalog is matched against again and every event re-linked with it.
 */
function wireLearned(learned: LearnedTitles, catalog: CatalogService, bus: Bus<BackgroundEvents>): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const relink = (all: boolean): Promise<void> =>
    learned.relink(all).then(async ({ changed, dropped }) => {
      // A link that went away must not stay in the weights: like a removal, the model retrains from scratch.
      if (changed > 0) await bus.emit('events-changed', dropped ? 'removed' : 'added');
      await bus.emit('titles-changed');
    });
  const report = (error: unknown): void => console.warn('Reelflow: re-linking to learned titles failed', error);
  learned.onChange(() => {
    clearTimeout(timer);
    timer = setTimeout(() => void relink(false).catch(report), RELINK_DELAY_MS);
  });
  bus.on('events-changed', (change) => {
    if (change === 'removed' && learned.peek()) void learned.refresh().catch(report);
  });
  let first = true;
  catalog.onLinkerReady(() => {
    // The first build is the view's own start; each later one is another catalog.
    if (first || !learned.peek()) {
      first = false;
      // Derived as soon as the catalog can be matched against, so the first captures find it.
      void learned.view().catch(report);
      return;
    }
    void learned
      .refresh()
      .then(() => relink(true))
      .catch(report);
  });
}
