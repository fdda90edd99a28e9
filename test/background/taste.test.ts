import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackground } from '../../src/background/background.ts';
import type { SenderInfo } from '../../src/background/router.ts';
import { createStore } from '../../src/background/store.ts';
import { switchBackend } from '../../src/background/training/backend.ts';
import { createLearner } from '../../src/background/training/learner.ts';
import type { TasteView } from '../../src/shared/insights.ts';
import { envelope } from '../../src/shared/messages.ts';
import type { Settings } from '../../src/shared/settings.ts';
import { askAs, linkedEvent, seedCatalogAndEvents } from '../fixtures/catalog.ts';

/*
 * The taste profile end to end in the background: the learner writes what its profile leaned on with
 * the ranking; insights:taste shows it with the events behind each entry; a correction saved in the
 * settings is what the next retrain learns without.
 */

const NOW = 1_760_000_000_000;
const fromPage: SenderInfo = { fromExtensionPage: true, incognito: false };

describe('insights:taste', () => {
  beforeAll(async () => {
    await switchBackend('cpu');
  });

  it('shows what the last ranking leaned on, each entry with its events, and what the user took out after the retrain', async () => {
    const store = createStore('taste-0');
    const events = [
      linkedEvent('t-three-body', { at: NOW - 1000, action: 'share' }, '三体 太好看了'),
      linkedEvent('t-dark', { at: NOW - 2000 }, 'Dark'),
      linkedEvent('t-nirvana', { at: NOW - 3000 }, '琅琊榜'),
    ];
    await seedCatalogAndEvents(store, events);
    const bg = createBackground(store, () => NOW, { session: fakeBrowser.storage.session });
    const ask = askAs(bg);
    // Before any ranking there is nothing to show, and nothing was taken out.
    const empty = await ask<TasteView>('insights:taste', {});
    expect(empty.profile.genres).toEqual([]);
    expect(empty.removed).toEqual({ genres: [], people: [], titles: [], sites: [] });

    const learner = createLearner(store, { now: () => NOW, debounceMs: 0 });
    await learner.retrain('test');
    const view = await ask<TasteView>('insights:taste', {});
    const scifi = view.profile.genres.find((g) => g.key === 'sci-fi');
    expect(scifi?.count).toBe(2);
    // Its events, newest first, as stored: what the user did and where.
    expect(scifi?.events.map((e) => e.id)).toEqual([events[0]?.id, events[1]?.id]);
    expect(scifi?.events[0]).toMatchObject({ site: 'x', action: 'share', text: '三体 太好看了' });
    expect(view.profile.titles.find((t) => t.key === 't-dark')?.title?.titles.en).toEqual(['Dark']);
    expect(view.computedAt).toBe(NOW);

    // "Not for me" on sci-fi and on 琅琊榜: saved in the settings, learned without on the next retrain.
    const settings = await ask<Settings>('settings:get', {});
    await ask('settings:set', { ...settings, taste: { genres: ['sci-fi'], people: [], titles: ['t-nirvana'], sites: [] } });
    await learner.retrain('taste corrected');
    const corrected = await ask<TasteView>('insights:taste', {});
    expect(corrected.profile.genres.map((g) => g.key)).not.toContain('sci-fi');
    expect(corrected.profile.titles.map((t) => t.key)).not.toContain('t-nirvana');
    expect(corrected.removed.genres).toEqual(['sci-fi']);
    expect(corrected.removedTitles.map((t) => t.id)).toEqual(['t-nirvana']);
    const ranking = await ask<{ suggestions: { titleId: string; title: { genres: string[] } }[] }>('popup:suggestions', {});
    expect(ranking.suggestions.length).toBeGreaterThan(0);
    for (const s of ranking.suggestions) expect(s.title.genres, s.titleId).not.toContain('sci-fi');
  });

  it('refuses a correction of an unknown site or an oversized list, and keeps the settings', async () => {
    const bg = createBackground(createStore('taste-1'), () => NOW, { session: fakeBrowser.storage.session });
    const settings = (await bg.handle(envelope('settings:get', {}), fromPage)) as { value: Settings };
    const bad = [
      { genres: [], people: [], titles: [], sites: ['myspace'] },
      { genres: Array.from({ length: 1001 }, (_, i) => `g${i}`), people: [], titles: [], sites: [] },
      { genres: [''], people: [], titles: [], sites: [] },
    ];
    for (const taste of bad) {
      const reply = (await bg.handle(envelope('settings:set', { ...settings.value, taste } as never), fromPage)) as { ok: boolean };
      expect(reply.ok).toBe(false);
    }
    const after = (await bg.handle(envelope('settings:get', {}), fromPage)) as { value: Settings };
    expect(after.value.taste).toBeUndefined();
  });
});
