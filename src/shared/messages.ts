import * as v from 'valibot';
import type { CatalogMeta, CatalogTitle } from './catalog/types.ts';
import type { StorageNotice } from './db/quota.ts';
import type { Feedback, SiteHealth } from './db/schema.ts';

export type { SiteHealth, StorageNotice };
// The envelope and its errors live apart from the schemas, so pages can send without loading valibot.
export { MessageError, isEnvelope, type ErrorCode, type Reply } from './message-envelope.ts';
import { CapturedEventSchema, RetractionSchema, type StoredEvent } from './events.ts';
import { ExportSchema, type ExportFile } from './export-format.ts';
import { SettingsSchema, type Settings } from './settings.ts';
import { SITE_IDS, type SiteId } from './sites.ts';
import { HEALTH_ELEMENTS, PAGE_KIND } from './health.ts';
import { envelope as anyEnvelope, type Envelope as AnyEnvelope, type Reply } from './message-envelope.ts';
import type { InsightsResponse, TasteView } from './insights.ts';
import type { SuggestionsResponse } from './suggestions.ts';

const titleIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
/** Largest catalog file accepted by import, in UTF-16 units (the default catalog is about 6 MB). */
export const MAX_CATALOG_TEXT = 60_000_000;

/**
 * The one message protocol: each message type names its request schema (validated by the
 * background before anything is stored) and its response type. Names say the direction.
 */
export const REQUEST_SCHEMAS = {
  /** A content script started on a supported site; answers whether to capture there. */
  'content:hello': v.strictObject({ site: v.picklist(SITE_IDS) }),
  /** A content script counts a selector that found nothing (site health). */
  'content:selector-miss': v.strictObject({
    site: v.picklist(SITE_IDS),
    selector: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  }),
  /** A content script checked a settled page for the elements capture needs there (site health). */
  'content:page-check': v.strictObject({
    site: v.picklist(SITE_IDS),
    page: v.pipe(v.string(), v.regex(PAGE_KIND)),
    missing: v.pipe(v.array(v.picklist(HEALTH_ELEMENTS)), v.maxLength(HEALTH_ELEMENTS.length)),
  }),
  'capture:event': CapturedEventSchema,
  'capture:retract': RetractionSchema,
  'settings:get': v.strictObject({}),
  'settings:set': SettingsSchema,
  'data:list-events': v.strictObject({
    query: v.optional(v.pipe(v.string(), v.maxLength(256))),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))),
    /** How many of the newest matches to skip (the viewer's next page). */
    offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  }),
  'data:delete-event': v.strictObject({ id: v.pipe(v.string(), v.minLength(1), v.maxLength(600)) }),
  'data:delete-all': v.strictObject({ confirm: v.literal(true) }),
  /** How many captures Reelflow keeps from one site (stored and waiting for room): what turning it off offers to delete. */
  'data:site-count': v.strictObject({ site: v.picklist(SITE_IDS) }),
  /** Deletes every capture from one site, stored or waiting, and its health record. */
  'data:delete-site': v.strictObject({ site: v.picklist(SITE_IDS), confirm: v.literal(true) }),
  'data:status': v.strictObject({}),
  /** The popup's list: top suggestions from the cached ranking. */
  'popup:suggestions': v.strictObject({ limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50))) }),
  /** Snooze all suggestions for some days (1 to 30), or end a snooze (0). */
  'popup:snooze': v.strictObject({ days: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(30)) }),
  /** Suggestions the popup showed, in order (impressions). */
  'popup:impressions': v.strictObject({
    items: v.pipe(
      v.array(
        v.strictObject({
          titleId: titleIdSchema,
          rank: v.pipe(v.number(), v.integer(), v.minValue(0)),
          strategy: v.pipe(v.string(), v.maxLength(64)),
        }),
      ),
      v.maxLength(50),
    ),
  }),
  /** Interested / not interested / seen it / a watch-link click. */
  'feedback:add': v.strictObject({
    titleId: titleIdSchema,
    kind: v.picklist(['interested', 'not-interested', 'seen', 'click']),
    platform: v.optional(v.pipe(v.string(), v.maxLength(64))),
  }),
  'feedback:undo': v.strictObject({ id: v.pipe(v.number(), v.integer(), v.minValue(1)) }),
  'feedback:list': v.strictObject({}),
  /** The model's state for the options page. */
  'model:status': v.strictObject({}),
  /** Retrain now (options page), answering with the new state and the wall time. */
  'model:retrain': v.strictObject({}),
  /** The insights page: funnel, metric history, A/B status. */
  'insights:get': v.strictObject({}),
  /** The taste profile: what the model leans on, with the events behind each, and what the user took out. */
  'insights:taste': v.strictObject({}),
  /** A few catalog titles matching the query (all title languages and aliases); popular ones when empty. */
  'catalog:search': v.strictObject({
    query: v.pipe(v.string(), v.maxLength(256)),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50))),
    /** The UI language (BCP 47): an empty query then offers the titles most recognisable in it. */
    lang: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}$/))),
  }),
  /** Catalog titles by id (the options page names the titles events are linked to). */
  'catalog:titles': v.strictObject({ ids: v.pipe(v.array(titleIdSchema), v.maxLength(2000)) }),
  /** Every platform the catalog has watch links for. */
  'catalog:platforms': v.strictObject({}),
  /** The titles this device learned from pages (Your data): local titles, and catalog titles pages enriched. */
  'catalog:learned': v.strictObject({}),
  /** Events by id (the popup's "why" disclosure). */
  'data:get-events': v.strictObject({ ids: v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(600))), v.maxLength(200)) }),
  /** First run: titles the user likes become 'interested' feedback, and onboarding is done. */
  'feedback:picks': v.strictObject({ titleIds: v.pipe(v.array(titleIdSchema), v.maxLength(50)) }),
  /** Everything of the user's, in the documented export format (docs/export-format.md). */
  'data:export': v.strictObject({}),
  /** An export file, put back exactly (records replace those with the same key). */
  'data:import': ExportSchema,
  /** A catalog file's text from the options page; validated, switched in atomically, every event re-linked. */
  'catalog:import': v.strictObject({ text: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_CATALOG_TEXT)) }),
  /** The stored catalog's meta and title count (the options page's About section). */
  'catalog:status': v.strictObject({}),
  /** The user's correction of an event's links: add a title, remove one, or both; wins over the linker. */
  'linking:correct': v.pipe(
    v.strictObject({
      eventId: v.pipe(v.string(), v.minLength(1), v.maxLength(600)),
      add: v.optional(titleIdSchema),
      remove: v.optional(titleIdSchema),
    }),
    v.check((p) => p.add !== undefined || p.remove !== undefined, 'give a title id to add or to remove'),
  ),
} as const;

/** How long an install took in this worker, by phase (ms): validate the file, build the linker, write the titles. */
export interface InstallTimes {
  parseMs: number;
  linkerMs: number;
  writeMs: number;
  totalMs: number;
}

/** The stored catalog as the options page shows it. */
export interface CatalogStatus {
  meta?: CatalogMeta;
  titleCount: number;
  /** The last install this worker ran, if any (the install bench reads it). */
  lastInstall?: InstallTimes;
}

export interface DataStatus {
  eventCount: number;
  paused: boolean;
  enabledSites: SiteId[];
  /** Writes that failed and were reported, since the background started. */
  writeFailures: number;
  lastWriteError?: string;
  health: SiteHealth[];
  /** Set once a capture was refused for want of space: what waits and what was done to make room. */
  storage?: StorageNotice;
}

/** What each message type answers with. */
export interface ResponseMap {
  'content:hello': { capture: boolean; actions: string[] };
  'content:selector-miss': { counted: true };
  'content:page-check': { counted: true };
  'capture:event': { stored: boolean; id: string; reason?: string };
  'capture:retract': { removed: boolean };
  'settings:get': Settings;
  'settings:set': Settings;
  /** One page of the matching events, newest first, and how many match in all. */
  'data:list-events': { events: StoredEvent[]; total: number };
  'data:delete-event': { deleted: boolean };
  'data:delete-all': { deleted: true };
  'data:site-count': { events: number };
  'data:delete-site': { deleted: number };
  'data:status': DataStatus;
  'popup:suggestions': SuggestionsResponse;
  'popup:impressions': { recorded: number };
  'popup:snooze': { snoozedUntil?: number };
  'feedback:add': { id: number };
  'feedback:undo': { undone: boolean };
  'feedback:list': Feedback[];
  'insights:get': InsightsResponse;
  'insights:taste': TasteView;
  'model:status': ModelStatus;
  'model:retrain': ModelStatus;
  'catalog:search': CatalogTitle[];
  'catalog:titles': CatalogTitle[];
  /** Every platform the catalog links to, with the regions its links serve (none: everywhere), by id. */
  'catalog:platforms': { platform: string; regions: string[] }[];
  'catalog:learned': LearnedTitleInfo[];
  'data:get-events': StoredEvent[];
  'feedback:picks': { added: number };
  'data:export': ExportFile;
  'data:import': { events: number; feedback: number; impressions: number };
  'catalog:import': { meta: CatalogMeta; relinked: number };
  'catalog:status': CatalogStatus;
  'linking:correct': StoredEvent;
}

/** A title as learned from pages, for Your data: what it is now, and the Douban subjects behind it. */
export interface LearnedTitleInfo {
  title: CatalogTitle;
  /** A title of this device only (the catalog lacks it); otherwise a catalog title the pages enriched. */
  local: boolean;
  subjects: {
    id: string;
    /** 'page': the user engaged on its page; 'related': only named in the also-liked list of the pages in `relatedOf`. */
    source: 'page' | 'related';
    relatedOf: string[];
    /** How it was matched to the catalog title, if it was. */
    matchedBy?: 'douban' | 'imdb' | 'name-year' | 'name';
  }[];
}

/** The model as the options page shows it. */
export interface ModelStatus {
  /** tfjs backend in use: wasm or cpu. */
  backend: string;
  /** False until a model was trained on the user's own data (cold start uses the prior). */
  trained: boolean;
  version?: number;
  trainedAt?: number;
  samples?: number;
  /** Wall time of the last retrain requested here, in ms. */
  lastTrainMs?: number;
  /** Feature weights, largest magnitude first. */
  features: { name: string; weight: number }[];
}

export type MessageType = keyof typeof REQUEST_SCHEMAS;
export type RequestOf<T extends MessageType> = v.InferInput<(typeof REQUEST_SCHEMAS)[T]>;
export type ResponseOf<T extends MessageType> = ResponseMap[T];

/** The envelope of one protocol message: its type and that type's payload. */
export type Envelope<T extends MessageType = MessageType> = AnyEnvelope<T, RequestOf<T>>;

/** Builds a protocol envelope, its payload typed by its message type. */
export const envelope: <T extends MessageType>(type: T, payload: RequestOf<T>) => Envelope<T> = anyEnvelope;

/** Validates an envelope's type and payload; returns the typed envelope or a reply explaining the error. */
export function parseEnvelope(message: {
  type: unknown;
  payload: unknown;
}): { ok: true; envelope: Envelope } | { ok: false; reply: Reply<never> } {
  const type = message.type;
  if (typeof type !== 'string' || !Object.hasOwn(REQUEST_SCHEMAS, type)) {
    return {
      ok: false,
      reply: { ok: false, error: { code: 'unknown-type', message: `unknown message type: ${String(type).slice(0, 64)}` } },
    };
  }
  const schema = REQUEST_SCHEMAS[type as MessageType];
  const result = v.safeParse(schema, message.payload);
  if (!result.success) {
    return { ok: false, reply: { ok: false, error: { code: 'invalid', message: `${type}: ${v.summarize(result.issues)}` } } };
  }
  return { ok: true, envelope: { reelflow: 1, type: type as MessageType, payload: result.output as RequestOf<MessageType> } };
}
