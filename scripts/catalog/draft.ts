/** A title while the default catalog is being built, and the helpers every source's reader uses. */
import type { GenreId } from '../../src/shared/catalog/genres.ts';
import type { TitleKind } from '../../src/shared/catalog/types.ts';

export type NameLang = 'zh-Hans' | 'zh-Hant' | 'en' | 'ja' | 'original';

/** What the sources show about a title that says how widely it is known (docs/catalog-format.md, "Popularity prior"). */
export interface Evidence {
  /** bangumi-data: streaming platforms that carry it. */
  bangumiSites: number;
  /** bangumi-data: it has an English / a traditional-Chinese translation. */
  bangumiEn: boolean;
  bangumiHant: boolean;
  /** CGroup: Chinese-speaking regions with their own title (cn, tw, hk, sg, my, mo). */
  cgroupRegions: number;
  /** CGroup: distinct Chinese titles across regions (more titles: more releases, more talk). */
  cgroupNames: number;
  /** Wikipedia: length of the lead extract, when it is about this film. */
  extractLength: number;
  /** Wikipedia: the film is the primary topic of its name (article without a "(film)" qualifier). */
  primaryTopic: boolean;
  /** Wikipedia: the article has a poster (never shipped). */
  hasPoster: boolean;
  /** Wikipedia: other films' extracts that name it. */
  mentions: number;
}

/** A title while it is being built: names as ordered sets, so merges keep the first spelling first. */
export interface Draft {
  id: string;
  kind: TitleKind;
  names: Record<NameLang, Set<string>>;
  aliases: Set<string>;
  year?: number;
  genres: Set<GenreId>;
  /** Billing order. */
  cast: string[];
  directors: string[];
  synopsisEn?: string;
  externalIds: Map<string, Set<string>>;
  watch: { platform: string; id?: string; url?: string }[];
  evidence: Evidence;
  sources: Set<string>;
}

/** An empty draft. */
export function draft(id: string, kind: TitleKind): Draft {
  return {
    id,
    kind,
    names: { 'zh-Hans': new Set(), 'zh-Hant': new Set(), en: new Set(), ja: new Set(), original: new Set() },
    aliases: new Set(),
    genres: new Set(),
    cast: [],
    directors: [],
    externalIds: new Map(),
    watch: [],
    evidence: {
      bangumiSites: 0,
      bangumiEn: false,
      bangumiHant: false,
      cgroupRegions: 0,
      cgroupNames: 0,
      extractLength: 0,
      primaryTopic: false,
      hasPoster: false,
      mentions: 0,
    },
    sources: new Set(),
  };
}

/** Adds an external id of `kind` to a draft. */
export function addId(d: Draft, kind: string, value: string): void {
  const set = d.externalIds.get(kind) ?? new Set<string>();
  set.add(value);
  d.externalIds.set(kind, set);
}

/** Whitespace collapsed and trimmed. */
export const clean = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Adds one to a named counter of the build's stats. */
export function count(stats: Record<string, number>, key: string, by = 1): void {
  stats[key] = (stats[key] ?? 0) + by;
}
