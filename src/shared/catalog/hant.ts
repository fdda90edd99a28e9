import * as OpenCC from 'opencc-js';
import { isTraditional } from '../title-display.ts';
import type { LocalizedTitles, Synopsis } from './types.ts';

/**
 * Names in the Traditional script for titles that have only Simplified ones (issue 15: a
 * Traditional reader saw 熊家餐馆): the Simplified names converted by opencc-js (phrases first, so
 * 头发 → 頭髮 and 后天 → 後天, then characters and the region's variants). A script conversion, not
 * a translation: a title known in Taiwan by another name (盗梦空间, there 全面啟動) shows that name
 * only where the catalog or a page carries it. Converted names are added under zh-Hant, after any
 * the title has, and never replace one.
 */
export type HantVariant = 'tw' | 'hk';

/** The Traditional variant a UI language reads (Hong Kong and Macau: hk; Taiwan and plain Hant: tw), if any. */
export function hantVariantOf(uiLanguage: string): HantVariant | undefined {
  const tag = uiLanguage.toLowerCase().replace('_', '-');
  if (!tag.startsWith('zh') || !isTraditional(tag)) return undefined;
  return /-(hk|mo)\b/.test(tag) ? 'hk' : 'tw';
}

const converters = new Map<HantVariant, (text: string) => string>();

/** The converter of a variant, built on first use (about 150 ms, once per worker). */
function converter(variant: HantVariant): (text: string) => string {
  let convert = converters.get(variant);
  if (!convert) {
    convert = OpenCC.Converter({ from: 'cn', to: variant });
    converters.set(variant, convert);
  }
  return convert;
}

/** One Simplified text in the variant's Traditional script. */
export function toTraditional(text: string, variant: HantVariant): string {
  return converter(variant)(text);
}

const drafted = { tw: new WeakMap<object, object>(), hk: new WeakMap<object, object>() };

const filled = (text: string | undefined): text is string => text !== undefined && text.trim() !== '';

/**
 * The title with what it has only in Simplified drafted in Traditional: zh-Hant names from its
 * zh-Hans ones when it has no zh-Hant name, and a zh-Hant synopsis from a zh-Hans one likewise; the
 * same object when there is nothing to draft (by title object, converted once).
 */
export function withTraditionalText<T extends { titles: LocalizedTitles; synopsis?: Synopsis }>(title: T, variant: HantVariant): T {
  const simplified = title.titles['zh-Hans'] ?? [];
  const names = !(title.titles['zh-Hant'] ?? []).some(filled) && simplified.some(filled);
  const synopsis = filled(title.synopsis?.['zh-Hans']) && !filled(title.synopsis?.['zh-Hant']);
  if (!names && !synopsis) return title;
  const cache = drafted[variant];
  let out = cache.get(title) as T | undefined;
  if (!out) {
    out = { ...title };
    if (names) out.titles = { ...title.titles, 'zh-Hant': [...new Set(simplified.map((name) => toTraditional(name, variant)))] };
    if (synopsis) out.synopsis = { ...title.synopsis, 'zh-Hant': toTraditional(title.synopsis?.['zh-Hans'] as string, variant) };
    cache.set(title, out);
  }
  return out;
}

/** The title as a reader of this UI language reads it: with Traditional names and synopsis for a Traditional reader, else as it is. */
export function inReaderScript<T extends { titles: LocalizedTitles; synopsis?: Synopsis }>(title: T, uiLanguage: string): T {
  const variant = hantVariantOf(uiLanguage);
  return variant ? withTraditionalText(title, variant) : title;
}
