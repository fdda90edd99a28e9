import { describe, expect, it } from 'vitest';
import type { WatchLink } from '../../src/shared/catalog/types.ts';
import {
  fillTemplate,
  offeredLinks,
  searchedPlatform,
  originalTitle,
  pickTitle,
  platformLabel,
  titleLanguageOrder,
  watchLinksFor,
  titleMark,
} from '../../src/shared/title-display.ts';

const threeBody = {
  id: 'three-body',
  titles: { 'zh-Hans': ['三体'], 'zh-Hant': ['三體'], en: ['3 Body Problem'], original: ['三体'] },
  aliases: ['Santi'],
};
const frieren = { id: 'frieren', titles: { 'zh-Hans': ['葬送的芙莉莲'], original: ['葬送のフリーレン'] }, aliases: [] };

describe('title language choice', () => {
  it('puts the browser language first, then the fallback order', () => {
    expect(titleLanguageOrder('zh-CN')).toEqual(['zh-Hans', 'zh-Hant', 'en', 'ja', 'original']);
    expect(titleLanguageOrder('zh-TW')).toEqual(['zh-Hant', 'zh-Hans', 'en', 'ja', 'original']);
    expect(titleLanguageOrder('zh_HK')).toEqual(['zh-Hant', 'zh-Hans', 'en', 'ja', 'original']);
    expect(titleLanguageOrder('zh-Hant-TW')[0]).toBe('zh-Hant');
    expect(titleLanguageOrder('en-US')).toEqual(['en', 'zh-Hans', 'zh-Hant', 'ja', 'original']);
    expect(titleLanguageOrder('ja')).toEqual(['ja', 'original', 'zh-Hans', 'zh-Hant', 'en']);
    expect(titleLanguageOrder('de')[0]).toBe('en');
  });

  it('picks the title in the user language and falls back when it is missing', () => {
    expect(pickTitle(threeBody, 'zh-CN')).toEqual({ text: '三体', lang: 'zh-Hans' });
    expect(pickTitle(threeBody, 'zh-TW')).toEqual({ text: '三體', lang: 'zh-Hant' });
    expect(pickTitle(threeBody, 'en-GB')).toEqual({ text: '3 Body Problem', lang: 'en' });
    expect(pickTitle(frieren, 'en-US')).toEqual({ text: '葬送的芙莉莲', lang: 'zh-Hans' });
    expect(pickTitle(frieren, 'ja')).toEqual({ text: '葬送のフリーレン' });
    expect(pickTitle({ id: 'x', titles: { en: [' '] }, aliases: ['Alias'] }, 'en')).toEqual({ text: 'Alias' });
    expect(pickTitle({ id: 'x', titles: {}, aliases: [] }, 'en')).toEqual({ text: 'x' });
  });

  it('offers the original title only when it differs', () => {
    expect(originalTitle(frieren, '葬送的芙莉莲')).toBe('葬送のフリーレン');
    expect(originalTitle(threeBody, '三体')).toBeUndefined();
  });
});

describe('watch links', () => {
  const watch: WatchLink[] = [
    { platform: 'netflix', regions: [], url: 'https://www.netflix.com/title/{id}?utm_source=reelflow&utm_medium=ext', id: '81024821' },
    { platform: 'bilibili', regions: ['CN'], url: 'https://www.bilibili.com/bangumi/media/md{{id}}/', id: '28234' },
    { platform: 'hulu', regions: ['US'], url: 'https://www.hulu.com/series/{id}', id: 'a b/c?d' },
    { platform: 'evil', regions: [], url: 'javascript:alert({id})', id: '1' },
    { platform: 'netflix', regions: [], url: 'https://www.netflix.com/title/{id}', id: 'duplicate' },
    { platform: 'noid', regions: [], url: 'https://example.org/{id}' },
  ];

  it('fills the id into the template, keeping campaign parameters and path slashes', () => {
    expect(fillTemplate('https://a.example/t/{id}?utm_campaign=x', '42')).toBe('https://a.example/t/42?utm_campaign=x');
    expect(fillTemplate('https://a.example/{{id}}', 'tv/1399')).toBe('https://a.example/tv/1399');
    expect(fillTemplate('https://a.example/?q={id}', 'a&b=c')).toBe('https://a.example/?q=a%26b%3Dc');
  });

  it('keeps links for the region and the user platforms, one per platform, http(s) only', () => {
    expect(watchLinksFor(watch, { platforms: [], region: 'US' })).toEqual([
      { platform: 'netflix', url: 'https://www.netflix.com/title/81024821?utm_source=reelflow&utm_medium=ext' },
      { platform: 'hulu', url: 'https://www.hulu.com/series/a%20b/c%3Fd' },
    ]);
    expect(watchLinksFor(watch, { platforms: ['bilibili', 'hulu'], region: 'CN' })).toEqual([
      { platform: 'bilibili', url: 'https://www.bilibili.com/bangumi/media/md28234/' },
    ]);
    expect(watchLinksFor(watch, { platforms: ['evil'], region: 'US' })).toEqual([]);
  });

  it('offers a page about the title (a local title’s Douban page) whatever platforms the user has', () => {
    const local: WatchLink[] = [{ platform: 'douban', regions: [], url: 'https://movie.douban.com/subject/26895436/' }];
    expect(watchLinksFor([...watch, ...local], { platforms: ['hulu'], region: 'CN' })).toEqual([
      { platform: 'douban', url: 'https://movie.douban.com/subject/26895436/' },
    ]);
  });

  it('names known platforms and shows others as they are', () => {
    expect(platformLabel('netflix')).toBe('Netflix');
    expect(platformLabel('some-new-service')).toBe('some-new-service');
  });
});

describe('links a card offers', () => {
  const bilibiliOnly = [{ platform: 'bilibili_search', regions: [], url: 'https://search.bilibili.com/all?keyword={id}', id: '黑暗骑士' }];
  const offered = (watch: WatchLink[], region: string, name: string): string[] =>
    offeredLinks(watch, { platforms: [], region }, name).map((link) => `${link.platform} ${link.url}`);

  it('offers a Chinese service’s search only in the regions it serves, and the region’s own search where nothing streams it', () => {
    // In the US the catalog's bilibili search (in Chinese) is no use: JustWatch's US listing, for the name the card shows.
    expect(offered(bilibiliOnly, 'US', 'The Dark Knight')).toEqual([
      `justwatch_search https://www.justwatch.com/us/search?q=${encodeURIComponent('The Dark Knight')}`,
    ]);
    expect(offered(bilibiliOnly, 'CN', '黑暗骑士')).toEqual([
      `bilibili_search https://search.bilibili.com/all?keyword=${encodeURIComponent('黑暗骑士')}`,
      `qq_search https://v.qq.com/x/search/?q=${encodeURIComponent('黑暗骑士')}`,
      `iqiyi_search https://so.iqiyi.com/so/q_${encodeURIComponent('黑暗骑士')}`,
    ]);
  });

  it('keeps a Japanese store’s Prime link in Japan: elsewhere the region’s own search stands in', () => {
    const prime = [{ platform: 'prime', regions: [], url: 'https://www.amazon.co.jp/gp/video/detail/{id}', id: 'B0C1234567' }];
    expect(offered(prime, 'JP', '葬送のフリーレン')).toEqual(['prime https://www.amazon.co.jp/gp/video/detail/B0C1234567']);
    const gb = offered(prime, 'GB', 'Frieren');
    expect(gb).not.toContain('prime https://www.amazon.co.jp/gp/video/detail/B0C1234567');
    expect(gb).toEqual(['justwatch_search https://www.justwatch.com/uk/search?q=Frieren']);
    expect(offered(prime, 'CN', '葬送的芙莉莲').some((link) => link.includes('amazon'))).toBe(false);
  });

  it('adds no search where a link says where the title streams', () => {
    const netflix = [{ platform: 'netflix', regions: ['US'], url: 'https://www.netflix.com/title/{id}', id: '70079583' }];
    expect(offered(netflix, 'US', 'The Dark Knight')).toEqual(['netflix https://www.netflix.com/title/70079583']);
    expect(searchedPlatform('justwatch_search')).toBe('justwatch');
    expect(searchedPlatform('netflix')).toBeUndefined();
  });
});

describe('title mark', () => {
  it('is the first letter past articles and punctuation, and one hue per title, the same every time', () => {
    expect(titleMark('The Bear', 'the-bear').initial).toBe('B');
    expect(titleMark('“Frieren”', 'frieren').initial).toBe('F');
    expect(titleMark('三体', 'three-body').initial).toBe('三');
    expect(titleMark('an education', 'x').initial).toBe('E');
    expect(titleMark('2001: A Space Odyssey', 'y').initial).toBe('2');
    expect(titleMark('', 'z').initial).toBe('?');
    const a = titleMark('Dark', 't-dark');
    expect(titleMark('Dark', 't-dark')).toEqual(a);
    expect(a.hue).toBeGreaterThanOrEqual(0);
    expect(a.hue).toBeLessThan(360);
    // Different titles spread over the wheel.
    const hues = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => Math.floor(titleMark('X', id).hue / 45)));
    expect(hues.size).toBeGreaterThan(3);
  });
});
