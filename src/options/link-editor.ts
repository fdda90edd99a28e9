import { browser, send, t } from '../shared/browser.ts';
import type { CatalogTitle } from '../shared/catalog/types.ts';
import { h } from '../shared/dom.ts';
import { CONFIDENT_LINK, type StoredEvent } from '../shared/events.ts';
import { pickTitle } from '../shared/title-display.ts';
import { announce } from './state.ts';

/**
 * Link correction on one stored event (issue 4): remove a title the linker got wrong, or add the
 * right one found with catalog:search. Corrections are stored on the event and win over the
 * linker on every re-link.
 */
const uiLanguage = browser.i18n.getUILanguage();

function nameOf(titles: Map<string, CatalogTitle>, id: string): { text: string; lang?: string } {
  const title = titles.get(id);
  return title ? pickTitle(title, uiLanguage) : { text: id };
}

function correct(payload: { eventId: string; add?: string; remove?: string }, done: string, refresh: () => Promise<void>): Promise<void> {
  return send('linking:correct', payload).then(
    async () => {
      announce(done);
      await refresh();
    },
    (error: unknown) => announce(t('errorAction', error instanceof Error ? error.message : String(error))),
  );
}

/** The event's linked titles, each with a remove button, and an "add a title" search. */
export function linkEditor(event: StoredEvent, titles: Map<string, CatalogTitle>, refresh: () => Promise<void>): HTMLElement {
  const links = event.links.filter((link) => !event.removedTitleIds.includes(link.titleId));
  const list = h(
    'ul',
    { class: 'plain link-list' },
    ...links.map((link) => {
      const name = nameOf(titles, link.titleId);
      const remove = h(
        'button',
        { type: 'button', class: 'link-remove small', 'aria-label': t('optionsRemoveLinkNamed', name.text) },
        t('optionsRemoveLink'),
      );
      remove.addEventListener('click', () => {
        remove.disabled = true;
        void correct({ eventId: event.id, remove: link.titleId }, t('optionsLinkRemoved', name.text), refresh);
      });
      const how = link.source === 'user' ? t('optionsLinkByYou') : `${Math.round(link.confidence * 100)}%`;
      // A maybe link waits for the user: nothing is learned from it until they confirm it.
      const maybe = link.source !== 'user' && link.confidence < CONFIDENT_LINK;
      const confirm = maybe
        ? h(
            'button',
            { type: 'button', class: 'link-confirm small', 'aria-label': t('optionsConfirmLinkNamed', name.text) },
            t('optionsConfirmLink'),
          )
        : null;
      confirm?.addEventListener('click', () => {
        confirm.disabled = true;
        void correct({ eventId: event.id, add: link.titleId }, t('optionsLinkConfirmed', name.text), refresh);
      });
      return h(
        'li',
        { class: maybe ? 'link maybe' : 'link', 'data-title-id': link.titleId, title: link.reason },
        maybe ? h('span', { class: 'muted' }, t('optionsMaybeLink')) : null,
        h('span', { lang: name.lang }, name.text),
        ` (${how}) `,
        confirm,
        confirm ? ' ' : null,
        remove,
      );
    }),
  );

  const inputId = `add-link-${event.id.replace(/[^\w-]/g, '_')}`;
  const search = h('input', {
    type: 'search',
    id: inputId,
    class: 'link-search',
    autocomplete: 'off',
    placeholder: t('optionsAddLinkPlaceholder'),
  });
  const results = h('ul', { class: 'plain link-results', 'aria-live': 'polite' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    const query = search.value.trim();
    timer = setTimeout(() => {
      if (!query) {
        results.replaceChildren();
        return;
      }
      send('catalog:search', { query, limit: 5 }).then(
        (found) => {
          if (search.value.trim() !== query) return; // a newer query is on its way
          results.replaceChildren(
            ...(found.length === 0
              ? [h('li', { class: 'muted small' }, t('optionsNoTitlesFound'))]
              : found.map((title) => {
                  const name = pickTitle(title, uiLanguage);
                  const year = title.year ? ` (${title.year})` : '';
                  const add = h(
                    'button',
                    { type: 'button', class: 'link-add', 'data-title-id': title.id },
                    t('optionsAddLinkNamed', `${name.text}${year}`),
                  );
                  add.addEventListener('click', () => {
                    add.disabled = true;
                    void correct({ eventId: event.id, add: title.id }, t('optionsLinkAdded', name.text), refresh);
                  });
                  return h('li', {}, add);
                })),
          );
        },
        (error: unknown) => announce(t('errorAction', String(error))),
      );
    }, 200);
  });

  return h(
    'div',
    { class: 'event-links small' },
    links.length === 0 ? h('p', {}, t('optionsNoLinkedTitles')) : h('p', {}, t('optionsLinkedTitlesHeading')),
    links.length === 0 ? null : list,
    h(
      'details',
      { class: 'link-add-box' },
      h('summary', {}, t('optionsAddLink')),
      h('label', { for: inputId }, t('optionsAddLinkLabel')),
      ' ',
      search,
      results,
    ),
  );
}
