import type { CapturedEvent, LinkVia, StoredEvent, TitleLink } from '../events.ts';
import { IDEOGRAPHIC, countIdeographic, foldName, foldText, getFoldTable, type FoldedText } from './fold.ts';
import { findSite } from '../sites.ts';
import { findIds, siteItemId, type FoundId } from './ids.ts';
import { buildSortedTrie, scanTrie, type NameTrie, type TrieHit } from './matcher.ts';
import { TITLE_LANGS, type CatalogTitle, type ExternalIdKind } from './types.ts';

/**
 * The linker turns an event's ids, hashtags and text into catalog titles, each with a
 * confidence, a reason and where it was found. Ids first; then the page's subject, matched whole;
 * then names. A name that is also an ordinary word or phrase, a person or a company ("Up", "Her",
 * 英雄, 爱情故事, 迪士尼: the catalog says which, `commonNames`, decided from word lists when it is
 * built) needs support: 《》 or quotes, a #tag#, its year right after it, a context word next to it
 * ("看了…", "… movie"), a matching id, or the post being by the title's own account. A number
 * ("2020") is linked only when it is framed as a title. Everything here is pure; build once per catalog.
 */
/** What the linker reads of a title once built: its id, and its year to pick among namesakes. */
export type LinkedTitle = Pick<CatalogTitle, 'id' | 'year'> & {
  /** The catalog's prior (0 when a snapshot saved before it was kept); picks the famous one of namesakes. */
  popularity?: number;
  /** A series (live action, anime or variety): a page about one of its seasons is about it. */
  series?: boolean;
};

const SERIES_KINDS: ReadonlySet<string> = new Set(['series', 'anime-series', 'variety']);

export interface Linker {
  titles: readonly LinkedTitle[];
  trie: NameTrie;
  /** Per pattern: indices of the titles with that name, most popular first. */
  patternTitles: number[][];
  /** Per pattern: WEAK when the name needs support, FRAMED when only 《》, quotes or a #tag# will do. */
  patternWeak: Uint8Array;
  /** Per pattern: one original spelling of the name, for reasons. */
  patternLabel: string[];
  /** `kind:value` → title indices. */
  ids: Map<string, number[]>;
  /** `site:account` (folded) → title indices. */
  accounts: Map<string, number[]>;
}

/** Names of one character (after folding) are never matched: too many false hits. */
const MIN_NAME_UNITS = 2;

/** patternWeak bits: the name needs support in running text. */
const WEAK = 1;
/** Numbers, years and two-character Han words: a title only when the post frames it as one. */
const FRAMED = 2;
/** An ordinary word, person, place or company: only strong support will do, and as a hashtag it is a topic. */
const COMMON = 4;
/** A phrase of everyday words (超级英雄, 爱情故事): a watching verb, a year or framing, not a kind word (超级英雄电影). */
const PHRASE = 8;

export { CONFIDENT_LINK, confidentLinks } from '../events.ts';

/**
 * A name that is short or a single common-looking word, which needs support to be linked. With the
 * catalog's word lists (`fromLists`), a Latin word is judged by them instead of by its length.
 */
function isWeakName(name: string, folded: string, fromLists: boolean): boolean {
  const ideographic = countIdeographic(folded);
  // Three-character Chinese names are often everyday words (普通人, 美国人, 特洛伊, 小可爱).
  if (ideographic === folded.length) return folded.length <= 3;
  if (folded.length <= (fromLists ? 3 : 4)) return true;
  if (ideographic > 0 || fromLists) return false;
  // Latin: one word (after an article) of up to 7 letters reads as a common word: Friends, Heat, Frozen.
  const words = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/^(the|a|an)\s+/, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return words.length <= 1 && folded.replace(/^(the|a|an)/, '').length <= 7;
}

/** Calls `visit` with each of a title's names; `primary` marks the first name of each language (the one people use). */
function eachName(title: CatalogTitle, visit: (name: string, primary: boolean) => void): void {
  for (const lang of TITLE_LANGS) {
    const list = title.titles[lang];
    if (list) for (let i = 0; i < list.length; i += 1) visit(list[i] as string, i === 0);
  }
  for (const name of title.aliases) visit(name, false);
  for (const name of title.hashtags) visit(name, false);
}

/** The catalog's word-list verdicts on a title's names, folded. */
interface Ordinary {
  words?: ReadonlySet<string>;
  phrases?: ReadonlySet<string>;
  /** A little-known title (popularity below OBSCURE_POPULARITY in a catalog with a prior). */
  obscure?: boolean;
  /** The catalog marks ordinary names from word lists, so the shape heuristics (short words) stand down. */
  fromLists?: boolean;
}

/**
 * Below this popularity prior, a title's Latin-script names need support too. The default
 * catalog holds tens of thousands of little-known films from English Wikipedia's year lists,
 * and their names are everyday phrases ("Midnight", "Journey's End", "The First Time") far more
 * often than they are those films. Only for a catalog that gives a prior at all: in one without
 * (every popularity 0), no title is known to be obscure.
 */
export const OBSCURE_POPULARITY = 0.5;

/** How much support a name needs: 0, or WEAK with FRAMED and COMMON as they apply. */
function nameStrength(name: string, folded: string, primary: boolean, ordinary: Ordinary): number {
  const ideographic = countIdeographic(folded);
  // A number, a year, a bare season marker ("S1" folds to 第1季), two Han characters: framed only.
  if (/^(\d+(年代?|年度)?|第\d+季)$/.test(folded) || (ideographic === folded.length && folded.length <= 2)) return WEAK | FRAMED | COMMON;
  // The catalog's word lists say which names are also ordinary words, phrases, people or companies.
  if (ordinary.words?.has(folded)) return WEAK | COMMON;
  if (ordinary.phrases?.has(folded)) return WEAK | PHRASE;
  // Short Latin names read as words whatever the lists say: Up, Her, It, You.
  if (ideographic === 0 && folded.length <= 3) return WEAK | COMMON;
  // Short names, and without word lists single short words, read as words.
  if (isWeakName(name, folded, ordinary.fromLists === true)) return WEAK;
  // Alternative regional names of four characters are often idioms (天马行空, 惊心动魄): they need support too.
  if (!primary && folded.length <= 4 && ideographic === folded.length) return WEAK;
  return 0;
}

/** One distinct folded name while the linker is built. */
interface NameEntry {
  folded: string;
  titles: number[];
  weak: number;
  /** Every title of this name is little known. */
  obscure: boolean;
  label: string;
}

/**
 * Builds the linker for a catalog: the name trie, the id index and the account index. Names
 * are collected into plain arrays (no Set per name), sorted once, and the trie is built from
 * the sorted list, so a name's pattern index is its position (issue 4 build target).
 */
export function buildLinker(titles: readonly CatalogTitle[]): Linker {
  const byFolded = new Map<string, NameEntry>();
  const ids = new Map<string, number[]>();
  const accounts = new Map<string, number[]>();
  const push = (map: Map<string, number[]>, key: string, i: number): void => {
    const list = map.get(key);
    if (!list) map.set(key, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  const hasPrior = titles.some((t) => t.popularity > 0);
  const fromLists = titles.some((t) => t.commonNames !== undefined || t.phraseNames !== undefined);
  for (let i = 0; i < titles.length; i += 1) {
    const title = titles[i] as CatalogTitle;
    const ordinary: Ordinary = { obscure: hasPrior && title.popularity < OBSCURE_POPULARITY, fromLists };
    if (title.commonNames) ordinary.words = new Set(title.commonNames.map(foldName));
    if (title.phraseNames) ordinary.phrases = new Set(title.phraseNames.map(foldName));
    eachName(title, (name, primary) => {
      const folded = foldName(name);
      if (folded.length < MIN_NAME_UNITS) return;
      const weak = nameStrength(name, folded, primary, ordinary);
      // A Latin name is little known only when every title of that name is (Spirited Away has a famous one).
      const obscure = ordinary.obscure === true && countIdeographic(folded) === 0;
      const entry = byFolded.get(folded);
      if (!entry) byFolded.set(folded, { folded, titles: [i], weak, label: name, obscure });
      else {
        // Titles arrive in order, so a repeat within one title is always the last one added.
        if (entry.titles[entry.titles.length - 1] !== i) entry.titles.push(i);
        entry.weak |= weak;
        entry.obscure &&= obscure;
      }
    });
    for (const kind in title.externalIds)
      for (const value of title.externalIds[kind as ExternalIdKind] ?? []) push(ids, `${kind}:${value}`, i);
    for (const account of title.accounts ?? []) push(accounts, foldName(account), i);
  }
  const entries = [...byFolded.values()].sort((a, b) => (a.folded < b.folded ? -1 : a.folded > b.folded ? 1 : 0));
  const trie = buildSortedTrie(entries.map((e) => e.folded));
  const patternTitles: number[][] = new Array<number[]>(entries.length);
  const patternWeak = new Uint8Array(entries.length);
  const patternLabel: string[] = new Array<string>(entries.length);
  const popularity = (t: number): number => titles[t]?.popularity ?? 0;
  for (let p = 0; p < entries.length; p += 1) {
    const entry = entries[p] as NameEntry;
    patternTitles[p] = entry.titles.length > 1 ? entry.titles.sort((a, b) => popularity(b) - popularity(a)) : entry.titles;
    patternWeak[p] = entry.weak | (entry.obscure ? WEAK : 0);
    patternLabel[p] = entry.label;
  }
  const linked = titles.map((t): LinkedTitle => {
    const title: LinkedTitle = t.year === undefined ? { id: t.id } : { id: t.id, year: t.year };
    if (SERIES_KINDS.has(t.kind)) title.series = true;
    if (t.popularity > 0) title.popularity = t.popularity;
    return title;
  });
  return { titles: linked, trie, patternTitles, patternWeak, patternLabel, ids, accounts };
}

const OPEN_QUOTES = '《「『“"‘\'【〈«';
const CLOSE_QUOTES = '》」』”"’\'】〉»';
/** How far around a name its context words are looked for, in UTF-16 units. */
const CONTEXT_WINDOW = 12;
/**
 * Words that say the name next to them is a film or show: matched as whole words of the text
 * (Intl.Segmenter), right before or right after the name, never inside another word (剧 in 剧情).
 */
const WATCHING_BEFORE = new Set([
  ...['看', '看了', '看过', '看完', '在看', '重温', '重看', '追', '追完', '在追', '补', '补完', '二刷', '三刷', '刷完'],
  ...['watch', 'watched', 'watching', 'rewatch', 'rewatched', 'rewatching', 'binged', 'binge', 'binging', 'finished', 'saw'],
]);
const KIND_BEFORE = new Set([
  ...['电影', '电视剧', '动画', '番剧', '新番', '美剧', '日剧', '韩剧', '英剧', '纪录片', '剧场版'],
  ...['movie', 'film', 'series', 'show', 'anime', 'sequel'],
]);
const KIND_AFTER = new Set([
  ...['电影', '剧', '电视剧', '动画', '番', '剧场版', '大结局', '预告', '预告片', '续集'],
  ...['movie', 'film', 'series', 'show', 'season', 'episode', 'trailer', 'teaser', 'sequel', 'remake', 'finale', 'anime'],
]);
/** A year in parentheses right after a name: "Her (2013)", "英雄（2002）". */
const YEAR_AFTER = /^\s*[(（[]\s*((?:18|19|20)\d\d)\s*[)）\]]/;

/** Aspect particles between a watching verb and the name (看完了, 看过了). */
const PARTICLES: ReadonlySet<string> = new Set(['了', '过', '完']);
/** A season or final season right after a show's name. */
const SEASON_AFTER = /^\s*(第[\d一二三四五六七八九十]+季|最终季|季终|season\s*\d{1,2}\b|s\d{1,2}\b)/iu;

/** Every context word that may come before a name. */
const CONTEXT_ENDS: ReadonlySet<string> = new Set([...WATCHING_BEFORE, ...KIND_BEFORE]);

/** Whether a text, trimmed, ends with one of the words (in any case): a cheap test before the segmenter. */
function mayEndWith(text: string, words: ReadonlySet<string>): boolean {
  const t = text.trimEnd().toLowerCase();
  for (const w of words) if (t.endsWith(w)) return true;
  return false;
}

/** Whether a text, trimmed, starts with one of the words (in any case). */
function mayStartWith(text: string, words: ReadonlySet<string>): boolean {
  const t = text.trimStart().toLowerCase();
  for (const w of words) if (t.startsWith(w)) return true;
  return false;
}

let segmenter: Intl.Segmenter | undefined;

/** The word segments of a text (Intl.Segmenter, which knows Chinese words), lower-cased. */
function words(text: string): string[] {
  segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  const out: string[] = [];
  for (const segment of segmenter.segment(text)) if (segment.isWordLike) out.push(segment.segment.toLowerCase());
  return out;
}

type Framing = 'quoted' | 'hashtag' | undefined;

/** Whether the hit is exactly what sits between quotes or after a # (Weibo #话题# or X #Tag). */
function framing(folded: FoldedText, hit: TrieHit): Framing {
  const source = folded.source;
  const start = folded.pos[hit.start] as number;
  const end = (folded.pos[hit.end - 1] as number) + 1;
  const before = source[start - 1] ?? '';
  const after = source[end] ?? '';
  if (before === '#' || before === '＃') {
    const fold = getFoldTable();
    if (after === '' || after === '#' || after === '＃' || fold[after.charCodeAt(0)] === 0) return 'hashtag';
  }
  if (before !== '' && OPEN_QUOTES.includes(before) && after !== '' && CLOSE_QUOTES.includes(after)) return 'quoted';
  return undefined;
}

interface Candidate {
  title: number;
  confidence: number;
  reason: string;
  via: LinkVia;
  /** The folded name it was found by, if a name (a site's tag that a longer name in the text contains gives way to it). */
  name?: string;
}

function quoteName(label: string, how: Framing): string {
  if (how === 'hashtag') return `#${label}`;
  return /[\p{Script=Han}]/u.test(label) ? `《${label}》` : `"${label}"`;
}

/** Picks among titles that share a name: one with an id link, then one of the given year, then the most popular. */
function choose(
  linker: Linker,
  candidates: number[],
  byId: ReadonlySet<number>,
  year: number | undefined,
): { title: number; shared: boolean } {
  const withId = candidates.find((t) => byId.has(t));
  if (withId !== undefined) return { title: withId, shared: false };
  if (candidates.length > 1 && year !== undefined) {
    const dated = candidates.find((t) => yearFits(linker.titles[t]?.year, year));
    if (dated !== undefined) return { title: dated, shared: false };
  }
  // Namesakes of which one is far better known (Up of 2009 beside a yearless list entry) are not a toss-up.
  if (candidates.length < 2) return { title: candidates[0] as number, shared: false };
  const first = linker.titles[candidates[0] as number]?.popularity ?? 0;
  const second = linker.titles[candidates[1] as number]?.popularity ?? 0;
  return { title: candidates[0] as number, shared: first - second < CLEAR_LEAD };
}

/** How far ahead in popularity the best-known of namesakes must be to be taken without doubt. */
const CLEAR_LEAD = 0.3;

/** A title's year fits a year a post gives when they are a year apart at most (festival and release years differ). */
function yearFits(titleYear: number | undefined, year: number): boolean {
  return titleYear !== undefined && Math.abs(titleYear - year) <= 1;
}

/** What a post offers the linker, besides its text. */
export interface LinkInput {
  /** The post's texts (post text, the user's comment, a video title); scanned for names. */
  texts: string[];
  /** The name the site itself says the page is about (a Douban subject's title, "盗梦空间 Inception 2010"). */
  subject?: string;
  hashtags?: string[];
  /** URLs and other strings scanned for ids only. */
  urls?: string[];
  ids?: FoundId[];
  /** `site:account` of the post's author. */
  author?: string;
}

/** A subject line split into its year and its names: "盗梦空间 Inception (2010)" → 2010, [盗梦空间, Inception]. */
export function subjectParts(subject: string): { names: string[]; year?: number } {
  let rest = subject.trim();
  let year: number | undefined;
  const dated = /\s*[(（]?\s*((?:18|19|20)\d\d)\s*[)）]?\s*$/.exec(rest);
  if (dated && dated.index > 0) {
    year = Number(dated[1]);
    rest = rest.slice(0, dated.index).trim();
  }
  // Douban writes the Chinese name, then the original one: split where no Han character follows.
  const names = [rest];
  const split = /^(.*\p{Script=Han}[^\s]*)\s+([^\p{Script=Han}]+)$/u.exec(rest);
  if (split) names.push((split[1] as string).trim(), (split[2] as string).trim());
  return year === undefined ? { names } : { names, year };
}

/** Links one post to catalog titles: ids, hashtags, the subject, then names in its texts. */
export function linkInput(linker: Linker, input: LinkInput, buffer?: FoldedText): TitleLink[] {
  const out = new Map<number, Candidate>();
  const add = (c: Candidate): void => {
    const existing = out.get(c.title);
    if (!existing || existing.confidence < c.confidence) out.set(c.title, c);
  };

  // 1. Ids.
  const found: FoundId[] = input.ids ? [...input.ids] : [];
  if (input.urls) for (const s of input.urls) for (const id of findIds(s)) found.push(id);
  for (const s of input.texts) for (const id of findIds(s)) found.push(id);
  const byId = new Set<number>();
  for (const id of found) {
    for (const t of linker.ids.get(`${id.kind}:${id.value}`) ?? []) {
      byId.add(t);
      add({ title: t, confidence: 0.98, reason: id.label, via: 'id' });
    }
  }
  const byAuthor: ReadonlySet<number> = input.author ? new Set(linker.accounts.get(foldName(input.author)) ?? []) : NONE;

  // 2. Hashtags the site lists: a whole hashtag equal to a name (a number is not a title here).
  for (const tag of input.hashtags ?? []) {
    // A Reddit community is kept like a tag (r/StrangerThings): one named after a title is about it.
    const community = /^r\/(.+)$/iu.exec(tag)?.[1];
    const folded = foldName(community ?? tag);
    const p = lookup(linker.trie, folded);
    if (p < 0 || /^\d+$/.test(folded)) continue;
    const { title } = choose(linker, linker.patternTitles[p] ?? [], byId, undefined);
    const weak = linker.patternWeak[p] as number;
    // #喜剧, #好莱坞: a tag that is an ordinary word is a topic; the user may confirm it is the title.
    const confidence = byId.has(title) ? 0.9 : weak & COMMON ? 0.6 : weak & WEAK ? 0.75 : 0.9;
    add({ title, confidence, reason: community ? `${tag} community` : `#${tag} hashtag`, via: 'hashtag', name: folded });
  }

  // 3. The subject the site gives: a Douban page is about exactly one title, named whole.
  if (input.subject) linkSubject(linker, input.subject, byId, add);

  // 4. Names in the texts. On a subject page, the subject's own name in a comment is the subject,
  // linked above or not at all (not its namesake of another year).
  const subjectNames: ReadonlySet<string> = input.subject ? new Set(subjectParts(input.subject).names.map(foldName)) : NO_NAMES;
  const channel = input.author?.startsWith('youtube:') ? foldName(input.author.slice('youtube:'.length)) : undefined;
  const studioTrailer = channel !== undefined && STUDIO_CHANNELS.has(channel) && input.texts.some((t) => TRAILER.test(t));
  const evidence: Evidence = { byId, byAuthor, subjectNames, ...(studioTrailer ? { studioTrailer } : {}) };
  for (const text of input.texts) if (text) scanText(linker, text, evidence, add, buffer);

  // A site's tag (#进击的巨人) gives way to a longer name of the same text that contains it (进击的巨人 最终季).
  const candidates = [...out.values()];
  const named = candidates.filter((c) => c.via !== 'hashtag' && c.name);
  const kept = candidates.filter(
    (c) =>
      c.via !== 'hashtag' ||
      !c.name ||
      !named.some(
        (n) =>
          n.title !== c.title && (n.name as string).length > (c.name as string).length && (n.name as string).includes(c.name as string),
      ),
  );
  return kept
    .sort((a, b) => b.confidence - a.confidence)
    .map((c) => ({
      titleId: linker.titles[c.title]?.id ?? '',
      confidence: c.confidence,
      reason: c.reason,
      source: 'linker' as const,
      via: c.via,
    }));
}

/** A season or episode page's show: "神秘博士 第四季" → 神秘博士 (a season), "神秘博士：逃跑新娘" → 神秘博士 (an episode). */
function showOf(name: string): { show: string; season: boolean } | undefined {
  const season = /^(.+?)\s*(?:第[\d一二三四五六七八九十]+季|season\s*\d+|s\d{1,2})$/iu.exec(name.trim());
  if (season) return { show: season[1] as string, season: true };
  const colon = /^([^:：]+)[:：]/.exec(name);
  return colon ? { show: colon[1] as string, season: false } : undefined;
}

/**
 * The page subject, matched whole: its full line, or its Chinese or original name alone, exactly as
 * a catalog name. A namesake of another year is not it; a season's page is its show's when the
 * catalog knows only the show; nothing matching means the catalog lacks it.
 */
function linkSubject(linker: Linker, subject: string, byId: ReadonlySet<number>, add: (c: Candidate) => void): void {
  const { names, year } = subjectParts(subject);
  const exact = (title: number): boolean => {
    const known = linker.titles[title]?.year;
    return year === undefined || known === undefined || yearFits(known, year);
  };
  // A show began before its season did; an episode or special ("X：Y") aired within a few years of its show's start
  // (X战警：黑凤凰 is a film of 2019, not an episode of the 2011 X-Men anime).
  const showFits =
    (season: boolean) =>
    (title: number): boolean => {
      const t = linker.titles[title];
      if (t?.series !== true) return false;
      if (year === undefined || t.year === undefined) return true;
      return t.year <= year + 1 && (season || t.year >= year - 3);
    };
  const tries: [string, (t: number) => boolean, string][] = [
    ...names.map((n): [string, (t: number) => boolean, string] => [n, exact, 'is the page subject']),
    ...names.flatMap((n): [string, (t: number) => boolean, string][] => {
      const base = showOf(n);
      return base ? [[base.show, showFits(base.season), "is the page subject's show"]] : [];
    }),
  ];
  for (const [name, fits, how] of tries) {
    const p = lookup(linker.trie, foldName(name));
    if (p < 0) continue;
    const candidates = (linker.patternTitles[p] ?? []).filter(fits);
    if (candidates.length === 0) continue;
    const { title, shared } = choose(linker, candidates, byId, year);
    const label = linker.patternLabel[p] ?? name;
    add({
      title,
      confidence: shared ? 0.75 : how === 'is the page subject' ? 0.9 : 0.8,
      reason: `${label} ${how}${shared ? ` (${candidates.length} titles share this name)` : ''}`,
      via: 'subject',
    });
    return;
  }
}

interface Evidence {
  byId: ReadonlySet<number>;
  byAuthor: ReadonlySet<number>;
  subjectNames: ReadonlySet<string>;
  /** A trailer posted by a studio's or streaming service's own channel: the names in it are its titles. */
  studioTrailer?: boolean;
}

/**
 * YouTube channels of studios and streaming services (as their channel names read, folded):
 * their trailers are of their own titles, so a name in one is a title even when it is an everyday word (Up).
 */
const STUDIO_CHANNELS: ReadonlySet<string> = new Set(
  [
    'Netflix',
    'Prime Video',
    'Disney',
    'Disney Plus',
    'Pixar',
    'Marvel Entertainment',
    'Warner Bros. Pictures',
    'Warner Bros.',
    'Universal Pictures',
    'Sony Pictures Entertainment',
    'Paramount Pictures',
    '20th Century Studios',
    'A24',
    'HBO',
    'HBO Max',
    'Max',
    'Apple TV',
    'Lionsgate Movies',
    'Focus Features',
    'Searchlight Pictures',
    'Crunchyroll',
    'Toho',
    'Hulu',
    'Peacock',
    'DreamWorks',
    'Illumination',
    'Studio Ghibli',
  ].map((name) => foldName(name)),
);
const TRAILER = /trailer|teaser|预告|預告/iu;

const NONE: ReadonlySet<number> = new Set();
const NO_NAMES: ReadonlySet<string> = new Set();

/** Whether a framed-only name is backed by an id or the title's own account (the only support it may have unframed). */
function framedOnlyHasId(linker: Linker, p: number, evidence: Evidence): boolean {
  if (evidence.byId.size === 0 && evidence.byAuthor.size === 0) return false;
  return (linker.patternTitles[p] ?? []).some((t) => evidence.byId.has(t) || evidence.byAuthor.has(t));
}

/** Why a name that needs support is a title here, with how much that says, or undefined. */
function supportFor(
  linker: Linker,
  title: number,
  p: number,
  source: string,
  start: number,
  end: number,
  evidence: Evidence,
  lowerCase: boolean,
): { why: string; confidence: number } | undefined {
  if (evidence.byId.has(title)) return { why: 'matching id', confidence: 0.9 };
  if (evidence.byAuthor.has(title)) return { why: "the title's own account", confidence: 0.9 };
  const span = source.slice(start, end);
  // A lower-case single word in prose is a word ("seen this movie three times"); lower-case words are ordinary ones.
  const weak = (linker.patternWeak[p] as number) | (lowerCase ? (/\s/.test(span.trim()) ? COMMON : FRAMED) : 0);
  if (weak & FRAMED) return undefined;
  const year = YEAR_AFTER.exec(source.slice(end, end + 12))?.[1];
  if (year !== undefined && yearFits(linker.titles[title]?.year, Number(year))) return { why: `year ${year}`, confidence: 0.85 };
  if (evidence.studioTrailer && TRAILER.test(source)) return { why: "a trailer on the studio's channel", confidence: 0.85 };
  const beforeText = source.slice(Math.max(0, start - CONTEXT_WINDOW), start);
  // The segmenter (costly) only when a context word is there as text at all.
  const segments = mayEndWith(beforeText, CONTEXT_ENDS) || mayEndWith(beforeText, PARTICLES) ? words(beforeText) : [];
  const before = segments.at(-1);
  if (before !== undefined && WATCHING_BEFORE.has(before)) return { why: `"${before}" before it`, confidence: 0.75 };
  // 看完了进击的巨人, 看过了…: the verb, then an aspect particle.
  const verb = before !== undefined && PARTICLES.has(before) ? segments.at(-2) : undefined;
  if (verb !== undefined && WATCHING_BEFORE.has(verb)) return { why: `"${verb}${before ?? ''}" before it`, confidence: 0.75 };
  // A season right after a name makes it a show's: 进击的巨人 第一季, Dark season 2.
  const season = SEASON_AFTER.exec(source.slice(end, end + CONTEXT_WINDOW))?.[1];
  if (season !== undefined && linker.titles[title]?.series === true) return { why: `"${season}" after it`, confidence: 0.75 };
  // An ordinary word or phrase next to 电影 or "movie" is a kind of film more often than a title (超级英雄电影, Pixar movie).
  if (weak & (COMMON | PHRASE)) return undefined;
  if (before !== undefined && KIND_BEFORE.has(before)) return { why: `"${before}" before it`, confidence: 0.7 };
  const afterText = source.slice(end, end + CONTEXT_WINDOW);
  const after = mayStartWith(afterText, KIND_AFTER) ? words(afterText)[0] : undefined;
  if (after !== undefined && KIND_AFTER.has(after)) return { why: `"${after}" after it`, confidence: 0.7 };
  return undefined;
}

/** Whether a text is written in Title Case (a video title): most of its words start with a capital. */
function isHeadline(text: string): boolean {
  // A character loop, not a regex over the whole post: this runs for every post with a Latin name.
  let words = 0;
  let capitals = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 39 || c === 0x2019;
    if (letter && !inWord && c !== 39 && c !== 0x2019) {
      words += 1;
      if (c <= 90) capitals += 1;
    }
    inWord = letter;
  }
  return words >= 3 && capitals / words >= 0.6;
}

/** Words that join the parts of a longer title ("In the Mood for Love", "Lord of the Rings"). */
const JOINING_WORDS = new Set(['of', 'for', 'the', 'in', 'on', 'to', 'with']);
/** Small words a title case leaves in lower case. */
const SMALL_WORDS = new Set(['a', 'an', 'the', 'and', 'or', 'of', 'in', 'on', 'at', 'to', 'for', 'with', 'from', 'by', 'vs']);

/**
 * Whether a Latin name's span is capitalised as a name is: every word after the first that the
 * catalog capitalises is capitalised here too ("Going home" is prose, "Going Home" may be the
 * film); a single word needs a capital. Ordinary words need support whatever their case.
 */
function capitalisedAsName(span: string, label: string): boolean {
  if (!/[a-z]/.test(span) || /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(span)) return true;
  if (!/[A-Z]/.test(span)) return false;
  const spanWords = span.split(/\s+/);
  const labelWords = label.split(/\s+/);
  if (spanWords.length !== labelWords.length) return true;
  return spanWords.every(
    (word, i) => i === 0 || SMALL_WORDS.has(word.toLowerCase()) || !/^[A-Z]/.test(labelWords[i] ?? '') || /^[A-Z]/.test(word),
  );
}

/** Whether the character at i is white space (\s); false outside the text. Most hits, in Chinese text, have none beside them. */
function spaceAt(source: string, i: number): boolean {
  const c = source.charCodeAt(i);
  if (Number.isNaN(c)) return false;
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13);
  return /\s/u.test(source[i] as string);
}

/**
 * Whether a Latin match is the start or the middle of a longer capitalised name the catalog does
 * not have ("Breaking" in "Breaking Bad", "Infinity" in "Infinity War", "In the Mood" in "In the
 * Mood for Love"): then it is not the shorter title.
 */
function insideLongerName(source: string, start: number, end: number): boolean {
  // (The caller skips Title Case headlines: they capitalise every word, so a capital next to a name says nothing there.)
  // Each test needs white space right beside the name, and the cheap part of a test runs first.
  if (spaceAt(source, end)) {
    const next = /^\s+([\p{L}\p{N}]+)(?:\s+([\p{L}\p{N}]+))?/u.exec(source.slice(end, end + 40));
    if (next) {
      const [, first = '', second = ''] = next;
      // A capitalised word ("Bad") or a sequel number ("Iron Man 3"); not a code ("S0407") or a year.
      if (/^[A-Z][a-z]|^\d{1,2}$/.test(first) || (JOINING_WORDS.has(first) && /^[A-Z][a-z]/.test(second))) return true;
    }
  }
  if (!spaceAt(source, start - 1)) return false;
  const before = /([\p{L}\p{N}]+)\s+$/u.exec(source.slice(Math.max(0, start - 30), start))?.[1];
  if (before === undefined || !/^[A-Z]/.test(before) || SMALL_WORDS.has(before.toLowerCase())) return false;
  const sentenceStart = /(^|[.!?:|\n]\s*)[\p{L}\p{N}]+\s+$/u.test(source.slice(Math.max(0, start - 32), start));
  return !sentenceStart;
}

function scanText(linker: Linker, text: string, evidence: Evidence, add: (c: Candidate) => void, buffer: FoldedText | undefined): void {
  const folded = foldText(text, buffer);
  const hits = scanTrie(linker.trie, folded, linker.patternWeak);
  const quotedSpans = bookTitleSpans(folded.source);
  let headline: boolean | undefined;
  for (const hit of hits) {
    const p = hit.pattern;
    if (evidence.subjectNames.has(linker.trie.patterns[p] ?? '')) continue;
    const source = folded.source;
    const start = folded.pos[hit.start] as number;
    const end = (folded.pos[hit.end - 1] as number) + 1;
    const how = framing(folded, hit);
    // The fast path for most hits of a post: a number or a two-character word, not framed as a title.
    if (!how && ((linker.patternWeak[p] as number) & FRAMED) !== 0 && !framedOnlyHasId(linker, p, evidence)) continue;
    // Inside a longer 《…》 the name is part of another work's title (《世界尽头冷酷仙境》 is not 世界尽头).
    if (!how && quotedSpans.some(([a, b]) => a <= start && end <= b)) continue;
    const yearAfter = source.charCodeAt(end) < 0x80 || source[end] === '（' ? YEAR_AFTER.exec(source.slice(end, end + 12))?.[1] : undefined;
    const { title, shared } = choose(
      linker,
      linker.patternTitles[p] ?? [],
      evidence.byId,
      yearAfter === undefined ? undefined : Number(yearAfter),
    );
    const label = linker.patternLabel[p] ?? '';
    const span = source.slice(start, end);
    // No ideographic unit in the hit: a Latin (or digit) name.
    let latin = true;
    for (let i = hit.start; i < hit.end && latin; i += 1) if (((folded.flags[i] as number) & IDEOGRAPHIC) !== 0) latin = false;
    // A weak name at the start of a longer capitalised one is part of it (a distinctive one stays: "Interstellar Docking Scene").
    if (!how && latin && linker.patternWeak[p] !== 0) {
      headline ??= isHeadline(source);
      if (!headline && insideLongerName(source, start, end)) continue;
    }
    // English prose capitalises titles; an all-lower-case Latin match ("the conversation") needs support.
    const cased = !latin || capitalisedAsName(span, label);
    const weak = linker.patternWeak[p] !== 0 || !cased;
    let confidence: number;
    let reason: string;
    let via: LinkVia = how === 'hashtag' ? 'hashtag' : how === 'quoted' ? 'quote' : 'text';
    if (how) {
      // 《…》 names a work; #喜剧# is a topic and "nope" is speech before either is a title.
      const common = ((linker.patternWeak[p] as number) & COMMON) !== 0;
      const speech = how === 'quoted' && !/[《「『【〈]/.test(source[start - 1] ?? '');
      confidence = (how === 'hashtag' || speech) && common ? 0.6 : weak ? 0.8 : 0.9;
      reason = `${quoteName(label, how)} in text`;
    } else if (!weak) {
      const long = hit.end - hit.start >= (((folded.flags[hit.start] as number) & 2) !== 0 ? 4 : 8);
      confidence = long ? 0.8 : 0.7;
      reason = `${label} in text`;
    } else {
      const support = supportFor(linker, title, p, source, start, end, evidence, !cased);
      if (!support) continue;
      if (support.why === 'matching id') via = 'id';
      confidence = support.confidence;
      reason = `${label} in text, with ${support.why}`;
    }
    if (shared) {
      confidence *= 0.85;
      reason += ` (${linker.patternTitles[p]?.length ?? 0} titles share this name)`;
    }
    add({ title, confidence: Math.round(confidence * 100) / 100, reason, via, name: linker.trie.patterns[p] ?? '' });
  }
}

/** [start, end) of each 《…》 / 「…」 span's content in the text. */
function bookTitleSpans(text: string): [number, number][] {
  if (!text.includes('《') && !text.includes('「')) return [];
  const spans: [number, number][] = [];
  for (const m of text.matchAll(/《([^《》]{1,100})》|「([^「」]{1,100})」/g)) spans.push([m.index + 1, m.index + m[0].length - 1]);
  return spans;
}

/** The pattern index of an exact folded name, or -1. */
function lookup(trie: NameTrie, folded: string): number {
  if (folded.length === 0) return -1;
  let node = trie.root[folded.charCodeAt(0)] as number;
  for (let i = 1; i < folded.length && node >= 0; i += 1) {
    let next = -1;
    for (let e = trie.edgeStart[node] as number; e < (trie.edgeStart[node + 1] as number); e += 1) {
      if (trie.edgeChar[e] === folded.charCodeAt(i)) {
        next = trie.edgeTarget[e] as number;
        break;
      }
    }
    node = next;
  }
  return node >= 0 ? (trie.terminal[node] as number) : -1;
}

/**
 * The titles bearing exactly this name (any of their names, folded), most popular first, and
 * whether the name needs support in running text (an ordinary word, a short or little-known name).
 */
export function titlesNamed(linker: Linker, name: string): { titles: readonly number[]; weak: boolean } {
  const p = lookup(linker.trie, foldName(name));
  return p < 0
    ? { titles: [] as number[], weak: false }
    : { titles: linker.patternTitles[p] ?? [], weak: (linker.patternWeak[p] as number) !== 0 };
}

/** What the linker reads from a captured event. */
function eventInput(event: CapturedEvent): LinkInput {
  const target = event.target;
  const subjectPage = findSite(event.site)?.subjectPages === true;
  const input: LinkInput = {
    texts: [target.text, event.userText ?? '', subjectPage ? '' : (target.title ?? '')].filter(Boolean),
    // A subject page's tags are the subject's genres (older Douban events kept them as hashtags): never titles.
    hashtags: subjectPage ? [] : target.hashtags,
    urls: [target.url, ...target.links],
    ids: target.itemIds.map((id) => siteItemId(id.kind, id.value)).filter((id): id is FoundId => id !== undefined),
  };
  // On a subject page (Douban) the page title is the subject itself ("盗梦空间 Inception (2010)").
  if (subjectPage && target.title) input.subject = target.title;
  if (target.author) input.author = `${event.site}:${target.author}`;
  return input;
}

/** Links a captured event to catalog titles (linker links only). */
export function linkEvent(linker: Linker, event: CapturedEvent, buffer?: FoldedText): TitleLink[] {
  return linkInput(linker, eventInput(event), buffer);
}

/** Merges the user's corrections over the linker's links: removed titles stay out, the user's own links win. */
export function applyCorrections(
  linked: readonly TitleLink[],
  userLinks: readonly TitleLink[],
  removedTitleIds: readonly string[],
): TitleLink[] {
  const removed = new Set(removedTitleIds);
  const mine = userLinks.filter((l) => l.source === 'user');
  const taken = new Set(mine.map((l) => l.titleId));
  return [...mine, ...linked.filter((l) => !removed.has(l.titleId) && !taken.has(l.titleId))];
}

/** Re-links a stored event (after a catalog switch), keeping the user's corrections. */
export function relinkEvent(linker: Linker, event: StoredEvent, buffer?: FoldedText): TitleLink[] {
  return applyCorrections(linkEvent(linker, event, buffer), event.links, event.removedTitleIds);
}

/** A built linker in a form IndexedDB stores cheaply (typed arrays, few small arrays), titles reduced to id and year. */
export interface LinkerSnapshot {
  titleIds: string[];
  /** Per title: its year, or 0. */
  years: Int16Array;
  /** Per title: 1 for a series (absent in snapshots saved before it was kept: none is then a series). */
  series?: Uint8Array;
  /** Per title: its popularity prior (absent in older snapshots). */
  popularity?: Float32Array;
  trie: NameTrie;
  /** patternTitles flattened: titles of pattern p are values[offsets[p]..offsets[p+1]). */
  patternOffsets: Int32Array;
  patternValues: Int32Array;
  patternWeak: Uint8Array;
  patternLabel: string[];
  ids: Map<string, number[]>;
  accounts: Map<string, number[]>;
}

/** The linker as a snapshot, so a restarted background need neither rebuild it nor read the titles. */
export function linkerSnapshot(linker: Linker): LinkerSnapshot {
  const { patternTitles } = linker;
  const patternOffsets = new Int32Array(patternTitles.length + 1);
  for (let p = 0; p < patternTitles.length; p += 1) patternOffsets[p + 1] = (patternOffsets[p] as number) + (patternTitles[p]?.length ?? 0);
  const patternValues = new Int32Array(patternOffsets[patternTitles.length] as number);
  for (let p = 0; p < patternTitles.length; p += 1) patternValues.set(patternTitles[p] ?? [], patternOffsets[p] as number);
  return {
    titleIds: linker.titles.map((t) => t.id),
    years: Int16Array.from(linker.titles, (t) => t.year ?? 0),
    series: Uint8Array.from(linker.titles, (t) => (t.series ? 1 : 0)),
    popularity: Float32Array.from(linker.titles, (t) => t.popularity ?? 0),
    trie: linker.trie,
    patternOffsets,
    patternValues,
    patternWeak: linker.patternWeak,
    patternLabel: linker.patternLabel,
    ids: linker.ids,
    accounts: linker.accounts,
  };
}

/** The linker from a snapshot; it links exactly as the linker the snapshot was taken of. */
export function linkerFromSnapshot(snapshot: LinkerSnapshot): Linker {
  const titles: LinkedTitle[] = snapshot.titleIds.map((id, i) => {
    const year = snapshot.years[i] as number;
    const title: LinkedTitle = year > 0 ? { id, year } : { id };
    if (snapshot.series?.[i]) title.series = true;
    const popularity = snapshot.popularity?.[i];
    if (popularity) title.popularity = popularity;
    return title;
  });
  const { patternOffsets: offsets, patternValues: values } = snapshot;
  const patternTitles: number[][] = new Array<number[]>(offsets.length - 1);
  for (let p = 0; p + 1 < offsets.length; p += 1)
    patternTitles[p] = Array.from(values.subarray(offsets[p] as number, offsets[p + 1] as number));
  return {
    titles,
    trie: snapshot.trie,
    patternTitles,
    patternWeak: snapshot.patternWeak,
    patternLabel: snapshot.patternLabel,
    ids: snapshot.ids,
    accounts: snapshot.accounts,
  };
}
