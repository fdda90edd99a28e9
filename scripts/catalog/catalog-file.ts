import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseCatalog, type CatalogFile } from '../../src/shared/catalog/schema.ts';

/** The catalog file's text, inflated when it is gzipped (its first bytes say, not its name). */
export function catalogText(file: string): string {
  const bytes = readFileSync(file);
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** A catalog file as written (plain or gzipped), once it passes the catalog's own parser; or why not. */
export function readCatalogFile(file: string): { ok: true; file: CatalogFile } | { ok: false; errors: string[] } {
  try {
    const text = catalogText(file);
    const parsed = parseCatalog(text);
    if (!parsed.ok) return { ok: false, errors: [`${file}: not a valid catalog: ${parsed.error}`] };
    return { ok: true, file: JSON.parse(text) as CatalogFile };
  } catch (error) {
    return { ok: false, errors: [`${file}: ${error instanceof Error ? error.message : String(error)}`] };
  }
}
