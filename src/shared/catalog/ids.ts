import { itemIdSpec } from '../sites.ts';
import type { ExternalIdKind } from './types.ts';

/** An external id found in a post, keyed as the catalog keys them. */
export interface FoundId {
  kind: ExternalIdKind;
  value: string;
  /** How it was found, for the link's reason. */
  label: string;
}

/** URL shapes of the services whose ids a catalog can carry; each regex's group 1 (and 2) is the id. */
const URL_IDS: readonly { kind: ExternalIdKind; re: RegExp; value: (m: RegExpExecArray) => string; label: string }[] = [
  { kind: 'douban', re: /(?:movie\.)?douban\.com\/(?:movie\/)?subject\/(\d{1,12})/g, value: (m) => m[1] ?? '', label: 'douban subject' },
  { kind: 'bilibili-media', re: /bilibili\.com\/bangumi\/media\/md(\d{1,12})/g, value: (m) => m[1] ?? '', label: 'bilibili media md' },
  { kind: 'bilibili-season', re: /bilibili\.com\/bangumi\/play\/ss(\d{1,12})/g, value: (m) => m[1] ?? '', label: 'bilibili season ss' },
  { kind: 'bilibili-bv', re: /\b(BV1[0-9A-Za-z]{9})\b/g, value: (m) => m[1] ?? '', label: 'bilibili video' },
  {
    kind: 'youtube',
    re: /(?:youtube\.com\/(?:watch\?(?:[^\s#]*&)?v=|shorts\/|embed\/)|youtu\.be\/)([\w-]{11})/g,
    value: (m) => m[1] ?? '',
    label: 'youtube video',
  },
  { kind: 'imdb', re: /imdb\.com\/(?:[a-z]{2}\/)?title\/(tt\d{5,10})/g, value: (m) => m[1] ?? '', label: 'imdb title' },
  { kind: 'tmdb', re: /themoviedb\.org\/(movie|tv)\/(\d{1,10})/g, value: (m) => `${m[1] ?? ''}/${m[2] ?? ''}`, label: 'tmdb' },
  { kind: 'bangumi', re: /(?:bangumi\.tv|bgm\.tv|chii\.in)\/subject\/(\d{1,10})/g, value: (m) => m[1] ?? '', label: 'bangumi subject' },
  { kind: 'mal', re: /myanimelist\.net\/anime\/(\d{1,10})/g, value: (m) => m[1] ?? '', label: 'myanimelist anime' },
  {
    kind: 'wikipedia-en',
    re: /\ben\.(?:m\.)?wikipedia\.org\/wiki\/([^\s?#<>"'|]{1,300})/g,
    value: (m) => wikipediaSlug(m[1] ?? ''),
    label: 'wikipedia article',
  },
];

/** An English Wikipedia article slug as the catalog keeps it: percent-decoded, spaces as underscores. */
export function wikipediaSlug(path: string): string {
  let slug = path;
  try {
    slug = decodeURIComponent(path);
  } catch {
    // A malformed escape: keep the path as written.
  }
  // A link at the end of a sentence or inside brackets: "(see en.wikipedia.org/wiki/Inception)."
  slug = slug.replace(/[.,;:!?]+$/, '');
  while (slug.endsWith(')') && slug.split(')').length > slug.split('(').length) slug = slug.slice(0, -1);
  return slug.replaceAll(' ', '_');
}

/** Quick test so text without any of the hosts skips the regexes. */
const HINT = /douban|bilibili|BV1|youtu|imdb|themoviedb|bangumi|bgm\.tv|chii\.in|myanimelist|wikipedia/;

/** Ids in URLs and text (Douban subjects, Bilibili md/ss/BV, YouTube, IMDb, TMDB, bangumi, MAL, English Wikipedia articles). */
export function findIds(text: string): FoundId[] {
  if (!HINT.test(text)) return [];
  const out: FoundId[] = [];
  const seen = new Set<string>();
  for (const { kind, re, value, label } of URL_IDS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const id = value(m);
      const key = `${kind}:${id}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ kind, value: id, label: `${label} ${id}` });
      }
    }
  }
  return out;
}

/** A site's own item id (from the capture code) as a catalog external id, where one maps (its site record says). */
export function siteItemId(kind: string, value: string): FoundId | undefined {
  const spec = itemIdSpec(kind);
  if (!spec?.catalog) return undefined;
  const id = spec.prefix !== undefined && value.startsWith(spec.prefix) ? value.slice(spec.prefix.length) : value;
  return { kind: spec.catalog, value: id, label: `${spec.label} ${value}` };
}
