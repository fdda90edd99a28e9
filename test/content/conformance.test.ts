// @vitest-environment jsdom
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../src/content/sites/index.ts';
import { SITE_IDS } from '../../src/shared/sites.ts';
import { SELECTOR_EXPECTATIONS } from '../fixtures/sites/expectations.ts';
import { deepQueryAll, fixture, loadPage } from './sites/harness.ts';

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
