// @vitest-environment jsdom
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../src/content/sites/index.ts';
import { ACTION_KINDS } from '../../src/shared/actions.ts';
import { EXTERNAL_ID_KINDS } from '../../src/shared/catalog/types.ts';
import { SITES, SITE_IDS } from '../../src/shared/sites.ts';
import { manifestFor } from '../../vite.config.ts';
import { SELECTOR_EXPECTATIONS, SNAPSHOT_EXPECTATIONS } from '../fixtures/sites/expectations.ts';
import { HAVE_SNAPSHOTS, NO_SNAPSHOTS_REASON, deepQueryAll, fixture, loadPage, snapshot } from './sites/harness.ts';

const LOCALES = readdirSync('public/_locales');
const messages = Object.fromEntries(
  LOCALES.map((locale) => [locale, JSON.parse(readFileSync(`public/_locales/${locale}/messages.json`, 'utf8')) as Record<string, unknown>]),
);

/**
 * A site is one record (src/shared/sites.ts), one adapter, its fixtures and its strings: everything
 * else derives from the record. These checks fail when a record is missing a part.
 */
describe.each(SITES.map((site) => [site.id, site] as const))('site record %s', (id, record) => {
  it('has its strings in every locale: its name, and every action it captures', () => {
    for (const locale of LOCALES) {
      expect(messages[locale], `${locale} site_${id}`).toHaveProperty([`site_${id}`]);
      for (const action of record.actions) {
        expect(messages[locale], `${locale} action_${action}`).toHaveProperty([`action_${action}`]);
        expect(messages[locale], `${locale} actionName_${action}`).toHaveProperty([`actionName_${action}`]);
      }
    }
  });

  it('names lower-case hosts, known actions and catalog id kinds, each once', () => {
    for (const host of record.hosts) expect(host).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(new Set(record.actions).size).toBe(record.actions.length);
    for (const action of record.actions) expect(ACTION_KINDS).toContain(action);
    for (const spec of record.itemIds) {
      // An item id kind is named after its site, so no two sites claim one.
      expect(spec.kind.startsWith(`${id}-`), spec.kind).toBe(true);
      if (spec.catalog) expect(EXTERNAL_ID_KINDS).toContain(spec.catalog);
    }
  });

  it('is in both built manifests, as optional host permissions', () => {
    for (const target of ['chrome', 'firefox'] as const) {
      const optional = (manifestFor(target) as { optional_host_permissions?: string[] }).optional_host_permissions ?? [];
      for (const host of record.hosts) expect(optional).toContain(`https://${host}/*`);
    }
  });
});

it('has no adapter without a site record, and every action is captured on some site', () => {
  const files = readdirSync('src/content/sites')
    .filter((f) => f !== 'index.ts')
    .map((f) => f.replace(/\.ts$/, ''));
  expect(files.sort()).toEqual([...SITE_IDS].sort());
  expect([...new Set(SITES.flatMap((site) => site.actions))].sort()).toEqual([...ACTION_KINDS].sort());
});

/**
 * The convention of STYLE.md sections 2-3, enforced: every site has an adapter registered under its
 * id, a source file named after it, a site test, fixtures that name what they were modelled on, and
 * an expectation for every selector that holds against its fixture.
 */
describe.each(SITE_IDS)('site %s', (site) => {
  const adapter = ADAPTERS[site];
  const fixtureDir = `test/fixtures/sites/${site}`;

  it('has an adapter registered under its own id, in src/content/sites/<id>.ts, with a site test', () => {
    expect(adapter?.id).toBe(site);
    expect(existsSync(`src/content/sites/${site}.ts`)).toBe(true);
    expect(existsSync(`test/content/sites/${site}.test.ts`)).toBe(true);
  });

  it('stays short (about 250 lines at most)', () => {
    expect(readFileSync(`src/content/sites/${site}.ts`, 'utf8').split('\n').length).toBeLessThanOrEqual(260);
  });

  it('has fixtures, each naming the real page it was modelled on', () => {
    const files = existsSync(fixtureDir) ? readdirSync(fixtureDir).filter((f) => f.endsWith('.html')) : [];
    expect(files.length).toBeGreaterThan(0);
    for (const file of files)
      expect(readFileSync(`${fixtureDir}/${file}`, 'utf8'), file).toMatch(/<!--[^]*?Modelled on[^]*?(19|20)\d\d[^]*?-->/);
  });

  it('has an expectation for every selector, and no stale ones', () => {
    expect(Object.keys(SELECTOR_EXPECTATIONS[site] ?? {}).sort()).toEqual(Object.keys(adapter?.selectors ?? {}).sort());
  });

  it('every selector alternative parses in the DOM engine', () => {
    const doc = loadPage('<p></p>', 'https://example.com/');
    const probe = doc.querySelector('p') as Element;
    for (const [name, alternatives] of Object.entries(adapter?.selectors ?? {})) {
      for (const selector of alternatives) expect(() => probe.matches(selector), `${name}: ${selector}`).not.toThrow();
    }
  });

  it.each(Object.entries(SELECTOR_EXPECTATIONS[site] ?? {}))('selector %s finds the expected count in its fixture', (name, expectation) => {
    const alternatives = adapter?.selectors[name] ?? [];
    const doc = loadPage(fixture(`${site}/${expectation.fixture}`), 'https://example.com/');
    expect(deepQueryAll(doc, alternatives).length).toBe(expectation.count);
  });
});

/** The same counts on the real saved pages: a selector that drifted or grew too broad fails here (STYLE.md section 3). */
describe.skipIf(!HAVE_SNAPSHOTS)(
  `selectors on real pages (${HAVE_SNAPSHOTS ? '../shared/data/dom-snapshots' : NO_SNAPSHOTS_REASON})`,
  () => {
    const cases = Object.entries(SNAPSHOT_EXPECTATIONS).flatMap(([site, files]) =>
      Object.entries(files).flatMap(([file, counts]) => Object.entries(counts).map(([name, count]) => [site, file, name, count] as const)),
    );

    it('names only known sites and selectors', () => {
      for (const [site, , name] of cases)
        expect(Object.keys(ADAPTERS[site as keyof typeof ADAPTERS]?.selectors ?? {}), `${site} ${name}`).toContain(name);
    });

    const pages = new Map<string, Document>();
    const page = (file: string): Document => {
      const doc = pages.get(file) ?? loadPage(snapshot(file), 'https://example.com/');
      pages.set(file, doc);
      return doc;
    };

    it.each(cases)('%s, %s: selector %s finds %i', (site, file, name, count) => {
      const doc = page(file);
      const alternatives = ADAPTERS[site as keyof typeof ADAPTERS]?.selectors[name] ?? [];
      expect(deepQueryAll(doc, alternatives).length).toBe(count);
    });
  },
);
