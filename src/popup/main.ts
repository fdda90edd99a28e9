import { browser, send, t } from '../shared/browser.ts';
import { h, localize } from '../shared/dom.ts';
import { POPUP_LIMIT, POPUP_SNAPSHOT_KEY, type SuggestionsResponse } from '../shared/suggestions.ts';
import { onboarding } from './onboarding.ts';
import { suggestionCard, type CardContext } from './suggestion-card.ts';
import { showStatus, showUndo } from './toast.ts';

// First the answer the background keeps ready (src/background/popup-snapshot.ts): a read from the
// browser's memory, which does not wait for the service worker to wake. Pages only read it. The
// marks give test/bench/popup.bench.ts its per-stage breakdown.
performance.mark('reelflow:started');
const ready = browser.storage.session.get(POPUP_SNAPSHOT_KEY).then(
  (items) => items[POPUP_SNAPSHOT_KEY] as SuggestionsResponse | undefined,
  () => undefined, // no snapshot, no harm: the live answer follows
);

/**
 * The live answer, in one message (it carries the settings too). With a snapshot it is asked once
 * that is painted, so the background's work does not compete with the first frame for the CPU.
 */
function askLive(): Promise<SuggestionsResponse> {
  performance.mark('reelflow:asked');
  return send('popup:suggestions', { limit: POPUP_LIMIT }).finally(() => performance.mark('reelflow:answered'));
}

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
      .then(
        () => {
          box.remove();
          showStatus(toast, t('popupResumed'));
        },
        (error: unknown) => {
          resume.disabled = false;
          reportError(error);
        },
      );
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
      .then(
        (live) => {
          void show(live);
          recordShown(live);
          document.getElementById('snooze')?.focus();
        },
        (error: unknown) => {
          wake.disabled = false;
          reportError(error);
        },
      );
  });
  return h(
    'section',
    { class: 'empty snoozed' },
    h('h2', {}, t('popupSnoozedTitle')),
    h('p', {}, t('popupSnoozedText', formatDay(until))),
    wake,
  );
}

/** A polite way out: no suggestions for a week (caps and diversity handle the rest). */
function snoozeButton(): HTMLElement {
  const button = h('button', { type: 'button', id: 'snooze' }, t('popupSnooze'));
  button.addEventListener('click', () => {
    button.disabled = true;
    send('popup:snooze', { days: SNOOZE_DAYS }).then(
      ({ snoozedUntil }) => {
        content.replaceChildren(snoozedState(snoozedUntil ?? Date.now()));
        document.getElementById('unsnooze')?.focus();
      },
      (error: unknown) => {
        button.disabled = false;
        reportError(error);
      },
    );
  });
  return h('p', { class: 'snooze-line' }, button);
}

/** Whether a first suggestion was already marked for the bench (a re-render is not the first paint). */
let marked = false;

/**
 * Resolves after the next frame, so what is in the DOM now is painted before more work starts. A
 * hidden page gets no animation frames, hence the timer that ends the wait anyway.
 */
function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(fallback);
      resolve();
    };
    const fallback = setTimeout(done, 50);
    requestAnimationFrame(() => setTimeout(done, 0));
  });
}

/** Resolves once every card is in the list. */
function renderList(response: SuggestionsResponse): Promise<void> {
  const context: CardContext = {
    settings: response.settings,
    uiLanguage,
    undoable: (message, undo, focus) => showUndo(toast, message, undo, focus),
    error: reportError,
  };
  const list = h('ol', { class: 'suggestions', 'aria-label': t('popupSuggestions') });
  content.replaceChildren(list, snoozeButton());
  const [first, ...rest] = response.suggestions;
  if (!first) return Promise.resolve();
  const card = suggestionCard(first, context);
  // Element Timing reports when this heading is painted (test/bench/popup.bench.ts reads it).
  if (!marked) card.querySelector('h2')?.setAttribute('elementtiming', 'reelflow:first-suggestion');
  list.append(card);
  if (!marked) performance.mark('reelflow:first-suggestion');
  marked = true;
  // The first card is painted on its own frame; the others follow one frame later, unless a newer
  // answer replaced this list meanwhile.
  return afterNextPaint().then(() => {
    if (list.isConnected) list.append(...rest.map((suggestion) => suggestionCard(suggestion, context)));
  });
}

/** Shows one answer: the paused banner, then the list, onboarding or the empty state. Resolves once all of it is in. */
function show(response: SuggestionsResponse): Promise<void> {
  banner.replaceChildren(...(response.paused ? [pausedBanner()] : []));
  if (response.snoozedUntil !== undefined) content.replaceChildren(snoozedState(response.snoozedUntil));
  else if (response.suggestions.length > 0) return renderList(response);
  else if (!response.onboarded) {
    content.replaceChildren(
      onboarding(
        response.settings,
        uiLanguage,
        (picked) => {
          showStatus(toast, t('popupOnboarded'));
          if (picked === 0) content.replaceChildren(emptyState());
          else void waitForFirstSuggestions();
        },
        reportError,
      ),
    );
  } else content.replaceChildren(emptyState());
  return Promise.resolve();
}

/** How long after the first picks the popup waits for the ranking they lead to (a retrain of the full catalog). */
const FIRST_RANKING_WAIT_MS = 30_000;

/**
 * After the first-run picks: "finding titles" until the first ranking exists, then the list at once,
 * recorded as shown like any other (issue 15: "Done" shows the suggestions as soon as they exist).
 */
async function waitForFirstSuggestions(): Promise<void> {
  content.replaceChildren(h('section', { class: 'empty', 'aria-busy': 'true' }, h('p', { id: 'finding' }, t('popupFinding'))));
  const end = Date.now() + FIRST_RANKING_WAIT_MS;
  try {
    for (;;) {
      const live = await askLive();
      if (live.suggestions.length > 0 || live.snoozedUntil !== undefined || Date.now() > end) {
        await show(live);
        recordShown(live);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } catch (error) {
    reportError(error);
    content.replaceChildren(emptyState());
  }
}

/** Whether the live answer would look different from the snapshot on screen (what is shown, in what order, and the flags). */
function differs(shown: SuggestionsResponse, live: SuggestionsResponse): boolean {
  const ids = (response: SuggestionsResponse): string => response.suggestions.map((suggestion) => suggestion.titleId).join('\n');
  return (
    shown.paused !== live.paused ||
    shown.onboarded !== live.onboarded ||
    shown.snoozedUntil !== live.snoozedUntil ||
    ids(shown) !== ids(live)
  );
}

// Someone who already acts on the snapshot (opens a "why", dismisses a title) keeps what they see.
let touched = false;
for (const type of ['click', 'keydown'] as const) app.addEventListener(type, () => (touched = true), { capture: true, once: true });

async function render(): Promise<void> {
  const snapshot = await ready;
  let shown: SuggestionsResponse;
  try {
    if (snapshot) await show(snapshot);
    const live = await askLive();
    shown = snapshot && (touched || !differs(snapshot, live)) ? snapshot : live;
    if (shown !== snapshot) await show(shown);
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
// What Reelflow thinks you like, one click away: the options page at its taste profile.
document
  .getElementById('open-taste')
  ?.addEventListener('click', () => void browser.tabs.create({ url: browser.runtime.getURL('src/options/index.html#taste-heading') }));
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
