import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackground } from '../../src/background/background.ts';
import { createStore } from '../../src/background/store.ts';
import { switchBackend } from '../../src/background/training/backend.ts';
import { createLearner } from '../../src/background/training/learner.ts';
import type { InsightsResponse } from '../../src/shared/insights.ts';
import { leadReason, type SuggestionsResponse } from '../../src/shared/suggestions.ts';
import { askAs, linkedEvent, seedCatalogAndEvents } from '../fixtures/catalog.ts';

/*
 * Insights "by site of the post behind the title" (issue 15: it said "No linked post" for every
 * suggestion): a suggestion is a title not engaged with, so the site comes from the posts its card's
 * lead reason stood on when it was shown, recorded with the impression.
 */

const NOW = 1_760_000_000_000;

describe('insights by site', () => {
  beforeAll(async () => {
    await switchBackend('cpu');
  });

  it('counts each shown suggestion under the site of the newest post its lead reason stands on', async () => {
    const store = createStore('insights-site-0');
    const events = [
      linkedEvent('t-three-body', { at: NOW - 5000, action: 'share' }, '三体 太好看了'),
      { ...linkedEvent('t-wandering-earth', { at: NOW - 1000 }, '流浪地球'), site: 'weibo' as const, id: 'weibo:like:we-1' },
      { ...linkedEvent('t-dark', { at: NOW - 3000 }, 'Dark'), site: 'reddit' as const, id: 'reddit:upvote:dark-1' },
    ];
    await seedCatalogAndEvents(store, events);
    const bg = createBackground(store, () => NOW, { session: fakeBrowser.storage.session });
    const ask = askAs(bg);
    await createLearner(store, { now: () => NOW, debounceMs: 0 }).retrain('test');
    const { suggestions } = await ask<SuggestionsResponse>('popup:suggestions', { limit: 5 });
    expect(suggestions.length).toBeGreaterThan(0);
    await ask('popup:impressions', {
      items: suggestions.map((s, rank) => ({ titleId: s.titleId, rank, strategy: s.strategy ?? 'model' })),
    });

    // Recomputed from what is stored: each card's lead reason, its posts, the newest one's site.
    const byId = new Map(events.map((e) => [e.id, e]));
    const expected = new Map<string, number>();
    for (const s of suggestions) {
      const posts = (leadReason(s.reasons)?.eventIds ?? []).flatMap((id) => byId.get(id) ?? []).sort((a, b) => b.at - a.at);
      const site = posts[0]?.site ?? 'none';
      expected.set(site, (expected.get(site) ?? 0) + 1);
    }
    expect([...expected.keys()].some((site) => site !== 'none')).toBe(true);
    const insights = await ask<InsightsResponse>('insights:get', {});
    expect(Object.fromEntries(insights.funnel.bySite.map((row) => [row.key, row.impressions]))).toEqual(Object.fromEntries(expected));

    // The site goes out with an export and comes back with its import, unchanged.
    const exported = await ask<{ impressions: { site?: string }[] }>('data:export', {});
    expect(exported.impressions.some((i) => i.site !== undefined)).toBe(true);
    await ask('data:delete-all', { confirm: true });
    await ask('data:import', JSON.parse(JSON.stringify(exported)));
    expect((await ask<{ impressions: unknown[] }>('data:export', {})).impressions).toEqual(exported.impressions);
  });
});
