/**
 * The catalog's records as stored in IndexedDB and used by the linker and the model. The file
 * format that carries them (with shared platform templates and defaults) is in schema.ts and
 * docs/catalog-format.md; `parseCatalog` turns a file into these records.
 */
export type TitleKind = 'film' | 'series' | 'anime-series' | 'anime-film' | 'variety' | 'documentary' | 'special' | 'other';

/** Language/region tags a title can be given in. */
export const TITLE_LANGS = ['zh-Hans', 'zh-Hant', 'en', 'ja', 'original'] as const;
export type TitleLang = (typeof TITLE_LANGS)[number];

/** Titles per language/region tag: zh-Hans, zh-Hant, en, ja, original. The first of each is the display name. */
export type LocalizedTitles = Partial<Record<TitleLang, string[]>>;

/** Kinds of external id a title can carry; the linker matches ids found in posts against them. */
export const EXTERNAL_ID_KINDS = [
  'tmdb',
  'imdb',
  'douban',
  'bilibili-season',
  'bilibili-media',
  'bilibili-bv',
  'bangumi',
  'mal',
  'youtube',
  'wikipedia-en',
] as const;
export type ExternalIdKind = (typeof EXTERNAL_ID_KINDS)[number];

/** A one-sentence synopsis per language. */
export type Synopsis = Partial<Record<'en' | 'zh-Hans' | 'zh-Hant', string>>;

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
  /** Genre ids of the vocabulary in genres.ts where the catalog's words map to one; other words as written. */
  genres: string[];
  /** Everyone credited, most prominent first (cast in billing order, then directors). */
  people: string[];
  /** Directors, where a source names them (also in `people`). */
  directors?: string[];
  /** One sentence about the title, per language. */
  synopsis?: Synopsis;
  /**
   * Ids on other services. tmdb ids keep their type prefix (`movie/27205`, `tv/1399`);
   * wikipedia-en ids are article titles as in the URL path, decoded (`Star_Wars_(film)`).
   */
  externalIds: Partial<Record<ExternalIdKind, string[]>>;
  watch: WatchLink[];
  /** 0..1 prior from the catalog publisher. */
  popularity: number;
  /** False for a title learned on this device (catalog/learned.ts): no publisher ranked it, so its popularity is unknown. */
  popularityKnown?: false;
  /** Optional collaborative item vector, all of one length within a catalog. */
  vector?: number[];
  /**
   * The title's row of a low-rank item-item model (EASEᴿ, docs/catalog-format.md), all vectors of one
   * length: score(user, title) = scale · vector·Σ vectors of the user's titles. Decoded on load
   * (a file may hold int8 codes and a step).
   */
  itemItem?: { scale: number; vector: number[] };
  /** Social accounts of the title itself (e.g. `x:StrangerThings`, `weibo:进击的巨人`); a post by one supports a link. */
  accounts?: string[];
  /**
   * Its names that are also ordinary words, people, places, companies or idioms (英雄, Up, 迪士尼),
   * decided from word lists when the catalog is built: the linker links them only with strong
   * support, and a hashtag of one is a topic before it is a title.
   */
  commonNames?: string[];
  /** Its names that are phrases of everyday words (爱情故事, 流浪地球): linked from running text only with support. */
  phraseNames?: string[];
}

export interface Attribution {
  /** The line to show in the About section and README. */
  text: string;
  licence: string;
  url: string;
}

export interface CatalogMeta {
  /** Catalog format version. */
  format: number;
  /** The publisher's version string of this catalog. */
  version: string;
  source: 'default' | 'imported' | 'remote';
  attributions: Attribution[];
  titleCount: number;
  installedAt: number;
  /** sha256 (hex) of the catalog file text as installed. */
  sha256?: string;
}

/** A whole catalog, parsed and expanded: what gets stored. */
export interface Catalog {
  format: number;
  version: string;
  name?: string;
  generatedAt?: string;
  attributions: Attribution[];
  titles: CatalogTitle[];
}
