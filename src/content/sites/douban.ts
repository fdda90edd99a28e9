import type { ActionKind } from '../../shared/events.ts';
import { closestFirst, defineSiteAdapter, listen, queryFirst, type AdapterContext } from '../adapter.ts';
import { absoluteUrl, fieldText, makeEvent, makeTarget, metaContent, pathFind, textOf, type Target } from '../extract.ts';

/**
 * Douban subject pages (movie.douban.com/subject/<id>/). 想看 / 在看 / 看过 and the stars open an
 * inline interest form (#collect_form_<id>); the choice is captured when that form is submitted,
 * with the rating and the 短评 written in it. Logged out, every button carries `a_show_login` and
 * only opens the login box, so those clicks are ignored (douban/boofilsic-*.html).
 */
const selectors = {
  // The interest form: the inline container Douban fills after a mark click, then by its action.
  interestForm: ['[id^="collect_form_"] form', 'form[action*="/interest"]'],
  // Chosen mark inside it: a checked radio, then the hidden field of a single-mark form.
  interest: ['input[name="interest"]:checked', 'input[type="hidden"][name="interest"]'],
  rating: ['input[name="rating"]'],
  shortComment: ['textarea[name="comment"]', 'textarea'],
  // 推荐 (share to Douban followers): with its subject id as share-id, then without (the id is the page's).
  recommend: ['a.lnk-sharing[share-id]', 'a.lnk-sharing'],
  // 有用 on someone's short comment: logged in `vote-comment`, then the link with the comment id as
  // data-id, then the 2026 link `a#btn-<cid>[data-cid]` (douban/neodb-music-*-2026-04.html).
  helpful: ['a.vote-comment', '.comment-vote a[data-id]', '.comment-vote a[data-cid]'],
  comment: ['.comment-item[data-cid]'],
  commentText: ['.comment-content .short', '.comment-content', 'p'],
  commentAuthor: ['.comment-info > a'],
  // Subject metadata, RDFa first (stable for over a decade), then Open Graph.
  title: ['span[property="v:itemreviewed"]', 'h1 span'],
  summary: ['span[property="v:summary"]', '#link-report .all', '#link-report'],
  genres: ['span[property="v:genre"]'],
} as const;

/** Clicks on these only ask a logged-out user to log in. */
const LOGIN_PROMPT = 'a_show_login';
const SUBJECT = /\/subject\/(\d{1,12})/;
const MARKS: Readonly<Record<string, ActionKind>> = { wish: 'wish', do: 'watching', collect: 'watched' };
const SUMMARY_HEAD = 600;
const FILM_HOST = 'movie.douban.com';

/**
 * Only film and TV subjects are Reelflow's: music.douban.com and book.douban.com share the markup
 * (想听 / 想读, the same interest form and 有用), and their subjects are never titles.
 */
function filmPage(doc: Document): boolean {
  const type = metaContent(doc, 'og:type');
  const canonical = absoluteUrl(metaContent(doc, 'og:url'), doc.URL);
  return (
    new URL(doc.URL).hostname === FILM_HOST &&
    (type === undefined || type.startsWith('video.')) &&
    (canonical === undefined || new URL(canonical).hostname === FILM_HOST)
  );
}

function subjectTarget(ctx: AdapterContext): Target | undefined {
  const doc = ctx.document;
  const id = SUBJECT.exec(new URL(doc.URL).pathname)?.[1] ?? SUBJECT.exec(metaContent(doc, 'og:url') ?? '')?.[1];
  if (!id) {
    ctx.miss('subject');
    return undefined;
  }
  const title = textOf(queryFirst(doc, selectors.title)) || metaContent(doc, 'og:title');
  const year = textOf(doc.querySelector('h1 .year'));
  const summary = textOf(queryFirst(doc, selectors.summary)).replace(/\s+/g, ' ').slice(0, SUMMARY_HEAD);
  return makeTarget({
    id,
    url: `https://movie.douban.com/subject/${id}/`,
    title: [title, year].filter(Boolean).join(' '),
    text: summary,
    // The subject's genres are facts about it, not tags of a post: never linked as names (喜剧 is not a title here).
    facts: {
      genres: [...doc.querySelectorAll(selectors.genres.join(','))]
        .map((g) => textOf(g).slice(0, 32))
        .filter(Boolean)
        .slice(0, 16),
    },
    itemIds: [{ kind: 'douban-subject', value: id }],
    lang: 'zh',
  });
}

export default defineSiteAdapter({
  id: 'douban',
  selectors,
  start(ctx) {
    if (!filmPage(ctx.document)) return; // no listener at all on a music or book page
    const emit = (action: ActionKind, target: Target, extra: { userText?: string; rating?: number } = {}): void =>
      ctx.emit(makeEvent('douban', action, ctx.now(), target, extra));

    listen(ctx, 'click', (event) => {
      let link: Element | null;
      if ((link = pathFind(event, selectors.recommend))) {
        if (link.classList.contains(LOGIN_PROMPT)) return;
        const target = subjectTarget(ctx);
        if (target) emit('recommend', target);
      } else if ((link = pathFind(event, selectors.helpful))) {
        if (link.classList.contains(LOGIN_PROMPT)) return;
        const item = closestFirst(link, selectors.comment);
        const subject = subjectTarget(ctx);
        const cid = item?.getAttribute('data-cid') ?? link.getAttribute('data-id') ?? link.getAttribute('data-cid');
        if (!item || !cid || !subject) {
          if (!item) ctx.miss('comment');
          return;
        }
        const report = item.querySelector('[data-url]')?.getAttribute('data-url');
        // The target is the comment; the subject's id rides along so the linker still finds the title.
        emit(
          'helpful',
          makeTarget({
            id: `comment:${cid}`,
            url: absoluteUrl(report, ctx.document.URL) ?? `${subject.url}?comment_id=${cid}`,
            text: textOf(queryFirst(item, selectors.commentText)),
            title: subject.title,
            author: textOf(queryFirst(item, selectors.commentAuthor)),
            itemIds: subject.itemIds,
            lang: 'zh',
          }),
        );
      }
    });

    listen(ctx, 'submit', (event) => {
      const form = pathFind(event, selectors.interestForm);
      if (!form) return;
      const target = subjectTarget(ctx);
      if (!target) return;
      const interestInput = queryFirst(form, selectors.interest);
      const mark = MARKS[(interestInput as HTMLInputElement | null)?.value ?? ''];
      if (!mark) ctx.miss('interest');
      else emit(mark, target);
      const rating = Number((queryFirst(form, selectors.rating) as HTMLInputElement | null)?.value ?? 0);
      if (rating >= 1 && rating <= 5) emit('rating', target, { rating });
      const written = fieldText(queryFirst(form, selectors.shortComment));
      if (written) emit('review', target, { userText: written });
    });
  },
});
