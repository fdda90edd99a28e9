import { closestFirst, defineSiteAdapter, listen, queryFirst, type AdapterContext } from '../adapter.ts';
import { absoluteUrl, fieldText, hashtagsIn, makeEvent, makeTarget, outboundLinks, pathFind, textOf, type Target } from '../extract.ts';

/**
 * Weibo: the desktop site weibo.com (Vue "woo" components; class names carry build hashes, so
 * selectors key on the stable `woo-*` prefix and on attribute substrings) and the mobile site
 * m.weibo.cn (`m-ctrl-box` footer with 转发 / 评论 / 赞). 赞 is a toggle: a button already in the
 * liked state un-likes (a retraction). Topics are written #话题# and kept as hashtags.
 */
const selectors = {
  // A post: desktop feed article, then the mobile card, then the old (2019) feed item with its mid.
  post: ['article[class*="Feed_wrap"]', 'article.woo-panel-main', 'div.card.m-panel', 'div[mid]'],
  // 赞: desktop like button, then the mobile footer's like icon button.
  like: ['button.woo-like-main', '.m-ctrl-box .m-diy-btn:has(i[class*="lite-iconf-like"])'],
  // The like button's liked state: desktop class, then its 取消赞 title, then the mobile liked icon.
  liked: ['.woo-like-liked', 'button[title="取消赞"]', 'i.lite-iconf-liked'],
  // 转发: the button that opens the repost menu or page.
  repost: ['[class*="toolbar_retweet"]', 'i.woo-font--retweet', '.m-ctrl-box .m-diy-btn:has(i.lite-iconf-report)'],
  // 快转 (quick repost) item in the repost menu, then the send button of the repost composer dialog.
  repostConfirm: [
    '.woo-pop-item-main[title="快转"]',
    '.woo-modal-main [class*="Composer"] button.woo-button-primary',
    '.woo-dialog-main button.woo-button-primary',
  ],
  // The comment box under a post, and its send button.
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

function postTarget(post: Element, ctx: AdapterContext): Target | undefined {
  const base = ctx.document.URL;
  const linkHref = absoluteUrl(queryFirst(post, selectors.permalink)?.getAttribute('href'), base);
  const id = post.getAttribute('mid') ?? (linkHref && ID_IN_URL.exec(linkHref)?.[1]) ?? ID_IN_URL.exec(base)?.[1];
  if (!id) {
    ctx.miss('permalink');
    return undefined;
  }
  const textEl = queryFirst(post, selectors.text);
  const text = textOf(textEl);
  const links = outboundLinks(textEl, base, []).filter((href) => !OWN_HOST.test(new URL(href).hostname));
  const authorEl = queryFirst(post, selectors.author);
  const host = new URL(base).hostname;
  return makeTarget({
    id,
    url:
      linkHref && ID_IN_URL.test(linkHref) ? linkHref : `https://${host === 'm.weibo.cn' ? 'm.weibo.cn/detail' : 'weibo.com/detail'}/${id}`,
    text,
    hashtags: hashtagsIn(text, 'weibo'),
    links,
    author: authorEl?.getAttribute('title') ?? textOf(authorEl),
    itemIds: [{ kind: 'weibo-status', value: id }],
    lang: 'zh',
  });
}

export default defineSiteAdapter({
  id: 'weibo',
  selectors,
  start(ctx) {
    /** The post whose 转发 opened the menu or dialog; the dialog renders outside the post. */
    let reposting: { target: Target; at: number } | undefined;
    const REPOST_MS = 10 * 60_000;
    const emit = (action: 'like' | 'repost' | 'comment', target: Target, userText?: string): void =>
      ctx.emit(makeEvent('weibo', action, ctx.now(), target, userText === undefined ? {} : { userText }));
    const postOf = (element: Element): Target | undefined => {
      const post = closestFirst(element, selectors.post);
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
        // The mobile site opens a repost page; the post is remembered until its send button.
      } else if (pathFind(event, selectors.repostConfirm)) {
        if (reposting && ctx.now() - reposting.at < REPOST_MS) emit('repost', reposting.target);
        reposting = undefined;
      } else if ((button = pathFind(event, selectors.commentSend))) {
        const box = closestFirst(button, selectors.commentBox);
        if (!box) return; // another primary button (follow, search...), not a comment
        const written = fieldText(queryFirst(box, selectors.commentText));
        if (!written) return;
        const target = postOf(box);
        if (target) emit('comment', target, written);
      }
    });
  },
});
