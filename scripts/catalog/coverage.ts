/** The build's coverage table: per kind, how many titles and the share that carry each field. */
import type { CatalogFile } from '../../src/shared/catalog/schema.ts';

type FileTitle = CatalogFile['titles'][number];

const COLUMNS: readonly [string, (t: FileTitle) => boolean][] = [
  ['year', (t) => t.year !== undefined],
  ['genres', (t) => (t.genres?.length ?? 0) > 0],
  // "anime" alone is the source's kind restated; a genre beyond it says what the story is.
  ['genre≠anime', (t) => (t.genres ?? []).some((g) => g !== 'anime')],
  ['people', (t) => (t.people?.length ?? 0) > 0],
  ['directors', (t) => (t.directors?.length ?? 0) > 0],
  ['synopsis', (t) => t.synopsis !== undefined && Object.keys(t.synopsis).length > 0],
  ['zh name', (t) => (t.titles['zh-Hans']?.length ?? 0) + (t.titles['zh-Hant']?.length ?? 0) > 0],
  ['en name', (t) => (t.titles.en?.length ?? 0) > 0],
];

/** A Markdown table of the titles per kind and the share of each with year, genres, people, synopsis, zh and en names. */
export function coverageTable(titles: readonly FileTitle[]): string {
  const kinds = [...new Set(titles.map((t) => t.kind))].sort();
  const rows = [...kinds.map((k) => [k, titles.filter((t) => t.kind === k)] as const), ['all', titles] as const];
  const head = `| kind | titles | ${COLUMNS.map(([name]) => name).join(' | ')} |`;
  const rule = `| --- | ---: | ${COLUMNS.map(() => '---:').join(' | ')} |`;
  const body = rows.map(([kind, list]) => {
    const shares = COLUMNS.map(([, has]) => `${((100 * list.filter(has).length) / Math.max(1, list.length)).toFixed(1)}%`);
    return `| ${kind} | ${list.length} | ${shares.join(' | ')} |`;
  });
  return [head, rule, ...body].join('\n');
}
