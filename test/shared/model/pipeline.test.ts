import { describe, expect, it } from 'vitest';
import type { Feedback } from '../../../src/shared/db/schema.ts';
import { priorModel, trainLogistic } from '../../../src/shared/model/logistic.ts';
import { DEFAULT_PIPELINE_OPTIONS, prepareUser, rankCatalog } from '../../../src/shared/model/pipeline.ts';
import { buildTitleIndex } from '../../../src/shared/model/title-index.ts';
import { fixtureCatalog, linkedEvent } from '../../fixtures/catalog.ts';

/*
 * What is not suggested back (issue 15): titles the user engaged with, marked seen or not for them,
 * opened, or picked at the first run (liked, so mostly seen). A ♥ on a card ("want to watch") stays
 * suggestible, its watch link a click away.
 */

const NOW = Date.UTC(2026, 10, 1);

describe('titles kept out of the suggestions', () => {
  const index = buildTitleIndex(fixtureCatalog());
  const feedback: Feedback[] = [
    { id: 1, titleId: 't-three-body', kind: 'interested', at: NOW - 4000, via: 'onboarding' },
    { id: 2, titleId: 't-frieren', kind: 'interested', at: NOW - 3000, via: 'onboarding' },
    { id: 3, titleId: 't-dark', kind: 'interested', at: NOW - 2000 },
    { id: 4, titleId: 't-nirvana', kind: 'seen', at: NOW - 1000 },
    { id: 5, titleId: 't-blossoms', kind: 'interested', at: NOW - 500, via: 'onboarding', undone: true },
  ];
  const events = [linkedEvent('t-wandering-earth', { at: NOW - 5000 })];
  const prepared = prepareUser({ index, events, feedback, impressions: [], now: NOW });
  const excluded = new Set([...prepared.exclude].map((i) => index.titles.at(i)?.id));

  it('the first run’s picks, seen titles and engaged ones; not a ♥, not an undone pick', () => {
    expect(excluded).toEqual(new Set(['t-three-body', 't-frieren', 't-nirvana', 't-wandering-earth']));
  });

  it('and the ranking never shows them, while the picks still shape it', () => {
    const items = rankCatalog(prepared, trainLogistic(prepared.set, { ...DEFAULT_PIPELINE_OPTIONS.train, prior: priorModel() }), {
      ...DEFAULT_PIPELINE_OPTIONS,
      rank: { ...DEFAULT_PIPELINE_OPTIONS.rank, limit: 50 },
    });
    const ids = items.map((i) => i.titleId);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of excluded) expect(ids).not.toContain(id);
    expect(ids).toContain('t-dark');
    // The picks weigh in the profile all the same.
    expect([...prepared.ctx.profile.titles.keys()].map((i) => index.titles.at(i)?.id)).toEqual(
      expect.arrayContaining(['t-three-body', 't-frieren', 't-dark']),
    );
  });
});
