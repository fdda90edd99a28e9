/**
 * Site health that sees the page (issue 17): once per page, when the page has settled, the content
 * script checks the elements its adapter needs on that kind of page and reports what is missing.
 * The background keeps a week of daily tallies per site; options names the site and the element
 * ("X: post text not found on 3 of 5 pages checked this week").
 */

/** What a page must show for capture to work, named for people (each has a `healthElement_<name>` string). */
export const HEALTH_ELEMENTS = ['post', 'postText', 'postLink', 'like', 'title', 'info', 'comments'] as const;
export type HealthElement = (typeof HEALTH_ELEMENTS)[number];

/** Kinds of page an adapter checks (a short lower-case name: "status", "watch", "subject" …). */
export const PAGE_KIND = /^[a-z][a-z-]{0,31}$/;

/** One day's page checks on one site. */
export interface PageCheckDay {
  /** YYYY-MM-DD, UTC. */
  day: string;
  /** Pages checked that day. */
  pages: number;
  /** Element → pages of that day where it was not found. */
  missing: Partial<Record<HealthElement, number>>;
}

/** Days of page checks kept: "this week". */
export const CHECK_DAYS = 7;

function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Days kept at `at`: the last CHECK_DAYS days, today included. */
function inWeek(day: string, at: number): boolean {
  return day > dayOf(at - CHECK_DAYS * 86_400_000);
}

/** The week's checks with one more page counted today; older days are dropped. */
export function recordPageCheck(days: readonly PageCheckDay[] | undefined, missing: readonly HealthElement[], at: number): PageCheckDay[] {
  const today = dayOf(at);
  const kept = (days ?? []).filter((entry) => inWeek(entry.day, at) && entry.day !== today);
  const current = days?.find((entry) => entry.day === today);
  const next: PageCheckDay = { day: today, pages: (current?.pages ?? 0) + 1, missing: { ...current?.missing } };
  for (const element of new Set(missing)) next.missing[element] = (next.missing[element] ?? 0) + 1;
  return [...kept, next].sort((a, b) => a.day.localeCompare(b.day));
}

/** The week at `at`: pages checked and, per element, pages where it was missing (most missed first). */
export function weekOfChecks(
  days: readonly PageCheckDay[] | undefined,
  at: number,
): { pages: number; missing: Array<[HealthElement, number]> } {
  let pages = 0;
  const missing = new Map<HealthElement, number>();
  for (const entry of days ?? []) {
    if (!inWeek(entry.day, at)) continue;
    pages += entry.pages;
    for (const element of HEALTH_ELEMENTS) {
      const count = entry.missing[element] ?? 0;
      if (count > 0) missing.set(element, (missing.get(element) ?? 0) + count);
    }
  }
  return { pages, missing: [...missing].sort((a, b) => b[1] - a[1]) };
}
