import { isQuotaError, type StorageNotice } from '../shared/db/quota.ts';
import { eventKey, type CapturedEvent, type StoredEvent, type TitleLink } from '../shared/events.ts';
import { dropRebuildableCaches, pruneOldestText, type PruneResult } from './retention.ts';
import type { Store } from './store.ts';

/** A capture refused for want of space, waiting for room: the event as the settings keep it, never more. */
export interface QueuedCapture {
  event: CapturedEvent;
  /** When it arrived (ms). */
  at: number;
  /** Links made when it arrived, from the event as captured (text the settings drop is not kept to link later). */
  links?: TitleLink[];
}

/** What is kept outside IndexedDB while it is full: the waiting captures, oldest first, and what the user is told. */
export interface PendingState {
  queue: QueuedCapture[];
  notice?: StorageNotice;
}

/** Where the pending state is kept: browser.storage.local in the extension (not IndexedDB, which is what is full). */
export interface PendingStorage {
  load(): Promise<PendingState | undefined>;
  save(state: PendingState): Promise<void>;
}

/** A pending storage in memory (tests, and the default when the browser gives none). */
export function memoryPendingStorage(): PendingStorage {
  let saved: PendingState | undefined;
  return {
    load: () => Promise.resolve(saved && structuredClone(saved)),
    save(state) {
      saved = structuredClone(state);
      return Promise.resolve();
    },
  };
}

/** Least text freed per attempt to make room; more when much waits. */
export const PRUNE_MIN_BYTES = 256 * 1024;
/** An attempt to make room runs at most this often, so a disk full for other reasons does not strip all text at once. */
export const MAKE_ROOM_INTERVAL_MS = 60_000;
/** While captures wait, the background tries again this often (and on every capture and status request). */
export const RETRY_DELAY_MS = 30_000;

export interface CaptureQueueDeps {
  store: Store;
  pending: PendingStorage;
  now: () => number;
  /** Writes one capture (capture.ts); throws what the store throws. */
  write(item: QueuedCapture): Promise<void>;
  /** Told after waiting captures were written. */
  onSaved(count: number): Promise<void> | void;
  /** Runs `retry` later; setTimeout by default (tests pass their own). */
  schedule?(retry: () => void, ms: number): void;
}

/**
 * Captures the store refused for want of space (issue 17, "a full disk loses nothing"): they wait
 * here, in order, and are written as soon as there is room. Room is made by removing the text of
 * the oldest events first; Chromium refuses even that rewrite once over its quota (it refuses any
 * write that adds bytes, however much it would free), so then the rebuildable caches go first,
 * which only deletes. Every step is recorded in the notice the options page shows.
 */
export interface CaptureQueue {
  /** Called when a capture's write was refused for want of space; true if it was then written after all. */
  refused(item: QueuedCapture): Promise<boolean>;
  /** Writes what waits, oldest first, stopping at the first refusal; resolves to how many still wait. */
  flush(): Promise<number>;
  /** True while captures wait: a new capture then waits behind them, so none overtakes an older one. */
  waiting(): Promise<boolean>;
  /** Removes a waiting capture (the user undid it); true if one was waiting. */
  remove(id: string): Promise<boolean>;
  /** The waiting captures as stored events (export, so nothing waiting is missing from it). */
  events(): Promise<StoredEvent[]>;
  notice(): Promise<StorageNotice | undefined>;
  /** Forgets everything: queue and notice (delete everything). */
  clear(): Promise<void>;
}

const idOf = (item: QueuedCapture): string => eventKey(item.event.site, item.event.action, item.event.target.id);

/** Text bytes a waiting capture holds, to size how much room to make. */
function bytesOf(item: QueuedCapture): number {
  return 2 * (item.event.target.text.length + (item.event.userText?.length ?? 0)) + 1024;
}

export function createCaptureQueue(deps: CaptureQueueDeps): CaptureQueue {
  const schedule = deps.schedule ?? ((retry: () => void, ms: number) => void setTimeout(retry, ms));
  let state: PendingState | undefined;
  let lastRoomMadeAt = -Infinity;
  let retryScheduled = false;
  // Every change to the state runs after the one before: captures arrive concurrently.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(step: () => Promise<T>): Promise<T> => {
    const run = chain.then(step, step);
    chain = run.catch(() => undefined);
    return run;
  };

  async function current(): Promise<PendingState> {
    state ??= (await deps.pending.load().catch(() => undefined)) ?? { queue: [] };
    return state;
  }

  /** Saves the state; if the browser refuses that too, the queue is held in memory and the notice says so. */
  async function persist(s: PendingState): Promise<void> {
    if (s.notice) s.notice.waiting = s.queue.length;
    try {
      if (s.notice) delete s.notice.memoryOnly;
      await deps.pending.save(s);
    } catch {
      if (s.notice) s.notice.memoryOnly = true;
    }
  }

  function retryLater(): void {
    if (retryScheduled) return;
    retryScheduled = true;
    schedule(() => {
      retryScheduled = false;
      void flush().catch(() => undefined);
    }, RETRY_DELAY_MS);
  }

  /** Writes waiting captures in order, up to the first failure (retried later); resolves to how many were written. */
  async function drain(s: PendingState): Promise<number> {
    let saved = 0;
    while (s.queue.length > 0) {
      const item = s.queue[0] as QueuedCapture;
      try {
        await deps.write(item);
      } catch (error) {
        // Kept either way and tried again later; the store has counted the failure for the options page.
        if (!isQuotaError(error)) console.warn('Reelflow: a waiting capture was not written', error);
        break;
      }
      s.queue.shift();
      saved += 1;
      if (s.notice) s.notice.saved += 1;
    }
    if (saved > 0) await persist(s);
    if (s.queue.length > 0) retryLater();
    return saved;
  }

  /** Tells of what was written once the step is over, so a listener may use the queue again. */
  async function told<T>(step: Promise<{ saved: number; value: T }>): Promise<T> {
    const { saved, value } = await step;
    if (saved > 0) await deps.onSaved(saved);
    return value;
  }

  /**
   * Makes room and writes what waits: first the oldest text goes; if the captures still do not fit
   * (the rewrite was refused, there was no text, or the browser frees the bytes only later), the
   * rebuildable caches go, and a refused prune is tried again. Resolves to how many were written.
   */
  async function makeRoomAndDrain(s: PendingState, notice: StorageNotice): Promise<number> {
    const at = deps.now();
    if (at - lastRoomMadeAt < MAKE_ROOM_INTERVAL_MS) return drain(s);
    lastRoomMadeAt = at;
    const target = Math.max(PRUNE_MIN_BYTES, 4 * s.queue.reduce((sum, item) => sum + bytesOf(item), 0));
    const prune = async (): Promise<PruneResult> => {
      const pruned = await pruneOldestText(deps.store, target);
      notice.prunedEvents += pruned.events;
      if (pruned.upTo !== undefined) notice.prunedUpTo = Math.max(notice.prunedUpTo ?? pruned.upTo, pruned.upTo);
      await persist(s);
      return pruned;
    };
    const first = await prune();
    // Nothing pruned, nothing changed: no use trying the writes again before the caches go.
    let saved = first.events > 0 ? await drain(s) : 0;
    if (s.queue.length === 0) return saved;
    const dropped = await dropRebuildableCaches(deps.store);
    if (dropped.length === 0) return saved;
    for (const key of dropped) if (!notice.droppedCaches.includes(key)) notice.droppedCaches.push(key);
    await persist(s);
    if (first.refused) await prune();
    saved += await drain(s);
    return saved;
  }

  function flush(): Promise<number> {
    return told(
      serial(async () => {
        const s = await current();
        const saved = s.queue.length === 0 ? 0 : await drain(s);
        return { saved, value: s.queue.length };
      }),
    );
  }

  return {
    refused(item) {
      return told(
        serial(async () => {
          const s = await current();
          // A new episode starts a new notice; one still open (captures waiting) goes on counting.
          if (!s.notice || (s.queue.length === 0 && s.notice.waiting === 0)) {
            s.notice = { fullAt: deps.now(), waiting: 0, saved: 0, prunedEvents: 0, droppedCaches: [] };
          }
          const id = idOf(item);
          s.queue = [...s.queue.filter((queued) => idOf(queued) !== id), item];
          await persist(s);
          const saved = await makeRoomAndDrain(s, s.notice).catch((error: unknown) => {
            // It still waits, and is tried again later.
            if (!isQuotaError(error)) console.warn('Reelflow: making room failed', error);
            return 0;
          });
          return { saved, value: !s.queue.some((queued) => idOf(queued) === id) };
        }),
      );
    },
    flush,
    waiting: () => serial(async () => (await current()).queue.length > 0),
    remove(id) {
      return serial(async () => {
        const s = await current();
        const before = s.queue.length;
        s.queue = s.queue.filter((queued) => idOf(queued) !== id);
        if (s.queue.length === before) return false;
        await persist(s);
        return true;
      });
    },
    events: () =>
      serial(async () =>
        (await current()).queue.map((item): StoredEvent => ({
          ...item.event,
          id: idOf(item),
          receivedAt: item.at,
          links: item.links ?? [],
          removedTitleIds: [],
        })),
      ),
    notice: () => serial(async () => (await current()).notice),
    clear() {
      return serial(async () => {
        state = { queue: [] };
        lastRoomMadeAt = -Infinity;
        await persist(state);
      });
    },
  };
}
