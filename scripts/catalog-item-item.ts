/**
 * `npm run catalog:item-item -- --interactions FILE --catalog IN --out OUT [--rank K] [--lambda L]`
 * (issue 16): learns the item-item rows a catalog ships (EASEᴿ in low rank, docs/catalog-format.md)
 * from a publisher's own engagement data, offline, and writes them into the catalog as format 3.
 * The interactions file is CSV with the header `user,title_id`, one engagement per line (repeats
 * count once). λ, unless given, is chosen on a validation split carved from the file (25% of each
 * user's titles, seed 7). Titles the file does not name get no row and score 0 on the device.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { readCatalogFile } from './catalog/catalog-file.ts';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { CATALOG_FORMAT, parseCatalog, type CatalogFile } from '../src/shared/catalog/schema.ts';
import { csvFields } from './movielens.ts';
import { easeFactors, quantizeRow } from './ease.ts';
import { carveValidation, tuneEaseFactors } from './references.ts';

export interface ItemItemOptions {
  interactions: string;
  catalog: string;
  out: string;
  rank?: number;
  lambda?: number;
}

export interface ItemItemSummary {
  titlesWithRows: number;
  rank: number;
  lambda: number;
  /** How λ was chosen: every value tried with its validation NDCG@10, or none when it was given. */
  tried: { lambda: number; ndcg: number }[];
  users: number;
  interactions: number;
  /** Lines naming a title the catalog does not hold: skipped. */
  unknownTitles: number;
  gzipBytesAdded: number;
}

export type ItemItemResult = { ok: true; summary: ItemItemSummary } | { ok: false; errors: string[] };

/** Learns the rows from the interactions and writes the catalog with them; writes nothing on an error. */
export function buildItemItemRows(options: ItemItemOptions): ItemItemResult {
  const rank = options.rank ?? 192;
  if (!(Number.isInteger(rank) && rank >= 1 && rank <= 1024)) return { ok: false, errors: [`--rank ${rank}: give 1 to 1024`] };
  if (options.lambda !== undefined && !(options.lambda > 0))
    return { ok: false, errors: [`--lambda ${options.lambda}: give a positive number`] };
  const catalog = readCatalogFile(options.catalog);
  if (!catalog.ok) return catalog;
  const { file } = catalog;
  let lines: string[];
  try {
    lines = readFileSync(options.interactions, 'utf8').split(/\r?\n/u);
  } catch (error) {
    return { ok: false, errors: [`${options.interactions}: ${error instanceof Error ? error.message : String(error)}`] };
  }
  if (lines[0]?.replace(/^\uFEFF/u, '').trim() !== 'user,title_id')
    return { ok: false, errors: [`${options.interactions}:1: the header must be user,title_id`] };
  const titleIndex = new Map(file.titles.map((t, i) => [t.id, i]));
  const users = new Map<string, Set<number>>();
  const errors: string[] = [];
  let unknownTitles = 0;
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const [user, titleId, ...rest] = csvFields(line);
    if (!user || !titleId || rest.length > 0) {
      if (errors.length < 20) errors.push(`${options.interactions}:${i + 2}: expected user,title_id`);
      return;
    }
    const item = titleIndex.get(titleId);
    if (item === undefined) {
      unknownTitles += 1;
      return;
    }
    const set = users.get(user) ?? new Set<number>();
    set.add(item);
    users.set(user, set);
  });
  if (errors.length > 0) return { ok: false, errors };
  // Only titles someone engaged with are columns of X; the rest get no row.
  const used = [...new Set([...users.values()].flatMap((s) => [...s]))].sort((a, b) => a - b);
  if (used.length < 2) return { ok: false, errors: [`${options.interactions}: fewer than two catalog titles engaged with`] };
  const column = new Map(used.map((item, c) => [item, c]));
  const lists = [...users.values()].map((s) => [...s].map((item) => column.get(item) as number));
  const tuned = options.lambda === undefined ? tuneEaseFactors(carveValidation(lists), used.length, rank) : undefined;
  const lambda = options.lambda ?? tuned?.chosen.lambda ?? 1;
  const f = easeFactors(lists, used.length, lambda, rank);
  const rows = new Map(
    used.map((item, c) => {
      const { step, vector } = quantizeRow(f.vectors.subarray(c * f.k, (c + 1) * f.k));
      return [item, { scale: Number((1 / (f.diagonal[c] as number)).toPrecision(4)), step, vector }];
    }),
  );
  const titles = file.titles.map((title, i) => {
    const { itemItem: old, ...rest } = title;
    void old; // a row of an earlier model does not share the new one's space
    const row = rows.get(i);
    return row ? { ...rest, itemItem: row } : rest;
  });
  const out: CatalogFile = { ...file, format: CATALOG_FORMAT as CatalogFile['format'], titles };
  const text = JSON.stringify(out);
  const check = parseCatalog(text);
  if (!check.ok) return { ok: false, errors: [`the catalog with these rows would not be valid: ${check.error}`] };
  const gzipped = gzipSync(text, { level: 9 });
  writeFileSync(options.out, options.out.endsWith('.gz') ? gzipped : text);
  return {
    ok: true,
    summary: {
      titlesWithRows: rows.size,
      rank: f.k,
      lambda,
      tried: tuned?.tried.map((t) => ({ lambda: t.setting.lambda, ndcg: t.ndcg })) ?? [],
      users: users.size,
      interactions: lists.reduce((s, l) => s + l.length, 0),
      unknownTitles,
      gzipBytesAdded: gzipped.length - gzipSync(JSON.stringify(file), { level: 9 }).length,
    },
  };
}

const USAGE = 'usage: npm run catalog:item-item -- --interactions FILE --catalog IN --out OUT [--rank K] [--lambda L]';

/** The command: 0 when the catalog was written, 1 on a hard error, 2 on a usage error. */
export function main(argv: readonly string[]): number {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      options: {
        interactions: { type: 'string' },
        catalog: { type: 'string' },
        out: { type: 'string' },
        rank: { type: 'string' },
        lambda: { type: 'string' },
      },
    }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (!args.interactions || !args.catalog || !args.out) {
    console.error(USAGE);
    return 2;
  }
  const result = buildItemItemRows({
    interactions: args.interactions,
    catalog: args.catalog,
    out: args.out,
    ...(args.rank ? { rank: Number(args.rank) } : {}),
    ...(args.lambda ? { lambda: Number(args.lambda) } : {}),
  });
  if (!result.ok) {
    for (const line of result.errors) console.error(line);
    console.error('nothing written');
    return 1;
  }
  const s = result.summary;
  console.log(`wrote ${args.out}: ${s.titlesWithRows} titles given item-item rows of rank ${s.rank}, λ ${s.lambda}`);
  if (s.tried.length > 0) console.log(`λ by validation NDCG@10: ${s.tried.map((t) => `${t.lambda} ${t.ndcg.toFixed(4)}`).join(', ')}`);
  console.log(`${s.interactions} interactions of ${s.users} users; skipped ${s.unknownTitles} lines naming no catalog title`);
  console.log(`gzipped: ${s.gzipBytesAdded >= 0 ? '+' : ''}${s.gzipBytesAdded} bytes`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) process.exitCode = main(process.argv.slice(2));
