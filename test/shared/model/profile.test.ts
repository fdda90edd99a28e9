import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../src/shared/events.ts';
import type { CatalogTitle } from '../../../src/shared/catalog/types.ts';
import { cleanEvents } from '../../../src/shared/model/clean.ts';
import {
  buildUserContext,
  catalogFeatures,
  pairFeatures,
  FEATURE_INDEX,
  FEATURE_WIDTH,
  withoutTitle,
} from '../../../src/shared/model/features.ts';
import { DEFAULT_PROFILE_OPTIONS, buildProfile, eventWeight, facetShare } from '../../../src/shared/model/profile.ts';
import { tokenize } from '../../../src/shared/model/text.ts';
import { buildTitleIndex, titleLanguage } from '../../../src/shared/model/title-index.ts';
import { collabScore, collabScoreLeaveOneOut, solveUserVector } from '../../../src/shared/model/collab.ts';
import { fixtureCatalog, linkedEvent } from '../../fixtures/catalog.ts';

const now = 1_760_000_000_000 + 86_400_000;
const options = { ...DEFAULT_PROFILE_OPTIONS, now };

describe('text', () => {
  it('segments Chinese into words and drops URLs, mentions and one-letter noise', () => {
    const tokens = tokenize('刚看完三体电视剧，太震撼了 https://t.co/abc @someone a great show');
    expect(tokens).toContain('三体');
    expect(tokens).toContain('电视');
    expect(tokens).toContain('great');
    expect(tokens.join(' ')).not.toMatch(/http|someone|\ba\b/u);
  });
});

describe('cleaning', () => {
  it('drops retracted, duplicate and future events and damps a burst from one source', () => {
    const a = linkedEvent('t-dark', { at: now - 10_000 });
    const dupUrl = { ...linkedEvent('t-dark', { at: now - 5_000 }), target: { ...a.target, id: 'other-id' } };
    const future = linkedEvent('t-dark', { at: now + 10 * 86_400_000 });
    const retracted = linkedEvent('t-frieren', { at: now - 20_000 });
    const burst = [1, 2, 3, 4].map((i) => {
      const e = linkedEvent('t-bake-off', { at: now - 3_600_000 + i * 1000 });
      return { ...e, target: { ...e.target, author: 'same-account' } };
    });
    const cleaned = cleanEvents([a, dupUrl, future, retracted, ...burst], {
      now,
      retractions: [{ site: 'x', action: 'like', targetId: retracted.target.id, at: now - 1000 }],
    });
    const ids = cleaned.map((c) => c.event.id);
    expect(ids).toContain(a.id);
    expect(ids).not.toContain(dupUrl.id);
    expect(ids).not.toContain(future.id);
    expect(ids).not.toContain(retracted.id);
    const damped = cleaned.filter((c) => burst.some((b) => b.id === c.event.id));
    expect(damped).toHaveLength(4);
    for (const c of damped) expect(c.damping).toBeCloseTo(0.5);
    expect(cleaned.find((c) => c.event.id === a.id)?.damping).toBe(1);
  });

  it('handles an empty history', () => {
    expect(cleanEvents([], { now })).toEqual([]);
  });
});

describe('profile and pair features', () => {
  const index = buildTitleIndex(fixtureCatalog());

  it('weighs share over comment over like, and halves a weight every half-life', () => {
    const like = linkedEvent('t-dark', { action: 'like', at: now });
    const comment = linkedEvent('t-dark', { action: 'comment', at: now });
    const share = linkedEvent('t-dark', { action: 'share', at: now });
    expect(eventWeight(share, 1, options)).toBeGreaterThan(eventWeight(comment, 1, options));
    expect(eventWeight(comment, 1, options)).toBeGreaterThan(eventWeight(like, 1, options));
    const old = linkedEvent('t-dark', { action: 'like', at: now - options.halfLifeDays * 86_400_000 });
    expect(eventWeight(old, 1, options)).toBeCloseTo(eventWeight(like, 1, options) / 2);
  });

  it('learns affinities to genres and kinds and matches a similar title best', () => {
    const events = [
      linkedEvent('t-three-body', { at: now }, '三体 真好看'),
      linkedEvent('t-wandering-earth', { at: now }, '流浪地球 科幻'),
    ];
    const profile = buildProfile(cleanEvents(events, { now }), index, options);
    expect(facetShare(profile, 'genre', 'sci-fi')).toBeCloseTo(1);
    expect(facetShare(profile, 'genre', 'cooking')).toBe(0);
    const ctx = buildUserContext(index, profile, { now });
    const row = (id: string): Float32Array => {
      const out = new Float32Array(FEATURE_WIDTH);
      pairFeatures(ctx, index.byId.get(id) as number, out, 0);
      return out;
    };
    const similar = row('t-wandering-earth-2');
    const far = row('t-bake-off');
    expect(similar[FEATURE_INDEX.text]).toBeGreaterThan(far[FEATURE_INDEX.text] as number);
    expect(similar[FEATURE_INDEX.genre]).toBeGreaterThan(0.5);
    expect(far[FEATURE_INDEX.genre]).toBe(0);
    expect(similar[FEATURE_INDEX.collab]).toBeGreaterThan(far[FEATURE_INDEX.collab] as number);
    expect([...similar, ...far].every(Number.isFinite)).toBe(true);
  });

  it('leave-one-out describes a positive by the rest of the history only', () => {
    const only = linkedEvent('t-bake-off', { at: now }, 'baking cake');
    const profile = buildProfile(cleanEvents([only, linkedEvent('t-dark', { at: now })], { now }), index, options);
    const ctx = buildUserContext(index, profile, { now });
    const item = index.byId.get('t-bake-off') as number;
    const inSample = new Float32Array(FEATURE_WIDTH);
    const outOfSample = new Float32Array(FEATURE_WIDTH);
    pairFeatures(ctx, item, inSample, 0);
    withoutTitle(ctx, item, () => pairFeatures(ctx, item, outOfSample, 0));
    expect(inSample[FEATURE_INDEX.genre]).toBeGreaterThan(0);
    expect(outOfSample[FEATURE_INDEX.genre]).toBe(0);
    // Restored afterwards.
    const again = new Float32Array(FEATURE_WIDTH);
    pairFeatures(ctx, item, again, 0);
    expect([...again]).toEqual([...inSample]);
  });

  it('solves u by ridge regression, and its leave-one-out score is lower than in-sample', () => {
    const linked = new Map([
      [index.byId.get('t-three-body') as number, 1],
      [index.byId.get('t-dark') as number, 1],
    ]);
    const user = solveUserVector(index, linked);
    expect(user).toBeDefined();
    if (!user) return;
    const item = index.byId.get('t-three-body') as number;
    expect(collabScoreLeaveOneOut(index, user, item)).toBeLessThan(collabScore(index, user, item));
    expect(solveUserVector(index, new Map())).toBeUndefined();
    expect(solveUserVector(buildTitleIndex(fixtureCatalog().map(({ vector: _v, ...t }) => t)), linked)).toBeUndefined();
  });

  it('guesses a title language from the script of its original name', () => {
    const [threeBody, , , stranger, , frieren] = fixtureCatalog();
    expect(titleLanguage(threeBody as CatalogTitle)).toBe('zh');
    expect(titleLanguage(stranger as CatalogTitle)).toBe('en');
    expect(titleLanguage(frieren as CatalogTitle)).toBe('ja');
  });

  it('keeps features finite for a title with NaN year and popularity', () => {
    const bad = fixtureCatalog();
    bad[0] = { ...(bad[0] as CatalogTitle), year: Number.NaN, popularity: Number.POSITIVE_INFINITY, vector: [Number.NaN, 1, 0] };
    const badIndex = buildTitleIndex(bad);
    const profile = buildProfile(cleanEvents([linkedEvent('t-dark', { at: now })], { now }), badIndex, options);
    const ctx = buildUserContext(badIndex, profile, { now });
    const out = new Float32Array(FEATURE_WIDTH);
    pairFeatures(ctx, 0, out, 0);
    expect([...out].every(Number.isFinite)).toBe(true);
  });
});

describe('catalog features', () => {
  it('computes for every title exactly what pairFeatures computes for one', () => {
    const index = buildTitleIndex(fixtureCatalog());
    const events = [
      linkedEvent('t-three-body', { at: now, action: 'share' }, '三体 #三体'),
      linkedEvent('t-frieren', { at: now }, 'フリーレン'),
    ];
    events[0] = { ...(events[0] as StoredEvent), target: { ...(events[0] as StoredEvent).target, hashtags: ['StrangerThings'] } };
    const profile = buildProfile(cleanEvents(events, { now }), index, options);
    const ctx = buildUserContext(index, profile, { now, ignored: new Map([[3, 4]]) });
    // An also-liked tie, as a Douban page the user engaged on would leave it.
    ctx.alsoLiked.set(5, { from: [0], eventIds: ['douban:wish:1'] });
    const all = catalogFeatures(ctx);
    const one = new Float32Array(FEATURE_WIDTH);
    for (let i = 0; i < index.titles.length; i += 1) {
      pairFeatures(ctx, i, one, 0);
      for (let j = 0; j < FEATURE_WIDTH; j += 1)
        expect(all[i * FEATURE_WIDTH + j], `title ${i} feature ${j}`).toBeCloseTo(one[j] as number, 5);
    }
    expect(all[3 * FEATURE_WIDTH + FEATURE_INDEX.hashtag]).toBeGreaterThan(0);
    expect(all[3 * FEATURE_WIDTH + FEATURE_INDEX.ignored]).toBeGreaterThan(0);
    expect(all[5 * FEATURE_WIDTH + FEATURE_INDEX['also-liked']]).toBeGreaterThan(0);
  });
});
