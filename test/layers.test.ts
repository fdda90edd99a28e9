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
});
