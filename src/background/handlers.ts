import { eventKey, truncateText, type CapturedEvent, type StoredEvent } from '../shared/events.ts';
import {
  MessageError,
  isEnvelope,
  parseEnvelope,
  type DataStatus,
  type MessageType,
  type ModelStatus,
  type Reply,
  type RequestOf,
  type ResponseOf,
  type SiteHealth,
} from '../shared/messages.ts';
import type { Feedback } from '../shared/db/schema.ts';
import { isCaptureAllowed, type Settings } from '../shared/settings.ts';
import {
  POPUP_LIMIT,
  RANKING_KEY,
  type RankedItem,
  type RankingCache,
  type Suggestion,
  type SuggestionsResponse,
} from '../shared/suggestions.ts';
import { SITE_IDS, siteForHost, type SiteId } from '../shared/sites.ts';
import { applyCaps, DEFAULT_CAP_POLICY, type CapPolicy } from '../shared/model/caps.ts';
import { seededRandom } from '../shared/experiments/random.ts';
import { EXPERIMENT_KEY } from '../shared/insights.ts';
import { createCatalogService, type CatalogService } from './catalog.ts';
import { createCatalogHandlers, linksFor } from './catalog-handlers.ts';
import { arrange, newExperiment, recordClick, recordShown, settle, type ExperimentState } from './experiments.ts';
import { computeInsights } from './insights.ts';
import { createPopupSnapshot, type SnapshotStorage } from './popup-snapshot.ts';
import { sweepExpired, type SweepResult } from './retention.ts';
import { createSettingsStore, type SettingsListener, type SettingsStore } from './settings-store.ts';
import type { Store } from './store.ts';
import { createUiHandlers } from './ui-handlers.ts';

/** Who sent a message, reduced to what the handlers check. */
export interface SenderInfo {
  /** True for the extension's own pages (popup, options); false for content scripts. */
  fromExtensionPage: boolean;
  /** Host of the tab a content script runs in. */
  tabHost?: string;
  incognito: boolean;
}

type Handler<T extends MessageType> = (payload: RequestOf<T>, sender: SenderInfo) => Promise<ResponseOf<T>>;
type Handlers = { [T in MessageType]: Handler<T> };

/** What changed: removals make the learning code discard the old model before retraining. */
export type EventsChange = 'added' | 'removed';

/** kv key of a global snooze: suggestions are hidden until this time (ms since the epoch). */
export const SNOOZE_KEY = 'snoozeUntil';

const DAY_MS = 86_400_000;

/** Quiet time after a capture before an unbuilt linker is built: a restarting worker answers its burst first. */
const LINK_DELAY_MS = 500;

/** Message types a content script may send; everything else is for extension pages only. */
const CONTENT_TYPES: ReadonlySet<MessageType> = new Set(['content:hello', 'content:selector-miss', 'capture:event', 'capture:retract']);

export interface Background {
  /** Answers one raw message: validates it, checks the sender, runs the handler, wraps errors as data. */
  handle(message: unknown, sender: SenderInfo): Promise<Reply<unknown>> | undefined;
  /** Called after events are added or removed (the learning code hooks retraining here). */
  onEventsChanged(listener: (change: EventsChange) => void): void;
  /** Called after feedback is added or undone (retraining hooks here too). */
  onFeedbackChanged(listener: () => void): void;
  /** Called after the settings change, from any message (site access hooks here). */
  onSettingsChanged(listener: SettingsListener): void;
  /** The settings, as the handlers read and write them. */
  settings: SettingsStore;
  /** Deletes what is older than the user's retention limit (run by a periodic alarm). */
  sweep(): Promise<SweepResult>;
  /** Rewrites the popup's snapshot (index.ts calls it when the learner caches a ranking); never rejects. */
  refreshSnapshot(): Promise<void>;
}

/** What the handlers may ask of the learner (wired in index.ts; absent in tests that don't train). */
export interface ModelControl {
  status(): Promise<ModelStatus>;
  retrain(): Promise<ModelStatus>;
}

/** What the handlers are wired to besides the store: the learner, and a catalog service (one over the same store by default). */
export interface BackgroundDeps {
  model?: ModelControl;
  catalog?: CatalogService;
  /** Where the popup's ready answer is kept (browser.storage.session); without it, none is kept. */
  session?: SnapshotStorage;
}

/** Wires the message handlers to a store. */
export function createBackground(store: Store, now: () => number = Date.now, deps: BackgroundDeps = {}): Background {
  const model = deps.model;
  const catalog = deps.catalog ?? createCatalogService(store, { now });
  // The popup's snapshot is rewritten before a change is answered, so a popup opened right after finds it current.
  const snapshot = deps.session && createPopupSnapshot(deps.session, () => suggestionsFor(POPUP_LIMIT));
  const refreshSnapshot = (): Promise<void> => snapshot?.refresh() ?? Promise.resolve();
  const settingsListeners: SettingsListener[] = [() => refreshSnapshot()];
  const settings = createSettingsStore(store, async (previous, next) => {
    await Promise.all(settingsListeners.map((listener) => listener(previous, next)));
  });
  const listeners: ((change: EventsChange) => void)[] = [];
  const eventsChanged = (change: EventsChange): void => listeners.forEach((listener) => listener(change));
  const feedbackListeners: (() => void)[] = [];
  const feedbackChanged = (): Promise<void> => {
    feedbackListeners.forEach((listener) => listener());
    return refreshSnapshot();
  };

  /** A content script may only speak for the site of the tab it runs in, and never from a private window. */
  function checkContentSender(site: SiteId, sender: SenderInfo): string | undefined {
    if (sender.incognito) return 'private window';
    if (sender.fromExtensionPage) return undefined;
    if (!sender.tabHost || siteForHost(sender.tabHost) !== site) return `site ${site} does not match the sending tab`;
    return undefined;
  }

  async function touchHealth(site: SiteId, change: (health: SiteHealth) => void): Promise<void> {
    await store.write(async (db) => {
      const tx = db.transaction('siteHealth', 'readwrite');
      const health = (await tx.store.get(site)) ?? { site, misses: {} };
      change(health);
      await Promise.all([tx.store.put(health), tx.done]);
    });
  }

  function reduceForSettings(event: CapturedEvent, current: Settings): CapturedEvent {
    if (current.textKept === 'full') {
      return { ...event, target: { ...event.target, text: truncateText(event.target.text) } };
    }
    // 'links': keep ids, links, hashtags and titles; drop what people wrote.
    const { userText: _dropped, ...rest } = event;
    return { ...rest, target: { ...event.target, text: '' } };
  }

  // Events stored before the linker was built, linked as soon as it is (the capture path never waits for a build).
  const unlinked = new Map<string, CapturedEvent>();
  let buildTimer: ReturnType<typeof setTimeout> | undefined;
  async function linkPending(): Promise<void> {
    const linker = catalog.peekLinker();
    if (!linker || unlinked.size === 0) return;
    const pending = [...unlinked];
    unlinked.clear();
    await store.write(async (db) => {
      const tx = db.transaction('events', 'readwrite');
      const stored = await Promise.all(pending.map(([id]) => tx.store.get(id)));
      const puts = stored.map((existing, i) => {
        const source = pending[i]?.[1];
        return existing && source ? tx.store.put({ ...existing, links: linksFor(linker, source, existing) }) : undefined;
      });
      await Promise.all([...puts, tx.done]);
    });
    eventsChanged('added');
  }
  catalog.onLinkerReady(() => {
    linkPending().catch((error: unknown) => console.warn('Reelflow: linking stored events failed', error));
  });

  /** What the popup shows: the cached ranking, A/B-arranged, without hidden titles, under the caps. */
  async function suggestionsFor(count: number): Promise<SuggestionsResponse> {
    // Everything the list depends on in one read transaction (each one is a round trip to the
    // IndexedDB backend), started together with the settings read: the popup waits on this.
    const [current, [cache, feedback, impressions, snooze, experimentState]] = await Promise.all([
      settings.get(),
      store.read((db) => {
        const tx = db.transaction(['kv', 'feedback', 'impressions']);
        const kv = tx.objectStore('kv');
        return Promise.all([
          kv.get(RANKING_KEY),
          tx.objectStore('feedback').getAll(),
          tx.objectStore('impressions').getAll(),
          kv.get(SNOOZE_KEY),
          kv.get(EXPERIMENT_KEY),
        ]);
      }),
    ]);
    const ranking = cache as RankingCache | undefined;
    // Titles the user rejected or has seen stay out, unless that feedback was undone.
    const hidden = new Set(feedback.filter((f) => !f.undone && (f.kind === 'not-interested' || f.kind === 'seen')).map((f) => f.titleId));
    // Over-promotion caps at read time, so they hold between retrainings (issue 5).
    const policy: CapPolicy = { ...DEFAULT_CAP_POLICY, dailyCap: current.suggestionsPerDay };
    if (typeof snooze === 'number') policy.snoozedUntil = snooze;
    const visible = (items: RankedItem[] | undefined): RankedItem[] | undefined => items?.filter((item) => !hidden.has(item.titleId));
    const experiment = (experimentState as ExperimentState | undefined) ?? newExperiment();
    // The on-device A/B test: the two strategies' lists interleaved (team draft) until one wins.
    // Caps apply to the list as shown, so the daily cap holds across both strategies' picks.
    // The draw changes with each new ranking and each list shown (impressions), not on every call:
    // the popup's snapshot and its live answer then agree, so the list does not change under the user.
    const draw = seededRandom((ranking?.computedAt ?? 0) + impressions.length);
    const merged = arrange(experiment, visible(ranking?.items) ?? [], visible(ranking?.alternates?.[experiment.tally.b]), count * 4, draw);
    const wanted = applyCaps(merged, impressions, feedback, now(), policy).slice(0, count);
    const titles = await store.read((db) => {
      const tx = db.transaction('titles');
      return Promise.all(wanted.map((item) => tx.store.get(item.titleId)));
    });
    const suggestions: Suggestion[] = [];
    wanted.forEach((item, i) => {
      const title = titles[i];
      if (title) suggestions.push({ ...item, title });
    });
    const response: SuggestionsResponse = {
      suggestions,
      coldStart: ranking?.coldStart ?? true,
      paused: current.paused,
      onboarded: current.onboarded,
      settings: current,
    };
    if (ranking) response.computedAt = ranking.computedAt;
    if (policy.snoozedUntil !== undefined && policy.snoozedUntil > now()) response.snoozedUntil = policy.snoozedUntil;
    return response;
  }

  const handlers: Handlers = {
    ...createUiHandlers({ store, settings, now, eventsChanged, feedbackChanged }),
    ...createCatalogHandlers({ store, catalog, eventsChanged, titlesChanged: refreshSnapshot }),
    async 'content:hello'({ site }, sender) {
      const current = await settings.get();
      const refused = checkContentSender(site, sender);
      // Only a sender that may speak for the site marks it seen: a visit in a private window
      // leaves no trace, not even a time.
      if (refused === undefined) {
        await touchHealth(site, (health) => {
          health.lastSeen = now();
        });
      }
      const siteSettings = current.sites[site];
      const capture = refused === undefined && !current.paused && siteSettings.enabled;
      return { capture, actions: capture ? [...siteSettings.actions] : [] };
    },
    async 'content:selector-miss'({ site, selector }, sender) {
      const refused = checkContentSender(site, sender);
      if (refused) throw new MessageError('invalid', refused);
      await touchHealth(site, (health) => {
        health.misses[selector] = (health.misses[selector] ?? 0) + 1;
      });
      return { counted: true };
    },
    async 'capture:event'(event, sender) {
      const id = eventKey(event.site, event.action, event.target.id);
      const refused = checkContentSender(event.site, sender);
      if (refused) return { stored: false, id, reason: refused };
      const current = await settings.get();
      if (!isCaptureAllowed(current, event.site, event.action))
        return { stored: false, id, reason: 'capture is off for this site or action' };
      const reduced = reduceForSettings(event as CapturedEvent, current);
      // Linked from the event as captured: text the settings do not keep still says what the post was about.
      const linker = catalog.peekLinker();
      await store.write(async (db) => {
        const tx = db.transaction(['events', 'siteHealth'], 'readwrite');
        const existing = await tx.objectStore('events').get(id);
        const record: StoredEvent = {
          ...reduced,
          id,
          receivedAt: existing?.receivedAt ?? now(),
          at: existing ? Math.min(existing.at, reduced.at) : reduced.at,
          links: linker ? linksFor(linker, event as CapturedEvent, existing) : (existing?.links ?? []),
          removedTitleIds: existing?.removedTitleIds ?? [],
        };
        const health = (await tx.objectStore('siteHealth').get(event.site)) ?? { site: event.site, misses: {} };
        health.lastCapture = now();
        await Promise.all([tx.objectStore('events').put(record), tx.objectStore('siteHealth').put(health), tx.done]);
      });
      if (!linker) {
        unlinked.set(id, event as CapturedEvent);
        // Build (or join a build) once the burst of messages that woke the worker has been answered.
        clearTimeout(buildTimer);
        buildTimer = setTimeout(() => {
          catalog
            .linker()
            .then(() => linkPending())
            .catch((error: unknown) => console.warn('Reelflow: linking new events failed', error));
        }, LINK_DELAY_MS);
      }
      eventsChanged('added');
      return { stored: true, id };
    },
    async 'capture:retract'({ site, action, targetId }, sender) {
      const refused = checkContentSender(site, sender);
      if (refused) return { removed: false };
      const id = eventKey(site, action, targetId);
      const removed = await store.write(async (db) => {
        const tx = db.transaction('events', 'readwrite');
        const existing = await tx.store.get(id);
        if (existing) await tx.store.delete(id);
        await tx.done;
        return existing !== undefined;
      });
      if (removed) eventsChanged('removed');
      return { removed };
    },
    async 'settings:get'() {
      return settings.get();
    },
    async 'settings:set'(next) {
      return settings.set(next as Settings);
    },
    async 'data:list-events'({ query, limit, offset = 0 }) {
      const all = await store.read((db) => db.getAllFromIndex('events', 'by-at'));
      const needle = query?.trim().toLowerCase();
      const matching = needle
        ? all.filter((e) =>
            [e.target.text, e.target.title ?? '', e.userText ?? '', e.target.author ?? '', e.target.url, ...e.target.hashtags].some(
              (field) => field.toLowerCase().includes(needle),
            ),
          )
        : all;
      return { events: matching.reverse().slice(offset, offset + (limit ?? 500)), total: matching.length };
    },
    async 'data:delete-event'({ id }) {
      const deleted = await store.write(async (db) => {
        const tx = db.transaction('events', 'readwrite');
        const existing = await tx.store.get(id);
        if (existing) await tx.store.delete(id);
        await tx.done;
        return existing !== undefined;
      });
      if (deleted) eventsChanged('removed');
      return { deleted };
    },
    async 'data:delete-all'() {
      await settings.get(); // what was on, so the change to the defaults is reported whole
      await store.clearUserData();
      await settings.forget();
      eventsChanged('removed');
      // Last, so a refresh started by the changes above cannot write the deleted data back.
      await snapshot?.clear();
      return { deleted: true };
    },
    async 'popup:suggestions'({ limit }) {
      return suggestionsFor(limit ?? POPUP_LIMIT);
    },
    async 'popup:snooze'({ days }) {
      const until = days > 0 ? now() + days * DAY_MS : undefined;
      await store.write((db) =>
        until === undefined ? db.delete('kv', SNOOZE_KEY) : db.put('kv', until, SNOOZE_KEY).then(() => undefined),
      );
      await refreshSnapshot();
      return until === undefined ? {} : { snoozedUntil: until };
    },
    async 'popup:impressions'({ items }) {
      const at = now();
      await store.write(async (db) => {
        const tx = db.transaction(['impressions', 'kv'], 'readwrite');
        const state = ((await tx.objectStore('kv').get(EXPERIMENT_KEY)) as ExperimentState | undefined) ?? newExperiment();
        await Promise.all([
          ...items.map((item) => tx.objectStore('impressions').add({ ...item, at })),
          tx.objectStore('kv').put(recordShown(state, items, at), EXPERIMENT_KEY),
          tx.done,
        ]);
      });
      // Caps count impressions, and a list shown draws a new arrangement.
      await refreshSnapshot();
      return { recorded: items.length };
    },
    async 'feedback:add'({ titleId, kind, platform }) {
      const record: Feedback = { titleId, kind, at: now() };
      if (platform !== undefined) record.platform = platform;
      const id = await store.write(async (db) => {
        const tx = db.transaction(['feedback', 'kv'], 'readwrite');
        const added = await tx.objectStore('feedback').add(record);
        if (kind === 'click') {
          // Click credit for the A/B test goes to the strategy whose team placed the title.
          const state = (await tx.objectStore('kv').get(EXPERIMENT_KEY)) as ExperimentState | undefined;
          if (state) await tx.objectStore('kv').put(recordClick(state, titleId, record.at), EXPERIMENT_KEY);
        }
        await tx.done;
        return added;
      });
      await feedbackChanged();
      return { id };
    },
    async 'feedback:undo'({ id }) {
      const undone = await store.write(async (db) => {
        const tx = db.transaction('feedback', 'readwrite');
        const existing = await tx.store.get(id);
        if (existing && !existing.undone) await tx.store.put({ ...existing, undone: true });
        await tx.done;
        return existing !== undefined && !existing.undone;
      });
      if (undone) await feedbackChanged();
      return { undone };
    },
    async 'model:status'() {
      if (!model) throw new MessageError('internal', 'the learner is not running');
      return model.status();
    },
    async 'model:retrain'() {
      if (!model) throw new MessageError('internal', 'the learner is not running');
      return model.retrain();
    },
    async 'insights:get'() {
      // Settle lists whose click window has passed, so the status is current.
      await store.write(async (db) => {
        const tx = db.transaction('kv', 'readwrite');
        const state = (await tx.store.get(EXPERIMENT_KEY)) as ExperimentState | undefined;
        if (state) await tx.store.put(settle(state, now()), EXPERIMENT_KEY);
        await tx.done;
      });
      return computeInsights(store);
    },
    async 'feedback:list'() {
      const all = await store.read((db) => db.getAllFromIndex('feedback', 'by-at'));
      return all.filter((f) => !f.undone).reverse();
    },
    async 'data:status'() {
      const current = await settings.get();
      const [eventCount, health] = await store.read(async (db) => Promise.all([db.count('events'), db.getAll('siteHealth')]));
      const failures = store.failures();
      const status: DataStatus = {
        eventCount,
        paused: current.paused,
        enabledSites: SITE_IDS.filter((site) => current.sites[site].enabled),
        writeFailures: failures.count,
        health,
      };
      if (failures.last !== undefined) status.lastWriteError = failures.last;
      return status;
    },
  };

  return {
    handle(message, sender) {
      if (!isEnvelope(message)) return undefined; // not ours: let other listeners answer
      const parsed = parseEnvelope(message);
      if (!parsed.ok) return Promise.resolve(parsed.reply);
      const { type, payload } = parsed.envelope;
      if (!sender.fromExtensionPage && !CONTENT_TYPES.has(type)) {
        return Promise.resolve({ ok: false, error: { code: 'invalid', message: `${type} is not allowed from a content script` } });
      }
      const handler = handlers[type] as Handler<MessageType>;
      return handler(payload, sender).then(
        (value): Reply<unknown> => ({ ok: true, value }),
        (error: unknown): Reply<unknown> =>
          error instanceof MessageError
            ? { ok: false, error: { code: error.code, message: error.message } }
            : { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } },
      );
    },
    onEventsChanged(listener) {
      listeners.push(listener);
    },
    onFeedbackChanged(listener) {
      feedbackListeners.push(listener);
    },
    onSettingsChanged(listener) {
      settingsListeners.push(listener);
    },
    settings,
    refreshSnapshot,
    async sweep() {
      const current = await settings.get();
      const result = await sweepExpired(store, current.retentionDays, now());
      if (result.events > 0) eventsChanged('removed');
      return result;
    },
  };
}
