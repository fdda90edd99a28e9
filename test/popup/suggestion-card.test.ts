import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { localeMessage } from '../fixtures/i18n.ts';

/** chrome.i18n.getMessage over the real zh_CN messages. */
function getMessage(key: string, substitutions?: string | string[]): string {
  return localeMessage('zh_CN', key, substitutions);
}

vi.mock('webextension-polyfill', () => ({ default: { i18n: { getMessage, getUILanguage: () => 'zh-CN' }, runtime: {} } }));

const { genreLabel, reasonText, synopsisFor } = await import('../../src/popup/suggestion-card.ts');
const { t } = await import('../../src/shared/browser.ts');
const { platformLabel } = await import('../../src/shared/title-display.ts');

describe('reasons in the user’s language', () => {
  it('names the catalog’s genres in Chinese inside the reason, and keeps unknown ones as written', () => {
    expect(reasonText({ phrase: { key: 'reasonGenre', substitutions: ['anime'] }, weight: 1, eventIds: [] })).toBe('你常看动漫类作品');
    expect(reasonText({ phrase: { key: 'reasonGenre', substitutions: ['chinese-language'] }, weight: 1, eventIds: [] })).toBe(
      '你常看华语类作品',
    );
    expect(reasonText({ phrase: { key: 'reasonGenre', substitutions: ['sci-fi'] }, weight: 1, eventIds: [] })).toBe('你常看科幻类作品');
    expect(genreLabel('martial-arts')).toBe('武侠');
    expect(genreLabel('Wuxia')).toBe('Wuxia');
    // Other reasons' substitutions are page or catalog text and pass through untouched.
    expect(reasonText({ phrase: { key: 'reasonWantToWatch', substitutions: ['anime'] }, weight: 1, eventIds: [] })).toContain('anime');
  });

  it('has a label for every genre in the shipped default catalog', () => {
    const catalog = JSON.parse(gunzipSync(readFileSync('public/catalog/default-catalog.json.gz')).toString('utf8')) as {
      titles: { genres?: string[] }[];
    };
    const genres = new Set(catalog.titles.flatMap((title) => title.genres ?? []));
    expect(genres.size).toBeGreaterThan(0);
    for (const token of genres) expect(genreLabel(token), token).not.toBe(token);
  });
});

describe('platform names in the user’s language', () => {
  it('names Chinese services and qualified links in Chinese, and keeps brands and unknown ids as they are', () => {
    expect(platformLabel('bilibili_search', t)).toBe('哔哩哔哩（搜索）');
    expect(platformLabel('tencent-video', t)).toBe('腾讯视频');
    expect(platformLabel('netflix', t)).toBe('Netflix');
    expect(platformLabel('some-new-service', t)).toBe('some-new-service');
    // Without a translator (or in English), the brand names.
    expect(platformLabel('bilibili_search')).toBe('Bilibili (search)');
  });

  it('has a Chinese name for every platform of the shipped default catalog that has one', () => {
    const catalog = JSON.parse(gunzipSync(readFileSync('public/catalog/default-catalog.json.gz')).toString('utf8')) as {
      platforms: Record<string, { name: string }>;
    };
    const han = /\p{Script=Han}/u;
    const local = Object.entries(catalog.platforms).filter(([, { name }]) => han.test(name));
    expect(local.length).toBeGreaterThan(10);
    for (const [id] of local) expect(platformLabel(id, t), id).toMatch(han);
  });
});

describe('the synopsis line', () => {
  it('is in the UI’s language (a Chinese reader’s own script first), and none in a language the UI is not in', () => {
    const both = { en: 'A thief who steals secrets through dreams.', 'zh-Hans': '盗梦者潜入梦境。', 'zh-Hant': '盜夢者潛入夢境。' };
    expect(synopsisFor(both, 'zh-CN')).toEqual({ text: '盗梦者潜入梦境。', lang: 'zh-Hans' });
    expect(synopsisFor(both, 'zh-TW')).toEqual({ text: '盜夢者潛入夢境。', lang: 'zh-Hant' });
    expect(synopsisFor(both, 'en-GB')).toEqual({ text: 'A thief who steals secrets through dreams.', lang: 'en' });
    expect(synopsisFor({ en: 'Only English.' }, 'zh-CN')).toBeUndefined();
    expect(synopsisFor({ en: 'Only English.' }, 'zh-TW')).toBeUndefined();
    expect(synopsisFor({ 'zh-Hans': '只有简体。' }, 'en-US')).toBeUndefined();
    expect(synopsisFor({ 'zh-Hans': '只有简体。' }, 'zh-HK')).toEqual({ text: '只有简体。', lang: 'zh-Hans' });
    expect(synopsisFor({ 'zh-Hant': '只有繁體。' }, 'zh-CN')).toEqual({ text: '只有繁體。', lang: 'zh-Hant' });
    expect(synopsisFor({ en: '  ' }, 'en')).toBeUndefined();
    expect(synopsisFor(undefined, 'en')).toBeUndefined();
  });
});
