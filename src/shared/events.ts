import * as v from 'valibot';
import { ACTION_KINDS } from './actions.ts';
import { SITE_IDS, SITE_ITEM_ID_KINDS } from './sites.ts';
import { cutText } from './text.ts';

export { ACTION_KINDS, type ActionKind } from './actions.ts';

/** Longest post text kept, in UTF-16 code units; longer text is cut and ends with TRUNCATION_MARK. */
export const MAX_TEXT_LENGTH = 4000;
/** Appended to text cut at MAX_TEXT_LENGTH, so the cut is visible in the data viewer and export. */
export const TRUNCATION_MARK = '…[truncated]';

const shortText = v.pipe(v.string(), v.maxLength(2048));

/** Ids a site gives its own items, which the catalog can link directly. */
const SiteItemIdSchema = v.object({
  kind: v.picklist(SITE_ITEM_ID_KINDS),
  value: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
});

const factName = v.pipe(v.string(), v.minLength(1), v.maxLength(256));
const factNames = (max: number) => v.pipe(v.array(factName), v.maxLength(max));

/**
 * What a subject page says of the title it is about (Douban's info block and RDFa; the related
 * list 喜欢这部电影的人也喜欢). Facts the page shows, read as fields: a field the page lacks is
 * absent, never guessed. They teach the device a title its catalog lacks (background/local-titles.ts).
 */
export const SubjectFactsSchema = v.strictObject({
  /** The page's own names of the title, display name first (盗梦空间, Inception). */
  names: v.optional(factNames(8)),
  /** 又名, with the region marker where the page gives one: 潜行凶间(港) → { name: 潜行凶间, region: 港 }. */
  aliases: v.optional(
    v.pipe(v.array(v.strictObject({ name: factName, region: v.optional(v.pipe(v.string(), v.maxLength(16))) })), v.maxLength(32)),
  ),
  year: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1870), v.maxValue(2200))),
  /** film or series, from what the page shows (集数 or 在看 mean a series). */
  kind: v.optional(v.picklist(['film', 'series'])),
  /** The page's genre words as it shows them (剧情, 科幻): shared/catalog/genres.ts maps them. */
  genres: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(32))), v.maxLength(16))),
  directors: v.optional(factNames(8)),
  /** The first few of the cast, in the page's order. */
  cast: v.optional(factNames(8)),
  regions: v.optional(factNames(8)),
  languages: v.optional(factNames(8)),
  episodes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000))),
  /** tt followed by digits. */
  imdb: v.optional(v.pipe(v.string(), v.regex(/^tt\d{5,10}$/))),
  /** The page's "people who liked this also like" list: the site's subject ids and names, in its order. */
  related: v.optional(v.pipe(v.array(v.strictObject({ id: v.pipe(v.string(), v.regex(/^\d{1,12}$/)), name: factName })), v.maxLength(20))),
});
export type SubjectFacts = v.InferOutput<typeof SubjectFactsSchema>;

/** The event a content script sends: what the post was about, never who the user is. */
export const CapturedEventSchema = v.strictObject({
  site: v.picklist(SITE_IDS),
  action: v.picklist(ACTION_KINDS),
  /** Milliseconds since the epoch, when the user acted. */
  at: v.pipe(v.number(), v.integer(), v.minValue(0)),
  target: v.strictObject({
    /** The site's id for the post, video or subject acted on. */
    id: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
    url: v.pipe(v.string(), v.url(), v.maxLength(2048)),
    text: v.pipe(v.string(), v.maxLength(MAX_TEXT_LENGTH + TRUNCATION_MARK.length)),
    title: v.optional(v.pipe(v.string(), v.maxLength(1024))),
    hashtags: v.pipe(v.array(shortText), v.maxLength(64)),
    links: v.pipe(v.array(v.pipe(v.string(), v.maxLength(2048))), v.maxLength(64)),
    author: v.optional(v.pipe(v.string(), v.maxLength(256))),
    itemIds: v.pipe(v.array(SiteItemIdSchema), v.maxLength(16)),
    lang: v.optional(v.pipe(v.string(), v.maxLength(35))),
    /** What a subject page (Douban) says of its title, as structured fields: never hashtags, never linked as names. */
    facts: v.optional(SubjectFactsSchema),
  }),
  /** The comment the user wrote, for comment, quote and review actions. */
  userText: v.optional(v.pipe(v.string(), v.maxLength(MAX_TEXT_LENGTH + TRUNCATION_MARK.length))),
  /** Douban star rating, 1 to 5. */
  rating: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5))),
});

export type CapturedEvent = v.InferOutput<typeof CapturedEventSchema>;
export type SiteItemId = v.InferOutput<typeof SiteItemIdSchema>;

/** A retraction: the user undid an action (unlike, remove vote, cancel repost). */
export const RetractionSchema = v.strictObject({
  site: v.picklist(SITE_IDS),
  action: v.picklist(ACTION_KINDS),
  targetId: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
  at: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type Retraction = v.InferOutput<typeof RetractionSchema>;

/** Where a link's evidence was: an id, a hashtag, 《》 or quotes, the page's subject, the text, or the user. */
export const LINK_VIAS = ['id', 'hashtag', 'quote', 'subject', 'text', 'user'] as const;
export type LinkVia = (typeof LINK_VIAS)[number];

/** A link from an event to a catalog title, made by the linker or by the user's correction. */
export interface TitleLink {
  titleId: string;
  /** 0..1; below CONFIDENT_LINK a link is a "maybe" for the user to confirm. */
  confidence: number;
  /** Why the link was made, e.g. "douban subject id", "《三体》 in text". */
  reason: string;
  source: 'linker' | 'user';
  /** Where its evidence was (links stored before this field have none). */
  via?: LinkVia | undefined;
}

/** Links below this confidence are "maybe" links: shown for the user to confirm, never learned from. */
export const CONFIDENT_LINK = 0.7;

/** The links of an event that learning and reasons use: the user's own, and the linker's confident ones, minus removed titles. */
export function confidentLinks(event: Pick<StoredEvent, 'links' | 'removedTitleIds'>): TitleLink[] {
  const removed = new Set(event.removedTitleIds);
  return event.links.filter((link) => !removed.has(link.titleId) && (link.source === 'user' || link.confidence >= CONFIDENT_LINK));
}

/** An event as stored: one per site, action and target (the same action twice is stored once). */
export interface StoredEvent extends CapturedEvent {
  /** `${site}:${action}:${target.id}` */
  id: string;
  receivedAt: number;
  links: TitleLink[];
  /** Title ids the user removed from this event; they win over the linker. */
  removedTitleIds: string[];
}

/** The key an event is stored under: the same action on the same target maps to one record. */
export function eventKey(site: string, action: string, targetId: string): string {
  return `${site}:${action}:${targetId}`;
}

/** Cuts text to MAX_TEXT_LENGTH, marking the cut; never splits a surrogate pair. */
export function truncateText(text: string, max: number = MAX_TEXT_LENGTH): string {
  return text.length <= max ? text : cutText(text, max) + TRUNCATION_MARK;
}
