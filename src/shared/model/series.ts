import type { CatalogTitle, TitleLang } from '../catalog/types.ts';

/**
 * Which franchise a title belongs to, from its display names alone: "Star Trek II: The Wrath of
 * Khan", "Star Trek: Voyager" and 星际迷航：暗黑无界 all say "Star Trek"; 进击的巨人 第二季 and
 * 剧场版 进击的巨人 say 进击的巨人. The popup's list uses it so one franchise does not fill the cards
 * (issue 15: three Star Trek titles in a row). It errs towards no key: a name without a subtitle
 * separator keeps its whole name, and a key that is only digits or too short is no key.
 *
 * Reasons use the stricter `sameSeriesName` (reasons.ts): a reason claims "another part of a series
 * you liked" only when one name starts with the other; here two Star Trek series with different
 * subtitles should still not both take a card.
 */

/** Names read: the display name of each language (aliases would merge unrelated titles). */
const LANGS: readonly TitleLang[] = ['en', 'zh-Hans', 'zh-Hant', 'original'];
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/;
/** A subtitle starts after a colon, a dash set off by spaces, or a tilde; CJK names also after a space. */
const LATIN_SUBTITLE = /\s*(?::|：|\s[-–—]\s|～|~)/;
const CJK_SUBTITLE = /\s*(?::|：|\s|～|~|「|『|《)/;
/** Words before the name that say what kind of release it is, not which franchise. */
const LEADING = /^(?:劇場版|剧场版|电影版|電影版|映画|movie\s)\s*/i;
/** Endings that number an instalment: "II", "2", "Season 2", "第二季", "Part.2", "OVA", "(2019)". */
const INSTALMENT = [
  String.raw`\((?:19|20)\d\d\)`,
  String.raw`season\s*\d+`,
  String.raw`part\.?\s*\d+`,
  '第[\\d一二三四五六七八九十]+[季部期章]',
  String.raw`(?:the\s)?final\s+season`,
  'o[av]d',
  'ova',
  'the movie',
  String.raw`\d+`,
  '[ivx]+',
];
const TRAILING = new RegExp(`(?:\\s*(?:${INSTALMENT.join('|')}))+$`, 'i');

function keyOf(name: string): string | undefined {
  // 劇場版「進擊的巨人」完結篇: the name in brackets is the franchise.
  const bare = name
    .normalize('NFKC')
    .trim()
    .replace(LEADING, '')
    .replace(/^[「『《]([^」』》]+)[」』》]/, '$1 ');
  const cjk = CJK.test(bare);
  let head = bare.split(cjk ? CJK_SUBTITLE : LATIN_SUBTITLE)[0] ?? '';
  // A roman numeral is read as one only after a space or where the name is CJK (星际旅行II).
  head = head.replace(TRAILING, (match) => (/^[ivx]+$/i.test(match) && !cjk && !/\s$/.test(head.slice(0, -match.length)) ? match : ''));
  const key = head.trim().toLowerCase().replace(/\s+/g, ' ');
  const letters = key.replace(/[\d\s\p{P}\p{S}]/gu, '');
  return letters.length >= (cjk ? 2 : 3) ? key : undefined;
}

/** Keys by title object: the same titles head the ranking after every retrain. */
const cache = new WeakMap<object, string[]>();

/** The franchise keys of a title: one per script its display names are in, without repeats. */
export function seriesKeys(title: Pick<CatalogTitle, 'titles'>): string[] {
  const cached = cache.get(title);
  if (cached) return cached;
  const keys = new Set<string>();
  for (const lang of LANGS) {
    const name = title.titles[lang]?.[0];
    const key = name ? keyOf(name) : undefined;
    if (key) keys.add(key);
  }
  const found = [...keys];
  cache.set(title, found);
  return found;
}
