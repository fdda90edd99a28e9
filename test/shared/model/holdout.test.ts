import { describe, expect, it } from 'vitest';
import { evaluateHoldout } from '../../../src/shared/model/holdout.ts';
import { trainLogistic } from '../../../src/shared/model/logistic.ts';
import { buildTitleIndex } from '../../../src/shared/model/title-index.ts';
import { fixtureCatalog, linkedEvent } from '../../fixtures/catalog.ts';

const DAY = 86_400_000;
const t0 = Date.UTC(2026, 9, 1);

describe('on-device holdout evaluation', () => {
  const index = buildTitleIndex(fixtureCatalog());

  it('needs a few linked titles before it says anything', async () => {
    const events = [linkedEvent('t-three-body', { at: t0 }), linkedEvent('t-dark', { at: t0 + DAY })];
    expect(await evaluateHoldout({ index, events, feedback: [], impressions: [], now: t0 + 10 * DAY }, trainLogistic)).toBeUndefined();
  });

  it('holds out the latest quarter of titles and scores every strategy on them', async () => {
    // A sci-fi fan: the last title they engaged with (Wandering Earth II) is held out.
    const order = ['t-three-body', 't-stranger-things', 't-dark', 't-wandering-earth', 't-wandering-earth-2'];
    const events = order.map((id, i) =>
      linkedEvent(id, { at: t0 + i * DAY, action: i % 2 ? 'like' : 'share' }, id === 't-three-body' ? '三体 科幻' : ''),
    );
    const result = await evaluateHoldout({ index, events, feedback: [], impressions: [], now: t0 + 10 * DAY }, trainLogistic, 3);
    expect(result).toBeDefined();
    if (!result) return;
    expect(result).toMatchObject({ k: 3, trainTitles: 4, heldOutTitles: 1 });
    expect(Object.keys(result.strategies).sort()).toEqual(['content-only', 'model', 'popular']);
    for (const m of Object.values(result.strategies)) {
      for (const v of [m.precision, m.recall, m.f1, m.ndcg]) expect(v).toBeGreaterThanOrEqual(0);
      expect(m.recall).toBeLessThanOrEqual(1);
      // One held-out title in a list of 3: precision is recall / 3.
      expect(m.precision).toBeCloseTo(m.recall / 3, 10);
    }
    // The held-out sequel shares genre, people and vector with what was engaged: content similarity finds it.
    expect(result.strategies['content-only']?.recall).toBe(1);
    expect(result.strategies['model']?.recall).toBe(1);
  });

  it('does not let the held-out titles leak into training', async () => {
    const order = ['t-frieren', 't-spirited-away', 't-nirvana', 't-blossoms'];
    const events = order.map((id, i) => linkedEvent(id, { at: t0 + i * DAY }));
    // A later event about the held-out title again (same title, other post) must not be trained on.
    events.push(linkedEvent('t-blossoms', { at: t0 + 9 * DAY }));
    const result = await evaluateHoldout({ index, events, feedback: [], impressions: [], now: t0 + 10 * DAY }, trainLogistic, 10);
    expect(result?.heldOutTitles).toBe(1);
    // Had it leaked, the title would be excluded from the ranking as already engaged, and recall would be 0.
    expect(result?.strategies['popular']?.recall).toBe(1);
  });
});
