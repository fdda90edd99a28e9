// @ts-check
import stylistic from '@stylistic/eslint-plugin';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Layers of STYLE.md section 1; each zone lists what the target folder may not import. */
const layerZones = [
  // Nothing imports the background.
  { target: './src/content', from: './src/background', message: 'Only the background may import background code.' },
  { target: './src/popup', from: './src/background', message: 'Only the background may import background code.' },
  { target: './src/options', from: './src/background', message: 'Only the background may import background code.' },
  { target: './src/shared', from: './src/background', message: 'shared/ may not depend on the background.' },
  // Only the background opens IndexedDB.
  { target: './src/content', from: './src/shared/db', message: 'Only the background writes IndexedDB; send a message instead.' },
  {
    target: './src/popup',
    from: './src/shared/db',
    except: ['./schema.ts'],
    message: 'Only the background writes IndexedDB; send a message instead.',
  },
  {
    target: './src/options',
    from: './src/shared/db',
    except: ['./schema.ts'],
    message: 'Only the background writes IndexedDB; send a message instead.',
  },
  // Pages and content scripts stay apart.
  { target: './src/content', from: ['./src/popup', './src/options'] },
  { target: './src/popup', from: ['./src/content', './src/options'] },
  { target: './src/options', from: ['./src/content', './src/popup'] },
  // Pure code: no browser API, DOM helpers or tfjs.
  {
    target: ['./src/shared/model', './src/shared/catalog', './src/shared/experiments'],
    from: ['./src/shared/browser.ts', './src/shared/dom.ts', './src/shared/db'],
    message: 'shared/model and shared/catalog are pure: no browser API or storage.',
  },
];

/** Packages only one place may import, and where. */
const RESTRICTED = {
  polyfill: { paths: [{ name: 'webextension-polyfill', message: 'Import browser from src/shared/browser.ts.' }] },
  tfjs: { patterns: [{ group: ['@tensorflow/*'], message: 'Only src/background/training imports tfjs.' }] },
  idb: { patterns: [{ group: ['idb', 'idb/*'], message: 'Only the background and shared/db use IndexedDB; send a message instead.' }] },
};

/** A no-restricted-imports setting banning the named packages. */
function restrictedImports(names) {
  const chosen = names.map((name) => RESTRICTED[name]);
  return ['error', { paths: chosen.flatMap((r) => r.paths ?? []), patterns: chosen.flatMap((r) => r.patterns ?? []) }];
}

export default tseslint.config(
  { ignores: ['dist/**', 'artifacts/**', 'node_modules/**', 'public/**'] },
  ...tseslint.configs.strict,
  {
    plugins: { 'import-x': importX, '@stylistic': stylistic },
    rules: {
      // Prettier (.prettierrc.json) settles layout; this catches what it cannot break: strings and comments.
      '@stylistic/max-len': ['error', { code: 140, ignoreUrls: true }],
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'webextension-polyfill', message: 'Import browser from src/shared/browser.ts.' }] },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]', message: 'Set text, not HTML.' },
        { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: 'Set text, not HTML.' },
      ],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    // The pure zones touch no browser: tsconfig.pure.json types them without the DOM library too.
    files: ['src/shared/model/**/*.ts', 'src/shared/catalog/**/*.ts', 'src/shared/experiments/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'indexedDB', 'fetch', 'chrome', 'browser', 'localStorage', 'navigator'].map((name) => ({
          name,
          message: 'shared/model, shared/catalog and shared/experiments are pure: no browser globals.',
        })),
      ],
    },
  },
  // Packages each layer may not import (STYLE.md section 1). Flat config keeps the last matching
  // setting of a rule, so each block below states the whole list for its files.
  { files: ['src/**/*.ts'], rules: { 'no-restricted-imports': restrictedImports(['polyfill', 'tfjs', 'idb']) } },
  {
    files: ['src/background/**/*.ts', 'src/shared/db/**/*.ts'],
    rules: { 'no-restricted-imports': restrictedImports(['polyfill', 'tfjs']) },
  },
  { files: ['src/background/training/**/*.ts'], rules: { 'no-restricted-imports': restrictedImports(['polyfill']) } },
  { files: ['src/shared/browser.ts'], rules: { 'no-restricted-imports': restrictedImports(['tfjs', 'idb']) } },
  {
    // The popup only sends; the background validates. Keeping valibot and the schemas out of its
    // bundle is part of opening it fast (test/bench/popup.bench.ts): types from them are fine.
    files: [
      'src/popup/**/*.ts',
      'src/shared/browser.ts',
      'src/shared/message-envelope.ts',
      'src/shared/dom.ts',
      'src/shared/title-display.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['valibot', '**/messages.ts', '**/settings.ts', '**/events.ts', '**/export-format.ts'],
              allowTypeImports: true,
              message: 'The popup loads no schemas: import types only (the envelope is in shared/message-envelope.ts).',
            },
          ],
        },
      ],
    },
  },
);
