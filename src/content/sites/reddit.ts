import { siteRecord } from '../../shared/sites.ts';
import { closestFirst, defineSiteAdapter, listen, queryFirst, type AdapterContext } from '../adapter.ts';
import { absoluteUrl, fieldText, makeEvent, makeTarget, outboundLinks, pathFind, textOf, type Target } from '../extract.ts';

/**
 * Reddit, new UI (shreddit web components, buttons inside open shadow roots) and old.reddit.com.
 * Vote buttons hold their state before the click: shreddit `aria-pressed="true"` and old Reddit's
 * `upmod` class mean already upvoted, so the click removes the vote (a retraction).
 */
const selectors = {
  // New UI: the post element carries id, permalink, title, author and subreddit as attributes.
  post: ['shreddit-post'],
  // Old UI: the post "thing", whose data-* attributes say the same.
  oldPost: ['.thing.link[data-fullname]', '.thing[data-fullname^="t3_"]'],
  // New UI upvote (inside the post's shadow root), then its aria label.
  upvote: ['button[upvote]', 'button[aria-label="Upvote"]'],
  // Old UI: `up` before voting, `upmod` once upvoted.
  oldUpvote: ['.arrow.up', '.arrow.upmod'],
  // Crosspost: the menu link to the submit page with the post as source, then old Reddit's button.
  crosspost: ['a[href*="source_id=t3_"]', '.post-crosspost-button'],
  // The share button (new UI: a component whose menu lives in its shadow root), then old Reddit's link.
  share: ['shreddit-post-share-button', '.post-sharing-button'],
  // A choice in the new UI share menu (selectors cannot cross the shadow boundary, so checked on the path).
  shareItem: ['[role="menuitem"]', 'li'],
  // New UI comment composer and its submit button.
  composer: ['shreddit-composer', 'comment-composer-host'],
  composerSubmit: ['shreddit-composer button[slot="submit-button"]', 'shreddit-composer button[type="submit"]'],
  composerEditor: ['[contenteditable="true"]', 'textarea'],
  // Old UI comment form and its text area.
  oldCommentForm: ['form.usertext', 'form[action$="/api/comment"]'],
  oldCommentText: ['textarea[name="text"]', 'textarea'],
  title: ['[slot="title"]', 'a.title'],
  body: ['[slot="text-body"]', '.usertext-body .md', '.expando .md'],
} as const;

const ORIGIN = 'https://www.reddit.com';

function newTarget(post: Element, ctx: AdapterContext): Target | undefined {
  const id = post.getAttribute('id') ?? '';
  if (!id.startsWith('t3_')) {
    ctx.miss('post');
    return undefined;
  }
  const titleEl = queryFirst(post, selectors.title);
  const title = post.getAttribute('post-title') ?? textOf(titleEl);
  const permalink = post.getAttribute('permalink') ?? titleEl?.getAttribute('href') ?? `/comments/${id.slice(3)}/`;
  const body = queryFirst(post, selectors.body);
  const contentHref = absoluteUrl(post.getAttribute('content-href'), ORIGIN);
  const links = outboundLinks(body, ORIGIN, siteRecord('reddit').hosts);
  if (contentHref && !siteRecord('reddit').hosts.includes(new URL(contentHref).hostname)) links.unshift(contentHref);
  const subreddit = post.getAttribute('subreddit-prefixed-name');
  const author = post.getAttribute('author');
  return makeTarget({
    id,
    url: absoluteUrl(permalink, ORIGIN) ?? `${ORIGIN}/comments/${id.slice(3)}/`,
    title,
    text: [title, textOf(body)].filter(Boolean).join('\n'),
    hashtags: subreddit ? [subreddit] : [],
    links: [...new Set(links)],
    author: author ? `u/${author}` : undefined,
    itemIds: [{ kind: 'reddit-post', value: id.slice(3) }],
  });
}

function oldTarget(thing: Element, ctx: AdapterContext): Target | undefined {
  const id = thing.getAttribute('data-fullname') ?? '';
  if (!id.startsWith('t3_')) {
    ctx.miss('oldPost');
    return undefined;
  }
  const title = textOf(thing.querySelector('a.title'));
  const body = queryFirst(thing, selectors.body);
  const url = absoluteUrl(thing.getAttribute('data-url'), ORIGIN);
  const links = outboundLinks(body, ORIGIN, siteRecord('reddit').hosts);
  if (url && !siteRecord('reddit').hosts.includes(new URL(url).hostname)) links.unshift(url);
  const subreddit = thing.getAttribute('data-subreddit-prefixed');
  const author = thing.getAttribute('data-author');
  return makeTarget({
    id,
    url: absoluteUrl(thing.getAttribute('data-permalink'), ORIGIN) ?? `${ORIGIN}/comments/${id.slice(3)}/`,
    title,
    text: [title, textOf(body)].filter(Boolean).join('\n'),
    hashtags: subreddit ? [subreddit] : [],
    links: [...new Set(links)],
    author: author ? `u/${author}` : undefined,
    itemIds: [{ kind: 'reddit-post', value: id.slice(3) }],
  });
}

/** The post an element belongs to, in either UI; on a comments page, the page's post. */
function targetFor(element: Element | null, ctx: AdapterContext): Target | undefined {
  const post = element ? closestFirst(element, selectors.post) : null;
  if (post) return newTarget(post, ctx);
  const thing = element ? closestFirst(element, selectors.oldPost) : null;
  if (thing?.getAttribute('data-fullname')?.startsWith('t3_')) return oldTarget(thing, ctx);
  const pagePost = queryFirst(ctx.document, selectors.post);
  if (pagePost) return newTarget(pagePost, ctx);
  const pageThing = queryFirst(ctx.document, selectors.oldPost);
  if (pageThing) return oldTarget(pageThing, ctx);
  ctx.miss('post');
  return undefined;
}

/** The light-DOM element to start from: a shadow-DOM button's host chain ends at the post. */
function hostOf(element: Element): Element {
  const root = element.getRootNode();
  return 'host' in root && root.host ? hostOf(root.host as Element) : element;
}

export default defineSiteAdapter({
  id: 'reddit',
  selectors,
  start(ctx) {
    const emit = (action: 'upvote' | 'share' | 'crosspost' | 'comment', target: Target, userText?: string): void =>
      ctx.emit(makeEvent('reddit', action, ctx.now(), target, userText === undefined ? {} : { userText }));
    const retract = (target: Target): void => ctx.retract({ site: 'reddit', action: 'upvote', targetId: target.id, at: ctx.now() });

    listen(ctx, 'click', (event) => {
      let button: Element | null;
      if ((button = pathFind(event, selectors.upvote))) {
        const target = targetFor(hostOf(button), ctx);
        if (target && button.getAttribute('aria-pressed') === 'true') retract(target);
        else if (target) emit('upvote', target);
      } else if ((button = pathFind(event, selectors.oldUpvote))) {
        const target = targetFor(button, ctx);
        if (target && button.classList.contains('upmod')) retract(target);
        else if (target) emit('upvote', target);
      } else if ((button = pathFind(event, selectors.crosspost))) {
        const target = targetFor(hostOf(button), ctx);
        if (target) emit('crosspost', target);
      } else if ((button = pathFind(event, selectors.share))) {
        // New UI: opening the menu is not a share; choosing an item in it is.
        if (button.localName === 'shreddit-post-share-button' && !pathFind(event, selectors.shareItem)) return;
        const target = targetFor(hostOf(button), ctx);
        if (target) emit('share', target);
      } else if ((button = pathFind(event, selectors.composerSubmit))) {
        const composer = pathFind(event, selectors.composer);
        const editor = composer ? queryFirst(composer, selectors.composerEditor) : null;
        if (!editor) ctx.miss('composerEditor');
        const written = fieldText(editor);
        const target = written ? targetFor(hostOf(button), ctx) : undefined;
        if (target) emit('comment', target, written);
      }
    });

    // Old Reddit posts comments by submitting a form.
    listen(ctx, 'submit', (event) => {
      const form = pathFind(event, selectors.oldCommentForm);
      if (!form) return;
      const written = fieldText(queryFirst(form, selectors.oldCommentText));
      const target = written ? targetFor(form, ctx) : undefined;
      if (target) emit('comment', target, written);
    });
  },
});
