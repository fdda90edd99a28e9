import type { CapturedEvent, StoredEvent, TitleLink } from '../events.ts';
import { countIdeographic, foldName, foldText, getFoldTable, type FoldedText } from './fold.ts';
import { findIds, siteItemId, type FoundId } from './ids.ts';
import { buildSortedTrie, scanTrie, type NameTrie, type TrieHit } from './matcher.ts';
import { TITLE_LANGS, type CatalogTitle, type ExternalIdKind } from './types.ts';

/**
 * The linker turns an event's ids, hashtags and text into catalog titles, each with a
 * confidence and a reason. Ids first; then names. A short or common-word name ("Up", "Her",
 * 你好) needs support: quotes, a hashtag, a year, a context word, a matching id, or the post
 * being by the title's own account. Everything here is pure; build once per catalog.
 */
/** What the linker reads of a title once built: its id, and its year to pick among namesakes. */
export type LinkedTitle = Pick<CatalogTitle, 'id' | 'year'>;

export interface Linker {
  titles: readonly LinkedTitle[];
  trie: NameTrie;
  /** Per pattern: indices of the titles with that name, most popular first. */
  patternTitles: number[][];
  /** Per pattern: 1 when the name is short or a common word and needs support. */
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

/**
 * Below this popularity prior, a title's Latin-script names need support too. The default
 * catalog holds tens of thousands of little-known films from English Wikipedia's year lists,
 * and their names are everyday phrases ("Midnight", "Journey's End", "The First Time") far more
 * often than they are those films (test/shared/catalog/dev-set.test.ts). Only for a catalog that
 * gives a prior at all: in one without (every popularity 0), no title is known to be obscure.
 */
export const OBSCURE_POPULARITY = 0.5;

/** A name that is short or a single common-looking word, which needs support to be linked. */
export function isWeakName(name: string, folded: string): boolean {
  if (/^\d+$/.test(folded)) return true;
  const ideographic = countIdeographic(folded);
  // Three-character Chinese names are often everyday words (普通人, 美国人, 特洛伊).
  if (ideographic === folded.length) return folded.length <= 3;
  if (folded.length <= 4) return true;
  if (ideographic > 0) return false;
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

/** One distinct folded name while the linker is built. */
interface NameEntry {
  folded: string;
  titles: number[];
  weak: boolean;
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
  for (let i = 0; i < titles.length; i += 1) {
    const title = titles[i] as CatalogTitle;
    const obscure = hasPrior && title.popularity < OBSCURE_POPULARITY;
    eachName(title, (name, primary) => {
      const folded = foldName(name);
      if (folded.length < MIN_NAME_UNITS) return;
      // Alternative regional names of four characters are often idioms (天马行空, 惊心动魄): they need support too.
      const weak =
        isWeakName(name, folded) ||
        (!primary && folded.length <= 4 && countIdeographic(folded) === folded.length) ||
        (obscure && countIdeographic(folded) === 0);
      const entry = byFolded.get(folded);
      if (!entry) byFolded.set(folded, { folded, titles: [i], weak, label: name });
      else {
        // Titles arrive in order, so a repeat within one title is always the last one added.
        if (entry.titles[entry.titles.length - 1] !== i) entry.titles.push(i);
        entry.weak ||= weak;
      }
    });
    for (const kind in title.externalIds) for (const value of title.externalIds[kind as ExternalIdKind] ?? []) push(ids, `${kind}:${value}`, i);
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
    patternWeak[p] = entry.weak ? 1 : 0;
    patternLabel[p] = entry.label;
  }
  return { titles, trie, patternTitles, patternWeak, patternLabel, ids, accounts };
}

const OPEN_QUOTES = '《「『“"‘\'【〈«';
const CLOSE_QUOTES = '》」』”"’\'】〉»';
/** Words next to a short name (within CONTEXT_WINDOW units) that say it is a film or show. */
const CONTEXT_WINDOW = 10;
const CONTEXT_LATIN = /\b(?:season|episode|trailer|teaser|movie|film|series|tv show|sitcom|anime|netflix|hbo|disney\+|cinema|rewatch(?:ing)?|binge|watched|watching)\b|第\d+季/i;
const CONTEXT_CJK = /第\d+季|剧|劇|电影|電影|番|预告|預告|动画|動畫|影评|剧评|追剧|上映|院线|映画|アニメ|ドラマ|在看|看了|看完|追完|重温/;
const YEAR = /(?:^|\D)((?:19|20)\d\d)(?!\d)/g;

/** What the text around all names says, computed once per post. */
interface TextContext {
  years: Set<number>;
}

function textContext(text: string): TextContext {
  const years = new Set<number>();
  YEAR.lastIndex = 0;
  for (let m = YEAR.exec(text); m; m = YEAR.exec(text)) years.add(Number(m[1]));
  return { years };
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
  const open = OPEN_QUOTES.indexOf(before);
  if (open >= 0 && after !== '' && CLOSE_QUOTES.includes(after)) return 'quoted';
  return undefined;
}

interface Candidate {
  title: number;
  confidence: number;
  reason: string;
}

function quoteName(label: string, how: Framing): string {
  if (how === 'hashtag') return `#${label}`;
  return /[\p{Script=Han}]/u.test(label) ? `《${label}》` : `"${label}"`;
}

/** Picks among titles that share a name: one with an id link, then one with a mentioned year, then the most popular. */
function choose(linker: Linker, candidates: number[], byId: Set<number>, years: Set<number>): { title: number; shared: boolean } {
  const withId = candidates.find((t) => byId.has(t));
  if (withId !== undefined) return { title: withId, shared: false };
  if (candidates.length > 1 && years.size > 0) {
    const dated = candidates.find((t) => {
      const year = linker.titles[t]?.year;
      return year !== undefined && [...years].some((y) => Math.abs(y - year) <= 1);
    });
    if (dated !== undefined) return { title: dated, shared: false };
  }
  return { title: candidates[0] as number, shared: candidates.length > 1 };
}

/** What a post offers the linker, besides its text. */
export interface LinkInput {
  /** The post's texts (post text, the user's comment, a video title); scanned for names. */
  texts: string[];
  /** A name the site itself says the page is about (a Douban subject's title). */
  subject?: string;
  hashtags?: string[];
  /** URLs and other strings scanned for ids only. */
  urls?: string[];
  ids?: FoundId[];
  /** `site:account` of the post's author. */
  author?: string;
}

/** Links one post to catalog titles: ids, hashtags, the subject name, then names in its texts. */
export function linkInput(linker: Linker, input: LinkInput, buffer?: FoldedText): TitleLink[] {
  const out = new Map<number, Candidate>();
  const add = (c: Candidate): void => {
    const existing = out.get(c.title);
    if (!existing || existing.confidence < c.confidence) out.set(c.title, c);
  };

  // 1. Ids.
  const found = [...(input.ids ?? [])];
  for (const s of [...(input.urls ?? []), ...input.texts]) found.push(...findIds(s));
  const byId = new Set<number>();
  for (const id of found) {
    for (const t of linker.ids.get(`${id.kind}:${id.value}`) ?? []) {
      byId.add(t);
      add({ title: t, confidence: 0.98, reason: id.label });
    }
  }
  const byAuthor = new Set(input.author ? (linker.accounts.get(foldName(input.author)) ?? []) : []);
  const allText = [input.subject ?? '', ...input.texts].join('\n');
  const context = textContext(allText);
  const support = (t: number, near: string, ideographic: number, strongOnly: boolean): string | undefined => {
    if (byId.has(t)) return 'matching id';
    if (byAuthor.has(t)) return "the title's own account";
    // Two Han characters are a word far more often than a title ("报应" in a post is not The
    // Reaping), a bare number is a number ("第四季10集"), and a lower-case word in prose is a word
    // ("seen this movie three times"): a year or a context word nearby is not enough for them.
    if (strongOnly || (ideographic > 0 && ideographic <= 2)) return undefined;
    const year = linker.titles[t]?.year;
    if (year !== undefined && [...context.years].some((y) => Math.abs(y - year) <= 1)) return `year ${year}`;
    // Context words in the name's own script: 剧 next to "It" says nothing.
    const word = (ideographic > 0 ? CONTEXT_CJK : CONTEXT_LATIN).exec(near)?.[0];
    if (word) return `context "${word}"`;
    return undefined;
  };

  // 2. Hashtags the site lists: a whole hashtag equal to a name.
  for (const tag of input.hashtags ?? []) {
    const folded = foldName(tag);
    const p = lookup(linker.trie, folded);
    if (p < 0) continue;
    const { title } = choose(linker, linker.patternTitles[p] ?? [], byId, context.years);
    add({ title, confidence: linker.patternWeak[p] ? 0.7 : 0.9, reason: `#${tag} hashtag` });
  }

  // 3. The subject name the site gives (a Douban page is about exactly one title).
  if (input.subject) scanOne(linker, input.subject, 'subject', byId, context, support, add, buffer);
  // 4. Names in the texts.
  for (const text of input.texts) if (text) scanOne(linker, text, 'text', byId, context, support, add, buffer);

  return [...out.values()]
    .sort((a, b) => b.confidence - a.confidence)
    .map((c) => ({ titleId: linker.titles[c.title]?.id ?? '', confidence: c.confidence, reason: c.reason, source: 'linker' as const }));
}

function scanOne(
  linker: Linker,
  text: string,
  where: 'subject' | 'text',
  byId: Set<number>,
  context: TextContext,
  support: (t: number, near: string, ideographic: number, strongOnly: boolean) => string | undefined,
  add: (c: Candidate) => void,
  buffer: FoldedText | undefined,
): void {
  const folded = foldText(text, buffer);
  let hits = scanTrie(linker.trie, folded, (p) => linker.patternWeak[p] === 0);
  // A page subject names one title: keep its longest name only ("神秘博士：逃跑新娘" is Doctor Who, not Runaway Bride).
  if (where === 'subject') hits = hits.reduce<TrieHit[]>((best, h) => (best[0] && best[0].end - best[0].start >= h.end - h.start ? best : [h]), []);
  const quotedSpans = where === 'text' ? bookTitleSpans(folded.source) : [];
  for (const hit of hits) {
    const p = hit.pattern;
    const { title, shared } = choose(linker, linker.patternTitles[p] ?? [], byId, context.years);
    const how = framing(folded, hit);
    const label = linker.patternLabel[p] ?? '';
    const start = folded.pos[hit.start] as number;
    const end = (folded.pos[hit.end - 1] as number) + 1;
    // Inside a longer 《…》 the name is part of another work's title (《世界尽头冷酷仙境》 is not 世界尽头).
    if (!how && quotedSpans.some(([a, b]) => a <= start && end <= b)) continue;
    const span = folded.source.slice(start, end);
    // English prose capitalises titles; an all-lower-case Latin match ("the conversation") needs support.
    const weak = linker.patternWeak[p] === 1 || (/[a-z]/.test(span) && !/[A-Z\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(span));
    // The words around the name, not the name itself (电影 must not support 影技 inside 电影技术).
    const near = `${folded.source.slice(Math.max(0, start - CONTEXT_WINDOW), start)} ${folded.source.slice(end, end + CONTEXT_WINDOW)}`;
    const where_ = where === 'subject' ? 'the page subject' : 'text';
    let confidence: number;
    let reason: string;
    if (!weak) {
      const long = hit.end - hit.start >= (((folded.flags[hit.start] as number) & 2) !== 0 ? 4 : 8);
      confidence = how || where === 'subject' ? 0.9 : long ? 0.8 : 0.7;
      reason = `${how ? quoteName(label, how) : label} in ${where_}`;
    } else {
      const pattern = linker.trie.patterns[p] ?? '';
      const strongOnly = /^\d+$/.test(pattern) || (!/[A-Z]/.test(span) && !/[^\p{L}]/u.test(span.trim()) && countIdeographic(pattern) === 0);
      const why = where === 'subject' ? 'page subject' : (how ?? support(title, near, countIdeographic(pattern), strongOnly));
      if (!why) continue;
      confidence = how || where === 'subject' ? 0.7 : 0.6;
      reason = `${how ? quoteName(label, how) : label} in ${where_}${how || where === 'subject' ? '' : ` with ${why}`}`;
    }
    if (shared) {
      confidence *= 0.85;
      reason += ` (${linker.patternTitles[p]?.length ?? 0} titles share this name)`;
    }
    add({ title, confidence: Math.round(confidence * 100) / 100, reason });
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

/** What the linker reads from a captured event. */
export function eventInput(event: CapturedEvent): LinkInput {
  const target = event.target;
  const input: LinkInput = {
    texts: [target.text, event.userText ?? '', event.site === 'douban' ? '' : (target.title ?? '')].filter(Boolean),
    hashtags: target.hashtags,
    urls: [target.url, ...target.links],
    ids: target.itemIds.map((id) => siteItemId(id.kind, id.value)).filter((id): id is FoundId => id !== undefined),
  };
  // On Douban the page title is the subject itself ("盗梦空间 Inception (2010)").
  if (event.site === 'douban' && target.title) input.subject = target.title;
  if (target.author) input.author = `${event.site}:${target.author}`;
  return input;
}

/** Links a captured event to catalog titles (linker links only). */
export function linkEvent(linker: Linker, event: CapturedEvent, buffer?: FoldedText): TitleLink[] {
  return linkInput(linker, eventInput(event), buffer);
}

/** Merges the user's corrections over the linker's links: removed titles stay out, the user's own links win. */
export function applyCorrections(linked: readonly TitleLink[], userLinks: readonly TitleLink[], removedTitleIds: readonly string[]): TitleLink[] {
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
    return year > 0 ? { id, year } : { id };
  });
  const { patternOffsets: offsets, patternValues: values } = snapshot;
  const patternTitles: number[][] = new Array<number[]>(offsets.length - 1);
  for (let p = 0; p + 1 < offsets.length; p += 1) patternTitles[p] = Array.from(values.subarray(offsets[p] as number, offsets[p + 1] as number));
  return { titles, trie: snapshot.trie, patternTitles, patternWeak: snapshot.patternWeak, patternLabel: snapshot.patternLabel, ids: snapshot.ids, accounts: snapshot.accounts };
}
