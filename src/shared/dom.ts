import { t } from './browser.ts';

type Child = Node | string | null | undefined | false;

/**
 * Builds an element. Strings become text nodes, never HTML: page-derived text is only
 * ever set as text (the privacy brief).
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** Fills every `[data-i18n]` element's text (and `[data-i18n-label]` aria-label) from _locales. */
export function localize(root: ParentNode = document): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n ?? '');
  }
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n-label]')) {
    element.setAttribute('aria-label', t(element.dataset.i18nLabel ?? ''));
  }
  document.documentElement.lang = t('@@ui_locale').replace('_', '-') || 'en';
}
