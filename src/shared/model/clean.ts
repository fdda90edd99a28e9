import type { Retraction, StoredEvent } from '../events.ts';

/** An event fit for learning, with its burst-damping factor (1 for a lone event). */
export interface CleanEvent {
  event: StoredEvent;
  damping: number;
}

export interface CleanOptions {
  now: number;
  /** Undo actions seen after the event was stored; they cancel it. */
  retractions?: readonly Retraction[];
  /** Events from one source within this window form a burst. */
  burstWindowMs?: number;
}

/** Ten minutes: someone liking a whole thread does so within minutes. */
const DEFAULT_BURST_WINDOW_MS = 10 * 60_000;
// Events stamped a little ahead of the background's clock are tolerated (clock skew between tabs).
const FUTURE_SLACK_MS = 24 * 3_600_000;

/** The source an event came from, for burst detection: the author on the site, else the page path. */
function sourceOf(event: StoredEvent): string {
  if (event.target.author) return `${event.site}|@${event.target.author.toLowerCase()}`;
  try {
    const url = new URL(event.target.url);
    return `${event.site}|${url.host}${url.pathname}`;
  } catch {
    return `${event.site}|${event.target.id}`;
  }
}

/**
 * Cleans events before learning: drops malformed, future-dated, retracted and duplicate ones
 * (same action on the same target or the same URL), then damps bursts from one source so a
 * user liking a whole thread counts as a few actions, not dozens: each event of a burst of n
 * gets weight 1/√n, so the burst weighs √n in total.
 */
export function cleanEvents(events: readonly StoredEvent[], options: CleanOptions): CleanEvent[] {
  const retractedAt = new Map<string, number>();
  for (const r of options.retractions ?? []) {
    const key = `${r.site}:${r.action}:${r.targetId}`;
    retractedAt.set(key, Math.max(retractedAt.get(key) ?? 0, r.at));
  }
  const byKey = new Map<string, StoredEvent>();
  for (const event of events) {
    if (!Number.isFinite(event.at) || event.at < 0 || event.at > options.now + FUTURE_SLACK_MS) continue;
    const key = `${event.site}:${event.action}:${event.target.id}`;
    const retracted = retractedAt.get(key);
    if (retracted !== undefined && retracted >= event.at) continue;
    // The same action on the same URL under another id (a reshared link) is one action too.
    for (const dupKey of [key, `${event.action}|${event.target.url}`]) {
      const seen = byKey.get(dupKey);
      if (!seen || event.at < seen.at) byKey.set(dupKey, event);
    }
  }
  const unique = new Map<string, StoredEvent>();
  for (const event of byKey.values()) {
    const key = `${event.site}:${event.action}:${event.target.id}`;
    if (byKey.get(`${event.action}|${event.target.url}`) === event && byKey.get(key) === event) unique.set(event.id, event);
  }
  const sorted = [...unique.values()].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));

  const window = options.burstWindowMs ?? DEFAULT_BURST_WINDOW_MS;
  const bursts = new Map<string, StoredEvent[][]>();
  for (const event of sorted) {
    const source = sourceOf(event);
    const runs = bursts.get(source) ?? [];
    const last = runs[runs.length - 1];
    const lastEvent = last?.[last.length - 1];
    if (last && lastEvent && event.at - lastEvent.at <= window) last.push(event);
    else runs.push([event]);
    bursts.set(source, runs);
  }
  const damping = new Map<string, number>();
  for (const runs of bursts.values()) for (const run of runs) for (const e of run) damping.set(e.id, 1 / Math.sqrt(run.length));
  return sorted.map((event) => ({ event, damping: damping.get(event.id) ?? 1 }));
}
