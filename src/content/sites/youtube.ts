import { siteRecord } from '../../shared/sites.ts';
import { defineSiteAdapter, listen, queryFirst, type AdapterContext } from '../adapter.ts';
import {
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

/**
 * YouTube watch and Shorts pages. The like button is a toggle whose `aria-pressed` holds the state
 * before the click (read in the capture phase): "false" → like, "true" → unlike (a retraction).
 * YouTube is a single-page app that leaves <head> microdata from the first page in place, so the
 * rendered watch metadata is read first and the head microdata only when its video id matches.
 */
const selectors = {
  // The video's like toggle: the 2024+ view-model button, then the older segmented and toggle renderers.
  like: [
    'like-button-view-model button',
    '#segmented-like-button button',
    'ytd-toggle-button-renderer#like-button button',
    'ytd-reel-video-renderer #like-button button',
  ],
  // A share happens when the user picks a way to share in the share panel (copy link or a target app).
  shareTarget: ['yt-copy-link-renderer #copy-button', 'ytd-unified-share-panel-renderer yt-share-target-renderer', '#share-targets button'],
  // Submit of the comment or reply box.
  commentSubmit: ['ytd-commentbox #submit-button', 'ytd-commentbox #submit-button button'],
  commentBox: ['ytd-commentbox'],
  commentEditor: ['#contenteditable-root', '[contenteditable="true"]', 'textarea'],
  // The watch page root carries the current video id even after SPA navigation.
  watch: ['ytd-watch-flexy[video-id]', 'ytd-watch-flexy'],
  title: ['ytd-watch-metadata h1 yt-formatted-string', 'ytd-watch-metadata h1', 'h1.ytd-video-primary-info-renderer'],
  channel: ['ytd-watch-metadata ytd-channel-name a', 'ytd-video-owner-renderer ytd-channel-name a', '#owner #channel-name a'],
  description: ['ytd-watch-metadata #description-inline-expander', 'ytd-text-inline-expander #attributed-snippet-text', '#description'],
} as const;

/** First part of the description kept: it names the film, the trailer, the studio; the rest is links and credits. */
const DESCRIPTION_HEAD = 600;

function videoId(doc: Document): string | undefined {
  const url = new URL(doc.URL);
  const fromUrl = url.searchParams.get('v') ?? /^\/shorts\/([\w-]{6,20})/.exec(url.pathname)?.[1];
  return fromUrl ?? queryFirst(doc, selectors.watch)?.getAttribute('video-id') ?? undefined;
}

/**
 * The server page's own `ytInitialPlayerResponse.videoDetails` (read as JSON text), when it is about
 * this video: the 2022 page names its channel only there. SPA navigation leaves it from the first page.
 */
function playerDetails(doc: Document, id: string): { title?: string | undefined; author?: string | undefined } {
  const data = scriptJson(doc, 'ytInitialPlayerResponse') as { videoDetails?: Record<string, unknown> } | undefined;
  const details = data?.videoDetails;
  if (details?.videoId !== id) return {};
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);
  return { title: text(details.title), author: text(details.author) };
}

/** The page's head microdata when it describes this video (it describes the page first loaded). */
function headFor(doc: Document, id: string): Document | undefined {
  return metaContent(doc, 'identifier') === id || metaContent(doc, 'videoId') === id ? doc : undefined;
}

/** The video's title: the rendered heading, then the head microdata when it is about this video. */
function headTitle(doc: Document, id: string): string | undefined {
  const head = headFor(doc, id);
  return textOf(queryFirst(doc, selectors.title)) || (head && (metaContent(head, 'name') ?? metaContent(head, 'title'))) || undefined;
}

function videoTarget(ctx: AdapterContext): Target | undefined {
  const doc = ctx.document;
  const id = videoId(doc);
  if (!id) {
    ctx.miss('watch');
    return undefined;
  }
  // Head microdata describes the page first loaded; trust it only for that video.
  const head = headFor(doc, id);
  const author = head?.querySelector('[itemprop="author"] [itemprop="name"]')?.getAttribute('content') ?? undefined;
  const channel = textOf(queryFirst(doc, selectors.channel)) || author;
  const named = headTitle(doc, id);
  const player = named && channel ? {} : playerDetails(doc, id);
  const title = named ?? player.title;
  const descriptionEl = queryFirst(doc, selectors.description);
  const description = (textOf(descriptionEl) || (head && metaContent(head, 'description')) || '').slice(0, DESCRIPTION_HEAD);
  const tags = head ? [...head.querySelectorAll('meta[property="og:video:tag"]')].map((m) => m.getAttribute('content') ?? '') : [];
  return makeTarget({
    id,
    url: `https://www.youtube.com/watch?v=${encodeURIComponent(id)}`,
    title,
    text: [title, description].filter(Boolean).join('\n'),
    hashtags: [...new Set([...hashtagsIn(description), ...tags.filter(Boolean)])],
    links: outboundLinks(descriptionEl, doc.URL, siteRecord('youtube').hosts),
    author: channel || player.author,
    itemIds: [{ kind: 'youtube-video', value: id }],
  });
}

export default defineSiteAdapter({
  id: 'youtube',
  selectors,
  expects: (url) =>
    url.pathname === '/watch'
      ? {
          page: 'watch',
          elements: {
            like: ['like'],
            title: [
              'title',
              (doc) => {
                const id = videoId(doc) ?? '';
                return (headTitle(doc, id) ?? playerDetails(doc, id).title) !== undefined;
              },
            ],
          },
        }
      : url.pathname.startsWith('/shorts/')
        ? { page: 'shorts', elements: { like: ['like'] } }
        : undefined,
  start(ctx) {
    const emit = (action: 'like' | 'share' | 'comment', target: Target, userText?: string): void =>
      ctx.emit(makeEvent('youtube', action, ctx.now(), target, userText === undefined ? {} : { userText }));

    listen(ctx, 'click', (event) => {
      let button: Element | null;
      if ((button = pathFind(event, selectors.like))) {
        // Liking someone's comment is not a like of the video.
        if (button.closest('ytd-comment-thread-renderer, ytd-comment-view-model, ytd-comment-renderer')) return;
        const target = videoTarget(ctx);
        if (!target) return;
        if (button.getAttribute('aria-pressed') === 'true')
          ctx.retract({ site: 'youtube', action: 'like', targetId: target.id, at: ctx.now() });
        else emit('like', target);
      } else if (pathFind(event, selectors.shareTarget)) {
        const target = videoTarget(ctx);
        if (target) emit('share', target);
      } else if ((button = pathFind(event, selectors.commentSubmit))) {
        const box = pathFind(event, selectors.commentBox);
        const editor = box ? queryFirst(box, selectors.commentEditor) : null;
        if (!editor) ctx.miss('commentEditor');
        const written = fieldText(editor);
        if (!written) return; // YouTube keeps Comment disabled while empty
        const target = videoTarget(ctx);
        if (target) emit('comment', target, written);
      }
    });
  },
});
