import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../../src/shared/catalog/schema.ts';
import type { CatalogTitle } from '../../../src/shared/catalog/types.ts';
import { cleanEvents } from '../../../src/shared/model/clean.ts';
import {
  FEATURE_INDEX,
  FEATURE_WIDTH,
  buildUserContext,
  catalogFeatures,
  pairFeatures,
  withoutTitle,
} from '../../../src/shared/model/features.ts';
import { DEFAULT_PROFILE_OPTIONS, buildProfile } from '../../../src/shared/model/profile.ts';
import { buildTitleIndex } from '../../../src/shared/model/title-index.ts';
import { fixtureCatalog, linkedEvent } from '../../fixtures/catalog.ts';

const now = 1_760_000_000_000 + 86_400_000;
const options = { ...DEFAULT_PROFILE_OPTIONS, now };

/** The fixture catalog with item-item rows: title i's row is e_(i mod 3) scaled, so titles 3 apart are neighbours. */
function withRows(): CatalogTitle[] {
  return fixtureCatalog().map((t, i) => ({
    ...t,
    itemItem: { scale: 1 + i / 10, vector: [0, 1, 2].map((c) => (c === i % 3 ? 0.5 + i / 100 : 0.05)) },
  }));
}

function raw(titles: CatalogTitle[], engaged: number[], item: number): number {
  const row = (i: number): number[] => titles[i]?.itemItem?.vector ?? [];
  const sum = [0, 1, 2].map((c) => engaged.filter((j) => j !== item).reduce((s, j) => s + (row(j)[c] ?? 0), 0));
  return (titles[item]?.itemItem?.scale ?? 0) * row(item).reduce((s, v, c) => s + v * (sum[c] ?? 0), 0);
}

describe('item-item feature', () => {
  const titles = withRows();
  const index = buildTitleIndex(titles);
  const engagedIds = [titles[0]?.id ?? '', titles[1]?.id ?? ''];
  const events = engagedIds.map((id) => linkedEvent(id, { at: now }));
  const profile = buildProfile(cleanEvents(events, { now }), index, options);
  const ctx = buildUserContext(index, profile, { now });
  const engaged = engagedIds.map((id) => index.byId.get(id) as number);

  it('is scale·row·Σ rows of the engaged titles (own row left out), over the best candidate not engaged with', () => {
    const others = titles.map((_, i) => i).filter((i) => !engaged.includes(i));
    const best = Math.max(...others.map((i) => raw(titles, engaged, i)));
    const all = catalogFeatures(ctx);
    for (let i = 0; i < titles.length; i += 1) {
      const expected = Math.max(-1, Math.min(1.5, raw(titles, engaged, i) / best));
      expect(all[i * FEATURE_WIDTH + FEATURE_INDEX['item-item']], `title ${i}`).toBeCloseTo(expected, 5);
    }
    expect(Math.max(...others.map((i) => all[i * FEATURE_WIDTH + FEATURE_INDEX['item-item']] as number))).toBeCloseTo(1, 6);
  });

  it('agrees with pairFeatures for every title, and a left-out positive is scored without itself', () => {
    const all = catalogFeatures(ctx);
    const one = new Float32Array(FEATURE_WIDTH);
    for (let i = 0; i < titles.length; i += 1) {
      pairFeatures(ctx, i, one, 0);
      expect(one[FEATURE_INDEX['item-item']]).toBeCloseTo(all[i * FEATURE_WIDTH + FEATURE_INDEX['item-item']] as number, 6);
    }
    const item = engaged[0] as number;
    const left = new Float32Array(FEATURE_WIDTH);
    withoutTitle(ctx, item, () => pairFeatures(ctx, item, left, 0));
    const others = titles.map((_, i) => i).filter((i) => !engaged.includes(i));
    const best = Math.max(...others.map((i) => raw(titles, engaged, i)));
    expect(left[FEATURE_INDEX['item-item']]).toBeCloseTo(raw(titles, engaged, item) / best, 5);
  });

  it('is 0 for every title of a catalog without the model, or a user with no engaged title', () => {
    const plain = buildTitleIndex(fixtureCatalog());
    const plainCtx = buildUserContext(plain, buildProfile(cleanEvents(events, { now }), plain, options), { now });
    const x = catalogFeatures(plainCtx);
    const empty = buildUserContext(index, buildProfile([], index, options), { now });
    const y = catalogFeatures(empty);
    for (let i = 0; i < titles.length; i += 1) {
      expect(x[i * FEATURE_WIDTH + FEATURE_INDEX['item-item']]).toBe(0);
      expect(y[i * FEATURE_WIDTH + FEATURE_INDEX['item-item']]).toBe(0);
    }
  });
});

describe('itemItem in the catalog file', () => {
  const file = (itemItem: unknown, format = 3): unknown => ({
    format,
    version: 'ii',
    attributions: [],
    titles: [
      { id: 'a', kind: 'film', titles: { en: ['A'] }, itemItem },
      { id: 'b', kind: 'film', titles: { en: ['B'] }, itemItem: { scale: 1, step: 0.01, vector: [1, -2] } },
    ],
  });

  it('decodes int8 codes × step on load', () => {
    const parsed = parseCatalog(file({ scale: 1.25, step: 0.002, vector: [127, -64] }));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.catalog.titles[0]?.itemItem?.scale).toBe(1.25);
    expect(parsed.catalog.titles[0]?.itemItem?.vector[0]).toBeCloseTo(0.254, 9);
    expect(parsed.catalog.titles[0]?.itemItem?.vector[1]).toBeCloseTo(-0.128, 9);
  });

  it.each([
    ['codes out of int8 with a step', { scale: 1, step: 0.01, vector: [128, 0] }, /itemItem\.vector: with a step/],
    [
      'rows of two lengths',
      { scale: 1, step: 0.01, vector: [1, 2, 3] },
      /titles\[1\]\.itemItem\.vector: length 2, but other itemItem vectors have 3/,
    ],
    ['a negative scale', { scale: -1, vector: [0.1, 0.2] }, /titles\[0\]\.itemItem\.scale/],
    ['a non-finite entry', { scale: 1, vector: [0.1, Number.NaN] }, /titles\[0\]\.itemItem\.vector\[1\]/],
  ])('refuses %s, naming the field', (_, itemItem, error) => {
    const parsed = parseCatalog(file(itemItem));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });

  it('refuses itemItem in a format-2 file, which had no such field', () => {
    const parsed = parseCatalog(file({ scale: 1, vector: [0.1, 0.2] }, 2));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/format-2 catalog has no itemItem/);
  });
});
