const QUOTA_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED', 'NS_ERROR_FILE_NO_DEVICE_SPACE']);
/** Firefox's nsresult for a reached quota, as its XPCOM exceptions carry it in `result`. */
const NS_ERROR_DOM_QUOTA_REACHED = 0x80530016;

/**
 * A write refused for want of space. Chromium and Firefox name it `QuotaExceededError` (legacy
 * code 22); Firefox's own code for it, NS_ERROR_DOM_QUOTA_REACHED (0x80530016), shows up as the
 * name, or in the message, of errors from its storage APIs. Chromium reports a full disk under an
 * unlimited origin as "Encountered full disk". The store's own MessageError keeps the code 'quota'.
 */
export function isQuotaError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, result, message } = error as { name?: unknown; code?: unknown; result?: unknown; message?: unknown };
  if (typeof name === 'string' && QUOTA_NAMES.has(name)) return true;
  if (code === 22 || code === 'quota' || result === NS_ERROR_DOM_QUOTA_REACHED) return true;
  return typeof message === 'string' && /quota|NS_ERROR_DOM_QUOTA_REACHED|full disk|no space left/i.test(message);
}

/**
 * What the options page tells the user after a write was refused for want of space: what waits,
 * what was given up to make room, and what was saved since. Kept beside the queue of captures
 * that wait (src/background/capture-queue.ts), not in IndexedDB, which is what is full.
 */
export interface StorageNotice {
  /** When a capture was first refused for want of space (ms since the epoch). */
  fullAt: number;
  /** Captures waiting for room now. */
  waiting: number;
  /** Captures that waited and have been saved since. */
  saved: number;
  /** Events whose text was removed to make room (the events themselves are kept). */
  prunedEvents: number;
  /** The newest capture time among them (ms): everything pruned is at least this old. */
  prunedUpTo?: number;
  /** Rebuildable caches deleted to make room (kv keys), when even pruning was refused. */
  droppedCaches: string[];
  /** True while the waiting captures are held in memory only: the browser's own storage refused them too. */
  memoryOnly?: boolean;
}
