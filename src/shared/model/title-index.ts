import type { CatalogTitle } from '../catalog/types.ts';
import { gram } from './linalg.ts';
import { TEXT_BUCKETS, countBuckets, idfFromDf, tfidf, tokenize, type SparseVector } from './text.ts';

/**
 * Title features, computed once per catalog and shared by training, ranking and evaluation:
 * hashed TF-IDF text of names, aliases, tags, genres and people; kind, era, language,
 * popularity prior, and the catalog's collaborative item vectors with their Gram matrix.
 */
/**
 * The titles of an index by position (0 ≤ i < length): the titles themselves after a build; after
 * a restore, each parsed from the snapshot the first time it is asked for (a ranking reads a few
 * hundred of some 50,000).
 */
/** Per-title values read by position: an array, or a list that makes each on first read. */
export interface Rows<T> {
  readonly length: number;
  at(i: number): T | undefined;
}

export type TitleList = Rows<CatalogTitle>;

export interface TitleIndex {
  titles: TitleList;
  byId: Map<string, number>;
  text: Rows<SparseVector>;
  idf: Float32Array;
  kind: string[];
  language: string[];
  era: (string | undefined)[];
  year: Float32Array;
  genres: Rows<string[]>;
  people: Rows<string[]>;
  /** Hashtag forms of the title: its hashtags and its names without spaces, lower-cased. */
  tags: Rows<string[]>;
  popularity: Float32Array;
  /** 1 where the publisher ranked the title; 0 for a title learned on this device, ranked at the catalog's median prior. */
  priorKnown: Uint8Array;
  /** Douban subject id → title (the catalog's ids and those learned on this device). */
  douban: Map<string, number>;
  /** Per-title values that do not depend on the user: novelty and recency inputs. */
  novelty: Float32Array;
  /** Interned keys, so scoring the whole catalog reads typed arrays instead of string maps. */
  vocab: Record<'genre' | 'people' | 'tag' | 'kind' | 'language' | 'era', string[]>;
  /** Per title, ids into vocab.genre / vocab.people / vocab.tag. */
  genreIds: Rows<Int32Array>;
  peopleIds: Rows<Int32Array>;
  tagIds: Rows<Int32Array>;
  /**
   * The same per-title lists laid end to end, title i's at offsets[i]..offsets[i + 1] (the arrays
   * above are views into these): a pass over the whole catalog reads a few long arrays instead of
   * five small ones per title, scattered over the heap (issue 16: a third of the ranking's time).
   */
  flat: FlatLists;
  /** Per title, an id into vocab.kind / vocab.language / vocab.era (-1: none). */
  kindId: Int32Array;
  languageId: Int32Array;
  eraId: Int32Array;
  /** n×k item vectors (zero rows for titles without one), when the catalog has vectors. */
  vectors?: Float32Array;
  k: number;
  /** VᵀV of the item vectors, for the user's ridge solve. */
  gram?: Float64Array;
  /** n×kItem rows of the catalog's item-item model (zero rows for titles without one), and each row's scale. */
  itemItem?: Float32Array;
  itemItemScale?: Float32Array;
  kItem: number;
}

/** Per-title lists of the index, end to end; see TitleIndex.flat. */
export interface FlatLists {
  textOffsets: Uint32Array;
  textIndices: Uint32Array;
  textValues: Float32Array;
  genreOffsets: Uint32Array;
  genreIds: Int32Array;
  peopleOffsets: Uint32Array;
  peopleIds: Int32Array;
  tagOffsets: Uint32Array;
  tagIds: Int32Array;
}

/** Lays the lists end to end and replaces each by a view of its run; returns the runs' offsets and the whole. */
function flatten<T extends Uint32Array | Int32Array | Float32Array>(
  lists: T[],
  make: (length: number) => T,
): { offsets: Uint32Array; all: T } {
  const offsets = new Uint32Array(lists.length + 1);
  for (let i = 0; i < lists.length; i += 1) offsets[i + 1] = (offsets[i] as number) + (lists[i] as T).length;
  const all = make(offsets[lists.length] as number);
  for (let i = 0; i < lists.length; i += 1) {
    all.set(lists[i] as T, offsets[i] as number);
    lists[i] = all.subarray(offsets[i] as number, offsets[i + 1] as number) as T;
  }
  return { offsets, all };
}

/** A lower-cased key without a leading '#' and inner spaces, so #StrangerThings matches "Stranger Things". */
export function tagKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/^#/u, '')
    .replace(/[\s·・:：\-_'’!！?？,，.。]+/gu, '');
}

/** Decade bucket of a year, e.g. "1990". */
export function eraOf(year: number | undefined): string | undefined {
  return year === undefined || !Number.isFinite(year) ? undefined : String(Math.floor(year / 10) * 10);
}

/**
 * The original language of a title, from the script of its original name (the catalog has
 * no language field): kana → ja, hangul → ko, Han → zh, otherwise en.
 */
export function titleLanguage(title: CatalogTitle): string {
  const original = title.titles.original?.[0] ?? title.titles.ja?.[0] ?? title.titles['zh-Hans']?.[0] ?? title.titles.en?.[0] ?? '';
  if (/\p{Script=Hiragana}|\p{Script=Katakana}/u.test(original)) return 'ja';
  if (/\p{Script=Hangul}/u.test(original)) return 'ko';
  if (/\p{Script=Han}/u.test(original)) return title.titles.ja && !title.titles.original ? 'ja' : 'zh';
  return 'en';
}

/** Every name of a title, in all its languages. */
function titleNames(title: CatalogTitle): string[] {
  return Object.values(title.titles).flatMap((names) => names ?? []);
}

/**
 * The words of a title's text document: names, aliases, hashtags, genres and people. Tokenized as
 * one text, a line per part (no word or Han run crosses a line): one segmenter pass per title, not one per name.
 */
export function titleDocument(title: CatalogTitle): string[] {
  return tokenize([...titleNames(title), ...title.aliases, ...title.hashtags, ...title.genres, ...title.people].join('\n'));
}

/** What the index keeps of one title that depends on nothing else: computed once per title and cached. */
export interface TitleParts {
  /** The text document's term counts per bucket. */
  counts: Map<number, { count: number; token: string }>;
  language: string;
  genres: string[];
  people: string[];
  tags: string[];
}

/**
 * Per-title parts of earlier builds, by title object: the next build over the same objects (the
 * catalog kept in memory, with a title learned on the device added) tokenizes only the new ones.
 * Tokenizing is most of a build (Intl.Segmenter over some 50,000 titles' names).
 */
export type TitlePartsCache = WeakMap<CatalogTitle, TitleParts>;

function titleParts(title: CatalogTitle): TitleParts {
  return {
    counts: countBuckets(titleDocument(title)),
    language: titleLanguage(title),
    genres: [...new Set(title.genres.map((g) => g.toLowerCase()))],
    people: [...new Set(title.people)],
    tags: [...new Set([...title.hashtags, ...titleNames(title), ...title.aliases].map(tagKey).filter((s) => s.length > 1))],
  };
}

/** Titles tokenized between two chances for the caller to pause (see buildTitleIndexAsync). */
const SLICE = 256;

/** The fields read off the titles themselves, the same for a build and a restore: one pass over the titles. */
function titleFields(
  titles: readonly CatalogTitle[],
): Pick<
  TitleIndex,
  | 'byId'
  | 'kind'
  | 'era'
  | 'year'
  | 'popularity'
  | 'priorKnown'
  | 'douban'
  | 'novelty'
  | 'vectors'
  | 'k'
  | 'itemItem'
  | 'itemItemScale'
  | 'kItem'
> {
  const n = titles.length;
  const k = titles.find((t) => t.vector && t.vector.length > 0)?.vector?.length ?? 0;
  const vectors = k > 0 ? new Float32Array(n * k) : undefined;
  const kItem = titles.find((t) => t.itemItem && t.itemItem.vector.length > 0)?.itemItem?.vector.length ?? 0;
  const itemItem = kItem > 0 ? new Float32Array(n * kItem) : undefined;
  const itemItemScale = kItem > 0 ? new Float32Array(n) : undefined;
  const byId = new Map<string, number>();
  const kind = new Array<string>(n);
  const era = new Array<string | undefined>(n);
  const year = new Float32Array(n);
  const popularity = new Float32Array(n);
  const priorKnown = new Uint8Array(n);
  const douban = new Map<string, number>();
  for (let i = 0; i < n; i += 1) {
    const t = titles[i] as CatalogTitle;
    byId.set(t.id, i);
    kind[i] = t.kind;
    era[i] = eraOf(t.year);
    year[i] = t.year !== undefined && Number.isFinite(t.year) ? t.year : Number.NaN;
    popularity[i] = Number.isFinite(t.popularity) ? Math.min(1, Math.max(0, t.popularity)) : 0;
    priorKnown[i] = t.popularityKnown === false ? 0 : 1;
    for (const id of t.externalIds.douban ?? []) douban.set(id, i);
    const v = t.vector;
    if (vectors && v?.length === k) {
      let finite = true;
      for (let j = 0; j < k && finite; j += 1) finite = Number.isFinite(v[j]);
      if (finite) vectors.set(v, i * k);
    }
    const row = t.itemItem;
    if (itemItem && itemItemScale && row?.vector.length === kItem && Number.isFinite(row.scale) && row.vector.every(Number.isFinite)) {
      itemItem.set(row.vector, i * kItem);
      itemItemScale[i] = row.scale;
    }
  }
  // A title no publisher ranked is neither popular nor little known: it ranks at the catalog's median prior.
  const ranked = popularity.filter((_, i) => priorKnown[i] === 1).sort();
  const median = ranked.length > 0 ? (ranked[ranked.length >> 1] as number) : 0;
  const novelty = new Float32Array(n);
  for (let i = 0; i < n; i += 1) {
    if (priorKnown[i] === 0) popularity[i] = median;
    novelty[i] = -Math.log((popularity[i] as number) + 0.01) / Math.log(101);
  }
  return {
    byId,
    kind,
    era,
    year,
    popularity,
    priorKnown,
    douban,
    novelty,
    ...(vectors ? { vectors } : {}),
    k,
    ...(itemItem && itemItemScale ? { itemItem, itemItemScale } : {}),
    kItem,
  };
}

/** The build as steps: it yields between slices of titles, so an async caller can let other work run. */
function* indexSteps(titles: readonly CatalogTitle[], cache?: TitlePartsCache): Generator<void, TitleIndex> {
  const n = titles.length;
  const all: TitleParts[] = [];
  for (let i = 0; i < n; i += 1) {
    const t = titles[i] as CatalogTitle;
    let parts = cache?.get(t);
    if (!parts) {
      parts = titleParts(t);
      cache?.set(t, parts);
    }
    all.push(parts);
    if (i % SLICE === SLICE - 1) yield;
  }
  const counts = all.map((p) => p.counts);
  const df = new Uint32Array(TEXT_BUCKETS);
  for (const c of counts) for (const b of c.keys()) df[b] = (df[b] as number) + 1;
  const idf = idfFromDf(df, n);
  const fields = titleFields(titles);
  yield;
  const vocab: TitleIndex['vocab'] = { genre: [], people: [], tag: [], kind: [], language: [], era: [] };
  const interned = new Map<string, Map<string, number>>();
  const intern = (space: keyof TitleIndex['vocab'], key: string): number => {
    let ids = interned.get(space);
    if (!ids) interned.set(space, (ids = new Map()));
    let id = ids.get(key);
    if (id === undefined) {
      id = vocab[space].length;
      ids.set(key, id);
      vocab[space].push(key);
    }
    return id;
  };
  const genres = all.map((p) => p.genres);
  const people = all.map((p) => p.people);
  const tags = all.map((p) => p.tags);
  const language = all.map((p) => p.language);
  const genreIds: Int32Array[] = [];
  const peopleIds: Int32Array[] = [];
  const tagIds: Int32Array[] = [];
  const kindId = new Int32Array(n);
  const languageId = new Int32Array(n);
  const eraId = new Int32Array(n);
  for (let i = 0; i < n; i += 1) {
    genreIds.push(Int32Array.from(genres[i] ?? [], (g) => intern('genre', g)));
    peopleIds.push(Int32Array.from(people[i] ?? [], (p) => intern('people', p)));
    tagIds.push(Int32Array.from(tags[i] ?? [], (t) => intern('tag', t)));
    kindId[i] = intern('kind', fields.kind[i] ?? 'other');
    languageId[i] = intern('language', language[i] ?? 'en');
    const era = fields.era[i];
    eraId[i] = era ? intern('era', era) : -1;
  }
  const text = counts.map((c) => tfidf(c, idf));
  const indices = text.map((v) => v.indices);
  const values = text.map((v) => v.values);
  const textLists = flatten(indices, (length) => new Uint32Array(length));
  const weights = flatten(values, (length) => new Float32Array(length));
  const genreLists = flatten(genreIds, (length) => new Int32Array(length));
  const peopleLists = flatten(peopleIds, (length) => new Int32Array(length));
  const tagLists = flatten(tagIds, (length) => new Int32Array(length));
  const flat: FlatLists = {
    textOffsets: textLists.offsets,
    textIndices: textLists.all,
    textValues: weights.all,
    genreOffsets: genreLists.offsets,
    genreIds: genreLists.all,
    peopleOffsets: peopleLists.offsets,
    peopleIds: peopleLists.all,
    tagOffsets: tagLists.offsets,
    tagIds: tagLists.all,
  };
  return {
    titles,
    ...fields,
    text: indices.map((v, i) => ({ indices: v, values: values[i] as Float32Array })),
    idf,
    language,
    genres,
    people,
    tags,
    vocab,
    genreIds,
    peopleIds,
    tagIds,
    flat,
    kindId,
    languageId,
    eraId,
    ...(fields.vectors ? { gram: gram(fields.vectors, n, fields.k) } : {}),
  };
}

/** Builds the title index of a catalog; with a cache, only titles new or changed since its last build are tokenized. */
export function buildTitleIndex(titles: readonly CatalogTitle[], cache?: TitlePartsCache): TitleIndex {
  const steps = indexSteps(titles, cache);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same build, pausing whenever a slice has run for `budgetMs`: in the service worker a
 * capture or the popup is answered between slices instead of after the whole catalog.
 */
export async function buildTitleIndexAsync(
  titles: readonly CatalogTitle[],
  options: { cache?: TitlePartsCache; budgetMs?: number; pause: () => Promise<void>; clock: () => number },
): Promise<TitleIndex> {
  const budget = options.budgetMs ?? 20;
  const steps = indexSteps(titles, options.cache);
  let sliceStart = options.clock();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (options.clock() - sliceStart >= budget) {
      await options.pause();
      sliceStart = options.clock();
    }
  }
}
