import { browser, send, t } from '../shared/browser.ts';
import { genreName, isGenreId, type GenreLang } from '../shared/catalog/genres.ts';
import type { CatalogTitle } from '../shared/catalog/types.ts';
import { h } from '../shared/dom.ts';
import type { TasteEvent, TasteView, TasteViewEntry } from '../shared/insights.ts';
import { NO_CORRECTIONS, TASTE_FACETS, noCorrections, type TasteCorrections, type TasteFacet } from '../shared/model/taste.ts';
import { SITE_IDS, type SiteId } from '../shared/sites.ts';
import { displayText } from '../shared/text.ts';
import { pickTitle } from '../shared/title-display.ts';
import { announce, formatTime, saveSettings, settings } from './state.ts';

/**
 * "What Reelflow thinks you like" (issue 15): the genres, people, titles and sites the last
 * ranking's profile leaned on, each with the events behind it and a "Not for me" that takes it
 * out (Reelflow retrains without it), what was taken out with "Put back", and a reset. Page text
 * is set as text only.
 */

const uiLanguage = browser.i18n.getUILanguage();
const genreLang: GenreLang = /^zh[-_](tw|hk|mo|hant)/i.test(uiLanguage) ? 'zh-Hant' : uiLanguage.startsWith('zh') ? 'zh-Hans' : 'en';
/** How long to wait for the retrain a correction starts before showing what is there. */
const RETRAIN_WAIT_MS = 30_000;

const isSiteId = (value: string): value is SiteId => (SITE_IDS as readonly string[]).includes(value);

function corrections(): TasteCorrections {
  return settings().taste ?? NO_CORRECTIONS;
}

/** The name of one key of a facet, in the UI's language. */
function nameOf(facet: TasteFacet, key: string, title: CatalogTitle | undefined): { text: string; lang?: string } {
  if (facet === 'genres') return { text: isGenreId(key) ? genreName(key, genreLang) : key };
  if (facet === 'sites') return { text: t(`site_${key}`) };
  if (facet === 'titles' && title) return pickTitle(title, uiLanguage);
  return { text: key };
}

function eventLine(event: TasteEvent): string {
  const when = formatTime(event.at);
  if (event.pick) return [when, t('optionsTastePick'), t(`feedback_${event.pick.replace(/-/g, '_')}`)].join(' · ');
  const what = [when, t(`site_${event.site as SiteId}`), t(`action_${event.action ?? 'like'}`)];
  return [...what, event.text ? displayText(event.text, 120) : ''].filter(Boolean).join(' · ');
}

function entryItem(facet: TasteFacet, entry: TasteViewEntry, change: (next: TasteCorrections) => Promise<void>): HTMLElement {
  const name = nameOf(facet, entry.key, entry.title);
  const remove = h(
    'button',
    {
      type: 'button',
      class: 'taste-remove',
      'aria-label': t('optionsTasteRemoveLabel', name.text),
      title: t('optionsTasteRemoveLabel', name.text),
    },
    t('optionsTasteRemove'),
  );
  remove.addEventListener('click', () => {
    remove.setAttribute('disabled', '');
    const current = corrections();
    void change({ ...current, [facet]: [...new Set([...current[facet], entry.key])] });
  });
  const why = h(
    'details',
    { class: 'taste-why small' },
    h('summary', {}, t('optionsTasteBehind', String(entry.count))),
    h('ul', { class: 'plain' }, ...entry.events.map((event) => h('li', { 'data-event-id': event.id }, eventLine(event)))),
  );
  return h(
    'li',
    { class: 'taste-entry', 'data-facet': facet, 'data-key': entry.key },
    h('span', { class: 'taste-name' }, h('span', name.lang ? { lang: name.lang } : {}, name.text)),
    remove,
    why,
  );
}

function removedItem(
  facet: TasteFacet,
  key: string,
  title: CatalogTitle | undefined,
  change: (next: TasteCorrections) => Promise<void>,
): HTMLElement {
  const name = nameOf(facet, key, title);
  const back = h(
    'button',
    { type: 'button', class: 'taste-restore', 'aria-label': t('optionsTasteRestoreLabel', name.text) },
    t('optionsTasteRestore'),
  );
  back.addEventListener('click', () => {
    back.setAttribute('disabled', '');
    const current = corrections();
    void change({ ...current, [facet]: current[facet].filter((k) => k !== key) });
  });
  return h(
    'li',
    { class: 'taste-removed', 'data-facet': facet, 'data-key': key },
    h('span', name.lang ? { lang: name.lang } : {}, name.text),
    ' ',
    back,
  );
}

/** The taste profile section; `refresh` redraws it from the background. */
export function tasteSection(root: HTMLElement): { refresh: () => Promise<void> } {
  let computedAt: number | undefined;

  /** Saves the corrections, then waits for the retrain they start to write a new ranking, and redraws. */
  const change = async (next: TasteCorrections): Promise<void> => {
    const before = computedAt;
    root.setAttribute('aria-busy', 'true');
    try {
      await saveSettings((s) => ({
        ...s,
        taste: {
          genres: [...next.genres],
          people: [...next.people],
          titles: [...next.titles],
          sites: next.sites.filter((site): site is SiteId => isSiteId(site)),
        },
      }));
      announce(t('optionsTasteRetraining'));
      const end = Date.now() + RETRAIN_WAIT_MS;
      let view = await send('insights:taste', {});
      while (view.computedAt === before && Date.now() < end) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        view = await send('insights:taste', {});
      }
      draw(view);
      announce(view.computedAt === before ? t('optionsTasteSavedLater') : t('optionsTasteUpdated'));
    } finally {
      root.setAttribute('aria-busy', 'false');
    }
  };

  const draw = (view: TasteView): void => {
    computedAt = view.computedAt;
    const removed = view.removed;
    const titleOf = new Map(view.removedTitles.map((title) => [title.id, title]));
    const facets = TASTE_FACETS.map((facet) => {
      const entries = view.profile[facet];
      return h(
        'div',
        { class: 'taste-facet', 'data-facet': facet },
        h('h3', { id: `taste-${facet}` }, t(`optionsTaste_${facet}`)),
        entries.length === 0
          ? h('p', { class: 'muted small' }, t('optionsTasteNone'))
          : h(
              'ul',
              { class: 'plain taste-list', 'aria-labelledby': `taste-${facet}` },
              ...entries.map((entry) => entryItem(facet, entry, change)),
            ),
      );
    });
    const anyRemoved = !noCorrections(removed);
    const removedList = anyRemoved
      ? h(
          'div',
          { class: 'taste-removed-list' },
          h('h3', { id: 'taste-removed' }, t('optionsTasteRemoved')),
          h(
            'ul',
            { class: 'plain', 'aria-labelledby': 'taste-removed' },
            ...TASTE_FACETS.flatMap((facet) => removed[facet].map((key) => removedItem(facet, key, titleOf.get(key), change))),
          ),
        )
      : null;
    const reset = h('button', { type: 'button', id: 'taste-reset' }, t('optionsTasteReset'));
    reset.addEventListener('click', () => {
      reset.setAttribute('disabled', '');
      void change(NO_CORRECTIONS);
    });
    const empty = TASTE_FACETS.every((facet) => view.profile[facet].length === 0);
    root.replaceChildren(
      h('p', { class: 'muted' }, t('optionsTasteHelp')),
      ...(empty ? [h('p', { class: 'taste-empty' }, t('optionsTasteEmpty'))] : facets),
      ...(removedList ? [removedList, reset] : []),
    );
  };

  return { refresh: async () => draw(await send('insights:taste', {})) };
}
