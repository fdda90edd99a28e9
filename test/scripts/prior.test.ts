import { describe, expect, it } from 'vitest';
import { draft } from '../../scripts/catalog/draft.ts';
import { movielensNames, spearman } from '../../scripts/catalog/movielens-check.ts';
import { popularity, priorContext, priorFeatures, priorScore } from '../../scripts/catalog/prior.ts';

describe('the popularity prior', () => {
  it('ranks a title with more evidence above one with less, as 0..1', () => {
    const known = draft('a', 'film');
    known.names.en.add('Toy Story');
    known.sources.add('zhwiki-cgroup').add('wikipedia-en');
    Object.assign(known.evidence, { cgroupRegions: 5, cgroupNames: 4, extractLength: 900, mentions: 12 });
    const sequel = draft('b', 'film');
    sequel.names.en.add('Toy Story 2');
    const obscure = draft('c', 'film');
    obscure.names.en.add('The Cord of Life');
    Object.assign(obscure.evidence, { extractLength: 120 });
    const ctx = priorContext([known, sequel, obscure]);
    expect(priorFeatures(known, ctx)).toMatchObject({ cgroup: true, regions: 5, sequels: 1, mentions: 12 });
    expect(priorScore(priorFeatures(known, ctx))).toBeGreaterThan(priorScore(priorFeatures(obscure, ctx)));
    const pop = popularity([known, sequel, obscure]);
    expect(pop.get(known)).toBe(1);
    expect(Math.min(...pop.values())).toBe(0);
  });
});

describe('the MovieLens check', () => {
  it('reads MovieLens titles as catalog names', () => {
    expect(movielensNames('Toy Story (1995)')).toEqual({ names: ['Toy Story'], year: 1995 });
    expect(movielensNames('Shawshank Redemption, The (1994)')).toEqual({ names: ['The Shawshank Redemption'], year: 1994 });
    expect(movielensNames('City of Lost Children, The (Cité des enfants perdus, La) (1995)')).toEqual({
      names: ['The City of Lost Children', 'La Cité des enfants perdus'],
      year: 1995,
    });
  });

  it("computes Spearman's rho with ties", () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1);
    expect(spearman([1, 2, 3, 4], [40, 30, 20, 10])).toBeCloseTo(-1);
    expect(spearman([1, 1, 2, 2], [1, 1, 2, 2])).toBeCloseTo(1);
  });
});
