import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importSparkVectors, type VectorImportResult } from '../../scripts/catalog-vectors.ts';
import { parseCatalog } from '../../src/shared/catalog/schema.ts';
import { collabScore, solveUserVector } from '../../src/shared/model/collab.ts';
import { buildTitleIndex } from '../../src/shared/model/title-index.ts';

/**
 * Issue 16. The fixtures take the shape Spark MLlib writes with `model.itemFactors.write.json(dir)`:
 * a directory of `part-NNNNN-<uuid>-c000.json` JSON-lines files and an empty `_SUCCESS`, features as
 * float32 printed (eight or nine digits). The ids, values and the catalog are invented.
 */
const FIXTURES = 'test/fixtures/spark-als';
const FACTORS = `${FIXTURES}/item-factors`;
const PART0 = `${FACTORS}/part-00000-3f2b9c4e-8d1a-4b6f-9e27-5c0d7a1e4b38-c000.json`;
const MAP = `${FIXTURES}/map.csv`;
const CATALOG = `${FIXTURES}/catalog.json`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'reelflow-spark-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The vectors of the written catalog by title id, after it passed the catalog's own validation. */
function writtenVectors(file: string): Record<string, number[] | undefined> {
  const bytes = readFileSync(file);
  const parsed = parseCatalog((file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8'));
  if (!parsed.ok) throw new Error(parsed.error);
  return Object.fromEntries(parsed.catalog.titles.map((t) => [t.id, t.vector]));
}

/** Runs the import on factor lines written to a temporary part file. */
async function importLines(lines: string[], map = MAP): Promise<VectorImportResult & { part: string }> {
  const part = join(dir, 'part-00000.json');
  writeFileSync(part, lines.join('\n') + '\n');
  return { ...(await importSparkVectors({ sparkItemFactors: part, map, catalog: CATALOG, out: join(dir, 'out.json') })), part };
}

function errorsOf(result: VectorImportResult): string[] {
  if (result.ok) throw new Error('expected the import to fail');
  return result.errors;
}

describe('catalog:vectors --spark-item-factors', () => {
  it('puts each item factor on its mapped title, drops vectors of another model, and the catalog validates', async () => {
    const out = join(dir, 'catalog.json');
    const result = await importSparkVectors({ sparkItemFactors: FACTORS, map: MAP, catalog: CATALOG, out });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(writtenVectors(out)).toEqual({
      'bgm:975': [0.41935486, -0.27830043, 0.11256118],
      'wp:film:inception-2010': [-0.05131911, 0.6239307, 0.30412543],
      'zw:film:spiritedaway': [0.33810577, 0.09275163, -0.51620066],
      // Mapped (spark id 4) but absent from the factors; its 2-long vector from before is gone.
      'wp:film:arrival-2016': undefined,
    });
    const { summary } = result;
    expect(summary).toMatchObject({ titlesWithVectors: 3, factorLength: 3, partFiles: 2, factorRows: 5 });
    expect(summary).toMatchObject({ mappedWithoutFactors: 1, vectorsRemoved: 1 });
    expect(summary.gzipBytesAfter).toBeGreaterThan(summary.gzipBytesBefore);
    expect(summary.warnings).toEqual([]);
  });

  it("gives the device's model the vectors: a zero row for a title without one, and a user vector solved from them", async () => {
    const out = join(dir, 'catalog.json');
    expect((await importSparkVectors({ sparkItemFactors: FACTORS, map: MAP, catalog: CATALOG, out })).ok).toBe(true);
    const parsed = parseCatalog(readFileSync(out, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error);
    const index = buildTitleIndex(parsed.catalog.titles);
    expect(index.k).toBe(3);
    const arrival = index.byId.get('wp:film:arrival-2016') ?? -1;
    expect([...(index.vectors?.subarray(arrival * 3, arrival * 3 + 3) ?? [])]).toEqual([0, 0, 0]);
    // A user who engaged with Attack on Titan scores it above the film whose factors point away from it.
    const user = solveUserVector(index, new Map([[index.byId.get('bgm:975') ?? -1, 1]]));
    if (!user) throw new Error('no user vector');
    expect(collabScore(index, user, index.byId.get('bgm:975') ?? -1)).toBeGreaterThan(
      collabScore(index, user, index.byId.get('wp:film:inception-2010') ?? -1),
    );
  });

  it('reports factor ids the map does not name and map lines naming no catalog title, and skips them', async () => {
    const result = await importSparkVectors({ sparkItemFactors: FACTORS, map: MAP, catalog: CATALOG, out: join(dir, 'out.json') });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.summary.unmappedIds).toEqual({ count: 1, examples: [99] });
    expect(result.summary.unknownTitles).toEqual({ count: 1, examples: [`${MAP}:6 "wp:film:no-such-film-1999"`] });
  });

  it('reads one part file as well as the directory, and writes gzip when OUT ends in .gz', async () => {
    const out = join(dir, 'catalog.json.gz');
    const result = await importSparkVectors({ sparkItemFactors: PART0, map: MAP, catalog: CATALOG, out });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    const vectors = writtenVectors(out);
    expect(Object.keys(vectors).filter((id) => vectors[id])).toEqual(['bgm:975', 'wp:film:inception-2010']);
    expect(result.summary).toMatchObject({ partFiles: 1, factorRows: 3, mappedWithoutFactors: 2 });
  });

  it('reads every part file of a directory, gzipped ones too, and warns when _SUCCESS is missing', async () => {
    const parts = join(dir, 'factors');
    mkdirSync(parts);
    writeFileSync(join(parts, 'part-00000-a-c000.json'), '{"id":1,"features":[1,2]}\n');
    writeFileSync(join(parts, 'part-00001-a-c000.json.gz'), gzipSync('{"id":2,"features":[3,4]}\n'));
    writeFileSync(join(parts, '.part-00000-a-c000.json.crc'), 'not data');
    const result = await importSparkVectors({ sparkItemFactors: parts, map: MAP, catalog: CATALOG, out: join(dir, 'out.json') });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(writtenVectors(join(dir, 'out.json'))['wp:film:inception-2010']).toEqual([3, 4]);
    expect(result.summary.partFiles).toBe(2);
    expect(result.summary.warnings).toEqual([`${parts}: no _SUCCESS file: the Spark job that wrote it may not have finished`]);
  });

  it('keeps the significant digits asked for, and refuses a count outside 1 to 9', async () => {
    const out = join(dir, 'out.json');
    const result = await importSparkVectors({ sparkItemFactors: PART0, map: MAP, catalog: CATALOG, out, digits: 3 });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(writtenVectors(out)['bgm:975']).toEqual([0.419, -0.278, 0.113]);
    const refused = await importSparkVectors({ sparkItemFactors: PART0, map: MAP, catalog: CATALOG, out, digits: 0 });
    expect(errorsOf(refused)).toEqual(['--digits 0: give 1 to 9 significant digits']);
  });

  it.each([
    ['a malformed JSON line', ['{"id":1,"features":[0.1,0.2]}', '{"id":2,"features":[0.1,'], ':2: not a JSON line'],
    ['a line that is no object', ['[1,[0.1,0.2]]'], ':1: expected an object'],
    ['a missing id', ['{"features":[0.1,0.2]}'], ':1: no "id"'],
    ['an id that is no integer', ['{"id":"1","features":[0.1,0.2]}'], ':1: "id" "1" is not an integer'],
    ['missing features', ['{"id":1}'], ':1: no "features"'],
    ['empty features', ['{"id":1,"features":[]}'], ':1: "features" must be a non-empty array of numbers'],
    // Spark's JSON writer quotes NaN and Infinity, which ALS gives when it diverges.
    ['a NaN feature', ['{"id":1,"features":[0.1,"NaN"]}'], ':1: features[1] is NaN, not a finite number (id 1)'],
    ['an infinite feature', ['{"id":1,"features":["-Infinity",0.1]}'], ':1: features[0] is -Infinity, not a finite number (id 1)'],
    ['a feature that is no number', ['{"id":1,"features":[0.1,null]}'], ':1: features[1] is null, not a number (id 1)'],
    [
      'features of different lengths',
      ['{"id":1,"features":[0.1,0.2]}', '{"id":2,"features":[0.1,0.2,0.3]}'],
      ':2: 3 features, but part-00000.json:1 has 2: a catalog',
    ],
    ['a duplicate id', ['{"id":1,"features":[0.1,0.2]}', '{"id":1,"features":[0.3,0.4]}'], ':2: id 1 again (first at part-00000.json:1)'],
  ])('refuses %s, naming the file and line, and writes nothing', async (_, lines, message) => {
    const result = await importLines(lines);
    const errors = errorsOf(result);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`${result.part}${message}`);
    expect(() => readFileSync(join(dir, 'out.json'))).toThrow();
  });

  it('checks even rows it skips: a broken line of an unmapped id is an error too', async () => {
    const errors = errorsOf(await importLines(['{"id":1,"features":[0.1,0.2]}', '{"id":77,"features":[0.1,"NaN"]}']));
    expect(errors[0]).toContain('part-00000.json:2: features[1] is NaN');
  });

  it.each([
    ['no header', '1,bgm:975\n', ':1: the first line must be the header "spark_id,title_id"'],
    ['a spark id that is no integer', 'spark_id,title_id\n1.5,bgm:975\n', ':2: spark_id "1.5" is not an integer'],
    ['a line without a title id', 'spark_id,title_id\n1\n', ':2: expected spark_id,title_id, got "1"'],
    [
      'a spark id mapped twice',
      'spark_id,title_id\n1,bgm:975\n1,zw:film:spiritedaway\n',
      ':3: spark_id 1 is mapped again (first at line 2)',
    ],
    ['a title mapped twice', 'spark_id,title_id\n1,bgm:975\n2,bgm:975\n', ':3: title "bgm:975" is mapped again (first at line 2)'],
  ])('refuses a map with %s', async (_, text, message) => {
    const map = join(dir, 'map.csv');
    writeFileSync(map, text);
    expect(errorsOf(await importLines(['{"id":1,"features":[0.1,0.2]}'], map))).toEqual([`${map}${message}`]);
  });

  it('refuses a map file that is not there and a gzipped part cut short, without a stack trace', async () => {
    const missing = join(dir, 'no-map.csv');
    expect(errorsOf(await importLines(['{"id":1,"features":[0.1,0.2]}'], missing))[0]).toMatch(/no-map\.csv: ENOENT/);
    const parts = join(dir, 'factors');
    mkdirSync(parts);
    writeFileSync(join(parts, '_SUCCESS'), '');
    const whole = gzipSync(Array.from({ length: 50 }, (_, id) => `{"id":${id},"features":[0.1,0.2]}\n`).join(''));
    writeFileSync(join(parts, 'part-00000-a-c000.json.gz'), whole.subarray(0, whole.length - 8));
    const result = await importSparkVectors({ sparkItemFactors: parts, map: MAP, catalog: CATALOG, out: join(dir, 'out.json') });
    expect(errorsOf(result)).toEqual([expect.stringMatching(/part-00000-a-c000\.json\.gz.*: unexpected end of file/)]);
  });

  it('refuses a directory without JSON part files, naming Parquet when that is what it holds', async () => {
    const parts = join(dir, 'model-item-factors');
    mkdirSync(parts);
    writeFileSync(join(parts, 'part-00000-a-c000.snappy.parquet'), 'PAR1');
    const result = await importSparkVectors({ sparkItemFactors: parts, map: MAP, catalog: CATALOG, out: join(dir, 'out.json') });
    expect(errorsOf(result)[0]).toMatch(/holds Parquet part files .* model\.itemFactors\.write\.json/);
  });

  it('refuses factors of which no row reaches a catalog title', async () => {
    const errors = errorsOf(await importLines(['{"id":99,"features":[0.1,0.2]}']));
    expect(errors[0]).toMatch(/^no factor row of .* maps to a title of/);
  });

  it('refuses vectors the catalog format does not allow, through the catalog validator', async () => {
    const errors = errorsOf(await importLines([JSON.stringify({ id: 1, features: Array.from({ length: 1025 }, () => 0.5) })]));
    expect(errors[0]).toMatch(/^the catalog with these vectors would not be valid: titles\[0\]\.vector/);
  });

  it('runs as a command: prints the summary, or the errors and a non-zero exit', async () => {
    const run = promisify(execFile);
    const out = join(dir, 'out.json');
    const args = ['tsx', 'scripts/catalog-vectors.ts', '--spark-item-factors', FACTORS, '--map', MAP, '--catalog', CATALOG];
    const { stdout } = await run('npx', [...args, '--out', out]);
    expect(stdout).toContain(`wrote ${out}: 3 titles given vectors of 3 factors`);
    expect(stdout).toContain('skipped 1 factor ids the map does not name (99)');
    expect(stdout).toMatch(/gzipped: \d+ → \d+ bytes \(\+\d+ bytes added\)/);
    expect(writtenVectors(out)['bgm:975']).toHaveLength(3);
    const failed = await run('npx', [...args.slice(0, -2), '--catalog', MAP, '--out', out]).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining('not a valid catalog') as unknown });
    const usage = await run('npx', args.slice(0, 2)).catch((error: unknown) => error);
    expect(usage).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run catalog:vectors') as unknown });
  });
});
