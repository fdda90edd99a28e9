import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SCRIPT_PREFIXES, HANDLER_FILES, contentScriptMaySend } from '../../src/background/router.ts';
import { REQUEST_SCHEMAS, type MessageType } from '../../src/shared/messages.ts';

/**
 * STYLE.md section 9, "a message's name tells its file", enforced: every message type of the
 * protocol is handled exactly once in src/background, in src/background/handlers/<file>.ts where
 * <file> is HANDLER_FILES[prefix]; no handler lives anywhere else.
 */
const TYPES = Object.keys(REQUEST_SCHEMAS) as MessageType[];
/** A handler is a method named after a message type: `async 'capture:event'(…) {`. */
const HANDLER = /^\s*(?:async\s+)?'([a-z]+:[a-z-]+)'\s*\(/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

const definitions = sourceFiles('src/background').flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(HANDLER)].map((m) => ({ file, type: m[1] ?? '' })),
);

describe('the background handles each message in the file of its prefix', () => {
  it('finds handlers to check (the pattern still matches how handlers are written)', () => {
    expect(definitions.length).toBeGreaterThanOrEqual(TYPES.length);
  });

  it.each(TYPES)('%s is handled exactly once, in its prefix file', (type) => {
    const prefix = type.split(':')[0] as keyof typeof HANDLER_FILES;
    const where = definitions.filter((d) => d.type === type).map((d) => d.file);
    expect(where).toEqual([join('src/background/handlers', `${HANDLER_FILES[prefix]}.ts`)]);
  });

  it('defines no handler for a type the protocol does not have', () => {
    expect(definitions.filter((d) => !TYPES.includes(d.type as MessageType))).toEqual([]);
  });

  it('has a file for every prefix, and no handler file without a prefix', () => {
    const prefixes = new Set(TYPES.map((type) => type.split(':')[0]));
    expect(Object.keys(HANDLER_FILES).sort()).toEqual([...prefixes].sort());
    const files = readdirSync('src/background/handlers').map((f) => f.replace(/\.ts$/, ''));
    expect(files.sort()).toEqual([...new Set(Object.values(HANDLER_FILES))].sort());
  });

  it('lets content scripts send only their own prefixes', () => {
    expect(CONTENT_SCRIPT_PREFIXES).toEqual(['content', 'capture']);
    expect(TYPES.filter(contentScriptMaySend).sort()).toEqual([
      'capture:event',
      'capture:retract',
      'content:hello',
      'content:page-check',
      'content:selector-miss',
    ]);
  });
});
