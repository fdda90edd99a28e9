import { browser, send, t } from '../shared/browser.ts';
import type { CatalogTitle } from '../shared/catalog/types.ts';
import { h } from '../shared/dom.ts';
import type { Settings } from '../shared/settings.ts';
import { SITE_IDS } from '../shared/sites.ts';
import { pickTitle } from '../shared/title-display.ts';

/**
 * First run: instead of an empty list, two steps: turn sites on (in the options page), and pick
 * a few titles the user likes, which become 'interested' feedback for the cold-start ranking.
 */
export function onboarding(
  settings: Settings,
  uiLanguage: string,
  done: (picked: number) => void,
  error: (e: unknown) => void,
): HTMLElement {
  const picked = new Map<string, string>();
  const enabled = SITE_IDS.filter((site) => settings.sites[site].enabled).length;
  const openOptions = h(
    'button',
    { type: 'button', class: enabled > 0 ? '' : 'primary', id: 'open-options-onboarding' },
    t('popupEnableSites'),
  );
  openOptions.addEventListener('click', () => void browser.runtime.openOptionsPage());

  const search = h('input', { type: 'search', id: 'onboarding-search', autocomplete: 'off', 'aria-describedby': 'onboarding-picked' });
  const results = h('ul', { class: 'picks', id: 'onboarding-results' });
  const pickedLine = h('p', { class: 'muted small', id: 'onboarding-picked', 'aria-live': 'polite' }, t('popupPickedCount', '0'));
  const finish = h('button', { type: 'button', class: 'primary', id: 'onboarding-done' }, t('popupOnboardingDone'));
  const skip = h('button', { type: 'button', id: 'onboarding-skip' }, t('popupOnboardingSkip'));

  const renderResults = (titles: CatalogTitle[]): void => {
    if (titles.length === 0) {
      results.replaceChildren(h('li', { class: 'muted' }, search.value.trim() ? t('popupNoMatches') : t('popupCatalogEmpty')));
      return;
    }
    results.replaceChildren(
      ...titles.map((title) => {
        const name = pickTitle(title, uiLanguage);
        const label = title.year === undefined ? name.text : `${name.text} (${title.year})`;
        const button = h(
          'button',
          {
            type: 'button',
            class: 'pick',
            'aria-pressed': picked.has(title.id) ? 'true' : 'false',
            'data-title-id': title.id,
            lang: name.lang,
          },
          label,
        );
        button.addEventListener('click', () => {
          if (picked.has(title.id)) picked.delete(title.id);
          else picked.set(title.id, name.text);
          button.setAttribute('aria-pressed', picked.has(title.id) ? 'true' : 'false');
          pickedLine.textContent = t('popupPickedCount', String(picked.size));
        });
        return h('li', {}, button);
      }),
    );
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  const query = (): void => {
    const ticket = asked;
    send('catalog:search', { query: search.value, limit: 8, lang: uiLanguage }).then((titles) => {
      if (ticket !== asked) return; // an older, slower answer must not overwrite a newer one
      renderResults(titles);
      results.setAttribute('aria-busy', 'false');
    }, error);
  };
  search.addEventListener('input', () => {
    // What is listed answers the old query: not clickable until the new answer replaces it.
    results.setAttribute('aria-busy', 'true');
    for (const button of results.querySelectorAll('button')) button.disabled = true;
    asked += 1; // an answer already on its way is to the old query
    clearTimeout(timer);
    timer = setTimeout(query, 50); // answered from memory in a few ms: just enough to coalesce a burst
  });
  query();

  const submit = (titleIds: string[]): void => {
    finish.disabled = true;
    skip.disabled = true;
    send('feedback:picks', { titleIds }).then(
      ({ added }) => done(added),
      (e: unknown) => {
        finish.disabled = false;
        skip.disabled = false;
        error(e);
      },
    );
  };
  finish.addEventListener('click', () => submit([...picked.keys()]));
  skip.addEventListener('click', () => submit([]));

  return h(
    'section',
    { class: 'onboarding', 'aria-labelledby': 'onboarding-heading' },
    h('h2', { id: 'onboarding-heading' }, t('popupWelcome')),
    h('p', {}, t('popupWelcomeText')),
    h(
      'ol',
      { class: 'steps' },
      h('li', {}, h('p', {}, enabled > 0 ? t('popupSitesOn', String(enabled)) : t('popupNoSites')), openOptions),
      h('li', {}, h('label', { for: 'onboarding-search' }, t('popupPickTitles')), search, results, pickedLine),
    ),
    h('div', { class: 'row' }, finish, skip),
  );
}
