import type { Feedback } from '../../shared/db/schema.ts';
import { inReaderScript } from '../../shared/catalog/hant.ts';
import { kvGet, kvPut } from '../../shared/db/kv.ts';
import { DEFAULT_EXPERIMENT, arrange, newExperiment, recordClick, recordShown, settle } from '../../shared/experiments/experiment.ts';
import { seededRandom } from '../../shared/experiments/random.ts';
import { applyCaps, DEFAULT_CAP_POLICY, type CapPolicy } from '../../shared/model/caps.ts';
import { fnv1a } from '../../shared/model/hash.ts';
import {
  POPUP_LIMIT,
  leadReason,
  type RankedItem,
  type RankingCache,
  type Suggestion,
  type SuggestionsResponse,
} from '../../shared/suggestions.ts';
import type { SiteId } from '../../shared/sites.ts';
import type { BackgroundEvents, Bus } from '../bus.ts';
import { createPopupSnapshot, type SnapshotStorage } from '../popup-snapshot.ts';
import type { Badge } from '../badge.ts';
import type { LearnedTitles } from '../learned-titles.ts';
import type { HandlerGroup } from '../router.ts';
import type { SettingsStore } from '../settings-store.ts';
import type { Store } from '../store.ts';

const DAY_MS = 86_400_000;
/**
 * How far back the popup reads impressions: the caps look at the days a title was shown (a rest
 * starts after 3 of them and lasts 14), so 60 days is all they need, however long retention keeps.
 */
const IMPRESSION_WINDOW_MS = 60 * DAY_MS;

/** The local calendar day of a time (the user's day, not UTC's), e.g. "2026-12-01". */
export function localDay(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The start of the local day of a time. */
function startOfLocalDay(at: number): number {
  const d = new Date(at);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

export interface SuggestionsDeps {
  store: Store;
  settings: SettingsStore;
  now: () => number;
  bus: Bus<BackgroundEvents>;
  /** Where the popup's ready answer is kept (browser.storage.session); without it, none is kept. */
  session?: SnapshotStorage;
  /** Titles as this device knows them (catalog titles enriched from pages, and local ones); the catalog store alone without it. */
  learned?: Pick<LearnedTitles, 'get'>;
  /** The toolbar badge, cleared when the popup asks for its list (it was opened). */
  badge?: Pick<Badge, 'cleared'>;
  /** The UI's language: the titles a reason names are named in its script, as the cards' titles are (LearnedTitles.get). */
  uiLanguage?: () => string;
}

/** The popup's read model, feedback, and every read or write of the A/B test's state. */
export interface Suggestions {
  handlers: HandlerGroup<'popup' | 'feedback'>;
  /** Rewrites the popup's snapshot; never rejects. */
  refreshSnapshot(): Promise<void>;
  /** Removes the snapshot after every refresh asked for before (delete everything); never rejects. */
  clearSnapshot(): Promise<void>;
  /** Settles the shown lists whose click window has passed (insights reads the tally after this). */
  settleExperiment(): Promise<void>;
}

/** What a ranking holds, as a key: the order of its first titles and of the challenger's. */
function rankingKey(ranking: RankingCache | undefined, challenger: string, n: number): string {
  if (!ranking) return '';
  const ids = (items: readonly RankedItem[] | undefined): string =>
    (items ?? [])
      .slice(0, n)
      .map((i) => i.titleId)
      .join(',');
  return `${ids(ranking.items)}|${ids(ranking.alternates?.[challenger])}`;
}

/** The strategy the A/B test compares against the model: the learner ranks with it too. */
export async function readChallenger(store: Store): Promise<string> {
  const state = await store.read((db) => kvGet(db.transaction('kv').store, 'experiment'));
  return state?.tally.b ?? DEFAULT_EXPERIMENT.b;
}

/** Wires popup:* and feedback:* to the store, and keeps the popup's snapshot current. */
export function createSuggestions({ store, settings, now, bus, session, learned, badge, uiLanguage }: SuggestionsDeps): Suggestions {
  // The popup's snapshot is rewritten before a change is answered, so a popup opened right after finds it current.
  const snapshot = session && createPopupSnapshot(session, () => suggestionsFor(POPUP_LIMIT));
  const refreshSnapshot = (): Promise<void> => snapshot?.refresh() ?? Promise.resolve();
  for (const event of ['feedback-changed', 'settings-changed', 'titles-changed', 'ranking-changed'] as const)
    bus.on(event, refreshSnapshot);

  /** What the popup shows: the cached ranking, A/B-arranged, without hidden titles, under the caps. */
  async function suggestionsFor(count: number): Promise<SuggestionsResponse> {
    // Everything the list depends on in one read transaction (each one is a round trip to the
    // IndexedDB backend), started together with the settings read: the popup waits on this.
    const [current, [ranking, feedback, impressions, snooze, experimentState]] = await Promise.all([
      settings.get(),
      store.read((db) => {
        const tx = db.transaction(['kv', 'feedback', 'impressions']);
        const kv = tx.objectStore('kv');
        return Promise.all([
          kvGet(kv, 'ranking'),
          tx.objectStore('feedback').getAll(),
          tx
            .objectStore('impressions')
            .index('by-at')
            .getAll(IDBKeyRange.lowerBound(now() - IMPRESSION_WINDOW_MS)),
          kvGet(kv, 'snoozeUntil'),
          kvGet(kv, 'experiment'),
        ]);
      }),
    ]);
    // Titles the user rejected or has seen stay out, unless that feedback was undone.
    const hidden = new Set(feedback.filter((f) => !f.undone && (f.kind === 'not-interested' || f.kind === 'seen')).map((f) => f.titleId));
    // Over-promotion caps at read time, so they hold between retrainings (issue 5).
    const policy: CapPolicy = { ...DEFAULT_CAP_POLICY, dailyCap: current.suggestionsPerDay };
    if (snooze !== undefined) policy.snoozedUntil = snooze;
    const visible = (items: RankedItem[] | undefined): RankedItem[] | undefined => items?.filter((item) => !hidden.has(item.titleId));
    const experiment = experimentState ?? newExperiment();
    // The on-device A/B test: the two strategies' lists interleaved (team draft) until one wins.
    // Caps apply to the list as shown, so the daily cap holds across both strategies' picks.
    // The list stays put: the draw depends on the day and on what the ranking holds, so two opens on
    // one day show the same order, and it changes when the user's feedback or a new capture changes
    // the ranking, or the day turns (not when a retrain on the same data writes the same ranking again).
    const draw = seededRandom(fnv1a(`${localDay(now())}|${rankingKey(ranking, experiment.tally.b, count * 4)}`));
    const merged = arrange(experiment, visible(ranking?.items) ?? [], visible(ranking?.alternates?.[experiment.tally.b]), count * 4, draw);
    const wanted = applyCaps(merged, impressions, feedback, now(), policy).slice(0, count);
    const ids = wanted.map((item) => item.titleId);
    const titles = learned
      ? await learned.get(ids)
      : await store.read((db) => {
          const tx = db.transaction('titles');
          return Promise.all(ids.map((id) => tx.store.get(id)));
        });
    const suggestions: Suggestion[] = [];
    const lang = uiLanguage?.() ?? 'en';
    wanted.forEach((item, i) => {
      const title = titles[i];
      if (!title) return;
      const reasons = item.reasons.map((reason) => (reason.anchor ? { ...reason, anchor: inReaderScript(reason.anchor, lang) } : reason));
      suggestions.push({ ...item, reasons, title });
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

  /**
   * Per title shown, the site of the newest post its card's lead reason stands on (the cached
   * ranking says which; picks in the popup are not posts): what insights count "by site" under.
   */
  async function sitesBehind(titleIds: readonly string[]): Promise<Map<string, SiteId>> {
    const ranking = await store.read((db) => kvGet(db.transaction('kv').store, 'ranking'));
    const ranked = new Map<string, RankedItem>();
    for (const list of [ranking?.items ?? [], ...Object.values(ranking?.alternates ?? {})])
      for (const item of list) if (!ranked.has(item.titleId)) ranked.set(item.titleId, item);
    const behind = new Map(
      titleIds.map((id) => [id, (leadReason(ranked.get(id)?.reasons ?? [])?.eventIds ?? []).filter((e) => !e.startsWith('feedback:'))]),
    );
    const ids = [...new Set([...behind.values()].flat())];
    const events = await store.read((db) => Promise.all(ids.map((id) => db.get('events', id))));
    const byId = new Map(events.flatMap((e) => (e ? [[e.id, e] as const] : [])));
    const sites = new Map<string, SiteId>();
    for (const [titleId, eventIds] of behind) {
      const newest = eventIds.flatMap((id) => byId.get(id) ?? []).sort((a, b) => b.at - a.at)[0];
      if (newest) sites.set(titleId, newest.site);
    }
    return sites;
  }

  const handlers: HandlerGroup<'popup' | 'feedback'> = {
    async 'popup:suggestions'({ limit }) {
      // The popup was opened: what the badge counted has been seen.
      await badge?.cleared().catch((error: unknown) => console.debug('Reelflow: badge not cleared', error));
      return suggestionsFor(limit ?? POPUP_LIMIT);
    },
    async 'popup:snooze'({ days }) {
      const until = days > 0 ? now() + days * DAY_MS : undefined;
      await store.write(async (db) => {
        const kv = db.transaction('kv', 'readwrite').store;
        if (until === undefined) await kv.delete('snoozeUntil');
        else await kvPut(kv, 'snoozeUntil', until);
      });
      await refreshSnapshot();
      return until === undefined ? {} : { snoozedUntil: until };
    },
    async 'popup:impressions'({ items }) {
      const at = now();
      const sites = await sitesBehind(items.map((item) => item.titleId));
      // An impression is a title shown on a day, counted once: opening the popup again that day shows nothing new.
      const recorded = await store.write(async (db) => {
        const tx = db.transaction(['impressions', 'kv'], 'readwrite');
        const today = await tx
          .objectStore('impressions')
          .index('by-at')
          .getAll(IDBKeyRange.lowerBound(startOfLocalDay(at)));
        const shown = new Set(today.map((i) => i.titleId));
        const fresh = items.filter((item) => {
          if (shown.has(item.titleId)) return false;
          shown.add(item.titleId);
          return true;
        });
        if (fresh.length === 0) {
          await tx.done;
          return 0;
        }
        const kv = tx.objectStore('kv');
        const state = (await kvGet(kv, 'experiment')) ?? newExperiment();
        await Promise.all([
          ...fresh.map((item) => {
            const site = sites.get(item.titleId);
            return tx.objectStore('impressions').add({ ...item, at, ...(site ? { site } : {}) });
          }),
          kvPut(kv, 'experiment', recordShown(state, fresh, at)),
          tx.done,
        ]);
        return fresh.length;
      });
      // Caps count the titles shown today: a new one shown may change what fills the rest of the list;
      // and the next open paints what was just shown, not an older answer the popup had to replace.
      await refreshSnapshot();
      return { recorded };
    },
    async 'feedback:add'({ titleId, kind, platform }) {
      const record: Feedback = { titleId, kind, at: now() };
      if (platform !== undefined) record.platform = platform;
      const id = await store.write(async (db) => {
        const tx = db.transaction(['feedback', 'kv'], 'readwrite');
        const added = await tx.objectStore('feedback').add(record);
        if (kind === 'click') {
          // Click credit for the A/B test goes to the strategy whose team placed the title.
          const kv = tx.objectStore('kv');
          const state = await kvGet(kv, 'experiment');
          if (state) await kvPut(kv, 'experiment', recordClick(state, titleId, record.at));
        }
        await tx.done;
        return added;
      });
      await bus.emit('feedback-changed');
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
      if (undone) await bus.emit('feedback-changed');
      return { undone };
    },
    async 'feedback:list'() {
      const all = await store.read((db) => db.getAllFromIndex('feedback', 'by-at'));
      return all.filter((f) => !f.undone).reverse();
    },
    async 'feedback:picks'({ titleIds }) {
      const at = now();
      const unique = [...new Set(titleIds)];
      await store.write(async (db) => {
        const tx = db.transaction('feedback', 'readwrite');
        await Promise.all([...unique.map((titleId) => tx.store.add({ titleId, kind: 'interested', at, via: 'onboarding' })), tx.done]);
      });
      await settings.set({ ...(await settings.get()), onboarded: true });
      if (unique.length > 0) await bus.emit('feedback-changed');
      return { added: unique.length };
    },
  };

  return {
    handlers,
    refreshSnapshot,
    clearSnapshot: () => snapshot?.clear() ?? Promise.resolve(),
    async settleExperiment() {
      await store.write(async (db) => {
        const tx = db.transaction('kv', 'readwrite');
        const state = await kvGet(tx.store, 'experiment');
        if (state) await kvPut(tx.store, 'experiment', settle(state, now()));
        await tx.done;
      });
    },
  };
}
