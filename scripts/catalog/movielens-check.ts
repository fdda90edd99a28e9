/**
 * The prior's check against real popularity: Spearman's rank correlation between the catalog's
 * popularity and MovieLens rating counts (../shared/data/movielens-latest-small, research-only
 * licence). It runs after the catalog file is written and returns only numbers to print:
 * nothing from MovieLens flows into the catalog. Tuning the prior on it makes it a
 * development-set figure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { foldName } from '../../src/shared/catalog/fold.ts';
import { parseCsv } from './csv.ts';

/** MovieLens ml-latest-small: read by the check only, never by the build. */
export const MOVIELENS = '../shared/data/movielens-latest-small';

/**
 * A MovieLens title as the names it may carry in a catalog: "Shawshank Redemption, The (1994)"
 * → "The Shawshank Redemption" (1994); "City of Lost Children, The (Cité des enfants perdus, La) (1995)"
 * → "The City of Lost Children" and "La Cité des enfants perdus".
 */
export function movielensNames(title: string): { names: string[]; year?: number } {
  const m = /^(.*?)\s*\((\d{4})(?:[-–]\d{0,4})?\)\s*$/.exec(title.trim());
  const body = m?.[1] ?? title.trim();
  const year = m?.[2] ? Number(m[2]) : undefined;
  const uninvert = (s: string): string =>
    s
      .trim()
      .replace(/^(.*), (The|A|An|La|Le|Les|Il|El|Der|Die|Das|L')$/, '$2 $1')
      .replace(/^L' /, "L'");
  const parts = /^(.*?)\s*\((.*)\)$/.exec(body);
  const names = parts?.[1] ? [uninvert(parts[1]), uninvert(parts[2]?.replace(/^a\.k\.a\.\s*/, '') ?? '')] : [uninvert(body)];
  const out: { names: string[]; year?: number } = { names: names.filter((n) => n.length > 0) };
  if (year !== undefined) out.year = year;
  return out;
}

/** Spearman's rho with average ranks for ties. */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  const rank = (vs: readonly number[]): number[] => {
    const order = vs.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    const r = new Array<number>(vs.length);
    for (let i = 0; i < order.length;) {
      let j = i;
      while (j + 1 < order.length && order[j + 1]?.[0] === order[i]?.[0]) j += 1;
      for (let k = i; k <= j; k += 1) r[order[k]?.[1] as number] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return r;
  };
  const rx = rank(xs);
  const ry = rank(ys);
  const n = xs.length;
  const mean = (n + 1) / 2;
  let num = 0;
  let dx = 0;
  let dy = 0;
  for (let i = 0; i < n; i += 1) {
    const a = (rx[i] as number) - mean;
    const b = (ry[i] as number) - mean;
    num += a * b;
    dx += a * a;
    dy += b * b;
  }
  return num / Math.sqrt(dx * dy);
}

/** A built title as the check reads it. */
export interface CheckedTitle {
  id: string;
  kind: string;
  year?: number;
  names: string[];
  popularity: number;
}

/**
 * Maps MovieLens films to catalog titles by a folded name and the same year (one year off when
 * that is the only match), and returns rho between popularity and rating count over the films
 * that map to exactly one title; undefined when MovieLens is absent.
 */
export function movielensCheck(
  titles: readonly CheckedTitle[],
  dir = MOVIELENS,
): { rho: number; mapped: number; rhoSeen: number; mappedSeen: number; films: number } | undefined {
  if (!existsSync(`${dir}/movies.csv`) || !existsSync(`${dir}/ratings.csv`)) return undefined;
  const byName = new Map<string, CheckedTitle[]>();
  for (const t of titles) {
    if (t.kind === 'series' || t.kind === 'anime-series') continue;
    for (const n of new Set(t.names.map(foldName))) if (n) byName.set(n, [...(byName.get(n) ?? []), t]);
  }
  const counts = new Map<string, number>();
  for (const [, movieId] of parseCsv(readFileSync(`${dir}/ratings.csv`, 'utf8')).slice(1))
    if (movieId) counts.set(movieId, (counts.get(movieId) ?? 0) + 1);
  const xs: number[] = [];
  const ys: number[] = [];
  // Films of 2012 or before: the ratings (to 2018) had five years or more to find them.
  const seenXs: number[] = [];
  const seenYs: number[] = [];
  const movies = parseCsv(readFileSync(`${dir}/movies.csv`, 'utf8')).slice(1);
  const seen = new Set<string>();
  for (const [movieId, title] of movies) {
    if (!movieId || !title) continue;
    const { names, year } = movielensNames(title);
    if (year === undefined) continue;
    const found = (delta: number): Set<CheckedTitle> =>
      new Set(
        names.flatMap((n) => (byName.get(foldName(n)) ?? []).filter((t) => t.year !== undefined && Math.abs(t.year - year) === delta)),
      );
    let match = found(0);
    if (match.size === 0) match = found(1);
    if (match.size !== 1) continue;
    const t = [...match][0] as CheckedTitle;
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    xs.push(t.popularity);
    ys.push(counts.get(movieId) ?? 0);
    if (year <= 2012) {
      seenXs.push(t.popularity);
      seenYs.push(counts.get(movieId) ?? 0);
    }
  }
  return { rho: spearman(xs, ys), mapped: xs.length, rhoSeen: spearman(seenXs, seenYs), mappedSeen: seenXs.length, films: movies.length };
}
