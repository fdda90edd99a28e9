/** bangumi-data (../shared/data/catalog-bangumi-data, CC BY 4.0): anime series, films and OVAs. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CatalogFile } from '../../src/shared/catalog/schema.ts';
import type { TitleKind } from '../../src/shared/catalog/types.ts';
import { addId, clean, count, draft, type Draft } from './draft.ts';

/** bangumi-data's dist/data.json, as copied into ../shared/data. */
export const BANGUMI = '../shared/data/catalog-bangumi-data/data.json';

interface BangumiItem {
  title: string;
  titleTranslate: Partial<Record<'zh-Hans' | 'zh-Hant' | 'en' | 'ja', string[]>>;
  type: 'tv' | 'web' | 'movie' | 'ova';
  /** When the last episode aired; the same day as `begin` for a one-off. */
  end?: string;
  lang: string;
  begin: string;
  sites: { site: string; id?: string; url?: string }[];
}
interface SiteMeta {
  title: string;
  urlTemplate: string;
  regions?: string[];
  type: 'info' | 'onair' | 'resource';
}

const ANIME_KIND: Record<BangumiItem['type'], TitleKind> = { tv: 'anime-series', web: 'anime-series', movie: 'anime-film', ova: 'special' };

/**
 * Every bangumi-data item as a draft, and the watch platforms (sites whose siteMeta type is "onair";
 * info and torrent sites are not watch links).
 */
export function bangumiTitles(stats: Record<string, number>): { drafts: Draft[]; platforms: NonNullable<CatalogFile['platforms']> } {
  const data = JSON.parse(readFileSync(BANGUMI, 'utf8')) as { siteMeta: Record<string, SiteMeta>; items: BangumiItem[] };
  const platforms: NonNullable<CatalogFile['platforms']> = {};
  for (const [key, meta] of Object.entries(data.siteMeta)) {
    if (meta.type !== 'onair') continue;
    platforms[key] = {
      name: meta.title,
      url: meta.urlTemplate.replace('{{id}}', '{id}').replace(/^http:/, 'https:'),
      regions: meta.regions ?? [],
    };
  }
  const byId = new Map<string, Draft>();
  const drafts: Draft[] = [];
  for (const item of data.items) {
    const bangumiId = item.sites.find((s) => s.site === 'bangumi')?.id;
    const hash = createHash('sha1').update(`${item.title}|${item.begin}`).digest('hex').slice(0, 10);
    const id = bangumiId ? `bgm:${bangumiId}` : `bgd:${hash}`;
    const existing = byId.get(id);
    if (existing) count(stats, 'bangumi-data items merged (same bangumi id, or same title and start)');
    // A "tv" or "web" item that began and ended on one day is a one-off (a music video, a single short), not a series.
    const oneOff =
      (item.type === 'tv' || item.type === 'web') && item.end !== undefined && item.end.slice(0, 10) === item.begin.slice(0, 10);
    const d = existing ?? draft(id, oneOff ? 'special' : ANIME_KIND[item.type]);
    if (!existing) {
      drafts.push(d);
      byId.set(id, d);
    }
    d.sources.add('bangumi-data');
    d.genres.add('anime');
    // The original title goes under `original` only; copying it to `ja` as well would add 400 kB.
    d.names.original.add(clean(item.title));
    for (const lang of ['zh-Hans', 'zh-Hant', 'en', 'ja'] as const)
      for (const t of item.titleTranslate[lang] ?? []) d.names[lang].add(clean(t));
    const year = Number.parseInt(item.begin.slice(0, 4), 10);
    if (year >= 1870 && d.year === undefined) d.year = year;
    const onair = new Set<string>();
    for (const site of item.sites) {
      if (!site.id && !site.url) continue;
      if (site.site === 'tmdb' && site.id) addId(d, 'tmdb', site.id);
      else if (site.site === 'bangumi' && site.id) addId(d, 'bangumi', site.id);
      else if (site.site === 'mal' && site.id) addId(d, 'mal', site.id);
      if (site.site.startsWith('bilibili') && site.id) addId(d, 'bilibili-media', site.id);
      if (!platforms[site.site]) continue;
      onair.add(site.site);
      const link: Draft['watch'][number] = { platform: site.site };
      if (site.id) link.id = site.id;
      if (site.url)
        link.url = site.url
          .replace(/^http:/, 'https:')
          .replaceAll('{', '%7B')
          .replaceAll('}', '%7D');
      if (!d.watch.some((w) => w.platform === link.platform && w.id === link.id && w.url === link.url)) d.watch.push(link);
    }
    d.evidence.bangumiSites = Math.max(d.evidence.bangumiSites, onair.size);
    d.evidence.bangumiEn ||= !!item.titleTranslate.en;
    d.evidence.bangumiHant ||= !!item.titleTranslate['zh-Hant'];
  }
  return { drafts, platforms };
}
