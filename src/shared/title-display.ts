import type { CatalogTitle, LocalizedTitles, WatchLink } from './catalog/types.ts';

export type TitleLanguage = keyof LocalizedTitles;

/** The order in which title languages are tried when the user's own is missing (the brief's fallback order). */
const FALLBACK: readonly TitleLanguage[] = ['zh-Hans', 'zh-Hant', 'en', 'ja', 'original'];

/** Chinese written in traditional characters: Taiwan, Hong Kong, Macau, or an explicit Hant script tag. */
export function isTraditional(tag: string): boolean {
  return /-(hant|tw|hk|mo)\b/.test(tag);
}

/** The title languages to try for a browser UI language (e.g. "zh-TW", "en-US", "ja"), best first. */
export function titleLanguageOrder(uiLanguage: string): TitleLanguage[] {
  const tag = uiLanguage.toLowerCase().replace('_', '-');
  let preferred: TitleLanguage[];
  if (tag.startsWith('zh')) preferred = isTraditional(tag) ? ['zh-Hant', 'zh-Hans'] : ['zh-Hans', 'zh-Hant'];
  else if (tag.startsWith('ja')) preferred = ['ja', 'original'];
  else preferred = ['en'];
  return [...preferred, ...FALLBACK.filter((lang) => !preferred.includes(lang))];
}

/** The name to show for a title, and its language (undefined for the original, whose language is not recorded). */
export function pickTitle(title: Pick<CatalogTitle, 'id' | 'titles' | 'aliases'>, uiLanguage: string): { text: string; lang?: string } {
  for (const lang of titleLanguageOrder(uiLanguage)) {
    const name = title.titles[lang]?.find((candidate) => candidate.trim() !== '');
    if (name) return lang === 'original' ? { text: name } : { text: name, lang };
  }
  return { text: title.aliases[0] ?? title.id };
}

/** The original title when it differs from the one shown, as a secondary line. */
export function originalTitle(title: Pick<CatalogTitle, 'titles'>, shown: string): string | undefined {
  const original = title.titles.original?.[0];
  return original && original !== shown ? original : undefined;
}

/** Fills a watch-link template's `{id}` (or bangumi-data's `{{id}}`); keeps `/` so ids that are paths still work. */
export function fillTemplate(template: string, id: string | undefined): string {
  const encoded = encodeURIComponent(id ?? '').replace(/%2F/gi, '/');
  return template.replace(/\{\{id\}\}|\{id\}/g, encoded);
}

/** Regions a search serves: a Chinese search on a mainland service is no use elsewhere (catalog bilibili searches say regions: []). */
const SEARCH_REGIONS: Record<string, readonly string[]> = {
  bilibili_search: ['CN', 'TW', 'HK', 'MO'],
  qq_search: ['CN'],
  iqiyi_search: ['CN'],
};

/** JustWatch's country paths (its own spelling: uk for GB), for the regions where it lists services. */
const JUSTWATCH_PATHS: Record<string, string> = Object.fromEntries(
  ['US', 'CA', 'AU', 'NZ', 'IE', 'DE', 'AT', 'CH', 'FR', 'BE', 'NL', 'IT', 'ES', 'PT', 'BR', 'MX', 'AR', 'JP', 'KR', 'TW', 'HK', 'SG', 'IN']
    .map((region) => [region, region.toLowerCase()])
    .concat([['GB', 'uk']]),
);

/**
 * Prime Video's store per region. Amazon keeps a catalog per country, so a title id of one store
 * (bangumi-data's Prime links are amazon.co.jp's) means nothing in another. (A search in the user's
 * own store was tried beside JustWatch's: a second button per card pushed the English popup to
 * under three cards a screen, so it waits for a compact secondary link style.)
 */
const PRIME_STORES: Record<string, string> = {
  US: 'www.amazon.com',
  GB: 'www.amazon.co.uk',
  DE: 'www.amazon.de',
  AT: 'www.amazon.de',
  JP: 'www.amazon.co.jp',
  CA: 'www.amazon.ca',
  AU: 'www.amazon.com.au',
  FR: 'www.amazon.fr',
  IT: 'www.amazon.it',
  ES: 'www.amazon.es',
  IN: 'www.amazon.in',
};

/** Stores of one country: a link there (with no regions of its own) is offered only in that country. */
const HOST_REGIONS: Record<string, readonly string[]> = Object.entries(PRIME_STORES).reduce<Record<string, string[]>>(
  (out, [region, host]) => ({ ...out, [host]: [...(out[host] ?? []), region] }),
  { 'www.amazon.com': ['US'] },
);

/**
 * Where a title can be looked for when no link says where it streams in the user's region: the
 * region's own services' searches (the mainland's in CN, bilibili's in CN/TW/HK/MO, JustWatch's
 * country listing elsewhere), for the name the card shows. They are searches and the popup says
 * so; nothing claims the title streams there.
 */
export function searchLinks(name: string): WatchLink[] {
  const links: WatchLink[] = [
    { platform: 'qq_search', regions: [], url: 'https://v.qq.com/x/search/?q={id}', id: name },
    { platform: 'iqiyi_search', regions: [], url: 'https://so.iqiyi.com/so/q_{id}', id: name },
    { platform: 'bilibili_search', regions: [], url: 'https://search.bilibili.com/all?keyword={id}', id: name },
  ];
  for (const [region, path] of Object.entries(JUSTWATCH_PATHS))
    links.push({ platform: 'justwatch_search', regions: [region], url: `https://www.justwatch.com/${path}/search?q={id}`, id: name });
  return links;
}

/** Pages about a title rather than services that stream it (a local title's Douban page): offered whatever platforms the user has. */
export const INFO_PLATFORMS: ReadonlySet<string> = new Set(['douban']);

/** A link that searches a service for the title (bilibili_search, justwatch_search): the service's id, or undefined. */
export function searchedPlatform(platform: string): string | undefined {
  return platform.endsWith('_search') ? platform.slice(0, -'_search'.length) : undefined;
}

export interface ResolvedWatchLink {
  platform: string;
  url: string;
}

/**
 * The links a card offers: the title's watch links for the region and platforms (watchLinksFor);
 * where none of them is a service that streams it, the region's searches for `name` follow.
 */
export function offeredLinks(
  watch: readonly WatchLink[],
  prefs: { platforms: readonly string[]; region: string },
  name: string,
): ResolvedWatchLink[] {
  const links = watchLinksFor(watch, prefs);
  if (links.some((link) => !INFO_PLATFORMS.has(link.platform) && searchedPlatform(link.platform) === undefined)) return links;
  const have = new Set(links.map((link) => link.platform));
  return [...links, ...watchLinksFor(searchLinks(name), prefs).filter((link) => !have.has(link.platform))];
}

/**
 * The watch links to offer: those that work in the user's region and, when the user has said
 * which platforms they have, only those. One link per platform; only http(s) URLs, so a damaged
 * catalog can never put a script URL in the popup.
 */
export function watchLinksFor(watch: readonly WatchLink[], prefs: { platforms: readonly string[]; region: string }): ResolvedWatchLink[] {
  const seen = new Set<string>();
  const links: ResolvedWatchLink[] = [];
  for (const link of watch) {
    if (seen.has(link.platform)) continue;
    if (link.regions.length > 0 && !link.regions.includes(prefs.region)) continue;
    // A search's regions are those its service serves (SEARCH_REGIONS), whatever the link says.
    const served = SEARCH_REGIONS[link.platform];
    if (served && !served.includes(prefs.region)) continue;
    if (prefs.platforms.length > 0 && !prefs.platforms.includes(link.platform) && !INFO_PLATFORMS.has(link.platform)) continue;
    if (link.url.includes('{') && link.id === undefined) continue;
    const url = fillTemplate(link.url, link.id);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      continue;
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') continue;
    // A link into one country's store is that country's, whatever regions (none) its source gave it.
    const hostRegions = link.regions.length === 0 ? HOST_REGIONS[parsed.hostname] : undefined;
    if (hostRegions && !hostRegions.includes(prefs.region)) continue;
    seen.add(link.platform);
    links.push({ platform: link.platform, url: parsed.href });
  }
  return links;
}

/** Brand names of common platforms, as the platforms write them; unknown ids are shown as they are. */
const PLATFORM_NAMES: Record<string, string> = {
  netflix: 'Netflix',
  'disney-plus': 'Disney+',
  disneyplus: 'Disney+',
  'prime-video': 'Prime Video',
  primevideo: 'Prime Video',
  'apple-tv': 'Apple TV+',
  hulu: 'Hulu',
  max: 'Max',
  youtube: 'YouTube',
  crunchyroll: 'Crunchyroll',
  bilibili: 'bilibili',
  bilibili_hk_mo_tw: 'bilibili (HK/MO/TW)',
  bilibili_hk_mo: 'bilibili (HK/MO)',
  bilibili_tw: 'bilibili (TW)',
  iqiyi: 'iQIYI',
  youku: 'Youku',
  qq: 'Tencent Video',
  'tencent-video': 'Tencent Video',
  mgtv: 'Mango TV',
  acfun: 'AcFun',
  nicovideo: 'Niconico',
  abema: 'ABEMA',
  gamer: 'Bahamut Anime Crazy',
  gamer_hk: 'Bahamut Anime Crazy (HK)',
  viu: 'Viu',
  douban: 'Douban',
  justwatch: 'JustWatch',
  // Platform ids of the default catalog (its `platforms` map), with their own names.
  prime: 'Prime Video',
  bilibili_search: 'Bilibili (search)',
  letv: 'LeTV',
  muse_hk: 'Muse HK',
  muse_tw: 'Muse TW',
  ani_one: 'Ani-One',
  ani_one_asia: 'Ani-One Asia',
  mytv: 'myTV SUPER',
  unext: 'U-NEXT',
  danime: 'd Anime Store',
  tropics: 'Tropics',
};

/**
 * A readable name for a platform id. Where a name differs by language (Chinese services, and
 * qualifiers such as "search" or a region), the locale has it as `platform_<id>` and `translate`
 * (browser.i18n through `t`) finds it; otherwise the brand name, or the id itself.
 */
export function platformLabel(platform: string, translate?: (key: string) => string): string {
  const key = `platform_${platform.replace(/[^A-Za-z0-9]/g, '_')}`;
  const localized = translate?.(key);
  return localized && localized !== key ? localized : (PLATFORM_NAMES[platform] ?? platform);
}

/** Leading articles a mark skips: "The Bear" is marked B. */
const ARTICLES = /^(?:the|a|an)\s+/i;

/**
 * A card's generated title mark (issue 15; never a remote image): the first letter or character of
 * the name shown, past articles and punctuation, and a hue from the title id, so a title looks the
 * same on every open and two titles rarely alike.
 */
export function titleMark(name: string, id: string): { initial: string; hue: number } {
  const bare = name.trim().replace(ARTICLES, '');
  const first = Array.from(bare).find((ch) => /[\p{L}\p{N}]/u.test(ch)) ?? Array.from(name.trim())[0] ?? '?';
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  // FNV's low bits barely move between ids one character apart: mixed (murmur3's finaliser) before the hue is taken.
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  hash = (hash ^ (hash >>> 16)) >>> 0;
  return { initial: first.toLocaleUpperCase(), hue: hash % 360 };
}
