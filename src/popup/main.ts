import { browser, send, t } from '../shared/browser.ts';
import { h, localize } from '../shared/dom.ts';
import { POPUP_LIMIT, POPUP_SNAPSHOT_KEY, type SuggestionsResponse } from '../shared/suggestions.ts';
import { onboarding } from './onboarding.ts';
import { suggestionCard, type CardContext } from './suggestion-card.ts';
import { showStatus, showUndo } from './toast.ts';

// Ask at once, in one message (it carries the settings too): module scripts run after parsing,
// so the DOM is there, and the answer arrives while the page localises itself. The marks give
// test/bench/popup.bench.ts its per-stage breakdown.
performance.mark('reelflow:asked');
const asked = send('popup:suggestions', { limit: POPUP_LIMIT }).finally(() => performance.mark('reelflow:answered'));
// Meanwhile the answer the background keeps ready (src/background/popup-snapshot.ts): a read from
// the browser's memory, which does not wait for the service worker to wake. Pages only read it.
const ready = browser.storage.session.get(POPUP_SNAPSHOT_KEY).then(
  (items) => items[POPUP_SNAPSHOT_KEY] as SuggestionsResponse | undefined,
  () => undefined, // no snapshot, no harm: the live answer follows
);

const uiLanguage = browser.i18n.getUILanguage();
/** How long "snooze" hides suggestions. */
const SNOOZE_DAYS = 7;
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

function formatDay(at: number): string {
  return new Date(at).toLocaleDateString(uiLanguage, { weekday: 'short', month: 'short', day: 'numeric' });
}

/** Records, once, the list the user actually sees (impressions feed caps, metrics and the A/B test). */
function recordShown(response: SuggestionsResponse): void {
  if (response.suggestions.length === 0) return;
  send('popup:impressions', {
    items: response.suggestions.map((suggestion, rank) => ({ titleId: suggestion.titleId, rank, strategy: suggestion.strategy })),
  }).catch(reportError);
}

/** All suggestions snoozed: say until when, with a way back. */
function snoozedState(until: number): HTMLElement {
  const wake = h('button', { type: 'button', class: 'primary', id: 'unsnooze' }, t('popupUnsnooze'));
  wake.addEventListener('click', () => {
    wake.disabled = true;
    send('popup:snooze', { days: 0 })
      .then(() => send('popup:suggestions', { limit: POPUP_LIMIT }))
      .then((live) => {
        show(live);
        recordShown(live);
        document.getElementById('snooze')?.focus();
      }, (error: unknown) => {
        wake.disabled = false;
        reportError(error);
      });
  });
  return h('section', { class: 'empty snoozed' }, h('h2', {}, t('popupSnoozedTitle')), h('p', {}, t('popupSnoozedText', formatDay(until))), wake);
}

/** A polite way out: no suggestions for a week (caps and diversity handle the rest). */
function snoozeButton(): HTMLElement {
  const button = h('button', { type: 'button', id: 'snooze' }, t('popupSnooze'));
  button.addEventListener('click', () => {
    button.disabled = true;
    send('popup:snooze', { days: SNOOZE_DAYS }).then(({ snoozedUntil }) => {
      content.replaceChildren(snoozedState(snoozedUntil ?? Date.now()));
      document.getElementById('unsnooze')?.focus();
    }, (error: unknown) => {
      button.disabled = false;
      reportError(error);
    });
  });
  return h('p', { class: 'snooze-line' }, button);
}

/** Whether a first suggestion was already marked for the bench (a re-render is not the first paint). */
let marked = false;

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
    if (!marked) card.querySelector('h2')?.setAttribute('elementtiming', 'reelflow:first-suggestion');
    list.append(card);
  }
  if (!marked) performance.mark('reelflow:first-suggestion');
  marked = true;
  list.append(...rest.map((suggestion) => suggestionCard(suggestion, context)));
  content.append(snoozeButton());
}

/** Shows one answer: the paused banner, then the list, onboarding or the empty state. */
function show(response: SuggestionsResponse): void {
  banner.replaceChildren(...(response.paused ? [pausedBanner()] : []));
  if (response.snoozedUntil !== undefined) content.replaceChildren(snoozedState(response.snoozedUntil));
  else if (response.suggestions.length > 0) renderList(response);
  else if (!response.onboarded) {
    content.replaceChildren(
      onboarding(response.settings, uiLanguage, () => {
        showStatus(toast, t('popupOnboarded'));
        content.replaceChildren(emptyState());
      }, reportError),
    );
  } else content.replaceChildren(emptyState());
}

/** Whether the live answer would look different from the snapshot on screen (what is shown, in what order, and the flags). */
function differs(shown: SuggestionsResponse, live: SuggestionsResponse): boolean {
  const ids = (response: SuggestionsResponse): string => response.suggestions.map((suggestion) => suggestion.titleId).join('\n');
  return shown.paused !== live.paused || shown.onboarded !== live.onboarded || shown.snoozedUntil !== live.snoozedUntil || ids(shown) !== ids(live);
}

// Someone who already acts on the snapshot (opens a "why", dismisses a title) keeps what they see.
let touched = false;
for (const type of ['click', 'keydown'] as const) app.addEventListener(type, () => (touched = true), { capture: true, once: true });

async function render(): Promise<void> {
  const snapshot = await ready;
  if (snapshot) show(snapshot);
  let shown: SuggestionsResponse;
  try {
    const live = await asked;
    shown = snapshot && (touched || !differs(snapshot, live)) ? snapshot : live;
    if (shown !== snapshot) show(shown);
  } catch (error) {
    if (!snapshot) throw error;
    // The list on screen still works once the background answers again; say what went wrong.
    reportError(error);
    return;
  }
  // Once, for what is finally on screen: the snapshot kept, or the live answer that replaced it.
  recordShown(shown);
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
