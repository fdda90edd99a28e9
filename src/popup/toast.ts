import { t } from '../shared/browser.ts';
import { h } from '../shared/dom.ts';

/**
 * One status line at the bottom of the popup with an Undo button. It stays until the next
 * action replaces it, so keyboard and screen-reader users have time to reach Undo.
 */
export function showUndo(region: HTMLElement, message: string, undo: () => Promise<void>, focus = false): void {
  const button = h('button', { type: 'button', class: 'undo' }, t('undo'));
  button.addEventListener('click', () => {
    button.disabled = true;
    undo().then(
      () => region.replaceChildren(h('span', {}, t('undone'))),
      (error: unknown) => region.replaceChildren(h('span', {}, t('errorAction', error instanceof Error ? error.message : String(error)))),
    );
  });
  region.replaceChildren(h('span', {}, message), button);
  if (focus) button.focus();
}

/** Shows a plain status message (an error, a confirmation) in the same region. */
export function showStatus(region: HTMLElement, message: string): void {
  region.replaceChildren(h('span', {}, message));
}
