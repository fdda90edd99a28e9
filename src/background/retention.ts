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
