import { describe, expect, it } from 'vitest';
import { hantVariantOf, inReaderScript, toTraditional, withTraditionalText } from '../../../src/shared/catalog/hant.ts';
import { pickTitle } from '../../../src/shared/title-display.ts';
import { catalogTitle } from '../../fixtures/catalog.ts';

/*
 * Issue 15: a title the catalog names only in Simplified showed in Simplified in the Traditional
 * UI (熊家餐馆 beside 三體). Its Simplified names are converted for a Traditional reader.
 */

describe('Traditional names for a Traditional reader', () => {
  it('reads the variant from the UI language: Taiwan and plain Hant tw, Hong Kong and Macau hk, none otherwise', () => {
    expect(hantVariantOf('zh-TW')).toBe('tw');
    expect(hantVariantOf('zh_TW')).toBe('tw');
    expect(hantVariantOf('zh-Hant')).toBe('tw');
    expect(hantVariantOf('zh-HK')).toBe('hk');
    expect(hantVariantOf('zh-MO')).toBe('hk');
    for (const lang of ['zh-CN', 'zh', 'zh-SG', 'en-US', 'ja', 'en-HK']) expect(hantVariantOf(lang), lang).toBeUndefined();
  });

  it('converts phrases before characters, in the region’s variants', () => {
    expect(toTraditional('熊家餐馆', 'tw')).toBe('熊家餐館');
    expect(toTraditional('进击的巨人 最终季', 'tw')).toBe('進擊的巨人 最終季');
    // 发 is 髮 in hair, 發 elsewhere; 后 is 後 in "the day after", 后 in "queen".
    expect(toTraditional('头发', 'tw')).toBe('頭髮');
    expect(toTraditional('发现', 'tw')).toBe('發現');
    expect(toTraditional('后天', 'tw')).toBe('後天');
    expect(toTraditional('皇后', 'tw')).toBe('皇后');
    // Taiwan writes 麵, Hong Kong 麪.
    expect(toTraditional('面包', 'tw')).toBe('麵包');
    expect(toTraditional('面包', 'hk')).toBe('麪包');
  });

  it('adds zh-Hant names only to a title that has Simplified names and no Traditional one', () => {
    const simplifiedOnly = catalogTitle('t-bear', { titles: { 'zh-Hans': ['熊家餐馆', '熊家餐馆'], en: ['The Bear'] } });
    const drafted = withTraditionalText(simplifiedOnly, 'tw');
    expect(drafted.titles).toEqual({ 'zh-Hans': ['熊家餐馆', '熊家餐馆'], 'zh-Hant': ['熊家餐館'], en: ['The Bear'] });
    expect(simplifiedOnly.titles['zh-Hant']).toBeUndefined();
    // Converted once per title object.
    expect(withTraditionalText(simplifiedOnly, 'tw')).toBe(drafted);
    // The catalog's own Traditional name stands (盗梦空间 is 全面啟動 in Taiwan, not 盜夢空間).
    const named = catalogTitle('t-inception', { titles: { 'zh-Hans': ['盗梦空间'], 'zh-Hant': ['全面啟動'], en: ['Inception'] } });
    expect(withTraditionalText(named, 'tw')).toBe(named);
    const english = catalogTitle('t-dark', { titles: { en: ['Dark'] } });
    expect(withTraditionalText(english, 'tw')).toBe(english);
  });

  it('drafts a zh-Hant synopsis from a zh-Hans one, and keeps a synopsis the title has in Traditional', () => {
    const simplified = catalogTitle('t-bear', {
      titles: { 'zh-Hant': ['熊家餐館'] },
      synopsis: { 'zh-Hans': '一位厨师回到家乡，接手家里的餐馆。', en: 'A chef runs the family restaurant.' },
    });
    const drafted = withTraditionalText(simplified, 'tw');
    expect(drafted.synopsis).toEqual({
      'zh-Hans': '一位厨师回到家乡，接手家里的餐馆。',
      'zh-Hant': '一位廚師回到家鄉，接手家裡的餐館。',
      en: 'A chef runs the family restaurant.',
    });
    // Its own Traditional names stand.
    expect(drafted.titles).toEqual({ 'zh-Hant': ['熊家餐館'] });
    expect(inReaderScript(simplified, 'zh-TW').synopsis?.['zh-Hant']).toBe('一位廚師回到家鄉，接手家裡的餐館。');
    expect(inReaderScript(simplified, 'zh-CN')).toBe(simplified);
    const own = catalogTitle('t-own', { titles: { 'zh-Hant': ['自己'] }, synopsis: { 'zh-Hans': '简体。', 'zh-Hant': '繁體自有。' } });
    expect(withTraditionalText(own, 'tw')).toBe(own);
  });

  it('names the title in the reader’s script and leaves other readers’ titles as they are', () => {
    const title = catalogTitle('t-bear', { titles: { 'zh-Hans': ['熊家餐馆'], en: ['The Bear'] } });
    expect(pickTitle(inReaderScript(title, 'zh-TW'), 'zh-TW')).toEqual({ text: '熊家餐館', lang: 'zh-Hant' });
    expect(inReaderScript(title, 'zh-CN')).toBe(title);
    expect(inReaderScript(title, 'en')).toBe(title);
    expect(pickTitle(inReaderScript(title, 'en'), 'en').text).toBe('The Bear');
  });
});
