import { describe, expect, it } from 'vitest';
import { untrainable } from '../../../src/shared/model/logistic.ts';
import { prepareUser } from '../../../src/shared/model/pipeline.ts';
import { buildTitleIndex } from '../../../src/shared/model/title-index.ts';
import { fixtureCatalog, linkedEvent } from '../../fixtures/catalog.ts';

const NOW = Date.UTC(2026, 10, 1);

describe('the training set', () => {
  const index = buildTitleIndex(fixtureCatalog());

  it('has no positive row for a lone engaged title (seen without itself it matches nothing), so the prior ranks', () => {
    const prepared = prepareUser({
      index,
      events: [linkedEvent('t-wandering-earth', { at: NOW - 60_000 })],
      feedback: [],
      impressions: [],
      now: NOW,
    });
    expect(untrainable(prepared.set)).toBe('no positive labels');
    expect(prepared.coldStart).toBe(true);
    // Still labelled: never drawn as a negative of itself.
    const rows = Array.from(prepared.set.items);
    expect(rows).not.toContain(index.byId.get('t-wandering-earth'));
  });

  it('has a positive row for each of two engaged titles, each seen with the other', () => {
    const events = [linkedEvent('t-wandering-earth', { at: NOW - 60_000 }), linkedEvent('t-three-body', { at: NOW - 120_000 })];
    const prepared = prepareUser({ index, events, feedback: [], impressions: [], now: NOW });
    const positives = Array.from(prepared.set.items).filter((_, r) => (prepared.set.y[r] as number) > 0.5);
    expect(positives.sort()).toEqual([index.byId.get('t-wandering-earth'), index.byId.get('t-three-body')].sort());
    expect(prepared.coldStart).toBe(false);
  });
});
