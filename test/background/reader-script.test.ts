import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackground } from '../../src/background/background.ts';
import { createStore } from '../../src/background/store.ts';
import { switchBackend } from '../../src/background/training/backend.ts';
import { createLearner } from '../../src/background/training/learner.ts';
import { toTraditional } from '../../src/shared/catalog/hant.ts';
import type { CatalogTitle } from '../../src/shared/catalog/types.ts';
import type { SuggestionsResponse } from '../../src/shared/suggestions.ts';
import { pickTitle } from '../../src/shared/title-display.ts';
import { askAs, fixtureCatalog, linkedEvent, seedCatalogAndEvents } from '../fixtures/catalog.ts';

/*
 * Issue 15: in the Traditional UI a title the catalog names only in Simplified was shown in
 * Simplified. The background names every title it gives the pages in the UI's script: the cards'
 * titles, the titles their reasons name, search results and lookups.
 */

const NOW = 1_760_000_000_000;
const catalog = new Map(fixtureCatalog().map((t) => [t.id, t]));

/** The name a Traditional reader should see, recomputed from the stored title. */
function expectedName(id: string): string {
  const stored = catalog.get(id) as CatalogTitle;
  const hant = stored.titles['zh-Hant']?.[0];
  const hans = stored.titles['zh-Hans']?.[0];
  return hant ?? (hans ? toTraditional(hans, 'tw') : pickTitle(stored, 'zh-TW').text);
}

async function backgroundIn(locale: string, n: number) {
  const store = createStore(`reader-script-${locale}-${n}`);
  await seedCatalogAndEvents(store, [
    linkedEvent('t-three-body', { at: NOW - 5000, action: 'share' }, '三体 太好看了'),
    linkedEvent('t-nirvana', { at: NOW - 3000 }, '琅琊榜'),
    linkedEvent('t-frieren', { at: NOW - 1000 }),
  ]);
  await createLearner(store, { now: () => NOW, debounceMs: 0 }).retrain('test');
  return askAs(createBackground(store, () => NOW, { session: fakeBrowser.storage.session, locale }));
}

describe('titles in the reader’s script', () => {
  beforeAll(async () => {
    await switchBackend('cpu');
  });

  it('zh-TW: cards, the titles their reasons name, lookups and search give Traditional names, converted where none is stored', async () => {
    const ask = await backgroundIn('zh-TW', 0);
    const { suggestions } = await ask<SuggestionsResponse>('popup:suggestions', { limit: 8 });
    const shown = [
      ...suggestions.map((s) => s.title),
      ...suggestions.flatMap((s) => s.reasons.flatMap((r) => (r.anchor ? [r.anchor] : []))),
    ];
    expect(shown.length).toBeGreaterThan(suggestions.length);
    let converted = 0;
    for (const title of shown) {
      const stored = catalog.get(title.id) as CatalogTitle;
      if (!stored.titles['zh-Hans'] && !stored.titles['zh-Hant']) continue;
      expect(pickTitle(title, 'zh-TW').text, title.id).toBe(expectedName(title.id));
      if (!stored.titles['zh-Hant']) converted += 1;
    }
    // The anchors 三体 and 琅琊榜 have no Traditional name in the catalog.
    expect(converted).toBeGreaterThan(0);
    const [looked] = await ask<CatalogTitle[]>('catalog:titles', { ids: ['t-nirvana'] });
    expect(looked?.titles['zh-Hant']).toEqual(['琅琊榜']);
    const [found] = await ask<CatalogTitle[]>('catalog:search', { query: '三体' });
    expect(found?.id).toBe('t-three-body');
    expect(pickTitle(found as CatalogTitle, 'zh-TW').text).toBe('三體');
  });

  it('zh-CN and English: titles as the catalog has them', async () => {
    for (const [i, locale] of ['zh-CN', 'en-US'].entries()) {
      const ask = await backgroundIn(locale, i + 1);
      const { suggestions } = await ask<SuggestionsResponse>('popup:suggestions', { limit: 8 });
      expect(suggestions.length).toBeGreaterThan(0);
      for (const s of suggestions) expect(s.title.titles, `${locale} ${s.titleId}`).toEqual(catalog.get(s.titleId)?.titles);
      const [looked] = await ask<CatalogTitle[]>('catalog:titles', { ids: ['t-three-body'] });
      expect(looked?.titles['zh-Hant'], locale).toBeUndefined();
    }
  });
});
