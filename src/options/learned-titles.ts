import { browser, send, t } from '../shared/browser.ts';
import { doubanSubjectUrl } from '../shared/catalog/learned.ts';
import { h } from '../shared/dom.ts';
import type { LearnedTitleInfo } from '../shared/messages.ts';
import { pickTitle } from '../shared/title-display.ts';

const uiLanguage = browser.i18n.getUILanguage();

/** Titles named in a sentence: 《甲》、《乙》 in Chinese, "A", "B" otherwise. */
function titleList(names: string[]): string {
  return uiLanguage.startsWith('zh') ? names.map((n) => `《${n}》`).join('、') : names.map((n) => `“${n}”`).join(', ');
}

/** One learned title: its name, year and kind, where it came from, and its Douban page. */
function learnedItem(info: LearnedTitleInfo, nameOf: Map<string, string>): HTMLElement {
  const name = pickTitle(info.title, uiLanguage);
  const facts = [info.title.year === undefined ? '' : String(info.title.year), t(`kind_${info.title.kind.replace(/-/g, '_')}`)]
    .filter(Boolean)
    .join(' · ');
  const own = info.subjects.filter((s) => s.source === 'page');
  const listedBy = [...new Set(info.subjects.flatMap((s) => s.relatedOf))].map((id) => nameOf.get(id) ?? id);
  const origin =
    own.length > 0
      ? t(info.local ? 'optionsLearnedLocal' : 'optionsLearnedEnriched')
      : t('optionsLearnedRelatedOf', titleList(listedBy.slice(0, 3)));
  const subject = own[0] ?? info.subjects[0];
  return h(
    'li',
    { class: 'learned-title', 'data-title-id': info.title.id },
    h('span', { class: 'learned-name' }, h('span', { lang: name.lang }, name.text), facts ? ` · ${facts}` : ''),
    h('span', { class: 'small muted' }, ` · ${origin}`),
    subject
      ? h(
          'a',
          { href: doubanSubjectUrl(subject.id), target: '_blank', rel: 'noopener noreferrer', class: 'small' },
          ` ${t('optionsLearnedPage')}`,
        )
      : null,
  );
}

/**
 * Titles learned from pages: the Douban subjects the user engaged with (a title of its own where
 * the catalog lacks it, or the catalog title they enriched) and those their also-liked lists name.
 * They are kept in the events, so deleting the events removes them; this list only shows them.
 */
export function learnedTitlesList(): { element: HTMLElement; refresh: () => Promise<void> } {
  const summary = h('p', { class: 'muted', id: 'learned-summary' });
  const list = h('ul', { class: 'plain learned', id: 'learned-titles', 'aria-labelledby': 'learned-heading' });
  const refresh = async (): Promise<void> => {
    const learned = await send('catalog:learned', {});
    const nameOf = new Map<string, string>();
    for (const info of learned)
      for (const s of info.subjects) if (s.source === 'page') nameOf.set(s.id, pickTitle(info.title, uiLanguage).text);
    const pages = learned.filter((info) => info.subjects.some((s) => s.source === 'page')).length;
    summary.textContent =
      learned.length === 0 ? t('optionsLearnedNone') : t('optionsLearnedCount', [String(pages), String(learned.length - pages)]);
    list.replaceChildren(...learned.map((info) => learnedItem(info, nameOf)));
  };
  const element = h(
    'div',
    {},
    h('h3', { id: 'learned-heading' }, t('optionsLearned')),
    h('p', { class: 'muted small' }, t('optionsLearnedHelp')),
    summary,
    list,
  );
  return { element, refresh };
}
