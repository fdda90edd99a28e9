import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  CatalogFileSchema,
  CatalogFileTitleSchema,
  parseCatalog,
  parseCatalogInSteps,
  watchUrl,
} from '../../../src/shared/catalog/schema.ts';
import { readDefaultCatalogText } from '../../fixtures/default-catalog.ts';

const jsonSchema = JSON.parse(readFileSync('src/shared/catalog/catalog.schema.json', 'utf8')) as {
  properties: Record<string, unknown>;
  $defs: { title: { properties: Record<string, unknown> } };
};

/** Loose shape of a test file, so a test can break one field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests write deliberately wrong values
type Spoilable = Record<string, any>;

function minimal(): Spoilable {
  return {
    format: 1,
    version: 'test-1',
    attributions: [{ text: 'Test data', licence: 'CC0-1.0', url: 'https://example.org/' }],
    campaign: { utm_source: 'reelflow' },
    platforms: { bilibili: { name: '哔哩哔哩', url: 'https://www.bilibili.com/bangumi/media/md{id}/', regions: ['CN'] } },
    titles: [
      { id: 'a', kind: 'film', titles: { en: ['Inception'], 'zh-Hans': ['盗梦空间'] }, year: 2010 },
      { id: 'b', kind: 'anime-series', titles: { 'zh-Hans': ['进击的巨人'] }, watch: [{ platform: 'bilibili', id: '28229' }] },
    ],
  };
}

describe('catalog file format', () => {
  it('the JSON schema file names the same fields as the valibot schema', () => {
    expect(Object.keys(jsonSchema.properties).sort()).toEqual(Object.keys(CatalogFileSchema.entries).sort());
    expect(Object.keys(jsonSchema.$defs.title.properties).sort()).toEqual(Object.keys(CatalogFileTitleSchema.entries).sort());
  });

  it('expands a valid file: defaults filled, platform templates and campaign parameters applied', () => {
    const result = parseCatalog(JSON.stringify(minimal()));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [a, b] = result.catalog.titles;
    expect(a).toMatchObject({ id: 'a', aliases: [], genres: [], watch: [], popularity: 0, year: 2010 });
    expect(b?.watch[0]).toEqual({
      platform: 'bilibili',
      id: '28229',
      regions: ['CN'],
      url: 'https://www.bilibili.com/bangumi/media/md{id}/?utm_source=reelflow',
    });
    expect(watchUrl(b?.watch[0] ?? { platform: '', regions: [], url: '' })).toBe(
      'https://www.bilibili.com/bangumi/media/md28229/?utm_source=reelflow',
    );
  });

  it.each([
    ['a bad watch URL', (f: Spoilable) => (f.titles[1].watch[0].url = 'javascript:alert(1)'), /^titles\[1\]\.watch\[0\]\.url: /],
    ['an unknown kind', (f: Spoilable) => (f.titles[0].kind = 'podcast'), /^titles\[0\]\.kind: /],
    ['a title without names', (f: Spoilable) => (f.titles[0].titles = {}), /^titles\[0\]\.titles: /],
    ['a duplicate id', (f: Spoilable) => (f.titles[1].id = 'a'), /^titles\[1\]\.id: duplicate/],
    ['an unknown platform', (f: Spoilable) => (f.titles[1].watch[0].platform = 'nowhere'), /^titles\[1\]\.watch\[0\]\.platform: unknown/],
    ['an unknown field', (f: Spoilable) => (f.titles[0].rating = 9), /^titles\[0\]/],
    ['another format', (f: Spoilable) => (f.format = 4), /^format: /],
    ['a synopsis too long', (f: Spoilable) => (f.titles[0].synopsis = { en: 'x'.repeat(1001) }), /^titles\[0\]\.synopsis\.en: /],
    ['a synopsis in an unknown language', (f: Spoilable) => (f.titles[0].synopsis = { fr: 'Un film.' }), /^titles\[0\]\.synopsis/],
    ['a bad director list', (f: Spoilable) => (f.titles[0].directors = ['']), /^titles\[0\]\.directors\[0\]: /],
  ])('rejects %s with an error naming the field', (_name, spoil, message) => {
    const file = minimal();
    spoil(file);
    const result = parseCatalog(file);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it('reads format 2 fields: directors, a synopsis, wikipedia-en ids, and genre words as vocabulary ids', () => {
    const file = minimal();
    file.format = 2;
    Object.assign(file.titles[0], {
      genres: ['Science Fiction', '动作', 'sci-fi', 'wuxia-ish'],
      people: ['Leonardo DiCaprio', 'Christopher Nolan'],
      directors: ['Christopher Nolan'],
      synopsis: { en: 'Inception is a 2010 science fiction action film written and directed by Christopher Nolan.' },
      externalIds: { 'wikipedia-en': ['Inception'] },
    });
    const result = parseCatalog(file);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [a] = result.catalog.titles;
    expect(a?.genres).toEqual(['sci-fi', 'action', 'wuxia-ish']);
    expect(a?.directors).toEqual(['Christopher Nolan']);
    expect(a?.synopsis).toEqual({ en: 'Inception is a 2010 science fiction action film written and directed by Christopher Nolan.' });
    expect(a?.externalIds['wikipedia-en']).toEqual(['Inception']);
  });

  it('still reads a format 1 file, as written before format 2', () => {
    const result = parseCatalog(JSON.stringify({ ...minimal(), format: 1 }));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.catalog.format).toBe(1);
  });

  it('rejects text that is not JSON', () => {
    expect(parseCatalog('{')).toMatchObject({ ok: false, error: expect.stringMatching(/^not JSON/) });
  });

  it('the committed default catalog validates and carries its three attributions', () => {
    const result = parseCatalog(readDefaultCatalogText());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.catalog.titles.length).toBeGreaterThan(45_000);
    // bangumi-data, zh Wikipedia CGroup, English Wikipedia's films (via prust/wikipedia-movie-data).
    expect(result.catalog.attributions.map((a) => a.licence)).toEqual(['CC-BY-4.0', 'CC-BY-SA-4.0', 'CC-BY-SA-4.0']);
    expect(result.catalog.attributions[2]?.text).toBe(
      'Film data from English Wikipedia (CC BY-SA 4.0) via prust/wikipedia-movie-data (MIT, © 2016 Peter Rust)',
    );
    expect(
      v.is(
        v.array(v.string()),
        result.catalog.titles.map((t) => t.id),
      ),
    ).toBe(true);
  });
});

describe('validating a catalog in steps', () => {
  const file = (titles: unknown[]): string => JSON.stringify({ format: 2, version: 'steps', attributions: [], titles });
  const good = (i: number): object => ({ id: `t${i}`, kind: 'film', titles: { en: [`Title ${i}`] } });

  it('gives the same catalog as parseCatalog, pausing between chunks of titles', async () => {
    const text = file(Array.from({ length: 4500 }, (_, i) => good(i)));
    let pauses = 0;
    const stepped = await parseCatalogInSteps(text, async () => {
      pauses += 1;
    });
    expect(stepped).toEqual(parseCatalog(text));
    expect(pauses).toBeGreaterThanOrEqual(3);
  });

  it('names the same field as parseCatalog when a title far in is wrong', async () => {
    const titles = Array.from({ length: 4500 }, (_, i) => good(i));
    titles[2600] = { id: 'bad', kind: 'film', titles: {} };
    const text = file(titles);
    const stepped = await parseCatalogInSteps(text, async () => undefined);
    expect(stepped).toEqual(parseCatalog(text));
    expect(stepped.ok ? '' : stepped.error).toMatch(/^titles\[2600\]/);
    expect(await parseCatalogInSteps('{ not json', async () => undefined)).toEqual(parseCatalog('{ not json'));
  });
});
