import { describe, expect, it } from 'vitest';
import { recordPageCheck, weekOfChecks } from '../../src/shared/health.ts';

const DAY = 86_400_000;
const at = Date.UTC(2026, 11, 2, 12);

describe('page-check tallies (site health that sees the page)', () => {
  it('counts pages and misses per day, each element once per page', () => {
    let days = recordPageCheck(undefined, ['postText', 'postText'], at);
    days = recordPageCheck(days, [], at + 1000);
    expect(days).toEqual([{ day: '2026-12-02', pages: 2, missing: { postText: 1 } }]);
  });

  it('keeps a week: a day that fell out of it is dropped, and the week sums what is left, most missed first', () => {
    let days = recordPageCheck(undefined, ['like'], at - 8 * DAY);
    days = recordPageCheck(days, ['like', 'title'], at - 6 * DAY);
    days = recordPageCheck(days, ['title'], at - DAY);
    days = recordPageCheck(days, ['title'], at);
    expect(days.map((d) => d.day)).toEqual(['2026-11-26', '2026-12-01', '2026-12-02']);
    expect(weekOfChecks(days, at)).toEqual({
      pages: 3,
      missing: [
        ['title', 3],
        ['like', 1],
      ],
    });
    // A week later nothing is left to report.
    expect(weekOfChecks(days, at + 7 * DAY)).toEqual({ pages: 0, missing: [] });
    expect(weekOfChecks(undefined, at)).toEqual({ pages: 0, missing: [] });
  });
});
