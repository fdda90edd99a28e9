import { describe, expect, it } from 'vitest';
import { dayOf, groupFunnel, toCsv } from '../../../src/shared/experiments/funnel.ts';

const DAY = 86_400_000;
const t0 = Date.UTC(2026, 10, 1, 12);

describe('funnel', () => {
  const impressions = [
    { titleId: 'a', at: t0, strategy: 'model' },
    { titleId: 'b', at: t0, strategy: 'content-only' },
    { titleId: 'a', at: t0 + DAY, strategy: 'model' },
  ];
  const clicks = [{ titleId: 'a', at: t0 + DAY, platform: 'bilibili' }];

  it('groups by day with click-through', () => {
    expect(
      groupFunnel(
        impressions,
        clicks,
        (i) => dayOf(i.at),
        (c) => dayOf(c.at),
      ),
    ).toEqual([
      { key: '2026-11-01', impressions: 2, clicks: 0, ctr: 0 },
      { key: '2026-11-02', impressions: 1, clicks: 1, ctr: 1 },
    ]);
  });

  it('groups by strategy, and by platform for clicks only', () => {
    const byStrategy = groupFunnel(
      impressions,
      clicks,
      (i) => i.strategy,
      () => 'model',
    );
    expect(byStrategy.find((r) => r.key === 'model')).toEqual({ key: 'model', impressions: 2, clicks: 1, ctr: 0.5 });
    expect(
      groupFunnel(
        impressions,
        clicks,
        () => undefined,
        (c) => c.platform,
      ),
    ).toEqual([{ key: 'bilibili', impressions: 0, clicks: 1, ctr: 0 }]);
  });

  it('uses the local day', () => {
    // 23:30 UTC is the next day in UTC+8 (offset -480).
    expect(dayOf(Date.UTC(2026, 0, 1, 23, 30), -480)).toBe('2026-01-02');
  });

  it('writes CSV that quotes and defuses formulas', () => {
    expect(
      toCsv(
        ['title', 'clicks'],
        [
          ['=HYPERLINK("x")', 2],
          ['三体, season 2', 1],
        ],
      ),
    ).toBe('title,clicks\r\n"\'=HYPERLINK(""x"")",2\r\n"三体, season 2",1\r\n');
  });
});
