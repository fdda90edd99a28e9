import {
  MessageError,
  isEnvelope,
  parseEnvelope,
  type MessageType,
  type Reply,
  type RequestOf,
  type ResponseOf,
} from '../shared/messages.ts';
import { siteForHost, type SiteId } from '../shared/sites.ts';

/** Who sent a message, reduced to what the handlers check. */
export interface SenderInfo {
  /** True for the extension's own pages (popup, options); false for content scripts. */
  fromExtensionPage: boolean;
  /** Host of the tab a content script runs in. */
  tabHost?: string;
  /** The tab a content script runs in (for the per-tab rate limit). */
  tabId?: number;
  incognito: boolean;
}

/** The parts of a runtime.onMessage sender the router reads (webextension-polyfill's Runtime.MessageSender). */
export interface RawSender {
  id?: string;
  url?: string;
  tab?: { id?: number; url?: string; incognito: boolean };
}

/** This extension as a sender: its id, and the origin of its pages (`chrome-extension://<id>`, `moz-extension://<uuid>`). */
export interface Self {
  id: string;
  origin: string;
}

/** Scheme and host of a URL. Not URL.origin: that is "null" for schemes a URL parser does not know. */
function originOf(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/** A message's prefix: the part of its type before the colon. */
export type Prefix<T extends string = MessageType> = T extends `${infer P}:${string}` ? P : never;
/** The message types of some prefixes. */
export type TypesOf<P extends Prefix> = Extract<MessageType, `${P}:${string}`>;

export type Handler<T extends MessageType> = (payload: RequestOf<T>, sender: SenderInfo) => Promise<ResponseOf<T>>;
/** The handlers of exactly the message types of some prefixes: one file's share of the protocol. */
export type HandlerGroup<P extends Prefix> = { [T in TypesOf<P>]: Handler<T> };
export type Handlers = HandlerGroup<Prefix>;

/**
 * The file under src/background/handlers/ that handles each prefix: knowing a message's name tells
 * its file (test/background/conformance.test.ts holds the handlers to it).
 */
export const HANDLER_FILES = {
  content: 'capture',
  capture: 'capture',
  linking: 'linking',
  popup: 'suggestions',
  feedback: 'suggestions',
  data: 'data',
  settings: 'settings',
  catalog: 'catalog',
  model: 'model',
  insights: 'insights',
} as const satisfies Record<Prefix, string>;

/** The prefixes a content script may send; every other message is for the extension's own pages. */
export const CONTENT_SCRIPT_PREFIXES: readonly Prefix[] = ['content', 'capture'];

/** True when a content script may send this type of message. */
export function contentScriptMaySend(type: MessageType): boolean {
  return CONTENT_SCRIPT_PREFIXES.some((prefix) => type.startsWith(`${prefix}:`));
}

/**
 * What the router knows of a sender, or undefined for a sender that is not this extension (another
 * extension's message is not ours to answer). sender.url is the sending frame's URL, present for
 * content scripts and extension pages alike.
 */
export function senderInfo(sender: RawSender, self: Self): SenderInfo | undefined {
  if (sender.id !== self.id) return undefined;
  const url = parseUrl(sender.url ?? sender.tab?.url);
  const fromExtensionPage = url !== undefined && originOf(url) === self.origin;
  const info: SenderInfo = { fromExtensionPage, incognito: sender.tab?.incognito ?? false };
  if (!fromExtensionPage && url?.hostname) info.tabHost = url.hostname;
  if (!fromExtensionPage && sender.tab?.id !== undefined) info.tabId = sender.tab.id;
  return info;
}

function parseUrl(text: string | undefined): URL | undefined {
  if (text === undefined) return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/**
 * The private-window filter and the site check: a content script may speak only for the site of the
 * tab it runs in, and never from a private window. Returns why a sender is refused, or undefined.
 */
export function refuseContentSender(site: SiteId, sender: SenderInfo): string | undefined {
  if (sender.incognito) return 'private window';
  if (sender.fromExtensionPage) return undefined;
  if (!sender.tabHost || siteForHost(sender.tabHost) !== site) return `site ${site} does not match the sending tab`;
  return undefined;
}

/** Answers one raw message: validates it, checks the sender, runs its handler, wraps errors as data. */
export type Route = (message: unknown, sender: SenderInfo) => Promise<Reply<unknown>> | undefined;

/** The dispatcher over one handler per message type. */
export function createRouter(handlers: Handlers): Route {
  return (message, sender) => {
    if (!isEnvelope(message)) return undefined; // not ours: let other listeners answer
    const parsed = parseEnvelope(message);
    if (!parsed.ok) return Promise.resolve(parsed.reply);
    const { type, payload } = parsed.envelope;
    if (!sender.fromExtensionPage && !contentScriptMaySend(type)) {
      return Promise.resolve({ ok: false, error: { code: 'invalid', message: `${type} is not allowed from a content script` } });
    }
    // A union of handlers is not callable with the union of payloads; parseEnvelope paired them.
    const handler = handlers[type] as Handler<MessageType>;
    return handler(payload, sender).then(
      (value): Reply<unknown> => ({ ok: true, value }),
      (error: unknown): Reply<unknown> =>
        error instanceof MessageError
          ? { ok: false, error: { code: error.code, message: error.message } }
          : { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } },
    );
  };
}

/**
 * The runtime.onMessage listener. Not async: returning undefined for messages that are not ours lets
 * other listeners answer (an async listener would answer every message with undefined).
 */
export function messageListener(route: Route, self: Self): (message: unknown, sender: RawSender) => Promise<Reply<unknown>> | undefined {
  return (message, sender) => {
    const info = senderInfo(sender, self);
    return info && route(message, info);
  };
}
