/** The catalog's title record. The catalog issue owns the full format and its JSON schema. */
export type TitleKind = 'film' | 'series' | 'anime-series' | 'anime-film' | 'variety' | 'documentary' | 'special' | 'other';

/** Titles per language/region tag: zh-Hans, zh-Hant, en, ja, original. */
export type LocalizedTitles = Partial<Record<'zh-Hans' | 'zh-Hant' | 'en' | 'ja' | 'original', string[]>>;

export interface WatchLink {
  platform: string;
  /** ISO 3166 region codes where the link works; empty means everywhere. */
  regions: string[];
  /** URL template; `{id}` is replaced by `id`. Campaign parameters are part of the template. */
  url: string;
  id?: string;
}

export interface CatalogTitle {
  id: string;
  kind: TitleKind;
  titles: LocalizedTitles;
  aliases: string[];
  hashtags: string[];
  year?: number;
  genres: string[];
  people: string[];
  externalIds: Partial<Record<'tmdb' | 'imdb' | 'douban' | 'bilibili-season' | 'bilibili-media' | 'bangumi' | 'mal' | 'youtube', string[]>>;
  watch: WatchLink[];
  /** 0..1 prior from the catalog publisher. */
  popularity: number;
  /** Optional collaborative item vector, all of one length within a catalog. */
  vector?: number[];
}

export interface CatalogMeta {
  /** Catalog format version. */
  format: number;
  /** The publisher's version string of this catalog. */
  version: string;
  source: 'default' | 'imported' | 'remote';
  attributions: { text: string; licence: string; url: string }[];
  titleCount: number;
  installedAt: number;
}
