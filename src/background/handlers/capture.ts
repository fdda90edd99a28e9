import { isQuotaError } from '../../shared/db/quota.ts';
import { eventKey, truncateText, type CapturedEvent, type StoredEvent } from '../../shared/events.ts';
import { MessageError, type SiteHealth } from '../../shared/messages.ts';
import { recordPageCheck } from '../../shared/health.ts';
import { isCaptureAllowed, type Settings } from '../../shared/settings.ts';
import type { SiteId } from '../../shared/sites.ts';
import type { Badge } from '../badge.ts';
import type { BackgroundEvents, Bus } from '../bus.ts';
import { createCaptureQueue, memoryPendingStorage, type CaptureQueue, type PendingStorage, type QueuedCapture } from '../capture-queue.ts';
import { refuseContentSender, type HandlerGroup } from '../router.ts';
import type { SettingsStore } from '../settings-store.ts';
import type { Store } from '../store.ts';
import type { LearnedTitles } from '../learned-titles.ts';
import type { Linking } from './linking.ts';

export interface CaptureDeps {
  store: Store;
  settings: SettingsStore;
  now: () => number;
  linking: Pick<Linking, 'now' | 'later'>;
  /** A subject page's facts are learned before the event is linked, so it links to what they teach. */
  learned?: Pick<LearnedTitles, 'learn'>;
  /** Told of each capture stored from a tab (the toolbar badge), unless the user turned it off. */
  badge?: Pick<Badge, 'noticed'>;
  bus: Bus<BackgroundEvents>;
  /** Where captures refused for want of space wait (browser.storage.local); in memory by default. */
  pending?: PendingStorage;
  /** Runs the queue's retries later; setTimeout by default. */
  schedule?: (retry: () => void, ms: number) => void;
}

/** The capture handlers, and the queue of captures waiting for room (data:* reports and clears it). */
export interface Capture {
  handlers: HandlerGroup<'content' | 'capture'>;
  queue: CaptureQueue;
}

/** How a capture's write ended: stored and linked, stored but not linked yet, or dropped over a rate limit. */
type Written = 'stored' | 'unlinked' | 'limited';

/**
 * How much one tab and one site may capture: far above a person's pace (a like every second for a
 * minute; a thousand actions a day on one site), so only a script or a flood reaches them. Captures
 * over a limit are dropped and counted in the site's health (docs/capture-limits are in README).
 */
export const RATE_LIMITS = { perTabPerMinute: 60, perSitePerDay: 1000 } as const;

/** The UTC day of a time, YYYY-MM-DD. */
function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** An event reduced to what the settings keep: 'links' drops what people wrote, 'full' keeps it, cut to length. */
function reduceForSettings(event: CapturedEvent, current: Settings): CapturedEvent {
  if (current.textKept === 'full') {
    return { ...event, target: { ...event.target, text: truncateText(event.target.text) } };
  }
  // 'links': keep ids, links, hashtags and titles; drop what people wrote.
  const { userText: _dropped, ...rest } = event;
  return { ...rest, target: { ...event.target, text: '' } };
}

/** The content scripts' messages: hello, selector misses, and the capture write path. */
export function createCapture({
  store,
  settings,
  now,
  linking,
  learned,
  badge,
  bus,
  pending = memoryPendingStorage(),
  schedule,
}: CaptureDeps): Capture {
  // Per tab, the times of the captures of the last minute (memory only: a tab's limit is about bursts).
  const recent = new Map<number, number[]>();
  const tabAllows = (tabId: number | undefined, at: number): boolean => {
    if (tabId === undefined) return true;
    const times = (recent.get(tabId) ?? []).filter((t) => at - t < 60_000);
    recent.set(tabId, times);
    if (times.length >= RATE_LIMITS.perTabPerMinute) return false;
    times.push(at);
    return true;
  };

  async function touchHealth(site: SiteId, change: (health: SiteHealth) => void): Promise<void> {
    await store.write(async (db) => {
      const tx = db.transaction('siteHealth', 'readwrite');
      const health = (await tx.store.get(site)) ?? { site, misses: {} };
      change(health);
      await Promise.all([tx.store.put(health), tx.done]);
    });
  }

  /**
   * Writes one capture, merged with what is stored under its key and counted in its site's health;
   * over the site's daily limit it is dropped and counted instead. `original` is the event as
   * captured, when there is one to link from (a waiting capture has only what the settings keep).
   */
  async function writeCapture(item: QueuedCapture, original: CapturedEvent | undefined, tabLimited: boolean): Promise<Written> {
    const { event } = item;
    const id = eventKey(event.site, event.action, event.target.id);
    const day = dayOf(item.at);
    return store.write(async (db) => {
      const tx = db.transaction(['events', 'siteHealth'], 'readwrite');
      const health = (await tx.objectStore('siteHealth').get(event.site)) ?? { site: event.site, misses: {} };
      const today = health.today?.day === day ? health.today.count : 0;
      if (tabLimited || today >= RATE_LIMITS.perSitePerDay) {
        // Dropped and counted: what was stored before stays as it is.
        health.dropped = (health.dropped ?? 0) + 1;
        await Promise.all([tx.objectStore('siteHealth').put(health), tx.done]);
        return 'limited';
      }
      const existing = await tx.objectStore('events').get(id);
      // Linked from the event as captured: text the settings do not keep still says what the post was about.
      const links = item.links ?? linking.now(original ?? event, existing);
      // Kept with the capture, so one refused here waits with its links.
      if (links !== undefined) item.links = links;
      const record: StoredEvent = {
        ...event,
        id,
        receivedAt: existing?.receivedAt ?? item.at,
        at: existing ? Math.min(existing.at, event.at) : event.at,
        links: links ?? existing?.links ?? [],
        removedTitleIds: existing?.removedTitleIds ?? [],
      };
      health.lastCapture = item.at;
      health.today = { day, count: today + (existing ? 0 : 1) };
      await Promise.all([tx.objectStore('events').put(record), tx.objectStore('siteHealth').put(health), tx.done]);
      return links === undefined ? 'unlinked' : 'stored';
    });
  }

  const queue = createCaptureQueue({
    store,
    pending,
    now,
    write: async (item) => {
      const written = await writeCapture(item, undefined, false);
      if (written === 'unlinked') linking.later(eventKey(item.event.site, item.event.action, item.event.target.id), item.event);
    },
    onSaved: () => bus.emit('events-changed', 'added'),
    ...(schedule ? { schedule } : {}),
  });
  // Captures that waited when the worker last stopped are written as soon as it starts again.
  void queue.flush().catch((error: unknown) => console.warn('Reelflow: waiting captures not written', error));

  const handlers: HandlerGroup<'content' | 'capture'> = {
    async 'content:hello'({ site }, sender) {
      const current = await settings.get();
      const refused = refuseContentSender(site, sender);
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
      const refused = refuseContentSender(site, sender);
      if (refused) throw new MessageError('invalid', refused);
      await touchHealth(site, (health) => {
        health.misses[selector] = (health.misses[selector] ?? 0) + 1;
      });
      return { counted: true };
    },
    async 'content:page-check'({ site, missing }, sender) {
      const refused = refuseContentSender(site, sender);
      if (refused) throw new MessageError('invalid', refused);
      await touchHealth(site, (health) => {
        health.checks = recordPageCheck(health.checks, missing, now());
      });
      return { counted: true };
    },
    async 'capture:event'(event, sender) {
      const id = eventKey(event.site, event.action, event.target.id);
      const refused = refuseContentSender(event.site, sender);
      if (refused) return { stored: false, id, reason: refused };
      const current = await settings.get();
      if (!isCaptureAllowed(current, event.site, event.action))
        return { stored: false, id, reason: 'capture is off for this site or action' };
      const item: QueuedCapture = { event: reduceForSettings(event, current), at: now() };
      const tabLimited = !tabAllows(sender.tabId, item.at);
      // Captures waiting for room are written first: a new one never overtakes them, it waits behind.
      const waiting = !tabLimited && (await queue.flush()) > 0;
      let written: Written | undefined;
      // What a flood brings is not learned; a failure to learn costs only the link to a learned title.
      const learnt = tabLimited
        ? undefined
        : await learned?.learn(event).catch((error: unknown) => void console.warn('Reelflow: learning from a page failed', error));
      try {
        if (!waiting) written = await writeCapture(item, event, tabLimited);
      } catch (error) {
        if (!isQuotaError(error)) throw error;
        // Over a limit it would have been dropped anyway: only the count of it is lost.
        if (tabLimited) return { stored: false, id, reason: 'over the capture rate limit' };
      } finally {
        learnt?.();
      }
      if (!written) {
        // Refused for want of space: kept, room is made, and it is written as soon as there is room.
        if (!(await queue.refused(item))) return { stored: false, id, reason: 'storage is full; kept and saved when there is room' };
        return { stored: true, id };
      }
      if (written === 'limited') return { stored: false, id, reason: 'over the capture rate limit' };
      if (written === 'unlinked') linking.later(id, event);
      if (sender.tabId !== undefined && current.captureBadge !== false)
        await badge?.noticed(sender.tabId).catch((error: unknown) => console.debug('Reelflow: badge not set', error));
      await bus.emit('events-changed', 'added');
      return { stored: true, id };
    },
    async 'capture:retract'({ site, action, targetId }, sender) {
      const refused = refuseContentSender(site, sender);
      if (refused) return { removed: false };
      const id = eventKey(site, action, targetId);
      // Undone while it waited for room: it is never written.
      const waited = await queue.remove(id);
      const removed = await store.write(async (db) => {
        const tx = db.transaction('events', 'readwrite');
        const existing = await tx.store.get(id);
        if (existing) await tx.store.delete(id);
        await tx.done;
        return existing !== undefined;
      });
      if (removed) await bus.emit('events-changed', 'removed');
      return { removed: removed || waited };
    },
  };
  return { handlers, queue };
}
