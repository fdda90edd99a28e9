import type { FeedbackSignal as Feedback, ImpressionSignal as Impression } from './signals.ts';

/** Limits that keep suggestions polite. */
export interface CapPolicy {
  /** A title shown on this many days without a click rests... */
  restAfterShown: number;
  /** ...for this many days. */
  restDays: number;
  /** New titles shown per rolling day; titles already shown today stay. */
  dailyCap: number;
  /** No suggestions at all until then (ms since the epoch). */
  snoozedUntil?: number;
  /** Title id → snoozed until. */
  snoozedTitles?: ReadonlyMap<string, number>;
}

export const DEFAULT_CAP_POLICY: CapPolicy = { restAfterShown: 3, restDays: 14, dailyCap: 20 };

const DAY = 86_400_000;

/**
 * Titles resting now: after `restAfterShown` days of being shown without a click or
 * "interested", a title rests `restDays` days; the count starts again after a click or a rest.
 * Impressions are counted once per day, since the popup records one each time it opens.
 */
export function restingTitles(
  impressions: readonly Impression[],
  feedback: readonly Feedback[],
  now: number,
  policy: CapPolicy,
): Set<string> {
  type Mark = { at: number; click: boolean };
  const marks = new Map<string, Mark[]>();
  for (const imp of impressions) {
    const list = marks.get(imp.titleId) ?? [];
    list.push({ at: imp.at, click: false });
    marks.set(imp.titleId, list);
  }
  for (const f of feedback) {
    if (f.undone || (f.kind !== 'click' && f.kind !== 'interested')) continue;
    marks.get(f.titleId)?.push({ at: f.at, click: true });
  }
  const resting = new Set<string>();
  for (const [titleId, list] of marks) {
    list.sort((a, b) => a.at - b.at || Number(a.click) - Number(b.click));
    let days = new Set<number>();
    let restUntil = -Infinity;
    for (const mark of list) {
      if (mark.click) {
        days = new Set();
        continue;
      }
      if (mark.at < restUntil) continue;
      days.add(Math.floor(mark.at / DAY));
      if (days.size >= policy.restAfterShown) {
        restUntil = mark.at + policy.restDays * DAY;
        days = new Set();
      }
    }
    if (now < restUntil) resting.add(titleId);
  }
  return resting;
}

/**
 * Applies the caps to a ranked list at read time: snooze, resting titles, and the daily cap
 * (titles already shown in the last 24 hours keep their place; new ones fill what is left).
 */
export function applyCaps<T extends { titleId: string }>(
  items: readonly T[],
  impressions: readonly Impression[],
  feedback: readonly Feedback[],
  now: number,
  policy: CapPolicy = DEFAULT_CAP_POLICY,
): T[] {
  if (policy.snoozedUntil !== undefined && now < policy.snoozedUntil) return [];
  const resting = restingTitles(impressions, feedback, now, policy);
  const shownToday = new Set(impressions.filter((i) => i.at > now - DAY && i.at <= now).map((i) => i.titleId));
  let room = Math.max(0, policy.dailyCap - shownToday.size);
  const out: T[] = [];
  for (const item of items) {
    if (resting.has(item.titleId)) continue;
    const snoozed = policy.snoozedTitles?.get(item.titleId);
    if (snoozed !== undefined && now < snoozed) continue;
    if (shownToday.has(item.titleId)) out.push(item);
    else if (room > 0) {
      out.push(item);
      room -= 1;
    }
  }
  return out;
}
