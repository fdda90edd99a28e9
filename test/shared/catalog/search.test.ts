import { describe, expect, it } from 'vitest';
import { createTitleSearch } from '../../../src/shared/catalog/search.ts';
import { catalogTitle } from '../../fixtures/catalog.ts';
import { readDefaultCatalogText } from '../../fixtures/default-catalog.ts';
import { parseCatalog } from '../../../src/shared/catalog/schema.ts';

const title = catalogTitle;

describe('title search', () => {
  it('finds a name whatever its case, width, spacing or Chinese script', () => {
    const search = createTitleSearch([
      title('aot', { kind: 'anime-series', titles: { 'zh-Hans': ['进击的巨人'], 'zh-Hant': ['進擊的巨人'], en: ['Attack on Titan'] } }),
      title('tdk', { titles: { en: ['The Dark Knight'], 'zh-Hans': ['蝙蝠侠：黑暗骑士'] } }),
    ]);
    expect(search.search('進擊', 5).map((t) => t.id)).toEqual(['aot']);
    expect(search.search('进击的巨人', 5).map((t) => t.id)).toEqual(['aot']);
    expect(search.search('the dark knight', 5).map((t) => t.id)).toEqual(['tdk']);
    expect(search.search('ＤＡＲＫ　ＫＮＩＧＨＴ', 5).map((t) => t.id)).toEqual(['tdk']);
    expect(search.search('黑暗骑士', 5).map((t) => t.id)).toEqual(['tdk']);
    expect(search.search('nothing like it', 5)).toEqual([]);
  });

  it('offers recognisable first picks: a name in the reader’s script, few anime, one title per franchise, nothing unranked', () => {
    const titles = [
      ...Array.from({ length: 6 }, (_, i) =>
        title(`anime${i}`, {
          kind: 'anime-series',
          popularity: 0.99 - i / 100,
          titles: { en: [`Isekai ${'ABCDEF'[i]}${'UVWXYZ'[i]}z`], 'zh-Hans': [`异世界${'甲乙丙丁戊己'[i]}`] },
        }),
      ),
      title('st1', { popularity: 0.9, titles: { en: ['Star Trek'] } }),
      title('st2', { popularity: 0.89, titles: { en: ['Star Trek II: The Wrath of Khan'] } }),
      title('zh-only', { popularity: 0.88, titles: { 'zh-Hans': ['流浪地球'] } }),
      title('special', { kind: 'special', popularity: 0.87, titles: { en: ['An Award Show'] } }),
      title('learned', { popularity: 0.86, popularityKnown: false, titles: { en: ['Learned Here'] } }),
      title('heat', { popularity: 0.5, titles: { en: ['Heat'] } }),
    ];
    const search = createTitleSearch(titles);
    expect(search.picks('en-US', 8).map((t) => t.id)).toEqual(['anime0', 'anime1', 'anime2', 'st1', 'heat']);
    expect(search.picks('zh-CN', 8).map((t) => t.id)).toEqual(['anime0', 'anime1', 'anime2', 'zh-only']);
    // Traditional readers read Simplified names too; three picks hold one anime.
    expect(search.picks('zh-TW', 3).map((t) => t.id)).toEqual(['anime0', 'zh-only']);
  });
});

describe('title search on the default catalog', () => {
  it('offers films and series people know first, in English and Chinese', () => {
    const parsed = parseCatalog(readDefaultCatalogText());
    if (!parsed.ok) throw new Error(parsed.error);
    const search = createTitleSearch(parsed.catalog.titles);
    const en = search.picks('en-US', 8);
    const zh = search.picks('zh-CN', 8);
    for (const picks of [en, zh]) {
      expect(picks).toHaveLength(8);
      expect(picks.filter((t) => t.kind.startsWith('anime')).length).toBeLessThanOrEqual(3);
    }
    expect(zh.every((t) => (t.titles['zh-Hans']?.length ?? 0) > 0)).toBe(true);
    expect(search.search('盗梦空间', 3)[0]?.id).toBe('zw:film:inception');
    expect(search.search('inception', 3)[0]?.id).toBe('zw:film:inception');
  });
});
