import { closestFirst, defineSiteAdapter, listen, queryFirst, type AdapterContext } from '../adapter.ts';
import {
  absoluteUrl,
  fieldText,
  hashtagsIn,
  makeEvent,
  makeTarget,
  markupHrefs,
  markupText,
  outboundLinks,
  pathFind,
  scriptJson,
  textOf,
  type Target,
} from '../extract.ts';
import type { SiteItemId } from '../../shared/events.ts';

/**
 * Weibo: the desktop site weibo.com (Vue "woo" components; class names carry build hashes, so
 * selectors key on the stable `woo-*` prefix and on attribute substrings) and the mobile site
 * m.weibo.cn (`.m-diy-btn` footer buttons 转发 / 评论 / 赞). 赞 is a toggle: a button already in the
 * liked state un-likes (a retraction). Topics are written #话题# and kept as hashtags.
 */
const selectors = {
  // A post: desktop feed article, then the mobile card, then the old (2019) feed item with its mid.
  post: ['article[class*="Feed_wrap"]', 'article.woo-panel-main', 'div.card.m-panel', 'div[mid]'],
  // 赞: desktop like button, then the mobile footer button holding the like icon (m.weibo.cn 2022:
  // i.m-icon-like / m-icon-liked, weibo/nonebotbison-*.html), then the newer lite icon.
  like: [
    'button.woo-like-main',
    '.m-diy-btn:has(i.m-icon-like)',
    '.m-diy-btn:has(i.m-icon-liked)',
    '.m-diy-btn:has(i[class*="lite-iconf-like"])',
  ],
  // The like button's liked state: desktop class, then its 取消赞 title, then the mobile liked icons.
  liked: ['.woo-like-liked', 'button[title="取消赞"]', 'i.m-icon-liked', 'i.lite-iconf-liked'],
  // 转发: the button that opens the repost menu or page (mobile: the forward icon's button).
  repost: ['[class*="toolbar_retweet"]', 'i.woo-font--retweet', '.m-diy-btn:has(i.m-font-forward)', '.m-diy-btn:has(i.lite-iconf-report)'],
  // 快转 (quick repost) item in the repost menu, then the send button of the repost composer dialog.
  repostConfirm: [
    '.woo-pop-item-main[title="快转"]',
    '.woo-modal-main [class*="Composer"] button.woo-button-primary',
    '.woo-dialog-main button.woo-button-primary',
  ],
  // A comment composer. Its send button is itself `Composer_btn_*`, so the box is looked for above
  // the button, and is the nearest such ancestor that holds the text area (the post page's
  // composer keeps the textarea beside `Composer_mar1_*`, not in it).
  commentBox: ['[class*="Composer_"]', '.comment-box', 'form.m-comment-box'],
  commentSend: ['button.woo-button-primary', 'button[type="submit"]', '.btn-send'],
  commentText: ['textarea'],
  text: ['[class*="detail_wbtext"]', '.wbpro-feed-ogText', '.weibo-og .weibo-text', '.weibo-text', '[node-type="feed_list_content"]'],
  author: ['header a[href*="/u/"] span[title]', 'header a[href*="/u/"]', '.m-text-box h3', '.m-text-box .m-text-cut'],
  // The post's own link: desktop timestamp (weibo.com/<uid>/<mblogid>), then mobile detail links.
  permalink: ['header a[href*="weibo.com/"][title]', 'a[href*="/status/"]', 'a[href*="/detail/"]'],
} as const;

const ID_IN_URL = /(?:weibo\.com\/\d+\/|\/(?:status|detail)\/)([A-Za-z0-9]{6,20})(?:[/?#]|$)/;
const OWN_HOST = /(^|\.)weibo\.(com|cn)$/;
/** Levels above the composer marker searched for its text area. */
const BOX_DEPTH = 3;

/** What m.weibo.cn's server puts in `var $render_data = [{status: …}]` for the post a detail page shows. */
interface RenderedStatus {
  id?: unknown;
  mid?: unknown;
  bid?: unknown;
  text?: unknown;
  user?: { screen_name?: unknown };
}

/** The page's own status from `$render_data`, when it is the post with this id (mid or bid). */
function renderedStatus(doc: Document, id: string): RenderedStatus | undefined {
  const data = scriptJson(doc, '$render_data');
  const status = (Array.isArray(data) ? (data[0] as { status?: RenderedStatus } | undefined) : undefined)?.status;
  if (!status || typeof status !== 'object') return undefined;
  return [status.id, status.mid, status.bid].includes(id) ? status : undefined;
}

/** A link out of Weibo: its `weibo.cn/sinaurl?u=` redirect unwrapped; undefined for Weibo's own pages. */
function outbound(href: string, base: string): string | undefined {
  const url = absoluteUrl(href, base);
  if (!url) return undefined;
  const parsed = new URL(url);
  const wrapped = parsed.pathname === '/sinaurl' ? absoluteUrl(parsed.searchParams.get('u'), base) : undefined;
  const target = wrapped ?? url;
  return OWN_HOST.test(new URL(target).hostname) ? undefined : target;
}

function postTarget(post: Element, ctx: AdapterContext): Target | undefined {
  const base = ctx.document.URL;
  const linkHref = absoluteUrl(queryFirst(post, selectors.permalink)?.getAttribute('href'), base);
  const id = post.getAttribute('mid') ?? (linkHref && ID_IN_URL.exec(linkHref)?.[1]) ?? ID_IN_URL.exec(base)?.[1];
  if (!id) {
    ctx.miss('permalink');
    return undefined;
  }
  const textEl = queryFirst(post, selectors.text);
  const authorEl = queryFirst(post, selectors.author);
  // m.weibo.cn serves a skeleton and the post only in $render_data; the rendered text wins when there is one.
  const rendered = renderedStatus(ctx.document, id);
  const markup = typeof rendered?.text === 'string' ? rendered.text : '';
  const text = textOf(textEl) || markupText(markup);
  const links = textOf(textEl)
    ? outboundLinks(textEl, base, []).filter((href) => !OWN_HOST.test(new URL(href).hostname))
    : markupHrefs(markup).flatMap((href) => outbound(href, base) ?? []);
  const itemIds: SiteItemId[] = [{ kind: 'weibo-status', value: id }];
  if (typeof rendered?.bid === 'string' && rendered.bid !== id) itemIds.push({ kind: 'weibo-status', value: rendered.bid });
  const host = new URL(base).hostname;
  return makeTarget({
    id,
    url:
      linkHref && ID_IN_URL.test(linkHref) ? linkHref : `https://${host === 'm.weibo.cn' ? 'm.weibo.cn/detail' : 'weibo.com/detail'}/${id}`,
    text,
    hashtags: hashtagsIn(text, 'weibo'),
    links: [...new Set(links)],
    author:
      authorEl?.getAttribute('title') ??
      (textOf(authorEl) || (typeof rendered?.user?.screen_name === 'string' ? rendered.user.screen_name : '')),
    itemIds,
    lang: 'zh',
  });
}

/** The post a post page is about (weibo.com/<uid>/<mblogid>, m.weibo.cn/detail/<id>): the one its URL names, or its only post. */
function pagePost(doc: Document): Element | undefined {
  const id = ID_IN_URL.exec(doc.URL)?.[1];
  if (!id) return undefined;
  const posts = [...doc.querySelectorAll(selectors.post.join(','))].filter((p) => !p.parentElement?.closest(selectors.post.join(',')));
  const named = posts.find(
    (p) => p.getAttribute('mid') === id || queryFirst(p, selectors.permalink)?.getAttribute('href')?.includes(`/${id}`),
  );
  return named ?? (posts.length === 1 ? posts[0] : undefined);
}

/** The composer a send button belongs to: the nearest composer marker above it, widened until it holds a text area. */
function composerOf(button: Element): Element | undefined {
  let box = button.parentElement ? closestFirst(button.parentElement, selectors.commentBox) : null;
  for (let level = 0; box && level <= BOX_DEPTH; level++, box = box.parentElement) {
    if (queryFirst(box, selectors.commentText)) return box;
  }
  return undefined;
}

export default defineSiteAdapter({
  id: 'weibo',
  selectors,
  // A post page (weibo.com/<uid>/<id>, m.weibo.cn/detail|status/<id>) and the home feed.
  expects: (url) =>
    /^\/(?:detail|status|\d+)\/\w+\/?$/.test(url.pathname)
      ? {
          page: 'post',
          elements: {
            post: ['post'],
            postText: ['text', (doc) => renderedStatus(doc, ID_IN_URL.exec(doc.URL)?.[1] ?? '') !== undefined],
            like: ['like', 'liked'],
          },
        }
      : url.pathname === '/'
        ? { page: 'feed', elements: { post: ['post'], like: ['like', 'liked'] } }
        : undefined,
  start(ctx) {
    /** The post whose 转发 opened the menu or dialog; the dialog renders outside the post. */
    let reposting: { target: Target; at: number } | undefined;
    const REPOST_MS = 10 * 60_000;
    const emit = (action: 'like' | 'repost' | 'comment', target: Target, userText?: string): void =>
      ctx.emit(makeEvent('weibo', action, ctx.now(), target, userText === undefined ? {} : { userText }));
    const postOf = (element: Element): Target | undefined => {
      // A post page's composer sits below the post, outside it: it replies to the page's post.
      const post = closestFirst(element, selectors.post) ?? pagePost(ctx.document);
      if (!post) {
        ctx.miss('post');
        return undefined;
      }
      return postTarget(post, ctx);
    };

    listen(ctx, 'click', (event) => {
      let button: Element | null;
      if ((button = pathFind(event, selectors.like))) {
        const target = postOf(button);
        if (!target) return;
        const liked = button.matches(selectors.liked.join(',')) || queryFirst(button, selectors.liked) !== null;
        if (liked) ctx.retract({ site: 'weibo', action: 'like', targetId: target.id, at: ctx.now() });
        else emit('like', target);
      } else if ((button = pathFind(event, selectors.repost))) {
        const target = postOf(button);
        reposting = target ? { target, at: ctx.now() } : undefined;
      } else if (pathFind(event, selectors.repostConfirm)) {
        if (reposting && ctx.now() - reposting.at < REPOST_MS) emit('repost', reposting.target);
        reposting = undefined;
      } else if ((button = pathFind(event, selectors.commentSend))) {
        const box = composerOf(button);
        if (!box) return; // another primary button (follow, search...), not a comment
        const written = fieldText(queryFirst(box, selectors.commentText));
        if (!written) return;
        const target = postOf(box);
        if (target) emit('comment', target, written);
      }
    });
  },
});
