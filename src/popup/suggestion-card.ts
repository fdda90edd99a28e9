import { browser, send, t } from '../shared/browser.ts';
import { genreName, isGenreId, type GenreLang } from '../shared/catalog/genres.ts';
import { h } from '../shared/dom.ts';
import type { Synopsis } from '../shared/catalog/types.ts';
import type { StoredEvent } from '../shared/events.ts';
import { displayText } from '../shared/text.ts';
import type { Settings } from '../shared/settings.ts';
import { leadReason, type Reason, type Suggestion } from '../shared/suggestions.ts';
import {
  INFO_PLATFORMS,
  isTraditional,
  offeredLinks,
  originalTitle,
  pickTitle,
  platformLabel,
  searchedPlatform,
  titleMark,
} from '../shared/title-display.ts';

export interface CardContext {
  settings: Pick<Settings, 'platforms' | 'region'>;
  uiLanguage: string;
  /** Shows an undoable confirmation; `focus` moves focus to its Undo button (the focused card went away). */
  undoable(message: string, undo: () => Promise<void>, focus?: boolean): void;
  error(error: unknown): void;
}

/** The genre vocabulary's language for a UI language: zh-TW/HK/MO read traditional Chinese. */
function genreLang(uiLanguage: string): GenreLang {
  if (/^zh[-_](?:TW|HK|MO|Hant)/i.test(uiLanguage)) return 'zh-Hant';
  return /^zh/i.test(uiLanguage) ? 'zh-Hans' : 'en';
}

/**
 * A catalog genre in the user's language: vocabulary ids by their display name (genres.ts),
 * older tokens of an imported catalog where the locale names them (`genre_<token>`), else as the
 * catalog spells it.
 */
export function genreLabel(token: string): string {
  if (isGenreId(token)) return genreName(token, genreLang(browser.i18n.getUILanguage()));
  return browser.i18n.getMessage(`genre_${token.toLowerCase().replace(/[^a-z0-9]/g, '_')}`) || token;
}

/** Keys whose first substitution is a genre id, shown by its name in the UI's language. */
const GENRE_FIRST = new Set(['reasonGenre', 'reasonGenreEraLike', 'reasonGenreLike']);

/** An evidence phrase's message in the UI language's plural form: evidenceLiked_one or evidenceLiked_other. */
function pluralKey(key: string, count: number, uiLanguage: string): string {
  const base = key.replace(/_(one|other)$/, '');
  return base === key ? key : `${base}_${new Intl.PluralRules(uiLanguage).select(count) === 'one' ? 'one' : 'other'}`;
}

/**
 * A reason as one plain sentence in the user's language: the relation ("With Leonardo DiCaprio,
 * like Inception", the engaged title named in the UI's script) and what backs it ("you liked 2
 * posts about it").
 */
export function reasonText(reason: Reason, uiLanguage: string = browser.i18n.getUILanguage()): string {
  const { key, substitutions } = reason.phrase;
  const anchor = reason.anchor ? pickTitle(reason.anchor, uiLanguage).text : '';
  const filled = substitutions.map((value, i) => {
    if (i === 0 && GENRE_FIRST.has(key)) return genreLabel(value);
    // The anchor's slot is left empty by the ranking: the popup names it in the reader's script.
    return value === '' && anchor ? anchor : value;
  });
  const relation = t(key, filled);
  if (!reason.evidence) return relation;
  const count = Number(reason.evidence.substitutions[0] ?? '0');
  return `${relation} · ${t(pluralKey(reason.evidence.key, count, uiLanguage), reason.evidence.substitutions)}`;
}

/** The reason a card leads with: the strongest one tied to what the user did; one that restates the prior only if none is. */
export { leadReason };

function eventLine(event: StoredEvent, uiLanguage: string): string {
  const date = new Intl.DateTimeFormat(uiLanguage, { dateStyle: 'medium' }).format(event.at);
  const about = event.target.title || event.target.text || event.target.hashtags.map((tag) => `#${tag}`).join(' ') || event.target.url;
  // One sentence per action: "marked “…” want to watch" and 标为想看 do not fit one verb slot.
  return t(`eventLine_${event.action}`, [date, t(`site_${event.site}`), displayText(about, 140)]);
}

/** The "why" disclosure: every reason, and the one to three events that contributed most, loaded when it is opened. */
function whyDisclosure(suggestion: Suggestion, context: CardContext): HTMLDetailsElement {
  const list = h('ul', { class: 'why-events' });
  const lead = leadReason(suggestion.reasons);
  const reasons = [...suggestion.reasons].sort((a, b) => (a === lead ? -1 : b === lead ? 1 : b.weight - a.weight));
  const details = h(
    'details',
    { class: 'why' },
    h('summary', {}, t('popupWhy')),
    reasons.length > 1
      ? h('ul', { class: 'why-reasons' }, ...reasons.map((reason) => h('li', {}, reasonText(reason, context.uiLanguage))))
      : null,
    list,
  );
  // The events behind the lead reason (at most three, the counted ones first), else the strongest of all.
  const ids = (lead && lead.eventIds.length > 0 ? lead.eventIds : [...new Set(reasons.flatMap((reason) => reason.eventIds))]).slice(0, 3);
  // "You shared 5 posts" lists three of them: the line under the list says where the other two are.
  const counted = lead && lead.eventIds.length > 0 ? (lead.claim?.count ?? 0) : 0;
  const more = counted - Math.min(counted, ids.length);
  let loaded = false;
  details.addEventListener('toggle', () => {
    if (!details.open || loaded) return;
    loaded = true;
    if (ids.length === 0) {
      list.replaceChildren(h('li', { class: 'muted' }, t('popupWhyNoEvents')));
      return;
    }
    list.replaceChildren(h('li', { class: 'muted' }, t('loading')));
    send('data:get-events', { ids }).then(
      (events) => {
        list.replaceChildren(
          ...events.map((event) =>
            h(
              'li',
              {},
              h('a', { href: event.target.url, target: '_blank', rel: 'noopener noreferrer' }, eventLine(event, context.uiLanguage)),
            ),
          ),
        );
        if (events.length === 0) list.replaceChildren(h('li', { class: 'muted' }, t('popupWhyEventsGone')));
        else if (more > 0)
          list.append(h('li', { class: 'muted why-more' }, t(pluralKey('popupWhyMore_other', more, context.uiLanguage), [String(more)])));
      },
      (error: unknown) => context.error(error),
    );
  });
  return details;
}

/**
 * The catalog's one-sentence synopsis in the UI's language (a Chinese reader's own script first,
 * the other one else); none in another language: an English sentence on a Chinese card (the
 * Wikipedia films' only synopsis) read as a card left untranslated.
 */
export function synopsisFor(synopsis: Synopsis | undefined, uiLanguage: string): { text: string; lang: string } | undefined {
  if (!synopsis) return undefined;
  const tag = uiLanguage.toLowerCase().replace('_', '-');
  const readable: (keyof Synopsis)[] = tag.startsWith('zh')
    ? isTraditional(tag)
      ? ['zh-Hant', 'zh-Hans']
      : ['zh-Hans', 'zh-Hant']
    : ['en'];
  for (const lang of readable) {
    const text = synopsis[lang]?.trim();
    if (text) return { text, lang };
  }
  return undefined;
}

/** One suggestion: title, year · kind · genres, a synopsis line, the plain reason, watch links and feedback, why. */
export function suggestionCard(suggestion: Suggestion, context: CardContext): HTMLLIElement {
  const { title } = suggestion;
  const name = pickTitle(title, context.uiLanguage);
  const original = originalTitle(title, name.text);
  const headingId = `title-${title.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const kind = t(`kind_${title.kind.replace(/-/g, '_')}`);
  // Year · kind · up to two genres: what the title is, at a glance.
  const genres = title.genres.slice(0, 2).map(genreLabel);
  const meta = [kind, title.year === undefined ? '' : String(title.year), ...genres].filter(Boolean).join(' · ');
  const synopsis = synopsisFor(title.synopsis, context.uiLanguage);
  const top = leadReason(suggestion.reasons);
  const reason = suggestion.exploration ? t('popupExploration') : top ? reasonText(top, context.uiLanguage) : t('popupPopular');

  const links = offeredLinks(title.watch, context.settings, name.text).map((link) => {
    const anchor = h(
      'a',
      { href: link.url, target: '_blank', rel: 'noopener noreferrer', class: 'watch', 'data-platform': link.platform },
      // A page about the title is named as one: it is not a service that streams it.
      INFO_PLATFORMS.has(link.platform)
        ? t('popupTitlePage', platformLabel(link.platform, t))
        : searchedPlatform(link.platform) !== undefined
          ? // A search is named as one: nothing says the title streams there.
            t('popupSearchOn', platformLabel(searchedPlatform(link.platform) as string, t))
          : t('popupWatchOn', platformLabel(link.platform, t)),
    );
    const record = (): void => {
      send('feedback:add', { titleId: title.id, kind: 'click', platform: link.platform }).catch((error: unknown) => context.error(error));
    };
    anchor.addEventListener('click', record);
    anchor.addEventListener('auxclick', (event) => {
      if (event.button === 1) record();
    });
    return anchor;
  });

  // Feedback as icons, each named by its label (accessible name and tooltip): the watch link keeps the row's room.
  const iconButton = (action: string, icon: string, label: string, pressable = false): HTMLButtonElement =>
    h(
      'button',
      {
        type: 'button',
        class: 'icon',
        'data-action': action,
        'aria-label': label,
        title: label,
        ...(pressable ? { 'aria-pressed': 'false' } : {}),
      },
      h('span', { 'aria-hidden': 'true' }, icon),
    );
  const interested = iconButton('interested', '♥', t('popupInterested'), true);
  const notInterested = iconButton('not-interested', '✕', t('popupNotInterested'));
  const seen = iconButton('seen', '✓', t('popupSeen'));

  // The generated mark: decorative (the heading names the title), its colour set through the CSSOM (no inline style under the CSP).
  const { initial, hue } = titleMark(name.text, title.id);
  const mark = h('span', { class: 'mark', 'aria-hidden': 'true' }, initial);
  mark.style.setProperty('--hue', String(hue));
  const card = h(
    'li',
    { class: 'suggestion', 'data-title-id': title.id, 'aria-labelledby': headingId },
    h('div', { class: 'head' }, mark, h('h2', { id: headingId, class: 'title', lang: name.lang }, name.text)),
    h('p', { class: 'meta muted' }, meta, original ? h('span', { class: 'original' }, ` · ${original}`) : null),
    synopsis ? h('p', { class: 'synopsis muted', lang: synopsis.lang, title: synopsis.text }, synopsis.text) : null,
    h('p', { class: 'reason' }, reason),
    h(
      'div',
      { class: 'actions' },
      links.length > 0 ? h('div', { class: 'watch-links' }, ...links) : h('p', { class: 'muted small' }, t('popupNoWatchLinks')),
      h('div', { class: 'feedback', role: 'group', 'aria-label': t('popupFeedbackFor', name.text) }, interested, notInterested, seen),
    ),
    whyDisclosure(suggestion, context),
  );

  let interestedId: number | undefined;
  const undoInterested = async (): Promise<void> => {
    if (interestedId === undefined) return;
    const id = interestedId;
    interestedId = undefined;
    interested.setAttribute('aria-pressed', 'false');
    await send('feedback:undo', { id });
  };
  interested.addEventListener('click', () => {
    if (interestedId !== undefined) {
      undoInterested().catch((error: unknown) => context.error(error));
      return;
    }
    interested.setAttribute('aria-pressed', 'true');
    send('feedback:add', { titleId: title.id, kind: 'interested' }).then(
      ({ id }) => {
        interestedId = id;
        context.undoable(t('popupMarkedInterested', name.text), undoInterested);
      },
      (error: unknown) => {
        interested.setAttribute('aria-pressed', 'false');
        context.error(error);
      },
    );
  });
  for (const [button, kind, message] of [
    [notInterested, 'not-interested', 'popupHiddenNotInterested'],
    [seen, 'seen', 'popupHiddenSeen'],
  ] as const) {
    button.addEventListener('click', () => {
      // Hidden at once; brought back if the background refuses or the user undoes.
      card.hidden = true;
      send('feedback:add', { titleId: title.id, kind }).then(
        ({ id }) =>
          context.undoable(
            t(message, name.text),
            async () => {
              await send('feedback:undo', { id });
              card.hidden = false;
              button.focus();
            },
            true,
          ),
        (error: unknown) => {
          card.hidden = false;
          context.error(error);
        },
      );
    });
  }
  return card;
}
