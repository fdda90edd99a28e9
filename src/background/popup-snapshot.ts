import { POPUP_SNAPSHOT_KEY, type SuggestionsResponse } from '../shared/suggestions.ts';

/** The part of a storage area the snapshot writes to (browser.storage.session in the extension, a fake in tests). */
export interface SnapshotStorage {
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

/** Keeps the popup's answer ready in session storage, so the popup paints without waking the background. */
export interface PopupSnapshot {
  /** Recomputes the answer and stores it; requests made while one waits to run share it. Never rejects. */
  refresh(): Promise<void>;
  /** Removes the snapshot, after every refresh requested before; never rejects. */
  clear(): Promise<void>;
}

/**
 * A snapshot of what `popup:suggestions` answers for the popup's default limit. Every write goes
 * through one queue: a clear (delete everything) lands after any refresh that read the old data,
 * so nothing deleted is written back behind it.
 */
export function createPopupSnapshot(
  storage: SnapshotStorage,
  compute: () => Promise<SuggestionsResponse>,
  report: (error: unknown) => void = (error) => console.warn('Reelflow: popup snapshot not updated', error),
): PopupSnapshot {
  let queue: Promise<void> = Promise.resolve();
  // A refresh queued but not started reads the data as it is when it starts, so later requests can join it.
  let waiting: Promise<void> | undefined;
  const enqueue = (step: () => Promise<void>): Promise<void> => {
    queue = queue.then(step).catch(report);
    return queue;
  };
  return {
    refresh() {
      if (waiting) return waiting;
      const run = enqueue(async () => {
        waiting = undefined;
        await storage.set({ [POPUP_SNAPSHOT_KEY]: await compute() });
      });
      waiting = run;
      return run;
    },
    clear() {
      // A refresh asked for after this must run after it, not join one queued before.
      waiting = undefined;
      return enqueue(() => storage.remove(POPUP_SNAPSHOT_KEY));
    },
  };
}
