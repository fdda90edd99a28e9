import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page as PlaywrightPage } from 'playwright-core';
import type { ElementHandle, Page as PuppeteerPage } from 'puppeteer-core';
import { sendRaw, waitFor } from './extension-page.ts';

const AXE = readFileSync(resolve('node_modules/axe-core/axe.min.js'), 'utf8');

/** An extension page (popup or options) of either browser. */
export type AnyPage = PlaywrightPage | PuppeteerPage;

interface AxeViolation {
  id: string;
  impact: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in an extension page (injected over the debugging protocol, which the page's CSP does not govern). */
export async function axeViolations(page: AnyPage): Promise<string[]> {
  await (page as PlaywrightPage).evaluate(AXE);
  const violations = await (page as PlaywrightPage).evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[]; passes: unknown[] }> };
      }
    ).axe;
    const result = await axe.run(document, {});
    return [...result.violations, ...(result.passes.length > 10 ? [] : [{ id: 'axe-did-not-run', impact: 'test', nodes: [] }])];
  });
  return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Waits until an element matching the selector is rendered (in the DOM, not hidden, with a box), or until none is. */
async function rendered(page: AnyPage, selector: string, wanted = true): Promise<void> {
  await waitFor(
    async () => {
      const shown = await (page as PlaywrightPage).evaluate((s: string) => {
        const element = document.querySelector(s);
        return element !== null && !(element as HTMLElement).hidden && element.getClientRects().length > 0;
      }, selector);
      return shown === wanted;
    },
    `${selector} ${wanted ? 'shown' : 'gone'}`,
  );
}

/** A click in either library (both take a selector). */
async function click(page: AnyPage, selector: string): Promise<void> {
  await (page as PlaywrightPage).click(selector);
}

/**
 * The popup's and the options page's transient states, each checked by axe-core: the paused
 * banner, the undo toast after "not interested", the snoozed state, the delete-everything
 * confirmation and an import error. Every state is undone after its check, so the data the
 * caller seeded is as it was. `open` opens an extension page in the colour scheme under test and
 * resolves once it is ready; `notJson` is a file on disk that is not JSON. Returns each state's
 * violations (all empty when the pages pass).
 */
export async function axeTransientStates(open: (path: string) => Promise<AnyPage>, notJson: string): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  const popupPath = 'src/popup/index.html';

  const options = await open('src/options/index.html');
  const settings = ((await sendRaw(options, { reelflow: 1, type: 'settings:get', payload: {} })) as { value: Record<string, unknown> })
    .value;
  await sendRaw(options, { reelflow: 1, type: 'settings:set', payload: { ...settings, paused: true } });
  let popup = await open(popupPath);
  await rendered(popup, '#resume');
  found['popup paused banner'] = await axeViolations(popup);
  await click(popup, '#resume');
  await rendered(popup, '#resume', false);
  await popup.close();

  popup = await open(popupPath);
  const card = '.suggestion:first-child';
  await rendered(popup, card);
  const titleId = await (popup as PlaywrightPage).evaluate((s: string) => (document.querySelector(s) as HTMLElement).dataset.titleId, card);
  await click(popup, `${card} button[data-action="not-interested"]`);
  await rendered(popup, '#toast button.undo');
  found['popup undo toast'] = await axeViolations(popup);
  await click(popup, '#toast button.undo');
  await rendered(popup, `.suggestion[data-title-id="${titleId}"]`);

  await click(popup, '#snooze');
  await rendered(popup, 'section.snoozed');
  found['popup snoozed'] = await axeViolations(popup);
  await click(popup, '#unsnooze');
  await rendered(popup, '.suggestion');
  await popup.close();

  await click(options, '#delete-all');
  await rendered(options, '#delete-confirm');
  found['options delete confirmation'] = await axeViolations(options);
  await click(options, '#delete-all-cancel');
  await rendered(options, '#delete-confirm', false);

  const input = await (options as PlaywrightPage).$('#import');
  if (!input) throw new Error('options has no #import input');
  const status = (): Promise<string> => (options as PlaywrightPage).evaluate(() => document.getElementById('status')?.textContent ?? '');
  const before = await status();
  if ('setInputFiles' in input) await input.setInputFiles(notJson);
  else await (input as unknown as ElementHandle<HTMLInputElement>).uploadFile(notJson);
  // "Reading the file…" first, then the error, said in the status and shown by the input.
  await waitFor(async () => {
    const now = await status();
    const shown = await (options as PlaywrightPage).evaluate(() => document.getElementById('import-error')?.hidden === false);
    return now !== '' && now !== before && shown;
  }, 'the import error');
  found['options import error'] = await axeViolations(options);
  await options.close();
  return found;
}
