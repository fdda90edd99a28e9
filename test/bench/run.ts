/**
 * `npm run bench`: runs every test/bench/*.bench.ts suite (or those named on the command line),
 * prints one line per figure with its same-run reference, and writes artifacts/bench.json.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchSuite, Figure } from './figures.ts';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((name) => f.startsWith(name)))
  .sort();

function format(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  return abs >= 100 ? n.toFixed(0) : abs >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

const figures: Figure[] = [];
for (const file of files) {
  const suite = (await import(pathToFileURL(join(here, file)).href)).default as BenchSuite;
  for (const figure of await suite.run()) {
    const full: Figure = { suite: suite.name, ...figure };
    figures.push(full);
    const ref = full.reference ? `  vs ${full.reference.name} ${format(full.reference.value)} ${full.reference.unit}` : '';
    const ratio = full.ratio !== undefined ? `  ratio ${format(full.ratio)}` : '';
    const target = full.target ? `  (target ${full.target})` : '';
    console.log(
      `${suite.name} · ${full.name}: ${format(full.value)} ${full.unit}${ref}${ratio}${target}${full.note ? `  — ${full.note}` : ''}`,
    );
  }
}
mkdirSync('artifacts', { recursive: true });
writeFileSync('artifacts/bench.json', JSON.stringify({ at: new Date().toISOString(), node: process.version, figures }, null, 2));
console.log(`wrote artifacts/bench.json (${figures.length} figures)`);
