/**
 * `npm run catalog:vectors -- --spark-item-factors FILE|DIR --map FILE [--catalog IN] --out OUT [--digits N]`
 * (issue 16): writes item vectors that Spark MLlib's ALS learned on a publisher's cluster into a
 * catalog. Each mapped title's `vector` becomes its item's features; every other title has none
 * (vectors of another model would not share the new factors' space). The written catalog passes
 * `parseCatalog`, or nothing is written. docs/catalog-format.md ("Item vectors from Spark") says more.
 */
import { writeFileSync } from 'node:fs';
import { readCatalogFile } from './catalog/catalog-file.ts';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { parseCatalog, type CatalogFile } from '../src/shared/catalog/schema.ts';
import { ProblemList, readSparkFactors, readSparkMap, sparkPartFiles } from './catalog/spark-factors.ts';

/** The default catalog, as `npm run catalog:build` writes it. */
export const DEFAULT_CATALOG = 'public/catalog/default-catalog.json.gz';
/** How many skipped ids or map lines the summary names; the rest are counted. */
const EXAMPLES = 5;

export interface VectorImportOptions {
  sparkItemFactors: string;
  map: string;
  /** Catalog JSON to add vectors to, plain or gzipped (default: DEFAULT_CATALOG). */
  catalog?: string;
  /** Where to write; gzipped when it ends in `.gz`. May equal `catalog` when asked for. */
  out: string;
  /** Significant digits to keep of each feature (1 to 9); unset keeps them as Spark wrote them. */
  digits?: number;
}

export interface VectorImportSummary {
  out: string;
  titlesWithVectors: number;
  factorLength: number;
  partFiles: number;
  factorRows: number;
  /** Factor ids the map does not name: skipped. */
  unmappedIds: { count: number; examples: number[] };
  /** Map lines whose title the catalog does not hold: skipped. */
  unknownTitles: { count: number; examples: string[] };
  /** Mapped catalog titles no factor row was written for (items ALS never saw in training). */
  mappedWithoutFactors: number;
  /** Titles whose earlier vector was dropped because no new factors were given for them. */
  vectorsRemoved: number;
  gzipBytesBefore: number;
  gzipBytesAfter: number;
  warnings: string[];
}

export type VectorImportResult = { ok: true; summary: VectorImportSummary } | { ok: false; errors: string[] };

/** Imports Spark ALS item factors into a catalog and writes it; on any hard error, writes nothing and lists the errors. */
export async function importSparkVectors(options: VectorImportOptions): Promise<VectorImportResult> {
  const catalogFile = options.catalog ?? DEFAULT_CATALOG;
  if (options.digits !== undefined && !(Number.isInteger(options.digits) && options.digits >= 1 && options.digits <= 9))
    return { ok: false, errors: [`--digits ${options.digits}: give 1 to 9 significant digits`] };
  const problems = new ProblemList();
  const warnings: string[] = [];
  const catalog = readCatalogFile(catalogFile);
  if (!catalog.ok) return catalog;
  const { file } = catalog;
  const titleIndex = new Map(file.titles.map((t, i) => [t.id, i]));

  const map = readSparkMap(options.map, problems);
  const unknownTitles = [...map.values()].filter((entry) => !titleIndex.has(entry.titleId));
  const parts = sparkPartFiles(options.sparkItemFactors, problems, warnings);
  if (problems.count > 0) return { ok: false, errors: problems.lines() };
  const read = await readSparkFactors(parts, (id) => map.has(id), problems);
  if (problems.count > 0) return { ok: false, errors: problems.lines() };

  const { digits } = options;
  const vectors = new Map<number, number[]>();
  for (const [id, features] of read.factors) {
    const index = titleIndex.get(map.get(id)?.titleId ?? '');
    if (index !== undefined) vectors.set(index, digits === undefined ? features : features.map((x) => Number(x.toPrecision(digits))));
  }
  if (vectors.size === 0)
    return { ok: false, errors: [`no factor row of ${options.sparkItemFactors} maps to a title of ${catalogFile} through ${options.map}`] };
  let vectorsRemoved = 0;
  const titles = file.titles.map((title, i) => {
    const { vector: old, ...rest } = title;
    const vector = vectors.get(i);
    if (old && !vector) vectorsRemoved += 1;
    return vector ? { ...rest, vector } : rest;
  });
  const out: CatalogFile = { ...file, titles };
  const text = JSON.stringify(out);
  const check = parseCatalog(text);
  if (!check.ok) return { ok: false, errors: [`the catalog with these vectors would not be valid: ${check.error}`] };

  const gzipped = gzipSync(text, { level: 9 });
  writeFileSync(options.out, options.out.endsWith('.gz') ? gzipped : text);
  const mappedTitles = [...map.values()].filter((entry) => titleIndex.has(entry.titleId)).length;
  return {
    ok: true,
    summary: {
      out: options.out,
      titlesWithVectors: vectors.size,
      factorLength: read.length,
      partFiles: parts.length,
      factorRows: read.rows,
      unmappedIds: { count: read.refused.length, examples: read.refused.slice(0, EXAMPLES) },
      unknownTitles: {
        count: unknownTitles.length,
        examples: unknownTitles.slice(0, EXAMPLES).map((entry) => `${options.map}:${entry.line} "${entry.titleId}"`),
      },
      mappedWithoutFactors: mappedTitles - vectors.size,
      vectorsRemoved,
      gzipBytesBefore: gzipSync(JSON.stringify(file), { level: 9 }).length,
      gzipBytesAfter: gzipped.length,
      warnings,
    },
  };
}

/** The summary as printed: what landed, what was skipped and why, and what it costs gzipped. */
export function summaryLines(s: VectorImportSummary): string[] {
  const added = s.gzipBytesAfter - s.gzipBytesBefore;
  const examples = (list: readonly (number | string)[], count: number): string =>
    list.length === 0 ? '' : ` (${list.join(', ')}${count > list.length ? ', …' : ''})`;
  return [
    ...s.warnings.map((w) => `warning: ${w}`),
    `wrote ${s.out}: ${s.titlesWithVectors} titles given vectors of ${s.factorLength} factors`,
    `read ${s.factorRows} factor rows from ${s.partFiles} file${s.partFiles === 1 ? '' : 's'}`,
    `skipped ${s.unmappedIds.count} factor ids the map does not name${examples(s.unmappedIds.examples, s.unmappedIds.count)}`,
    `skipped ${s.unknownTitles.count} map entries naming no catalog title${examples(s.unknownTitles.examples, s.unknownTitles.count)}`,
    `${s.mappedWithoutFactors} mapped titles had no factors; ${s.vectorsRemoved} earlier vectors removed`,
    `gzipped: ${s.gzipBytesBefore} → ${s.gzipBytesAfter} bytes (${added >= 0 ? '+' : ''}${added} bytes added)`,
  ];
}

const USAGE = 'usage: npm run catalog:vectors -- --spark-item-factors FILE|DIR --map FILE [--catalog IN] --out OUT [--digits N]';

/** The command: 0 when the catalog was written, 1 on a hard error, 2 on a usage error. */
export async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      options: {
        'spark-item-factors': { type: 'string' },
        map: { type: 'string' },
        catalog: { type: 'string' },
        out: { type: 'string' },
        digits: { type: 'string' },
      },
    }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const factors = args['spark-item-factors'];
  if (!factors || !args.map || !args.out) {
    console.error(USAGE);
    return 2;
  }
  if (args.digits !== undefined && !/^[1-9]$/.test(args.digits)) {
    console.error(`--digits ${args.digits}: give 1 to 9 significant digits\n${USAGE}`);
    return 2;
  }
  const result = await importSparkVectors({
    sparkItemFactors: factors,
    map: args.map,
    out: args.out,
    ...(args.catalog ? { catalog: args.catalog } : {}),
    ...(args.digits !== undefined ? { digits: Number(args.digits) } : {}),
  });
  if (!result.ok) {
    for (const line of result.errors) console.error(line);
    console.error('nothing written');
    return 1;
  }
  for (const line of summaryLines(result.summary)) console.log(line);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
  process.exitCode = await main(process.argv.slice(2));
