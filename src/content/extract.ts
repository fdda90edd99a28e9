import { truncateText, type ActionKind, type CapturedEvent, type SiteItemId } from '../shared/events.ts';
import type { SiteId } from '../shared/sites.ts';

/**
 * Small DOM readers shared by the site adapters. They only read: nothing here changes the page,
 * and page text is kept as text (never parsed as HTML).
 */

export type Target = CapturedEvent['target'];

/** Limits of CapturedEventSchema, applied here so a hostile page cannot make the background reject an event. */
const MAX_TITLE = 1024;
const MAX_AUTHOR = 256;
const MAX_LIST = 64;
const MAX_URL = 2048;
const MAX_ID = 256;

function isElement(node: unknown): node is Element {
  return typeof node === 'object' && node !== null && (node as Node).nodeType === 1;
}

/**
 * The first element on the event's path (shadow roots included, innermost first) that matches one
 * of the alternatives. Clicks inside a shadow root reach the document retargeted to the host, so
 * `event.target.closest()` alone would miss buttons rendered in shadow DOM (Reddit, Bilibili comments).
 */
export function pathFind(event: Event, alternatives: readonly string[]): Element | null {
  for (const node of event.composedPath()) {
    if (!isElement(node)) continue;
    for (const selector of alternatives) if (node.matches(selector)) return node;
  }
  return null;
}

/** The first element matching one of the alternatives under root, looking into open shadow roots (bounded depth). */
export function deepQueryFirst(root: ParentNode, alternatives: readonly string[], depth = 4): Element | null {
  for (const selector of alternatives) {
    const found = root.querySelector(selector);
    if (found) return found;
  }
  if (depth === 0) return null;
  for (const element of root.querySelectorAll('*')) {
    if (!element.shadowRoot) continue;
    const found = deepQueryFirst(element.shadowRoot, alternatives, depth - 1);
    if (found) return found;
  }
  return null;
}

/** Visible text of an element, trimmed and truncated; '' when the element is missing. */
export function textOf(element: Element | null | undefined): string {
  return truncateText((element?.textContent ?? '').trim());
}

/** Text of a form field or contenteditable editor (what the user wrote), truncated. */
export function fieldText(element: Element | null | undefined): string {
  if (!element) return '';
  const value = (element as HTMLTextAreaElement).value;
  return truncateText((typeof value === 'string' ? value : (element.textContent ?? '')).trim());
}

const HASHTAG = /#([\p{L}\p{N}_]{1,100})/gu;
/** Weibo topics are wrapped on both sides: #话题# (spaces allowed inside). */
const WEIBO_TOPIC = /#([^#\n]{1,100})#/gu;

/** Hashtags in text, without the '#', deduplicated, in order. */
export function hashtagsIn(text: string, style: 'plain' | 'weibo' = 'plain'): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(style === 'weibo' ? WEIBO_TOPIC : HASHTAG)) {
    const tag = (match[1] ?? '').trim();
    if (tag) found.add(tag);
    if (found.size >= MAX_LIST) break;
  }
  return [...found];
}

/** An absolute http(s) URL for href against base, or undefined. */
export function absoluteUrl(href: string | null | undefined, base: string): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href, base);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    const text = url.href;
    return text.length <= MAX_URL ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Outbound links (other hosts than the page's own) under root, absolute and deduplicated. */
export function outboundLinks(root: Element | null | undefined, base: string, ownHosts: readonly string[]): string[] {
  if (!root) return [];
  const links = new Set<string>();
  for (const anchor of root.querySelectorAll('a[href]')) {
    const url = absoluteUrl(anchor.getAttribute('href'), base);
    if (!url) continue;
    if (ownHosts.includes(new URL(url).hostname)) continue;
    links.add(url);
    if (links.size >= MAX_LIST) break;
  }
  return [...links];
}

/** Builds a schema-valid target: truncates text, caps lists and drops empty optional fields. */
export function makeTarget(parts: {
  id: string;
  url: string;
  text?: string;
  title?: string | undefined;
  hashtags?: string[];
  links?: string[];
  author?: string | undefined;
  itemIds?: SiteItemId[];
  lang?: string | undefined;
  facts?: Target['facts'];
}): Target {
  const target: Target = {
    id: parts.id.slice(0, MAX_ID),
    url: parts.url,
    text: truncateText(parts.text ?? ''),
    hashtags: (parts.hashtags ?? []).slice(0, MAX_LIST).map((tag) => tag.slice(0, 2048)),
    links: (parts.links ?? []).slice(0, MAX_LIST),
    itemIds: (parts.itemIds ?? []).filter((item) => item.value.length > 0 && item.value.length <= 64).slice(0, 16),
  };
  const title = parts.title?.trim();
  if (title) target.title = title.slice(0, MAX_TITLE);
  const author = parts.author?.trim();
  if (author) target.author = author.slice(0, MAX_AUTHOR);
  const lang = parts.lang?.trim();
  if (lang && lang.length <= 35) target.lang = lang;
  if (parts.facts) target.facts = parts.facts;
  return target;
}

/** One captured event; userText is truncated and dropped when empty. */
export function makeEvent(
  site: SiteId,
  action: ActionKind,
  at: number,
  target: Target,
  extra: { userText?: string; rating?: number } = {},
): CapturedEvent {
  const event: CapturedEvent = { site, action, at, target };
  const userText = extra.userText?.trim();
  if (userText) event.userText = truncateText(userText);
  if (extra.rating !== undefined && Number.isInteger(extra.rating) && extra.rating >= 1 && extra.rating <= 5) event.rating = extra.rating;
  return event;
}

/** Content of a <meta name|property|itemprop="key">, or undefined. */
export function metaContent(doc: Document | Element, key: string): string | undefined {
  const meta = doc.querySelector(`meta[name="${key}"], meta[property="${key}"], meta[itemprop="${key}"]`);
  const content = meta?.getAttribute('content')?.trim();
  return content || undefined;
}

/** Largest inline script read for a JSON literal; bigger ones are skipped, not parsed. */
const MAX_SCRIPT = 2_000_000;

/**
 * The JSON value (an object or array literal) that an inline script assigns right after `marker`
 * (`var $render_data = [{…}][0]`, `window.__INITIAL_STATE__={…}`), read as text and parsed with
 * JSON.parse: the page's script is never run. Undefined when absent or not plain JSON.
 */
export function scriptJson(doc: Document, marker: string): unknown {
  for (const script of doc.querySelectorAll('script:not([src])')) {
    const text = script.textContent ?? '';
    if (text.length > MAX_SCRIPT) continue;
    const at = text.indexOf(marker);
    if (at < 0) continue;
    const start = text.slice(at + marker.length).search(/[[{]/);
    if (start < 0) continue;
    const from = at + marker.length + start;
    const end = literalEnd(text, from);
    if (end < 0) continue;
    try {
      return JSON.parse(text.slice(from, end)) as unknown;
    } catch {
      continue;
    }
  }
  return undefined;
}

/** Index just past the bracket that closes the one at `from`, skipping strings; -1 when unbalanced. */
function literalEnd(text: string, from: number): number {
  let depth = 0;
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/**
 * The text of a snippet of markup a site ships as a string (Weibo's status `text`), without parsing
 * it as HTML: `<br>` becomes a line break, other tags go, a few entities are decoded.
 */
export function markupText(markup: string): string {
  return markup
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#39|amp|lt|gt|quot|apos|nbsp);/g, (_, name: string) => ENTITIES[name] ?? '')
    .trim();
}

/** The href values of the links in a snippet of markup, in order (read as text, never parsed as HTML). */
export function markupHrefs(markup: string): string[] {
  return [...markup.matchAll(/<a\s[^>]*?href\s*=\s*(["'])(.*?)\1/gi)].map((m) => (m[2] ?? '').replace(/&amp;/g, '&'));
}
