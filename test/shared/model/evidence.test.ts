import { describe, expect, it } from 'vitest';
import { priorModel, trainLogistic } from '../../../src/shared/model/logistic.ts';
import { DEFAULT_PIPELINE_OPTIONS, prepareUser, rankCatalog } from '../../../src/shared/model/pipeline.ts';
import { buildTitleIndex } from '../../../src/shared/model/title-index.ts';
import { fixtureCatalog, linkedEvent } from '../../fixtures/catalog.ts';

const NOW = Date.UTC(2026, 10, 1);

describe('what a reason says the user did', () => {
  it('counts a Douban 推荐 as recommending the title, not as a shared post', () => {
    const index = buildTitleIndex(fixtureCatalog());
    const events = [
      linkedEvent('t-wandering-earth', { at: NOW - 3_600_000, action: 'share' }),
      linkedEvent('t-wandering-earth', { at: NOW - 7_200_000, action: 'recommend', site: 'douban', id: 'douban:recommend:10437779' }),
    ];
    const prepared = prepareUser({ index, events, feedback: [], impressions: [], now: NOW });
    const items = rankCatalog(prepared, trainLogistic(prepared.set, { ...DEFAULT_PIPELINE_OPTIONS.train, prior: priorModel() }));
    const tied = items.flatMap((item) => item.reasons).filter((reason) => reason.claim?.anchor === 't-wandering-earth' && reason.evidence);
    expect(tied.length).toBeGreaterThan(0);
    // The one X share is counted as one; the 推荐 is not a second post shared.
    for (const reason of tied) {
      expect(reason.claim).toMatchObject({ group: 'share', count: 1 });
      expect(reason.evidence).toEqual({ key: 'evidenceShared_one', substitutions: ['1'] });
    }
    // Alone, the 推荐 is said as what it is.
    const alone = prepareUser({ index, events: events.slice(1), feedback: [], impressions: [], now: NOW });
    const ranked = rankCatalog(alone, trainLogistic(alone.set, { ...DEFAULT_PIPELINE_OPTIONS.train, prior: priorModel() }));
    const recommended = ranked
      .flatMap((item) => item.reasons)
      .filter((reason) => reason.claim?.anchor === 't-wandering-earth' && reason.evidence);
    expect(recommended.length).toBeGreaterThan(0);
    for (const reason of recommended) expect(reason.evidence).toEqual({ key: 'evidenceRecommended_other', substitutions: ['1'] });
  });
});
