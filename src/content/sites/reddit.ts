import { siteRecord } from '../../shared/sites.ts';
import { closestFirst, defineSiteAdapter, listen, queryFirst, type AdapterContext } from '../adapter.ts';
import { absoluteUrl, fieldText, makeEvent, makeTarget, outboundLinks, pathFind, textOf, type Target } from '../extract.ts';

/**
 * Reddit, new UI (shreddit web components, buttons inside open shadow roots) and old.reddit.com.
 * Vote buttons hold their state before the click: shreddit `aria-pressed="true"` and old Reddit's
 * `upmod` class mean already upvoted, so the click removes the vote (a retraction).
 */
const selectors = {
  // New UI: the post element carries id, permalink, title, author and subreddit as attributes; then the
  // 2018-2023 React redesign's post container (reddit/postlight-*-redesign-*.html).
  post: ['shreddit-post', '[data-testid="post-container"][id^="t3_"]'],
  // Old UI: the post "thing", whose data-* attributes say the same.
  oldPost: ['.thing.link[data-fullname]', '.thing[data-fullname^="t3_"]'],
  // A comment: its votes and shares are about the comment, not the post (shreddit's action row holds
  // its buttons in a shadow root; the redesign's vote arrows are named after the comment's t1_ id).
  comment: ['shreddit-comment', '.thing.comment', '[id^="vote-arrows-t1_"]'],
  // Upvote: shreddit's button (inside the post's shadow root), then its label in any case (shreddit
  // "Upvote", the React redesign "upvote").
  upvote: ['button[upvote]', 'button[aria-label="upvote" i]'],
  // Old UI: `up` before voting, `upmod` once upvoted.
  oldUpvote: ['.arrow.up', '.arrow.upmod'],
  // Crosspost: the menu link to the submit page with the post as source, then old Reddit's button.
  crosspost: ['a[href*="source_id=t3_"]', '.post-crosspost-button'],
  // The share button (new UI: a component whose menu lives in its shadow root), then old Reddit's link.
  share: ['shreddit-post-share-button', '.post-sharing-button'],
  // A choice in the new UI share menu, on the click's path inside the share button (no bare `li`:
  // it matched every list item of an old Reddit page).
  shareItem: ['[role="menuitem"]'],
  // New UI comment composer and its submit button.
  composer: ['shreddit-composer', 'comment-composer-host'],
  composerSubmit: ['shreddit-composer button[slot="submit-button"]', 'shreddit-composer button[type="submit"]'],
  composerEditor: ['[contenteditable="true"]', 'textarea'],
  // Old UI comment form and its text area.
  oldCommentForm: ['form.usertext', 'form[action$="/api/comment"]'],
  oldCommentText: ['textarea[name="text"]', 'textarea'],
  title: ['[slot="title"]', 'a.title', '[data-adclicklocation="title"] h1', '[data-adclicklocation="title"] h3'],
  body: ['[slot="text-body"]', '.usertext-body .md', '.expando .md', '[data-click-id="text"]'],
  // The redesign's link to the post's comments page (its permalink).
  redesignLink: ['a[data-click-id="comments"]'],
} as const;

const ORIGIN = 'https://www.reddit.com';
/** The community in a permalink (/r/<name>/comments/…): every layout's posts say it there. */
const COMMUNITY = /^\/(r\/[A-Za-z0-9_]{2,21})\//;

/** The post's community as a hashtag (r/StrangerThings): the page's attribute, else its permalink. */
function community(prefixed: string | null, permalink: string): string[] {
  const found = prefixed?.trim() || COMMUNITY.exec(new URL(permalink).pathname)?.[1];
  return found ? [found] : [];
}

/** Outbound links of a post: its link target first, then the links in its body. */
function postLinks(body: Element | null, linkTarget: string | null): string[] {
  const hosts = siteRecord('reddit').hosts;
  const links = outboundLinks(body, ORIGIN, hosts);
  const url = absoluteUrl(linkTarget, ORIGIN);
  if (url && !hosts.includes(new URL(url).hostname)) links.unshift(url);
  return [...new Set(links)];
}

function postTarget(parts: {
  id: string;
  permalink: string | null | undefined;
  title: string;
  body: Element | null;
  linkTarget: string | null;
  subreddit: string | null;
  author: string | null;
}): Target {
  const url = absoluteUrl(parts.permalink, ORIGIN) ?? `${ORIGIN}/comments/${parts.id.slice(3)}/`;
  // Rendered markup wraps long titles and indents the body: the layout's white space is not the post's.
  const title = parts.title.replace(/\s+/g, ' ').trim();
  const body = textOf(parts.body).replace(/[ \t]*\n\s*/g, '\n');
  return makeTarget({
    id: parts.id,
    url,
    title,
    text: [title, body].filter(Boolean).join('\n'),
    hashtags: community(parts.subreddit, url),
    links: postLinks(parts.body, parts.linkTarget),
    author: parts.author ? `u/${parts.author}` : undefined,
    itemIds: [{ kind: 'reddit-post', value: parts.id.slice(3) }],
  });
}

/** A new-UI post: shreddit's element (attributes) or the React redesign's container (markup). */
function newTarget(post: Element, ctx: AdapterContext): Target | undefined {
  const id = post.getAttribute('id') ?? '';
  if (!id.startsWith('t3_')) {
    ctx.miss('post');
    return undefined;
  }
  const titleEl = queryFirst(post, selectors.title);
  const permalink =
    post.getAttribute('permalink') ?? queryFirst(post, selectors.redesignLink)?.getAttribute('href') ?? titleEl?.getAttribute('href');
  return postTarget({
    id,
    permalink,
    title: post.getAttribute('post-title') ?? textOf(titleEl),
    body: queryFirst(post, selectors.body),
    linkTarget: post.getAttribute('content-href'),
    subreddit: post.getAttribute('subreddit-prefixed-name'),
    author: post.getAttribute('author'),
  });
}

function oldTarget(thing: Element, ctx: AdapterContext): Target | undefined {
  const id = thing.getAttribute('data-fullname') ?? '';
  if (!id.startsWith('t3_')) {
    ctx.miss('oldPost');
    return undefined;
  }
  const subreddit = thing.getAttribute('data-subreddit');
  return postTarget({
    id,
    permalink: thing.getAttribute('data-permalink'),
    title: textOf(thing.querySelector('a.title')),
    body: queryFirst(thing, selectors.body),
    linkTarget: thing.getAttribute('data-url'),
    subreddit: thing.getAttribute('data-subreddit-prefixed') ?? (subreddit ? `r/${subreddit}` : null),
    author: thing.getAttribute('data-author'),
  });
}

/**
 * The post a click is about, in any UI: the post on the click's composed path (shadow roots
 * included), else the old UI's thing around the element; on a comments page, the page's post.
 */
function targetFor(event: Event, element: Element | null, ctx: AdapterContext): Target | undefined {
  const post = pathFind(event, selectors.post) ?? (element ? closestFirst(element, selectors.post) : null);
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

/** True when the click's path holds `inner` before (inside) `outer`: a menu item of this share button. */
function inside(event: Event, inner: readonly string[], outer: Element): boolean {
  for (const node of event.composedPath()) {
    if (node === outer) return false;
    if ((node as Node).nodeType === 1 && inner.some((s) => (node as Element).matches(s))) return true;
  }
  return false;
}

export default defineSiteAdapter({
  id: 'reddit',
  selectors,
  expects: (url) =>
    /^\/r\/[^/]+\/comments\//.test(url.pathname)
      ? { page: 'post', elements: { post: ['post', 'oldPost'], title: ['title'], like: ['upvote', 'oldUpvote'] } }
      : undefined,
  start(ctx) {
    const emit = (action: 'upvote' | 'share' | 'crosspost' | 'comment', target: Target, userText?: string): void =>
      ctx.emit(makeEvent('reddit', action, ctx.now(), target, userText === undefined ? {} : { userText }));
    const retract = (target: Target): void => ctx.retract({ site: 'reddit', action: 'upvote', targetId: target.id, at: ctx.now() });

    listen(ctx, 'click', (event) => {
      let button: Element | null;
      const onComment = (): boolean => pathFind(event, selectors.comment) !== null;
      if ((button = pathFind(event, selectors.upvote))) {
        if (onComment()) return; // upvoting a comment is not upvoting the post
        const target = targetFor(event, button, ctx);
        if (target && button.getAttribute('aria-pressed') === 'true') retract(target);
        else if (target) emit('upvote', target);
      } else if ((button = pathFind(event, selectors.oldUpvote))) {
        if (onComment()) return;
        const target = targetFor(event, button, ctx);
        if (target && button.classList.contains('upmod')) retract(target);
        else if (target) emit('upvote', target);
      } else if ((button = pathFind(event, selectors.crosspost))) {
        const target = targetFor(event, button, ctx);
        if (target) emit('crosspost', target);
      } else if ((button = pathFind(event, selectors.share))) {
        if (onComment()) return;
        // New UI: opening the menu is not a share; choosing an item in it is.
        if (button.localName === 'shreddit-post-share-button' && !inside(event, selectors.shareItem, button)) return;
        const target = targetFor(event, button, ctx);
        if (target) emit('share', target);
      } else if ((button = pathFind(event, selectors.composerSubmit))) {
        const composer = pathFind(event, selectors.composer);
        const editor = composer ? queryFirst(composer, selectors.composerEditor) : null;
        if (!editor) ctx.miss('composerEditor');
        const written = fieldText(editor);
        const target = written ? targetFor(event, button, ctx) : undefined;
        if (target) emit('comment', target, written);
      }
    });

    // Old Reddit posts comments by submitting a form.
    listen(ctx, 'submit', (event) => {
      const form = pathFind(event, selectors.oldCommentForm);
      if (!form) return;
      const written = fieldText(queryFirst(form, selectors.oldCommentText));
      const target = written ? targetFor(event, form, ctx) : undefined;
      if (target) emit('comment', target, written);
    });
  },
});
