/**
 * MovieLens loading shared by the offline evaluation (`npm run eval`) and the simulation
 * (`npm run simulate`): ratings and items files, the per-user 75/25 split, implicit ALS item
 * vectors from the training split, and the catalog of CatalogTitles built from them.
 * Research data only: nothing here ships in the extension.
 */
import { readFileSync } from 'node:fs';
import type { CatalogTitle } from '../src/shared/catalog/types.ts';
import type { StoredEvent } from '../src/shared/events.ts';
import { buildInteractions, trainAls, type AlsOptions } from './als.ts';
import { quantizeRow } from './ease.ts';
import { createRng, shuffle } from '../src/shared/model/random.ts';

export type RatingsFormat = 'movielens-csv' | 'movielens-100k';

export interface Rating {
  user: string;
  item: string;
  rating: number;
  at: number;
}
export interface ItemInfo {
  title: string;
  genres: string[];
  year?: number;
}
export interface UserSplit {
  train: Rating[];
  test: Rating[];
}

/** The format a ratings file is in, guessed from its name unless given. */
export function ratingsFormat(file: string, given?: string): RatingsFormat {
  if (given === 'movielens-csv' || given === 'movielens-100k') return given;
  return file.endsWith('.csv') ? 'movielens-csv' : 'movielens-100k';
}

/** Splits one CSV line, honouring double quotes (movies.csv quotes titles with commas). */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

/**
 * Splits a whole CSV text into records, honouring double quotes across commas and line breaks
 * (the Douban reviews of ../shared/data quote texts that hold newlines). Accepts CRLF or LF rows.
 */
export function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** Reads a ratings file (`ratings.csv` of ml-latest, or tab-separated `u.data` of ml-100k); times in ms. */
export function readRatings(file: string, format: RatingsFormat): Rating[] {
  const lines = readFileSync(file, 'utf8')
    .split(/\r?\n/u)
    .filter((l) => l.trim() !== '');
  const separator = format === 'movielens-csv' ? ',' : '\t';
  return (format === 'movielens-csv' ? lines.slice(1) : lines).map((l) => {
    const [user, item, rating, at] = l.split(separator);
    return { user: user ?? '', item: item ?? '', rating: Number(rating), at: Number(at) * 1000 };
  });
}

const YEAR = /\((\d{4})\)\s*$/u;
const ML100K_GENRES = [
  'unknown',
  'Action',
  'Adventure',
  'Animation',
  'Children',
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Fantasy',
  'Film-Noir',
  'Horror',
  'Musical',
  'Mystery',
  'Romance',
  'Sci-Fi',
  'Thriller',
  'War',
  'Western',
];

/** Reads an items file (`movies.csv` or `u.item`): id → title without year, genres, year. Empty without a file. */
export function readItems(file: string | undefined, format: RatingsFormat): Map<string, ItemInfo> {
  const out = new Map<string, ItemInfo>();
  if (!file) return out;
  const text = readFileSync(file, format === 'movielens-csv' ? 'utf8' : 'latin1');
  const lines = text.split(/\r?\n/u).filter((l) => l.trim() !== '');
  for (const line of format === 'movielens-csv' ? lines.slice(1) : lines) {
    let id: string;
    let title: string;
    let genres: string[];
    if (format === 'movielens-csv') {
      const [movieId, name, g] = csvFields(line);
      id = movieId ?? '';
      title = name ?? '';
      genres = (g ?? '').split('|').filter((x) => x && x !== '(no genres listed)');
    } else {
      const f = line.split('|');
      id = f[0] ?? '';
      title = f[1] ?? '';
      genres = ML100K_GENRES.filter((_, i) => f[5 + i] === '1');
    }
    const year = YEAR.exec(title)?.[1];
    out.set(id, { title: title.replace(YEAR, '').trim(), genres, ...(year ? { year: Number(year) } : {}) });
  }
  return out;
}

/** Per-user random split (75/25 by default, seed 42), users in numeric order, each user's ratings shuffled from item order. */
export function splitByUser(
  ratings: readonly Rating[],
  seed = 42,
  trainShare = 0.75,
): { userIds: string[]; split: Map<string, UserSplit> } {
  const byUser = new Map<string, Rating[]>();
  for (const r of ratings) {
    const list = byUser.get(r.user) ?? [];
    list.push(r);
    byUser.set(r.user, list);
  }
  const rng = createRng(seed);
  const userIds = [...byUser.keys()].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  const split = new Map<string, UserSplit>();
  for (const user of userIds) {
    const list = shuffle(
      [...(byUser.get(user) ?? [])].sort((a, b) => a.item.localeCompare(b.item)),
      rng,
    );
    const cut = Math.round(list.length * trainShare);
    split.set(user, { train: list.slice(0, cut), test: list.slice(cut) });
  }
  return { userIds, split };
}

export interface MovieLensCatalog {
  /** Items seen in training, in numeric order: the catalog's order. */
  itemIds: string[];
  itemIndex: Map<string, number>;
  userIndex: Map<string, number>;
  /** Training ratings per item. */
  counts: Float32Array;
  catalog: CatalogTitle[];
  alsMs: number;
}

/** An item-item row as the device reads it from a shipped catalog: int8 codes × step, the scale to 4 digits. */
function shippedRow(scale: number, row: Float64Array): { scale: number; vector: number[] } {
  const { step, vector } = quantizeRow(row);
  return { scale: Number(scale.toPrecision(4)), vector: vector.map((c) => c * step) };
}

/** The catalog: items seen in training, with vectors from implicit ALS on the training split only. */
export function buildCatalog(
  userIds: readonly string[],
  split: ReadonlyMap<string, UserSplit>,
  items: ReadonlyMap<string, ItemInfo>,
  alsOptions: AlsOptions,
  itemItem?: (trainLists: number[][], itemCount: number) => { k: number; vectors: Float64Array; scale: Float64Array },
): MovieLensCatalog {
  const itemIds = [...new Set([...split.values()].flatMap((s) => s.train.map((r) => r.item)))].sort((a, b) => Number(a) - Number(b));
  const itemIndex = new Map(itemIds.map((id, i) => [id, i]));
  const userIndex = new Map(userIds.map((id, i) => [id, i]));
  const counts = new Float32Array(itemIds.length);
  const triples: [number, number, number][] = [];
  for (const [user, { train }] of split) {
    for (const r of train) {
      const i = itemIndex.get(r.item) as number;
      counts[i] = (counts[i] as number) + 1;
      triples.push([userIndex.get(user) as number, i, 1]);
    }
  }
  const t0 = performance.now();
  const { itemFactors } = trainAls(buildInteractions(userIds.length, itemIds.length, triples), alsOptions);
  const alsMs = performance.now() - t0;
  const maxCount = Math.max(...counts);
  const k = alsOptions.factors;
  const lists = userIds.map((u) => (split.get(u)?.train ?? []).map((r) => itemIndex.get(r.item) as number));
  const ii = itemItem?.(lists, itemIds.length);
  const catalog: CatalogTitle[] = itemIds.map((id, i) => {
    const info = items.get(id);
    return {
      id,
      kind: 'film',
      titles: { en: [info?.title ?? `item ${id}`] },
      aliases: [],
      hashtags: [],
      ...(info?.year ? { year: info.year } : {}),
      genres: info?.genres ?? [],
      people: [],
      externalIds: {},
      watch: [],
      // The catalog's popularity prior: log-scaled training count.
      popularity: Math.log1p(counts[i] as number) / Math.log1p(maxCount),
      vector: Array.from(itemFactors.subarray(i * k, (i + 1) * k)),
      ...(ii ? { itemItem: shippedRow(ii.scale[i] as number, ii.vectors.subarray(i * ii.k, (i + 1) * ii.k)) } : {}),
    };
  });
  return { itemIds, itemIndex, userIndex, counts, catalog, alsMs };
}

/** A user's ratings as engagement events, linked to their titles as the linker would (stars rounded to 1–5). */
export function ratingEvents(ratings: readonly Rating[]): StoredEvent[] {
  return ratings.map((r) => ({
    site: 'douban',
    action: 'rating',
    at: r.at,
    rating: Math.min(5, Math.max(1, Math.round(r.rating))),
    target: { id: `ml-${r.item}`, url: `https://movie.douban.com/subject/${r.item}/`, text: '', hashtags: [], links: [], itemIds: [] },
    id: `douban:rating:ml-${r.item}`,
    receivedAt: r.at,
    links: [{ titleId: r.item, confidence: 1, reason: 'rating', source: 'user' }],
    removedTitleIds: [],
  }));
}
