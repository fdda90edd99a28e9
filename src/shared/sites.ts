import type { ActionKind } from './actions.ts';
import type { ExternalIdKind, TitleKind } from './catalog/types.ts';

/** An id a site's pages give their items, and what it is in a catalog. */
export interface SiteItemIdSpec<Kind extends string = string> {
  kind: Kind;
  /** The catalog's external id kind it links to; none when no catalog carries it (a post's own id). */
  catalog?: ExternalIdKind;
  /** Prefix the site writes before the catalog's number (`ss12345` → `12345`). */
  prefix?: string;
  /** How a link's reason names it ("douban subject 3541415"). */
  label: string;
}

/**
 * Everything Reelflow knows about one site, in one record: the options list, the event schema's
 * picklists, the model's site features, the reasons' wording, the manifest's optional host
 * permissions (vite.config.ts) and the locale check all derive from it. A new site is one record
 * here, one adapter (src/content/sites/<id>.ts), its fixtures and its strings (`site_<id>`);
 * test/content/conformance.test.ts holds it to that.
 */
export interface SiteRecord<Id extends string = string, Kinds extends string = string> {
  id: Id;
  /** Host names it serves (https only); its optional host permissions are these. */
  hosts: readonly string[];
  /** The site's own name, as a reason written without the UI's messages shows it. */
  name: string;
  /** Actions it can capture, in the order its own interface shows them. */
  actions: readonly ActionKind[];
  /** Ids its pages carry for their items. */
  itemIds: readonly SiteItemIdSpec<Kinds>[];
  /** Its pages are each about one title (a Douban subject): an event's target title names that title, not a post. */
  subjectPages: boolean;
  /** The script its people mostly write in: a history mostly there shows titles in it first. */
  script: 'zh' | 'latin';
  /** A prior on what kinds its users engage with, used only through the user's own site mix; need not sum to 1. */
  kindPrior: Partial<Record<TitleKind, number>>;
}

/** Identity helper for type inference: keeps each record's literal id and item-id kinds. */
function defineSite<const Id extends string, const Kinds extends string>(record: SiteRecord<Id, Kinds>): SiteRecord<Id, Kinds> {
  return record;
}

/** The social sites Reelflow can capture from, in the order the options page lists them. */
export const SITES = [
  defineSite({
    id: 'x',
    hosts: ['x.com', 'twitter.com'],
    name: 'X',
    actions: ['like', 'comment', 'repost', 'quote', 'share', 'bookmark'],
    itemIds: [{ kind: 'x-status', label: 'x status' }],
    subjectPages: false,
    script: 'latin',
    kindPrior: { series: 0.7, film: 0.6, 'anime-series': 0.4 },
  }),
  defineSite({
    id: 'youtube',
    hosts: ['www.youtube.com'],
    name: 'YouTube',
    actions: ['like', 'comment', 'share'],
    itemIds: [{ kind: 'youtube-video', catalog: 'youtube', label: 'youtube video' }],
    subjectPages: false,
    script: 'latin',
    kindPrior: { film: 0.5, series: 0.5, documentary: 0.6, special: 0.5 },
  }),
  defineSite({
    id: 'reddit',
    hosts: ['www.reddit.com', 'old.reddit.com'],
    name: 'Reddit',
    actions: ['upvote', 'comment', 'share', 'crosspost'],
    itemIds: [{ kind: 'reddit-post', label: 'reddit post' }],
    subjectPages: false,
    script: 'latin',
    kindPrior: { series: 0.7, film: 0.7, 'anime-series': 0.5 },
  }),
  defineSite({
    id: 'weibo',
    hosts: ['weibo.com', 'm.weibo.cn'],
    name: 'Weibo',
    actions: ['like', 'comment', 'repost'],
    itemIds: [{ kind: 'weibo-status', label: 'weibo status' }],
    subjectPages: false,
    script: 'zh',
    kindPrior: { series: 0.7, variety: 0.8, film: 0.5 },
  }),
  defineSite({
    id: 'bilibili',
    hosts: ['www.bilibili.com', 't.bilibili.com'],
    name: 'Bilibili',
    actions: ['like', 'coin', 'bookmark', 'comment', 'share'],
    itemIds: [
      { kind: 'bilibili-bv', catalog: 'bilibili-bv', label: 'bilibili video' },
      { kind: 'bilibili-season', catalog: 'bilibili-season', prefix: 'ss', label: 'bilibili season' },
      { kind: 'bilibili-media', catalog: 'bilibili-media', prefix: 'md', label: 'bilibili media' },
    ],
    subjectPages: false,
    script: 'zh',
    kindPrior: { 'anime-series': 0.9, 'anime-film': 0.7, documentary: 0.4, variety: 0.4 },
  }),
  defineSite({
    id: 'douban',
    hosts: ['movie.douban.com', 'www.douban.com'],
    name: 'Douban',
    actions: ['wish', 'watching', 'watched', 'rating', 'review', 'recommend', 'helpful'],
    itemIds: [{ kind: 'douban-subject', catalog: 'douban', label: 'douban subject' }],
    subjectPages: true,
    script: 'zh',
    kindPrior: { film: 0.8, series: 0.8, documentary: 0.5, 'anime-film': 0.4 },
  }),
] as const;

export type SiteId = (typeof SITES)[number]['id'];
/** Kinds of id a site's pages give their items. */
export type SiteItemIdKind = (typeof SITES)[number]['itemIds'][number]['kind'];

export const SITE_IDS: readonly SiteId[] = SITES.map((site) => site.id);
export const SITE_ITEM_ID_KINDS: readonly SiteItemIdKind[] = SITES.flatMap((site): SiteItemIdKind[] =>
  site.itemIds.map((spec) => spec.kind),
);

const BY_ID = new Map<string, SiteRecord>(SITES.map((site) => [site.id, site]));

/** The record of a site. */
export function siteRecord(site: SiteId): SiteRecord {
  const record = BY_ID.get(site);
  if (!record) throw new Error(`no site ${site}`);
  return record;
}

/** The record of a site id read from storage or a file, or undefined for one Reelflow does not know. */
export function findSite(site: string): SiteRecord | undefined {
  return BY_ID.get(site);
}

/** The site a host name belongs to, or undefined for any other host. */
export function siteForHost(hostname: string): SiteId | undefined {
  const host = hostname.toLowerCase();
  return SITES.find((site) => site.hosts.includes(host))?.id;
}

/** Match patterns (https only) for one site, as used by host permissions. */
export function originPatterns(site: SiteId): string[] {
  return siteRecord(site).hosts.map((host) => `https://${host}/*`);
}

/** The spec of a site item id kind (its catalog kind and label), or undefined for an unknown kind. */
export function itemIdSpec(kind: string): SiteItemIdSpec | undefined {
  for (const site of SITES) for (const spec of site.itemIds) if (spec.kind === kind) return spec;
  return undefined;
}
