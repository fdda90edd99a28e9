import type { KvKey } from '../shared/db/kv.ts';
import { isQuotaError } from '../shared/db/quota.ts';
import type { StoredEvent } from '../shared/events.ts';
import type { Store } from './store.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** The alarm that runs the retention sweep; every few hours is plenty for a limit counted in days. */
export const RETENTION_ALARM = 'retention-sweep';
export const RETENTION_PERIOD_MINUTES = 6 * 60;

export interface SweepResult {
  events: number;
  impressions: number;
  feedback: number;
}

/**
 * Deletes events and impressions older than the retention limit, and undone feedback of any age
 * (it is only kept so the undo list can show it until the next sweep).
 */
export async function sweepExpired(store: Store, retentionDays: number, now: number): Promise<SweepResult> {
  const cutoff = now - retentionDays * DAY_MS;
  const range = IDBKeyRange.upperBound(cutoff, true);
  return store.write(async (db) => {
    const tx = db.transaction(['events', 'impressions', 'feedback'], 'readwrite');
    const result: SweepResult = { events: 0, impressions: 0, feedback: 0 };
    let events = await tx.objectStore('events').index('by-at').openCursor(range);
    while (events) {
      await events.delete();
      result.events += 1;
      events = await events.continue();
    }
    let impressions = await tx.objectStore('impressions').index('by-at').openCursor(range);
    while (impressions) {
      await impressions.delete();
      result.impressions += 1;
      impressions = await impressions.continue();
    }
    let feedback = await tx.objectStore('feedback').openCursor();
    while (feedback) {
      if (feedback.value.undone) {
        await feedback.delete();
        result.feedback += 1;
      }
      feedback = await feedback.continue();
    }
    await tx.done;
    return result;
  });
}

/** What a prune removed: how many events lost their text, how much, and the newest of them. */
export interface PruneResult {
  events: number;
  /** UTF-16 bytes of text removed (2 per code unit, as the browsers store most text). */
  bytes: number;
  /** Capture time of the newest event pruned (ms), when any was. */
  upTo?: number;
  /** True when the browser refused a rewrite for want of space: the prune stopped there. */
  refused?: boolean;
}

/** Events rewritten per transaction while pruning: small writes, so a nearly full disk can still take one. */
const PRUNE_BATCH = 50;

/** The text an event keeps, in bytes: what people wrote in the post and the user's own comment. */
function textBytes(event: StoredEvent): number {
  return 2 * (event.target.text.length + (event.userText?.length ?? 0));
}

/**
 * Frees room by removing the text of the oldest events first, as the 'links' setting would have
 * kept them: ids, links, hashtags, titles and title links stay, so every event stays and so does
 * what was learned from it. Stops once `targetBytes` are freed or no event has text left.
 */
export async function pruneOldestText(store: Store, targetBytes: number): Promise<PruneResult> {
  // One read finds them, oldest first; small writes then rewrite them.
  const oldest = await store.read(async (db) => {
    const found: StoredEvent[] = [];
    let bytes = 0;
    let cursor = await db.transaction('events').store.index('by-at').openCursor();
    while (cursor && bytes < targetBytes) {
      if (textBytes(cursor.value) > 0) {
        found.push(cursor.value);
        bytes += textBytes(cursor.value);
      }
      cursor = await cursor.continue();
    }
    return found;
  });
  const result: PruneResult = { events: 0, bytes: 0 };
  for (let i = 0; i < oldest.length; i += PRUNE_BATCH) {
    const batch = oldest.slice(i, i + PRUNE_BATCH);
    let pruned: StoredEvent[];
    try {
      pruned = await store.write(async (db) => {
        const tx = db.transaction('events', 'readwrite');
        // Read again inside the write: an event deleted or changed meanwhile is left as it now is.
        const current = await Promise.all(batch.map((event) => tx.store.get(event.id)));
        const withText = current.filter((event): event is StoredEvent => event !== undefined && textBytes(event) > 0);
        await Promise.all([
          ...withText.map(({ userText: _dropped, ...kept }) => tx.store.put({ ...kept, target: { ...kept.target, text: '' } })),
          tx.done,
        ]);
        return withText;
      });
    } catch (error) {
      if (!isQuotaError(error)) throw error;
      result.refused = true;
      break;
    }
    // Counted once written: a refused batch removed nothing.
    for (const event of pruned) {
      result.events += 1;
      result.bytes += textBytes(event);
      result.upTo = Math.max(result.upTo ?? event.at, event.at);
    }
  }
  return result;
}

/**
 * Caches that are rebuilt when missing, in the kv store: deleting one adds no bytes, so it goes
 * through even where the browser refuses every write that does (Chromium, once over its quota).
 */
export const REBUILDABLE_CACHES = ['linkerSnapshot', 'titleIndex'] as const satisfies readonly KvKey[];

/** Deletes the rebuildable caches that are there; returns which were. */
export async function dropRebuildableCaches(store: Store): Promise<KvKey[]> {
  return store.write(async (db) => {
    const tx = db.transaction('kv', 'readwrite');
    const present = await Promise.all(REBUILDABLE_CACHES.map((key) => tx.store.count(key)));
    const dropped = REBUILDABLE_CACHES.filter((_, i) => (present[i] ?? 0) > 0);
    await Promise.all([...dropped.map((key) => tx.store.delete(key)), tx.done]);
    return dropped;
  });
}
