import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The lint rule that keeps STYLE.md's layers apart really fires. */
const eslint = new ESLint();

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layer rules', () => {
  it('stops content scripts from importing the background or the database', async () => {
    expect(
      await problems(
        'src/content/sites/demo.ts',
        "import { createStore } from '../../background/store.ts';\nexport const s = createStore;\n",
      ),
    ).toEqual([expect.stringContaining('import-x/no-restricted-paths')]);
    expect(
      await problems('src/content/demo.ts', "import { openReelflowDb } from '../shared/db/open.ts';\nexport const o = openReelflowDb;\n"),
    ).toEqual([expect.stringContaining('Only the background writes IndexedDB')]);
  });

  it('keeps tfjs in background/training and the polyfill in shared/browser.ts', async () => {
    expect(await problems('src/shared/model/demo.ts', "import * as tf from '@tensorflow/tfjs';\nexport const t = tf;\n")).toEqual([
      expect.stringContaining('Only src/background/training imports tfjs'),
    ]);
    expect(await problems('src/popup/demo.ts', "import browser from 'webextension-polyfill';\nexport const b = browser;\n")).toEqual([
      expect.stringContaining('shared/browser.ts'),
    ]);
    expect(await problems('src/background/training/demo.ts', "import * as tf from '@tensorflow/tfjs';\nexport const t = tf;\n")).toEqual(
      [],
    );
  });

  it('keeps the schemas out of the popup: types only', async () => {
    expect(
      await problems('src/popup/demo.ts', "import { REQUEST_SCHEMAS } from '../shared/messages.ts';\nexport const s = REQUEST_SCHEMAS;\n"),
    ).toEqual([expect.stringContaining('The popup loads no schemas')]);
    expect(
      await problems('src/popup/demo.ts', "import type { Settings } from '../shared/settings.ts';\nexport type S = Settings;\n"),
    ).toEqual([]);
  });

  it('forbids assigning HTML', async () => {
    expect(await problems('src/popup/demo.ts', 'export function f(e: HTMLElement, s: string): void { e.innerHTML = s; }\n')).toEqual([
      expect.stringContaining('Set text, not HTML'),
    ]);
  });

  it('keeps browser globals out of the pure zones', async () => {
    for (const file of ['src/shared/model/demo.ts', 'src/shared/catalog/demo.ts', 'src/shared/experiments/demo.ts']) {
      for (const global of ['window.name', 'document.title', 'indexedDB.open("x")', 'fetch("/x")', 'chrome.runtime', 'browser.runtime']) {
        expect(await problems(file, `export const v = ${global};\n`), `${global} in ${file}`).toEqual([
          expect.stringContaining('no-restricted-globals'),
        ]);
      }
    }
    // Elsewhere these are fine (the options page has a document).
    expect(await problems('src/options/demo.ts', 'export const v = document.title;\n')).toEqual([]);
    expect(await problems('src/shared/model/demo.ts', 'export const v = new URL("https://x.com/").host;\n')).toEqual([]);
  });

  it('keeps the idb package in the background and shared/db', async () => {
    const code = "import { openDB } from 'idb';\nexport const o = openDB;\n";
    for (const file of [
      'src/content/demo.ts',
      'src/popup/demo.ts',
      'src/options/demo.ts',
      'src/shared/model/demo.ts',
      'src/shared/demo.ts',
    ]) {
      expect(await problems(file, code), file).toEqual([expect.stringContaining('Only the background and shared/db use IndexedDB')]);
    }
    expect(await problems('src/background/demo.ts', code)).toEqual([]);
    expect(await problems('src/background/training/demo.ts', code)).toEqual([]);
    expect(await problems('src/shared/db/demo.ts', code)).toEqual([]);
  });

  it('keeps tfjs banned in the background outside training, and the polyfill everywhere but shared/browser.ts', async () => {
    expect(await problems('src/background/demo.ts', "import * as tf from '@tensorflow/tfjs';\nexport const t = tf;\n")).toEqual([
      expect.stringContaining('Only src/background/training imports tfjs'),
    ]);
    expect(
      await problems('src/background/training/demo.ts', "import browser from 'webextension-polyfill';\nexport const b = browser;\n"),
    ).toEqual([expect.stringContaining('shared/browser.ts')]);
    expect(await problems('src/shared/browser.ts', "import browser from 'webextension-polyfill';\nexport const b = browser;\n")).toEqual(
      [],
    );
  });

  it('allows no line over 140 columns, strings and comments included', async () => {
    expect(await problems('src/shared/demo.ts', `export const s = '${'x'.repeat(140)}';\n`)).toEqual([expect.stringContaining('max-len')]);
    expect(await problems('src/shared/demo.ts', `// ${'y'.repeat(140)}\nexport const s = 1;\n`)).toEqual([
      expect.stringContaining('max-len'),
    ]);
    expect(await problems('src/shared/demo.ts', `export const s = '${'x'.repeat(100)}';\n`)).toEqual([]);
  });
});
