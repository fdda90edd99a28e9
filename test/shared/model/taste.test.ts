import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE_OPTIONS, prepareUser, rankCatalog } from '../../../src/shared/model/pipeline.ts';
import { priorModel, trainLogistic } from '../../../src/shared/model/logistic.ts';
import { NO_CORRECTIONS, tasteOf } from '../../../src/shared/model/taste.ts';
import { buildTitleIndex } from '../../../src/shared/model/title-index.ts';
import type { Reason } from '../../../src/shared/suggestions.ts';
import { fixtureCatalog, linkedEvent } from '../../fixtures/catalog.ts';

const DAY = 86_400_000;
const now = 1_760_000_000_000 + DAY;
const index = buildTitleIndex(fixtureCatalog());

const events = [
  linkedEvent('t-three-body', { action: 'share', at: now - DAY }, '三体 太好看了'),
  linkedEvent('t-wandering-earth', { action: 'comment', at: now - 2 * DAY }, '流浪地球'),
  linkedEvent('t-nirvana', { action: 'like', at: now - 3 * DAY }, '琅琊榜'),
  { ...linkedEvent('t-dark', { action: 'upvote', at: now - DAY }, 'Dark'), site: 'reddit' as const, id: 'reddit:upvote:t-dark' },
];

const prepare = (corrections = NO_CORRECTIONS) => prepareUser({ index, events, feedback: [], impressions: [], now, corrections });
const rank = (prepared: ReturnType<typeof prepare>) =>
  rankCatalog(prepared, trainLogistic(prepared.set, { ...DEFAULT_PIPELINE_OPTIONS.train, prior: priorModel() }), {
    ...DEFAULT_PIPELINE_OPTIONS,
    rank: { ...DEFAULT_PIPELINE_OPTIONS.rank, explorationShare: 0 },
  });
const claims = (reasons: readonly Reason[]): string[] => reasons.map((r) => JSON.stringify(r.claim ?? {}));

describe('taste profile', () => {
  it('shows what the profile leans on, largest share first, each with the events behind it', () => {
    const taste = tasteOf(prepare().ctx.profile, index);
    expect(taste.genres[0]?.key).toBe('sci-fi'); // three of the four titles
    const scifi = taste.genres[0];
    expect(scifi?.count).toBe(3);
    expect(new Set(scifi?.eventIds)).toEqual(new Set([events[0]?.id, events[1]?.id, events[3]?.id]));
    expect(taste.sites.map((s) => s.key)).toEqual(['x', 'reddit']);
    expect(taste.titles.map((s) => s.key)).toContain('t-three-body');
    expect(taste.people.map((p) => p.key)).toEqual(expect.arrayContaining(['张鲁一', '吴京', '胡歌']));
    for (const facet of [taste.genres, taste.people, taste.titles, taste.sites]) {
      const shares = facet.map((e) => e.share);
      expect(shares).toEqual([...shares].sort((a, b) => b - a));
      for (const e of facet) expect(e.eventIds.every((id) => events.some((ev) => ev.id === id))).toBe(true);
    }
  });

  it('a genre marked "not for me" is no longer learned from, named in a reason, or suggested', () => {
    const before = rank(prepare());
    expect(before.some((item) => claims(item.reasons).some((c) => c.includes('"sci-fi"')))).toBe(true);
    const prepared = prepare({ ...NO_CORRECTIONS, genres: ['sci-fi'] });
    expect(tasteOf(prepared.ctx.profile, index).genres.map((g) => g.key)).not.toContain('sci-fi');
    const after = rank(prepared);
    expect(after.length).toBeGreaterThan(0);
    for (const item of after) {
      expect(claims(item.reasons).join(' '), item.titleId).not.toContain('sci-fi');
      const i = index.byId.get(item.titleId);
      expect(i, item.titleId).toBeDefined();
      expect(index.genres.at(i as number), item.titleId).not.toContain('sci-fi');
    }
  });

  it('a site, a person or a title taken out is not learned from, and what the user engaged with stays out of the list', () => {
    const noReddit = prepare({ ...NO_CORRECTIONS, sites: ['reddit'] });
    const taste = tasteOf(noReddit.ctx.profile, index);
    expect(taste.sites.map((s) => s.key)).toEqual(['x']);
    expect(taste.titles.map((t) => t.key)).not.toContain('t-dark');
    expect(noReddit.exclude.has(index.byId.get('t-dark') as number)).toBe(true);
    const noPerson = tasteOf(prepare({ ...NO_CORRECTIONS, people: ['胡歌'] }).ctx.profile, index);
    expect(noPerson.people.map((p) => p.key)).not.toContain('胡歌');
    const noTitle = prepare({ ...NO_CORRECTIONS, titles: ['t-nirvana'] });
    expect(tasteOf(noTitle.ctx.profile, index).titles.map((t) => t.key)).not.toContain('t-nirvana');
    expect(rank(noTitle).map((item) => item.titleId)).not.toContain('t-nirvana');
  });
});
