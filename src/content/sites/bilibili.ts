import { closestFirst, defineSiteAdapter, listen, queryFirst, type AdapterContext } from '../adapter.ts';
import {
  absoluteUrl,
  deepQueryFirst,
  fieldText,
  hashtagsIn,
  makeEvent,
  makeTarget,
  metaContent,
  outboundLinks,
  pathFind,
  scriptJson,
  textOf,
  type Target,
} from '../extract.ts';
import type { ActionKind, SiteItemId } from '../../shared/events.ts';

/**
 * Bilibili: video pages (/video/BV…), bangumi pages (/bangumi/play/ss…|ep…) and dynamics
 * (t.bilibili.com). 点赞 is a toggle whose `on` class (dynamics: `active`) marks the liked state
 * before the click, so clicking it then is 取消 (a retraction). 投币 and 收藏 open a dialog and are
 * captured on its confirm button. Comments live in the `bili-comments` web component (shadow DOM).
 */
const selectors = {
  // 点赞 on a video or bangumi page: the toolbar class, then its 点赞 title.
  like: ['.video-toolbar-left .video-like', '.toolbar-left .like', '[title^="点赞"]'],
  // Liked state of that button (before the click).
  liked: ['.on', '.active'],
  // Confirm button of the 投币 dialog.
  coinConfirm: ['.coin-operated-m .coin-bottom .bi-btn', '.coin-operated-m .bi-btn'],
  // Confirm button of the 收藏 (add to folder) dialog.
  favConfirm: ['.collection-m .submit-move', '.collection-m button.btn'],
  // A choice in the share popover (copy link, share to an app).
  shareItem: ['.video-share-popover .copy-link', '.video-share-popover [class*="share-item"]', '.video-share-dropdown [class*="item"]'],
  // Dynamics (t.bilibili.com): the item, its like and forward actions, the forward box's send button.
  dynamic: ['.bili-dyn-item', '[class*="bili-dyn-item"]'],
  dynLike: ['.bili-dyn-action.like'],
  dynForward: ['.bili-dyn-action.forward'],
  dynForwardSend: ['.bili-dyn-forward-publishing .bili-dyn-publishing__action', '[class*="forward"] [class*="publishing__action"]'],
  // Comment send: the web-component box (shadow DOM), then the 2023 reply box.
  commentBox: ['bili-comment-box', '.reply-box'],
  commentSend: ['#pub button', 'button#pub', '.reply-box-send', '.send-text'],
  commentEditor: ['.brt-editor', '[contenteditable="true"]', 'textarea.reply-box-textarea', 'textarea'],
  // Title: video page (h1.video-title[title], 2019 too), then the bangumi page's media title link.
  title: ['h1.video-title', '.video-info-title h1', '[class*="mediainfo_mediaTitle"]', '.media-title'],
  // Description: 2023+ video page, then the 2019 page's #v_desc (bilibili/bilibiliold-*-2019.html). The
  // bangumi page's mediainfo_mediaDesc holds play counts, not a description: the page's meta is read there.
  description: ['.basic-desc-info', '.desc-info-text', '#v_desc .info'],
  author: ['.up-name', '.up-info-container .up-name', '[class*="upinfo"] [class*="name"]', '#v_upinfo a.username'],
  tags: ['.tag-link', '.tag-panel a', '#v_tag .tag a'],
  // The bangumi page's link to its media page (the title links there): its md id is the catalog's.
  mediaLink: ['a[href*="/bangumi/media/md"]'],
  dynText: ['.bili-rich-text__content', '.bili-dyn-content__orig__desc'],
  dynAuthor: ['.bili-dyn-title__text'],
  dynLink: ['a.bili-dyn-time', '.bili-dyn-time a', 'a[href*="t.bilibili.com/"]'],
} as const;

const BV = /\/video\/(BV[0-9A-Za-z]{10})/;
const AV = /\/video\/av(\d{1,16})(?:[/?#]|$)/i;
const SEASON = /\/bangumi\/play\/ss(\d+)/;
const EPISODE = /\/bangumi\/play\/ep(\d+)/;
const MEDIA = /\/bangumi\/media\/md(\d+)/;
const DYN = /t\.bilibili\.com\/(\d{6,24})|\/opus\/(\d{6,24})/;
const OWN_HOST = /(^|\.)(bilibili\.com|b23\.tv)$/;

const BV_ALPHABET = 'FcwAPNKTMug3GV5Lj7EJnHpWsx4tb8haYeviqBz6rkCy12mUSDQX9RdoZf';

/**
 * The BV id of an av number, by Bilibili's published mapping (the one its own pages use since
 * 2020): old pages and links name videos by av (bilibili/bilibiliold-*-2019.html), the catalog by BV.
 */
export function bvOfAv(aid: string): string | undefined {
  const xor = BigInt('23442827791579');
  const max = BigInt(1) << BigInt(51);
  let n = BigInt(aid);
  if (n <= BigInt(0) || n >= max) return undefined;
  const out = ['B', 'V', '1', '0', '0', '0', '0', '0', '0', '0', '0', '0'];
  n = (max | n) ^ xor;
  for (let i = out.length - 1; n > BigInt(0) && i >= 3; i--, n /= BigInt(58)) out[i] = BV_ALPHABET[Number(n % BigInt(58))] ?? '0';
  [out[3], out[9]] = [out[9] ?? '', out[3] ?? ''];
  [out[4], out[7]] = [out[7] ?? '', out[4] ?? ''];
  return out.join('');
}

/** The video's BV id: in the URL, else in the page's own state (read as JSON text), else from its av number. */
function videoId(doc: Document, path: string): string | undefined {
  const bv = BV.exec(path)?.[1];
  if (bv) return bv;
  const aid = AV.exec(path)?.[1];
  if (!aid) return undefined;
  const state = scriptJson(doc, '__INITIAL_STATE__') as { bvid?: unknown; aid?: unknown } | undefined;
  if (typeof state?.bvid === 'string' && /^BV[0-9A-Za-z]{10}$/.test(state.bvid) && String(state.aid) === aid) return state.bvid;
  return bvOfAv(aid);
}

function pageTarget(ctx: AdapterContext): Target | undefined {
  const doc = ctx.document;
  const url = new URL(doc.URL);
  const itemIds: SiteItemId[] = [];
  const bv = videoId(doc, url.pathname);
  if (bv) itemIds.push({ kind: 'bilibili-bv', value: bv });
  const season = SEASON.exec(url.pathname)?.[1];
  if (season) itemIds.push({ kind: 'bilibili-season', value: season });
  const media = MEDIA.exec(queryFirst(doc, selectors.mediaLink)?.getAttribute('href') ?? '')?.[1];
  if (media) itemIds.push({ kind: 'bilibili-media', value: media });
  const episode = EPISODE.exec(url.pathname)?.[1];
  const id = bv ?? (season ? `ss${season}` : episode ? `ep${episode}` : undefined);
  if (!id) {
    ctx.miss('page');
    return undefined;
  }
  const titleEl = queryFirst(doc, selectors.title);
  const title = titleEl?.getAttribute('title') ?? (textOf(titleEl) || metaContent(doc, 'og:title') || metaContent(doc, 'name'));
  const descEl = queryFirst(doc, selectors.description);
  const description = textOf(descEl) || metaContent(doc, 'description') || '';
  const tags = [...doc.querySelectorAll(selectors.tags.join(','))].map((a) => textOf(a).replace(/^#/, '')).filter(Boolean);
  const text = [title, description.replace(/\s+/g, ' ')].filter(Boolean).join('\n');
  const path = bv ? `/video/${bv}/` : url.pathname;
  return makeTarget({
    id,
    url: `https://www.bilibili.com${path}`,
    title,
    text,
    hashtags: [...new Set([...tags, ...hashtagsIn(description)])],
    links: outboundLinks(descEl, doc.URL, []).filter((href) => !OWN_HOST.test(new URL(href).hostname)),
    author: textOf(queryFirst(doc, selectors.author)) || metaContent(doc, 'author'),
    itemIds,
    lang: 'zh',
  });
}

function dynamicTarget(item: Element, ctx: AdapterContext): Target | undefined {
  const href = absoluteUrl(queryFirst(item, selectors.dynLink)?.getAttribute('href'), ctx.document.URL);
  const match = href ? DYN.exec(href) : null;
  const id = match?.[1] ?? match?.[2] ?? item.getAttribute('data-did');
  if (!id) {
    ctx.miss('dynLink');
    return undefined;
  }
  const textEl = queryFirst(item, selectors.dynText);
  const text = textOf(textEl);
  const itemIds: SiteItemId[] = [];
  for (const anchor of item.querySelectorAll('a[href*="/video/BV"]')) {
    const bv = BV.exec(anchor.getAttribute('href') ?? '')?.[1];
    if (bv && !itemIds.some((i) => i.value === bv)) itemIds.push({ kind: 'bilibili-bv', value: bv });
  }
  return makeTarget({
    id,
    url: `https://t.bilibili.com/${id}`,
    text,
    hashtags: hashtagsIn(text, 'weibo'), // dynamics write topics #话题# like Weibo
    links: outboundLinks(textEl, ctx.document.URL, []).filter((h) => !OWN_HOST.test(new URL(h).hostname)),
    author: textOf(queryFirst(item, selectors.dynAuthor)),
    itemIds,
    lang: 'zh',
  });
}

export default defineSiteAdapter({
  id: 'bilibili',
  selectors,
  expects: (url) =>
    url.hostname === 't.bilibili.com'
      ? { page: 'dynamics', elements: { post: ['dynamic'], like: ['dynLike'] } }
      : /^\/(?:video|bangumi\/play)\//.test(url.pathname)
        ? { page: url.pathname.startsWith('/video/') ? 'video' : 'bangumi', elements: { title: ['title'], like: ['like'] } }
        : undefined,
  start(ctx) {
    let forwarding: { target: Target; at: number } | undefined;
    const emit = (action: ActionKind, target: Target | undefined, userText?: string): void => {
      if (target) ctx.emit(makeEvent('bilibili', action, ctx.now(), target, userText === undefined ? {} : { userText }));
    };
    const targetOf = (element: Element): Target | undefined => {
      const item = closestFirst(element, selectors.dynamic);
      return item ? dynamicTarget(item, ctx) : pageTarget(ctx);
    };
    const isLiked = (button: Element): boolean => selectors.liked.some((s) => button.matches(s));

    listen(ctx, 'click', (event) => {
      let button: Element | null;
      if ((button = pathFind(event, selectors.dynLike)) || (button = pathFind(event, selectors.like))) {
        const target = targetOf(button);
        if (!target) return;
        if (isLiked(button)) ctx.retract({ site: 'bilibili', action: 'like', targetId: target.id, at: ctx.now() });
        else emit('like', target);
      } else if ((button = pathFind(event, selectors.dynForward))) {
        const item = closestFirst(button, selectors.dynamic);
        const target = item ? dynamicTarget(item, ctx) : undefined;
        forwarding = target ? { target, at: ctx.now() } : undefined;
      } else if (pathFind(event, selectors.dynForwardSend)) {
        if (forwarding && ctx.now() - forwarding.at < 10 * 60_000) emit('share', forwarding.target);
        forwarding = undefined;
      } else if (pathFind(event, selectors.coinConfirm)) {
        emit('coin', pageTarget(ctx));
      } else if (pathFind(event, selectors.favConfirm)) {
        emit('bookmark', pageTarget(ctx));
      } else if (pathFind(event, selectors.shareItem)) {
        emit('share', pageTarget(ctx));
      } else if ((button = pathFind(event, selectors.commentSend))) {
        const box = pathFind(event, selectors.commentBox);
        if (!box) return;
        const editor = deepQueryFirst(box.shadowRoot ?? box, selectors.commentEditor);
        if (!editor) ctx.miss('commentEditor');
        const written = fieldText(editor);
        if (written) emit('comment', targetOf(box), written);
      }
    });
  },
});
