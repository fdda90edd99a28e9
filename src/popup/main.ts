import { browser, send, t } from '../shared/browser.ts';
import { h, localize } from '../shared/dom.ts';
import type { SuggestionsResponse } from '../shared/suggestions.ts';
import { onboarding } from './onboarding.ts';
import { suggestionCard, type CardContext } from './suggestion-card.ts';
import { showStatus, showUndo } from './toast.ts';

/** How many suggestions the popup shows (the default). */
const SHOWN = 8;

// Ask at once, in one message (it carries the settings too): module scripts run after parsing,
// so the DOM is there, and the answer arrives while the page localises itself. The marks give
// test/bench/popup.bench.ts its per-stage breakdown.
performance.mark('reelflow:asked');
const asked = send('popup:suggestions', { limit: SHOWN }).finally(() => performance.mark('reelflow:answered'));

const uiLanguage = browser.i18n.getUILanguage();
const app = document.getElementById('app') as HTMLElement;
const banner = document.getElementById('banner') as HTMLElement;
const content = document.getElementById('content') as HTMLElement;
const toast = document.getElementById('toast') as HTMLElement;

function reportError(error: unknown): void {
  showStatus(toast, t('errorAction', error instanceof Error ? error.message : String(error)));
}

function pausedBanner(): HTMLElement {
  const resume = h('button', { type: 'button', class: 'primary', id: 'resume' }, t('popupResume'));
  const box = h('div', { class: 'banner', role: 'region', 'aria-label': t('popupPausedLabel') }, h('p', {}, t('popupPaused')), resume);
  resume.addEventListener('click', () => {
    resume.disabled = true;
    send('settings:get', {})
      .then((current) => send('settings:set', { ...current, paused: false }))
      .then(() => {
        box.remove();
        showStatus(toast, t('popupResumed'));
      }, (error: unknown) => {
        resume.disabled = false;
        reportError(error);
      });
  });
  return box;
}

function emptyState(): HTMLElement {
  const open = h('button', { type: 'button' }, t('popupOpenOptions'));
  open.addEventListener('click', () => void browser.runtime.openOptionsPage());
  return h('section', { class: 'empty' }, h('h2', {}, t('popupNothingYet')), h('p', {}, t('popupNothingYetText')), open);
}

function renderList(response: SuggestionsResponse): void {
  const context: CardContext = {
    settings: response.settings,
    uiLanguage,
    undoable: (message, undo, focus) => showUndo(toast, message, undo, focus),
    error: reportError,
  };
  const list = h('ol', { class: 'suggestions', 'aria-label': t('popupSuggestions') });
  content.replaceChildren(list);
  // The first card goes in on its own so it paints before the rest are built.
  const [first, ...rest] = response.suggestions;
  if (first) {
    const card = suggestionCard(first, context);
    // Element Timing reports when this heading is painted (test/bench/popup.bench.ts reads it).
    card.querySelector('h2')?.setAttribute('elementtiming', 'reelflow:first-suggestion');
    list.append(card);
  }
  performance.mark('reelflow:first-suggestion');
  list.append(...rest.map((suggestion) => suggestionCard(suggestion, context)));
  send('popup:impressions', {
    items: response.suggestions.map((suggestion, rank) => ({ titleId: suggestion.titleId, rank, strategy: suggestion.strategy })),
  }).catch(reportError);
}

async function render(): Promise<void> {
  const response = await asked;
  if (response.paused) banner.replaceChildren(pausedBanner());
  if (response.suggestions.length > 0) renderList(response);
  else if (!response.onboarded) {
    content.replaceChildren(
      onboarding(response.settings, uiLanguage, () => {
        showStatus(toast, t('popupOnboarded'));
        content.replaceChildren(emptyState());
      }, reportError),
    );
  } else content.replaceChildren(emptyState());
}

localize();
document.getElementById('open-options')?.addEventListener('click', () => void browser.runtime.openOptionsPage());
render().then(
  () => {
    app.setAttribute('aria-busy', 'false');
    document.body.dataset.ready = 'true';
  },
  (error: unknown) => {
    app.setAttribute('aria-busy', 'false');
    content.replaceChildren(h('p', { role: 'alert' }, t('errorBackground', error instanceof Error ? error.message : String(error))));
    document.body.dataset.ready = 'error';
  },
);
