/**
 * Zips each unpacked build into a store-ready archive in artifacts/ and checks that no
 * dev-server code slipped into a production build.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
mkdirSync('artifacts', { recursive: true });

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

for (const target of ['chrome', 'firefox'] as const) {
  const dir = `dist/${target}`;
  for (const file of files(dir).filter((f) => /\.(js|html|json)$/.test(f))) {
    const text = readFileSync(file, 'utf8');
    for (const forbidden of ['localhost:5173', '@vite/client', '/@crx/', 'import.meta.hot']) {
      if (text.includes(forbidden)) throw new Error(`${file} contains dev-server code (${forbidden})`);
    }
  }
  const manifest = readFileSync(join(dir, 'manifest.json'), 'utf8');
  if (manifest.includes('<all_urls>')) throw new Error(`${dir}/manifest.json exposes <all_urls>`);
  // Pages could fetch a web-accessible file to detect the extension; Reelflow exposes none.
  if (manifest.includes('web_accessible_resources')) throw new Error(`${dir}/manifest.json lists web_accessible_resources`);
  const zip = `artifacts/reelflow-${target}-${version}.zip`;
  rmSync(zip, { force: true });
  execFileSync('npx', ['web-ext', 'build', '-s', dir, '-a', 'artifacts', '-n', `reelflow-${target}-${version}.zip`, '-o'], {
    stdio: 'inherit',
  });
  console.log(`packaged ${zip}`);
}
