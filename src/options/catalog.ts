import { send, t } from '../shared/browser.ts';
import type { CatalogMeta } from '../shared/catalog/types.ts';
import { h } from '../shared/dom.ts';
import { MAX_CATALOG_TEXT } from '../shared/messages.ts';
import { announce, formatTime } from './state.ts';

/**
 * The About section's catalog part (issue 4): which catalog is installed, its attributions, and
 * an import control. An invalid file is rejected by the background with the field named; the
 * message stays on the page and the current catalog stays.
 */
function statusLines(meta: CatalogMeta | undefined, titleCount: number): HTMLElement[] {
  if (!meta) return [h('p', { id: 'catalog-status' }, t('optionsCatalogNone'))];
  return [
    h(
      'p',
      { id: 'catalog-status', 'data-version': meta.version },
      t('optionsCatalogStatus', [t(`catalogSource_${meta.source}`), meta.version, String(titleCount), formatTime(meta.installedAt)]),
    ),
    h('ul', { class: 'small', id: 'catalog-attributions' }, ...meta.attributions.map((a) => h('li', {}, a.text))),
  ];
}

/** Draws the catalog status and import control into `root`; `reload` redraws the page after an import re-links events. */
export async function renderCatalog(root: HTMLElement, reload: () => Promise<void>): Promise<void> {
  const status = h('div', { id: 'catalog-status-box' });
  const error = h('p', { id: 'catalog-error', class: 'error', role: 'alert', hidden: true });
  const input = h('input', { type: 'file', id: 'catalog-import', accept: 'application/json,.json' });
  const refreshStatus = async (): Promise<void> => {
    const current = await send('catalog:status', {});
    status.replaceChildren(...statusLines(current.meta, current.titleCount));
  };
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (!file) return;
    error.hidden = true;
    input.disabled = true;
    announce(t('optionsCatalogImporting'));
    const read = file.size > MAX_CATALOG_TEXT * 2 ? Promise.reject(new Error(t('optionsCatalogTooLarge'))) : file.text();
    read
      .then((text) => send('catalog:import', { text }))
      .then(async (result) => {
        await Promise.all([refreshStatus(), reload()]);
        announce(t('optionsCatalogImported', [result.meta.version, String(result.meta.titleCount), String(result.relinked)]));
      })
      .catch((problem: unknown) => {
        error.textContent = t('optionsCatalogInvalid', (problem instanceof Error ? problem.message : String(problem)).slice(0, 500));
        error.hidden = false;
        announce(t('optionsCatalogKept'));
      })
      .finally(() => {
        input.disabled = false;
        input.value = '';
      });
  });
  root.replaceChildren(
    h('h3', { id: 'catalog-heading' }, t('optionsCatalog')),
    status,
    h('p', { class: 'muted small' }, t('optionsCatalogHelp')),
    h('label', { for: 'catalog-import', class: 'file' }, t('optionsCatalogImport'), ' ', input),
    error,
  );
  await refreshStatus();
}
