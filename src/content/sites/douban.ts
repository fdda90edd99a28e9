import type { ActionKind, SubjectFacts } from '../../shared/events.ts';
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
  year: ['h1 .year'],
  summary: ['span[property="v:summary"]', '#link-report .all', '#link-report'],
  genres: ['span[property="v:genre"]'],
  // The info block: one `标签: value` line per <br> (a subject page), or per <p> (its 短评 page's summary).
  info: ['#info', '.movie-summary .attrs'],
  directors: ['#info a[rel="v:directedBy"]'],
  cast: ['#info a[rel="v:starring"]'],
  // 想看 / 在看 / 看过 (pbtn-<id>-wish|do|collect): 在看 is offered for series only.
  marks: ['#interest_sect_level a.colbutt[name^="pbtn-"]'],
  // 喜欢这部电影的人也喜欢 / 喜欢这部剧集的人也喜欢: one dl per related subject.
  related: ['#recommendations .recommendations-bd dl', '#recommendations dl'],
} as const;

/** Clicks on these only ask a logged-out user to log in. */
const LOGIN_PROMPT = 'a_show_login';
const SUBJECT = /\/subject\/(\d{1,12})/;
const MARKS: Readonly<Record<string, ActionKind>> = { wish: 'wish', do: 'watching', collect: 'watched' };
const SUMMARY_HEAD = 600;
const FILM_HOST = 'movie.douban.com';
/** How many of the cast are kept: the leads, in the page's order. */
const CAST_KEPT = 5;
/** A 又名 with its region marker: 潜行凶间(港), 全面启动(台). */
const ALIAS_REGION = /^(.*\S)\s*[(（]([\p{Script=Han}]{1,4})[)）]$/u;
const LIST_SPLIT = /\s+\/\s+/;

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

/** The subject's name on its 短评 page, whose heading is "<name> 短评". */
const commentsPageName = (doc: Document): string => clean(doc.querySelector('#content > h1')?.textContent).replace(/\s*短评$/, '');

/** White space runs collapsed: names are compared and shown, not laid out. */
const clean = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();

/** The info block's `标签: value` lines, by label (导演, 又名, 集数, IMDb …). Select boxes (季数) are skipped. */
function infoFields(info: Element | null): Map<string, string> {
  const fields = new Map<string, string>();
  let line = '';
  const flush = (): void => {
    const match = /^\s*([^:：\n]{1,16})[:：]([^]*)$/.exec(line);
    if (match?.[1] && !fields.has(match[1].trim())) fields.set(match[1].trim(), clean(match[2]));
    line = '';
  };
  const walk = (node: Node): void => {
    for (const child of node.childNodes) {
      if (child.nodeName === 'BR') flush();
      else if (child.nodeName === 'SELECT' || child.nodeName === 'SCRIPT') continue;
      else if (child.nodeType === 3) line += child.textContent ?? '';
      else if (child.nodeType === 1) {
        walk(child);
        if (child.nodeName === 'P') flush();
      }
    }
  };
  if (info) walk(info);
  flush();
  return fields;
}

const list = (value: string | undefined, max: number): string[] =>
  [...new Set((value ?? '').split(LIST_SPLIT).map((v) => clean(v).slice(0, 256)))].filter(Boolean).slice(0, max);
const texts = (doc: Document, alternatives: readonly string[], max: number): string[] =>
  [...new Set([...doc.querySelectorAll(alternatives.join(','))].map((el) => clean(el.textContent).slice(0, 256)))]
    .filter(Boolean)
    .slice(0, max);

/**
 * What the page says of its subject, as fields (SubjectFactsSchema): RDFa first, then the info
 * block's lines. A field the page lacks is left out; nothing is inferred beyond what it shows.
 */
function subjectFacts(doc: Document, id: string): SubjectFacts {
  const fields = infoFields(queryFirst(doc, selectors.info));
  const facts: SubjectFacts = {};
  const reviewed = clean(queryFirst(doc, selectors.title)?.textContent) || commentsPageName(doc);
  const display = /\(豆瓣\)\s*$/.test(doc.title) ? clean(doc.title.replace(/\(豆瓣\)\s*$/, '')) : '';
  // itemreviewed is "<display name> <original name>" when the two differ (盗梦空间 Inception).
  const names = display && reviewed.startsWith(display) ? [display, clean(reviewed.slice(display.length))] : [reviewed];
  if (names.some(Boolean)) facts.names = [...new Set(names.filter(Boolean))];
  const aliases = list(fields.get('又名'), 32).map((alias) => {
    const match = ALIAS_REGION.exec(alias);
    return match?.[1] && match[2] ? { name: match[1], region: match[2] } : { name: alias };
  });
  if (aliases.length > 0) facts.aliases = aliases;
  const dated = fields.get('上映日期') ?? fields.get('首播') ?? fields.get('首播日期');
  const year = Number(/\d{4}/.exec(textOf(queryFirst(doc, selectors.year)) || (dated ?? ''))?.[0]);
  if (year >= 1870 && year <= 2200) facts.year = year;
  const series =
    fields.has('集数') ||
    fields.has('首播') ||
    fields.has('首播日期') ||
    [...doc.querySelectorAll(selectors.marks.join(','))].some((mark) => mark.getAttribute('name') === `pbtn-${id}-do`);
  if (series) facts.kind = 'series';
  else if (fields.has('片长') || fields.has('上映日期')) facts.kind = 'film';
  // Genres are facts of the subject, not tags of a post: never hashtags (喜剧 is not a title here).
  const genres = texts(doc, selectors.genres, 16).map((g) => g.slice(0, 32));
  facts.genres = genres.length > 0 ? genres : list(fields.get('类型'), 16).map((g) => g.slice(0, 32));
  if (facts.genres.length === 0) delete facts.genres;
  const directors = texts(doc, selectors.directors, 8);
  const cast = texts(doc, selectors.cast, CAST_KEPT);
  const lists = {
    directors: directors.length > 0 ? directors : list(fields.get('导演'), 8),
    cast: cast.length > 0 ? cast : list(fields.get('主演'), CAST_KEPT),
    regions: list(fields.get('制片国家/地区') ?? fields.get('地区'), 8),
    languages: list(fields.get('语言'), 8),
  };
  for (const [key, values] of Object.entries(lists)) if (values.length > 0) facts[key as keyof typeof lists] = values;
  const episodes = Number(fields.get('集数'));
  if (Number.isInteger(episodes) && episodes >= 1 && episodes <= 100_000) facts.episodes = episodes;
  const imdb = fields.get('IMDb');
  if (imdb && /^tt\d{5,10}$/.test(imdb)) facts.imdb = imdb;
  const related = [...doc.querySelectorAll(selectors.related.join(','))].flatMap((dl) => {
    const link = dl.querySelector('a[href*="/subject/"]');
    const relatedId = SUBJECT.exec(link?.getAttribute('href') ?? '')?.[1];
    // The poster's alt has the whole name; the caption may cut it ("…2017...").
    const name = clean(dl.querySelector('dt img[alt]')?.getAttribute('alt') || dl.querySelector('dd a')?.textContent).slice(0, 256);
    return relatedId && name && relatedId !== id ? [{ id: relatedId, name }] : [];
  });
  if (related.length > 0) facts.related = [...new Map(related.map((r) => [r.id, r])).values()].slice(0, 20);
  return facts;
}

function subjectTarget(ctx: AdapterContext): Target | undefined {
  const doc = ctx.document;
  const id = SUBJECT.exec(new URL(doc.URL).pathname)?.[1] ?? SUBJECT.exec(metaContent(doc, 'og:url') ?? '')?.[1];
  if (!id) {
    ctx.miss('subject');
    return undefined;
  }
  // A subject page has its title and info block; a miss there is the page changing, not a guess to make.
  if (/^\/subject\/\d+\/?$/.test(new URL(doc.URL).pathname)) {
    for (const name of ['title', 'info'] as const) if (!queryFirst(doc, selectors[name])) ctx.miss(name);
  }
  const title = textOf(queryFirst(doc, selectors.title)) || metaContent(doc, 'og:title') || commentsPageName(doc);
  const year = textOf(queryFirst(doc, selectors.year));
  const summary = textOf(queryFirst(doc, selectors.summary)).replace(/\s+/g, ' ').slice(0, SUMMARY_HEAD);
  const facts = subjectFacts(doc, id);
  return makeTarget({
    id,
    url: `https://movie.douban.com/subject/${id}/`,
    title: [title, year].filter(Boolean).join(' '),
    text: summary,
    facts: Object.keys(facts).length > 0 ? facts : undefined,
    itemIds: [{ kind: 'douban-subject', value: id }],
    lang: 'zh',
  });
}

export default defineSiteAdapter({
  id: 'douban',
  selectors,
  // A film subject page shows its title and info block; its comments page, the comments.
  expects: (url) =>
    url.hostname !== FILM_HOST
      ? undefined
      : /^\/subject\/\d+\/?$/.test(url.pathname)
        ? { page: 'subject', elements: { title: ['title'], info: ['info'] } }
        : /^\/subject\/\d+\/comments/.test(url.pathname)
          ? { page: 'comments', elements: { comments: ['comment'] } }
          : undefined,
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
            ...(subject.facts ? { facts: subject.facts } : {}),
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
