import type { CatalogTitle } from '../catalog/types.ts';
import { TEXT_BUCKETS } from './text.ts';
import { eraOf, type FlatLists, type Rows, type TitleIndex, type TitleList } from './title-index.ts';

/**
 * The saved copy of a built title index (issue 16): what a restarted service worker reads back
 * instead of the whole catalog, checked before it is used and, title by title, as it is read.
 */

/** Bumped whenever the build would make another index of the same titles: an older snapshot is then rebuilt. */
export const TITLE_INDEX_FORMAT = 3;

/**
 * A title as the model reads it once its index is built: names, aliases, tags, genres, people and
 * ids (ranking and reasons read those off the title), without its watch links and synopsis (never
 * read by the model) and its vectors (kept in the index's typed arrays). What a snapshot carries.
 */
export function slimTitle(t: CatalogTitle): CatalogTitle {
  const slim: CatalogTitle = {
    id: t.id,
    kind: t.kind,
    titles: t.titles,
    aliases: t.aliases,
    hashtags: t.hashtags,
    genres: t.genres,
    people: t.people,
    externalIds: t.externalIds,
    watch: [],
    popularity: t.popularity,
  };
  if (t.year !== undefined) slim.year = t.year;
  if (t.directors) slim.directors = t.directors;
  if (t.popularityKnown === false) slim.popularityKnown = false;
  if (t.accounts) slim.accounts = t.accounts;
  if (t.commonNames) slim.commonNames = t.commonNames;
  if (t.phraseNames) slim.phraseNames = t.phraseNames;
  return slim;
}

/**
 * What a build made of some 50,000 titles, as plain typed arrays and strings, so a restarted
 * service worker reads one record back instead of the whole catalog and tokenizing it again
 * (issue 16): the titles themselves ride along slimmed (slimTitle), each as JSON, all of them in
 * one run of UTF-8 bytes: one buffer reads back (and is checksummed) far faster than 50,000
 * strings, and a title is decoded and parsed only when it is first read. The caller keys the
 * record by the titles it was made of (catalog and learned titles); the checksum finds damage.
 */
export interface TitleIndexSnapshot {
  format: number;
  titleIds: string[];
  /** The slimmed titles as JSON, UTF-8, one after another in index order (each parsed on first use after a restore). */
  titleText: Uint8Array;
  /** Where each title's JSON ends in titleText (it starts where the one before it ends). */
  titleEnds: Uint32Array;
  idf: Float32Array;
  flat: FlatLists;
  vocab: TitleIndex['vocab'];
  kindId: Int32Array;
  languageId: Int32Array;
  eraId: Int32Array;
  /** The per-title numbers read off the titles by a build (popularity after the median fill). */
  year: Float32Array;
  popularity: Float32Array;
  priorKnown: Uint8Array;
  novelty: Float32Array;
  /** The Douban subject ids of the titles (TitleIndex.douban), and each one's title. */
  doubanIds: string[];
  doubanTitles: Int32Array;
  k: number;
  vectors?: Float32Array;
  gram?: Float64Array;
  kItem: number;
  itemItem?: Float32Array;
  itemItemScale?: Float32Array;
  /** Over everything above, checked on restore: a damaged copy is rebuilt, never used. */
  checksum: string;
}

type Unsealed = Omit<TitleIndexSnapshot, 'checksum'>;

/** FNV-1a-style mix of 32-bit words (a byte tail folded in last): a quarter of the steps of hashing bytes. */
function hashView(a: ArrayBufferView, seed: number): number {
  const words = new Int32Array(a.buffer, a.byteOffset, a.byteLength >> 2);
  let h = seed;
  for (let i = 0; i < words.length; i += 1) h = Math.imul(h ^ (words[i] as number), 0x01000193);
  const tail = new Uint8Array(a.buffer, a.byteOffset + words.byteLength, a.byteLength & 3);
  for (let i = 0; i < tail.length; i += 1) h = Math.imul(h ^ (tail[i] as number), 0x01000193);
  return h >>> 0;
}

const encoder = new TextEncoder();

function hashStrings(lists: readonly (readonly string[])[], seed: number): number {
  let h = seed;
  for (const list of lists) {
    h = Math.imul(h ^ list.length, 0x01000193);
    // One joined text, encoded natively and hashed by words: a tenth of the time of a loop over 100,000 strings.
    h = hashView(encoder.encode(list.join('\u0000')), h);
  }
  return h;
}

const numberFields = [
  'titleText',
  'titleEnds',
  'year',
  'popularity',
  'priorKnown',
  'novelty',
  'doubanTitles',
  'vectors',
  'gram',
  'itemItem',
  'itemItemScale',
] as const;

function snapshotArrays(s: Unsealed): ArrayBufferView[] {
  const optional = numberFields.map((key) => s[key]).filter((a): a is NonNullable<typeof a> => a !== undefined);
  return [s.idf, ...Object.values(s.flat), s.kindId, s.languageId, s.eraId, ...optional];
}

function snapshotChecksum(s: Unsealed): string {
  // Each part's length too: a list cut short or moved into its neighbour changes the sum.
  const parts = [
    hashStrings([s.titleIds, s.doubanIds, [`${s.k}.${s.kItem}`], ...Object.values(s.vocab)], 0x811c9dc5),
    ...snapshotArrays(s).map((a) => hashView(a, 0x811c9dc5 ^ a.byteLength)),
  ];
  return `${s.format}:${parts.map((h) => h.toString(16).padStart(8, '0')).join('')}`;
}

/** A snapshot's fields with their checksum (a changed copy is sealed anew: tests make one so). */
export function sealTitleIndexSnapshot(s: Omit<TitleIndexSnapshot, 'checksum'> & { checksum?: string }): TitleIndexSnapshot {
  const { checksum: _old, ...unsealed } = s;
  return { ...unsealed, checksum: snapshotChecksum(unsealed) };
}

/** Texts as one run of UTF-8 bytes, with where each ends. */
export function packTexts(texts: readonly string[]): { text: Uint8Array; ends: Uint32Array } {
  const encoder = new TextEncoder();
  const ends = new Uint32Array(texts.length);
  // UTF-8 takes at most three bytes per UTF-16 unit.
  let buffer = new Uint8Array(texts.reduce((sum, t) => sum + t.length, 0) * 3);
  let at = 0;
  texts.forEach((t, i) => {
    at += encoder.encodeInto(t, buffer.subarray(at)).written;
    ends[i] = at;
  });
  buffer = buffer.slice(0, at);
  return { text: buffer, ends };
}

/** The snapshot of a built index. */
export function titleIndexSnapshot(index: TitleIndex): TitleIndexSnapshot {
  const ids: string[] = [];
  const titles: string[] = [];
  for (let i = 0; i < index.titles.length; i += 1) {
    const t = index.titles.at(i) as CatalogTitle;
    ids.push(t.id);
    titles.push(JSON.stringify(slimTitle(t)));
  }
  const packed = packTexts(titles);
  const unsealed: Unsealed = {
    format: TITLE_INDEX_FORMAT,
    titleIds: ids,
    titleText: packed.text,
    titleEnds: packed.ends,
    idf: index.idf,
    flat: index.flat,
    vocab: index.vocab,
    kindId: index.kindId,
    languageId: index.languageId,
    eraId: index.eraId,
    year: index.year,
    popularity: index.popularity,
    priorKnown: index.priorKnown,
    novelty: index.novelty,
    doubanIds: [...index.douban.keys()],
    doubanTitles: Int32Array.from(index.douban.values()),
    k: index.k,
    ...(index.vectors ? { vectors: index.vectors } : {}),
    ...(index.gram ? { gram: index.gram } : {}),
    kItem: index.kItem,
    ...(index.itemItem && index.itemItemScale ? { itemItem: index.itemItem, itemItemScale: index.itemItemScale } : {}),
  };
  return sealTitleIndexSnapshot(unsealed);
}

/** Whether every offset list starts at 0, never decreases and ends at its data's length, and every id is in its vocabulary. */
function soundLists(s: TitleIndexSnapshot, n: number): boolean {
  const { flat, vocab } = s;
  const lists: [Uint32Array, ArrayLike<number>, number][] = [
    [flat.textOffsets, flat.textIndices, TEXT_BUCKETS],
    [flat.textOffsets, flat.textValues, Infinity],
    [flat.genreOffsets, flat.genreIds, vocab.genre.length],
    [flat.peopleOffsets, flat.peopleIds, vocab.people.length],
    [flat.tagOffsets, flat.tagIds, vocab.tag.length],
  ];
  for (const [offsets, data, bound] of lists) {
    if (!(offsets instanceof Uint32Array) || offsets.length !== n + 1 || offsets[0] !== 0 || offsets[n] !== data.length) return false;
    for (let i = 0; i < n; i += 1) if ((offsets[i] as number) > (offsets[i + 1] as number)) return false;
    if (bound !== Infinity)
      for (let j = 0; j < data.length; j += 1) if (!((data[j] as number) >= 0 && (data[j] as number) < bound)) return false;
  }
  const ids: [Int32Array, number, number][] = [
    [s.kindId, 0, vocab.kind.length],
    [s.languageId, 0, vocab.language.length],
    [s.eraId, -1, vocab.era.length],
  ];
  for (const [list, low, bound] of ids) {
    if (!(list instanceof Int32Array) || list.length !== n) return false;
    for (let i = 0; i < n; i += 1) if (!((list[i] as number) >= low && (list[i] as number) < bound)) return false;
  }
  return true;
}

/** Whether the per-title numbers have one entry per title (k or kItem per title for the vectors). */
function soundNumbers(s: TitleIndexSnapshot, n: number): boolean {
  const sized = (a: unknown, type: new (length: number) => ArrayBufferView, length: number): boolean =>
    a instanceof type && (a as unknown as { length: number }).length === length;
  const count = (k: unknown): k is number => Number.isInteger(k) && (k as number) >= 0;
  if (!count(s.k) || !count(s.kItem)) return false;
  return (
    s.titleText instanceof Uint8Array &&
    sized(s.titleEnds, Uint32Array, n) &&
    sized(s.year, Float32Array, n) &&
    sized(s.popularity, Float32Array, n) &&
    sized(s.priorKnown, Uint8Array, n) &&
    sized(s.novelty, Float32Array, n) &&
    isStringList(s.doubanIds) &&
    sized(s.doubanTitles, Int32Array, s.doubanIds.length) &&
    s.doubanTitles.every((i) => i >= 0 && i < n) &&
    (s.k > 0
      ? sized(s.vectors, Float32Array, n * s.k) && sized(s.gram, Float64Array, s.k * s.k)
      : s.vectors === undefined && s.gram === undefined) &&
    (s.kItem > 0
      ? sized(s.itemItem, Float32Array, n * s.kItem) && sized(s.itemItemScale, Float32Array, n)
      : s.itemItem === undefined && s.itemItemScale === undefined)
  );
}

const isStringList = (a: unknown): a is string[] => Array.isArray(a) && a.every((x) => typeof x === 'string');

/** A slimmed title as it parsed from a snapshot, if it is of a sound shape and the title the snapshot names at i. */
function soundTitle(s: TitleIndexSnapshot, t: Partial<CatalogTitle> | null, i: number): boolean {
  return (
    t !== null &&
    typeof t === 'object' &&
    t.id === s.titleIds[i] &&
    typeof t.kind === 'string' &&
    s.vocab.kind[s.kindId[i] as number] === t.kind &&
    typeof t.titles === 'object' &&
    t.titles !== null &&
    Object.values(t.titles).every(isStringList) &&
    [t.aliases, t.hashtags, t.genres, t.people].every(isStringList) &&
    (t.directors === undefined || isStringList(t.directors)) &&
    typeof t.externalIds === 'object' &&
    t.externalIds !== null &&
    Object.values(t.externalIds).every(isStringList) &&
    Array.isArray(t.watch) &&
    s.vocab.era[s.eraId[i] as number] === eraOf(t.year)
  );
}

/** Rows made on first read and kept. */
class LazyRows<T> implements Rows<T> {
  private readonly made: (T | undefined)[];

  constructor(
    readonly length: number,
    private readonly make: (i: number) => T,
  ) {
    this.made = new Array<T | undefined>(length);
  }

  at(i: number): T | undefined {
    if (!(i >= 0 && i < this.length)) return undefined;
    let row = this.made[i];
    if (row === undefined) this.made[i] = row = this.make(i);
    return row;
  }
}

/** Thrown when a title read from a saved index turns out damaged (the caller drops the copy and builds anew). */
export class DamagedTitleIndexError extends Error {
  constructor(i: number) {
    super(`saved title index: title ${i} is damaged`);
    this.name = 'DamagedTitleIndexError';
  }
}

/** A snapshot's titles, each decoded, parsed and checked the first time it is asked for, then kept. */
class SnapshotTitles implements TitleList {
  readonly length: number;
  private readonly parsed: (CatalogTitle | undefined)[];
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly s: TitleIndexSnapshot) {
    this.length = s.titleEnds.length;
    this.parsed = new Array<CatalogTitle | undefined>(this.length);
  }

  at(i: number): CatalogTitle | undefined {
    if (!(i >= 0 && i < this.length)) return undefined;
    let title = this.parsed[i];
    if (!title) {
      let t: unknown;
      try {
        const start = i === 0 ? 0 : (this.s.titleEnds[i - 1] as number);
        t = JSON.parse(this.decoder.decode(this.s.titleText.subarray(start, this.s.titleEnds[i] as number)));
      } catch {
        throw new DamagedTitleIndexError(i);
      }
      if (!soundTitle(this.s, t as Partial<CatalogTitle> | null, i)) throw new DamagedTitleIndexError(i);
      this.parsed[i] = title = t as CatalogTitle;
    }
    return title;
  }
}

/**
 * The snapshot's titles, when their ends cut its text into one run per title it names; each is
 * checked to be the title named there, of a sound shape, as it is parsed (SnapshotTitles).
 */
function snapshotTitles(s: TitleIndexSnapshot): TitleList | undefined {
  const ends = s.titleEnds;
  if (ends.length !== s.titleIds.length || (ends.length > 0 && ends[ends.length - 1] !== s.titleText.length)) return undefined;
  for (let i = 1; i < ends.length; i += 1) if ((ends[i] as number) < (ends[i - 1] as number)) return undefined;
  return new SnapshotTitles(s);
}

/** Why a snapshot cannot be restored (undefined: it can): missing, format, shape, lists, checksum or titles. */
function snapshotProblem(s: TitleIndexSnapshot | undefined): string | undefined {
  if (!s || typeof s !== 'object') return 'missing';
  if (s.format !== TITLE_INDEX_FORMAT) return 'format';
  if (!isStringList(s.titleIds)) return 'shape';
  const typed =
    s.idf instanceof Float32Array &&
    s.idf.length === TEXT_BUCKETS &&
    s.flat instanceof Object &&
    s.flat.textIndices instanceof Uint32Array &&
    s.flat.textValues instanceof Float32Array &&
    [s.flat.genreIds, s.flat.peopleIds, s.flat.tagIds].every((a) => a instanceof Int32Array) &&
    [s.kindId, s.languageId, s.eraId].every((a) => a instanceof Int32Array) &&
    s.vocab instanceof Object &&
    (['genre', 'people', 'tag', 'kind', 'language', 'era'] as const).every((space) => isStringList(s.vocab[space]));
  const n = s.titleIds.length;
  if (!typed || !soundNumbers(s, n)) return 'shape';
  if (!soundLists(s, n)) return 'lists';
  if (s.checksum !== snapshotChecksum(s)) return 'checksum';
  return undefined;
}

/** Why a snapshot cannot be restored, if it cannot: missing, format, shape, lists, checksum or titles. */
export function titleIndexSnapshotProblem(s: TitleIndexSnapshot | undefined): string | undefined {
  return snapshotProblem(s) ?? (snapshotTitles(s as TitleIndexSnapshot) ? undefined : 'titles');
}

/**
 * The index a snapshot was made of, its titles slimmed (slimTitle); undefined when the snapshot is
 * of another format or damaged (the caller builds then, and says which by titleIndexSnapshotProblem).
 * Ranked from, it ranks as the built index does (test/shared/model/title-index.test.ts).
 */
export function titleIndexFromSnapshot(s: TitleIndexSnapshot | undefined): TitleIndex | undefined {
  if (!s || snapshotProblem(s) !== undefined) return undefined;
  const titles = snapshotTitles(s);
  if (!titles) return undefined;
  const n = titles.length;
  const { flat, vocab } = s;
  // Views and names are made per title as each is first read: a ranking reads a few hundred of
  // 50,000, and making them all (a quarter of a million views) was most of a restore's time.
  const run = <T extends Uint32Array | Int32Array | Float32Array>(offsets: Uint32Array, all: T) =>
    new LazyRows(n, (i) => all.subarray(offsets[i] as number, offsets[i + 1] as number) as T);
  const genreIds = run(flat.genreOffsets, flat.genreIds);
  const peopleIds = run(flat.peopleOffsets, flat.peopleIds);
  const tagIds = run(flat.tagOffsets, flat.tagIds);
  const names = (ids: LazyRows<Int32Array>, keys: string[]): Rows<string[]> =>
    new LazyRows(n, (i) => Array.from(ids.at(i) as Int32Array, (id) => keys[id] as string));
  const byId = new Map<string, number>();
  const douban = new Map<string, number>();
  const kind = new Array<string>(n);
  const era = new Array<string | undefined>(n);
  for (let i = 0; i < n; i += 1) {
    byId.set(s.titleIds[i] as string, i);
    kind[i] = vocab.kind[s.kindId[i] as number] as string;
    era[i] = vocab.era[s.eraId[i] as number];
  }
  for (let j = 0; j < s.doubanIds.length; j += 1) douban.set(s.doubanIds[j] as string, s.doubanTitles[j] as number);
  return {
    titles,
    byId,
    kind,
    era,
    year: s.year,
    popularity: s.popularity,
    priorKnown: s.priorKnown,
    douban,
    novelty: s.novelty,
    ...(s.vectors ? { vectors: s.vectors } : {}),
    k: s.k,
    ...(s.itemItem && s.itemItemScale ? { itemItem: s.itemItem, itemItemScale: s.itemItemScale } : {}),
    kItem: s.kItem,
    text: new LazyRows(n, (i) => {
      const [from, to] = [flat.textOffsets[i] as number, flat.textOffsets[i + 1] as number];
      return { indices: flat.textIndices.subarray(from, to), values: flat.textValues.subarray(from, to) };
    }),
    idf: s.idf,
    language: Array.from(s.languageId, (id) => vocab.language[id] as string),
    genres: names(genreIds, vocab.genre),
    people: names(peopleIds, vocab.people),
    tags: names(tagIds, vocab.tag),
    vocab,
    genreIds,
    peopleIds,
    tagIds,
    flat,
    kindId: s.kindId,
    languageId: s.languageId,
    eraId: s.eraId,
    ...(s.gram ? { gram: s.gram } : {}),
  };
}
