import { describe, expect, it } from 'vitest';
import { createBackground } from '../../src/background/background.ts';
import type { SenderInfo } from '../../src/background/router.ts';
import { createStore } from '../../src/background/store.ts';
import type { StoredEvent } from '../../src/shared/events.ts';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_DEPTH,
  checkImportSize,
  describeImportProblem,
  readExport,
  type ExportFile,
} from '../../src/shared/export-format.ts';
import { envelope } from '../../src/shared/messages.ts';
import { defaultSettings } from '../../src/shared/settings.ts';
import { xLike } from '../fixtures/events.ts';

/**
 * Issue 17, hostile import files: each is refused with a problem that names what is wrong (and
 * where), before anything is stored. The options page reads files in a worker (import-worker.ts)
 * through readExport; the background checks again what a schema cannot (ids, times).
 */
const NOW = Date.UTC(2026, 10, 20);

function event(id: string, at = NOW - 86_400_000): StoredEvent {
  const captured = xLike({ at });
  return { ...captured, target: { ...captured.target, id }, id: `x:like:${id}`, receivedAt: at, links: [], removedTitleIds: [] };
}

function file(extra: Partial<ExportFile> = {}): ExportFile {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: NOW - 1000,
    settings: defaultSettings(),
    events: [event('1'), event('2')],
    feedback: [{ id: 1, titleId: 't', kind: 'interested', at: NOW - 5000 }],
    impressions: [
      { id: 1, titleId: 't', rank: 0, at: NOW - 6000, strategy: 'model' },
      { id: 2, titleId: 'u', rank: 1, at: NOW - 6000, strategy: 'model', site: 'douban' },
    ],
    ...extra,
  };
}

const problemOf = (text: string): string | undefined => {
  const read = readExport(text, NOW);
  return read.ok ? undefined : `${read.problem.code}: ${describeImportProblem(read.problem)}`;
};

describe('hostile import files', () => {
  it('reads a sound export', () => {
    const read = readExport(JSON.stringify(file()), NOW);
    expect(read.ok && read.file.events.map((e) => e.id)).toEqual(['x:like:1', 'x:like:2']);
    expect(read.ok && read.file.impressions.map((i) => i.site)).toEqual([undefined, 'douban']);
    // A site that is not one of Reelflow's is refused, with its path.
    const bad = file({ impressions: [{ id: 1, titleId: 't', rank: 0, at: NOW - 6000, strategy: 'model', site: 'myspace' as never }] });
    expect(problemOf(JSON.stringify(bad))).toContain('impressions');
  });

  it('refuses a 50 MB file on its size, before reading it', () => {
    expect(checkImportSize(50 * 1024 * 1024)).toEqual({ code: 'tooLarge', args: ['50.0 MB', '32.0 MB'] });
    expect(checkImportSize(MAX_IMPORT_BYTES)).toBeUndefined();
  });

  it('refuses 10,000-deep nesting before JSON.parse builds it, saying how deep', () => {
    const deep = `{"format":"reelflow-export","events":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    expect(problemOf(deep)).toBe(
      `tooDeep: the file nests its data at least 10,001 levels deep; an export goes no deeper than ${MAX_IMPORT_DEPTH}`,
    );
    // Brackets inside strings are text, not nesting.
    const quoted = JSON.stringify(file({ events: [{ ...event('1'), target: { ...event('1').target, text: '['.repeat(100) } }] }));
    expect(problemOf(quoted)).toBeUndefined();
  });

  it('refuses __proto__, constructor and prototype keys, naming where', () => {
    const sound = JSON.stringify(file());
    expect(problemOf(sound.replace('{"format"', '{"__proto__":{"polluted":true},"format"'))).toBe(
      'forbiddenKey: the file has a key named "__proto__" (in (the top)), which no export has',
    );
    expect(problemOf(sound.replace('"hashtags":', '"constructor":{"prototype":{}},"hashtags":'))).toMatch(
      /^forbiddenKey: the file has a key named "constructor" \(in events\[0\]\.target\)/,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses wrong types and text that is not JSON, with the path', () => {
    const wrong = JSON.parse(JSON.stringify(file())) as { events: { at: unknown }[] };
    (wrong.events[1] as { at: unknown }).at = 'yesterday';
    expect(problemOf(JSON.stringify(wrong))).toMatch(/^invalid: the file is not a Reelflow export: events\[1\]\.at: /);
    expect(problemOf('{"format": "reelflow-export",')).toMatch(/^notJson: the file is not JSON \(/);
  });

  it('refuses duplicate ids, and times before 1970 or after the file was made', () => {
    expect(problemOf(JSON.stringify(file({ events: [event('1'), event('1')] })))).toBe(
      'duplicateId: the file has two events records with the id x:like:1',
    );
    expect(problemOf(JSON.stringify(file({ events: [event('1', -1)] })))).toBe(
      'tooEarly: the file has a time before 1970: 1969-12-31T23:59:59.999Z (events[0].at)',
    );
    const future = NOW + 365 * 86_400_000;
    expect(problemOf(JSON.stringify(file({ events: [event('1', future)] })))).toMatch(
      /^tooLate: the file has a time later than it can be: 2027-11-20T00:00:00.000Z \(events\[0\]\.at\)/,
    );
  });

  it('leaves the stored data as it was when the background refuses a file', async () => {
    const store = createStore(`hostile-${Date.now()}`);
    const bg = createBackground(store, () => NOW);
    const fromPage: SenderInfo = { fromExtensionPage: true, incognito: false };
    const sound = file();
    expect(await bg.handle(envelope('data:import', sound), fromPage)).toMatchObject({ ok: true });
    const before = await store.read((db) => Promise.all([db.getAll('events'), db.getAll('feedback'), db.getAll('impressions')]));
    // A file the schema passes but whose ids repeat (a file sent straight to the background, past the page's checks).
    const reply = await bg.handle(envelope('data:import', file({ events: [event('9'), event('9')], feedback: [] })), fromPage);
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: expect.stringContaining('two events records') as string },
    });
    const after = await store.read((db) => Promise.all([db.getAll('events'), db.getAll('feedback'), db.getAll('impressions')]));
    expect(after).toEqual(before);
  });
});
