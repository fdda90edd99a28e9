/**
 * Readers for item factors that Spark MLlib's ALS computed on a publisher's cluster (issue 16):
 * `model.itemFactors.write.json(path)` writes a directory of `part-*.json` files, one JSON object a
 * line (`{"id":1,"features":[0.1,-0.2,0.3]}`), plus `_SUCCESS`; and the publisher's map from the
 * integer item ids ALS needs to catalog title ids. Every problem names its file and line.
 */
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { parseCsv } from './csv.ts';

/** The first problems found are listed; the rest are counted, so a broken million-line file stays readable. */
const MAX_ERRORS = 20;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Problems of one read: all of them are hard errors. */
export class ProblemList {
  readonly shown: string[] = [];
  count = 0;

  add(message: string): void {
    this.count += 1;
    if (this.shown.length < MAX_ERRORS) this.shown.push(message);
  }

  /** The shown problems, with a last line counting those left out. */
  lines(): string[] {
    return this.count > this.shown.length ? [...this.shown, `(and ${this.count - this.shown.length} more)`] : [...this.shown];
  }
}

export interface MapEntry {
  titleId: string;
  line: number;
}

/** The map's header, exactly (docs/catalog-format.md). */
export const MAP_HEADER = 'spark_id,title_id';

/**
 * Reads the id map: CSV with the header `spark_id,title_id`, one item a line. A Spark id or a title
 * id given twice is an error: either would leave one of the two rows' vectors unused without a word.
 */
export function readSparkMap(file: string, problems: ProblemList): Map<number, MapEntry> {
  const map = new Map<number, MapEntry>();
  const lineOfTitle = new Map<string, number>();
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/);
  } catch (error) {
    problems.add(`${file}: ${messageOf(error)}`);
    return map;
  }
  if ((lines[0] ?? '').trim() !== MAP_HEADER) {
    problems.add(`${file}:1: the first line must be the header "${MAP_HEADER}"`);
    return map;
  }
  lines.forEach((text, i) => {
    const line = i + 1;
    if (line === 1 || text.trim() === '') return;
    const fields = (parseCsv(text)[0] ?? []).map((f) => f.trim());
    const [sparkId = '', titleId = ''] = fields;
    if (fields.length !== 2 || titleId === '') return problems.add(`${file}:${line}: expected spark_id,title_id, got "${text}"`);
    const id = Number(sparkId);
    if (!/^-?\d+$/.test(sparkId) || !Number.isSafeInteger(id))
      return problems.add(`${file}:${line}: spark_id "${sparkId}" is not an integer`);
    const first = map.get(id);
    if (first) return problems.add(`${file}:${line}: spark_id ${id} is mapped again (first at line ${first.line})`);
    const titleLine = lineOfTitle.get(titleId);
    if (titleLine !== undefined) return problems.add(`${file}:${line}: title "${titleId}" is mapped again (first at line ${titleLine})`);
    map.set(id, { titleId, line });
    lineOfTitle.set(titleId, line);
  });
  return map;
}

/**
 * The files to read: FILE itself, or a Spark output directory's `part-*.json` (or `.json.gz`) in
 * name order; `_SUCCESS`, `.crc` and other files there are not data.
 */
export function sparkPartFiles(path: string, problems: ProblemList, warnings: string[]): string[] {
  if (!existsSync(path)) {
    problems.add(`${path}: no such file or directory`);
    return [];
  }
  if (!statSync(path).isDirectory()) return [path];
  const names = readdirSync(path).sort();
  const parts = names.filter((n) => /^part-.*\.json(\.gz)?$/.test(n));
  if (parts.length === 0) {
    const parquet = names.some((n) => /^part-.*\.parquet$/.test(n));
    problems.add(
      parquet
        ? `${path}: holds Parquet part files (model.save or write.parquet); write the factors with model.itemFactors.write.json(...)`
        : `${path}: no part-*.json files in this directory`,
    );
    return [];
  }
  // Spark writes _SUCCESS last; without it the job may have stopped part-way and items be missing.
  if (!names.includes('_SUCCESS')) warnings.push(`${path}: no _SUCCESS file: the Spark job that wrote it may not have finished`);
  return parts.map((n) => join(path, n));
}

/** The lines of a part file, inflated when it ends in `.gz` (`write.option("compression", "gzip")`). */
function fileLines(file: string): AsyncIterable<string> {
  const input = createReadStream(file);
  const stream = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  // pipe() does not pass on the read stream's errors; the reader must see them.
  input.on('error', (error) => stream.destroy(error));
  return createInterface({ input: stream, crlfDelay: Infinity });
}

/** How one features value is wrong, or undefined. Spark's JSON writer quotes NaN and ±Infinity. */
function featureProblem(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : 'is not finite';
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return `is ${value}, not a finite number`;
  return `is ${JSON.stringify(value)}, not a number`;
}

export interface FactorRead {
  /** Features of the ids that `keep` accepted. */
  factors: Map<number, number[]>;
  /** Length of every row's features (0 when no row was read). */
  length: number;
  rows: number;
  /** Ids read that `keep` refused, in file order. */
  refused: number[];
}

/**
 * Reads Spark JSON-lines item factors, keeping the features of ids `keep` accepts (a publisher's
 * cluster may factor many more items than one catalog holds). Every row is checked, kept or not:
 * `id` an integer, `features` a non-empty array of finite numbers of one length for all rows, no id twice.
 */
export async function readSparkFactors(
  files: readonly string[],
  keep: (id: number) => boolean,
  problems: ProblemList,
): Promise<FactorRead> {
  const factors = new Map<number, number[]>();
  // Where each id was first read, as file index · 2³² + line: millions of ids, no string each.
  const firstAt = new Map<number, number>();
  const where = (packed: number): string => `${basename(files[Math.floor(packed / 2 ** 32)] ?? '')}:${packed % 2 ** 32}`;
  const refused: number[] = [];
  let length = 0;
  let lengthAt = '';
  let rows = 0;
  for (const [f, file] of files.entries()) {
    let line = 0;
    try {
      for await (const text of fileLines(file)) {
        line += 1;
        if (text.trim() === '') continue;
        const at = `${file}:${line}`;
        let row: unknown;
        try {
          row = JSON.parse(text);
        } catch (error) {
          problems.add(`${at}: not a JSON line (${messageOf(error)})`);
          continue;
        }
        if (typeof row !== 'object' || row === null || Array.isArray(row)) {
          problems.add(`${at}: expected an object {"id": …, "features": […]}`);
          continue;
        }
        const { id, features } = row as { id?: unknown; features?: unknown };
        if (id === undefined) problems.add(`${at}: no "id"`);
        else if (typeof id !== 'number' || !Number.isSafeInteger(id)) problems.add(`${at}: "id" ${JSON.stringify(id)} is not an integer`);
        if (features === undefined) problems.add(`${at}: no "features"`);
        else if (!Array.isArray(features) || features.length === 0) problems.add(`${at}: "features" must be a non-empty array of numbers`);
        if (typeof id !== 'number' || !Number.isSafeInteger(id) || !Array.isArray(features) || features.length === 0) continue;
        rows += 1;
        const bad = features.findIndex((value) => featureProblem(value) !== undefined);
        if (bad >= 0) problems.add(`${at}: features[${bad}] ${featureProblem(features[bad])} (id ${id})`);
        if (length === 0) [length, lengthAt] = [features.length, `${basename(file)}:${line}`];
        else if (features.length !== length)
          problems.add(`${at}: ${features.length} features, but ${lengthAt} has ${length}: a catalog's vectors are all one length`);
        const seen = firstAt.get(id);
        if (seen !== undefined) problems.add(`${at}: id ${id} again (first at ${where(seen)})`);
        else firstAt.set(id, f * 2 ** 32 + line);
        if (bad >= 0 || seen !== undefined) continue;
        if (keep(id)) factors.set(id, features as number[]);
        else refused.push(id);
      }
    } catch (error) {
      // Unreadable, or a gzip part cut short: what was read of it does not make a whole file.
      problems.add(`${file}${line > 0 ? ` after line ${line}` : ''}: ${messageOf(error)}`);
    }
  }
  return { factors, length, rows, refused };
}
