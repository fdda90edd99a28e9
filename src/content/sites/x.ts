import { siteRecord } from '../../shared/sites.ts';
import { closestFirst, defineSiteAdapter, listen, queryFirst, type AdapterContext } from '../adapter.ts';
import { fieldText, hashtagsIn, makeEvent, makeTarget, outboundLinks, pathFind, textOf, type Target } from '../extract.ts';

/**
 * X (x.com, twitter.com). X renders the *current* state in each button's test id: `like` becomes
 * `unlike` once liked, `retweet` becomes `unretweet`, `bookmark` becomes `removeBookmark`. The
 * listener runs in the capture phase, before X re-renders, so the id tells what the click does.
 * Reposts, quotes and shares go through a menu rendered outside the post (in #layers), so the post
 * is remembered when its button opens the menu and the event is sent when the menu item is chosen.
 */
const selectors = {
  // The post: X's own test id, then the ARIA role every post keeps (x/tweetyoink-x-tweet-sample.html).
  tweet: ['article[data-testid="tweet"]', 'article[role="article"]'],
  like: ['[data-testid="like"]'],
  // Rendered instead of `like` once the user has liked the post; clicking it is an unlike.
  unlike: ['[data-testid="unlike"]'],
  // Opens the Repost / Quote menu.
  repost: ['[data-testid="retweet"]'],
  // Rendered instead of `retweet` once reposted; opens the Undo repost menu.
  unrepost: ['[data-testid="unretweet"]'],
  repostConfirm: ['[data-testid="retweetConfirm"]'],
  unrepostConfirm: ['[data-testid="unretweetConfirm"]'],
  // The Quote item of the repost menu links to the composer.
  quote: ['a[role="menuitem"][href="/compose/post"]', 'a[role="menuitem"][href^="/compose/"]'],
  bookmark: ['[data-testid="bookmark"]'],
  removeBookmark: ['[data-testid="removeBookmark"]'],
  // Opens the reply composer (a dialog) for this post.
  reply: ['[data-testid="reply"]'],
  // Share has no test id: its English label first, then the only menu button without a test id in the action bar.
  share: ['button[aria-label="Share post"]', '[role="group"] button[aria-haspopup="menu"]:not([data-testid])'],
  // Any item of the open share menu (copy link, send via DM, ...).
  shareItem: ['[role="menu"] [role="menuitem"]', '[role="menuitem"]'],
  // Post button of the dialog composer, then of the inline reply box on a status page.
  postButton: ['[data-testid="tweetButton"]', '[data-testid="tweetButtonInline"]'],
  composer: ['[data-testid="tweetTextarea_0"]', '[role="textbox"][contenteditable="true"]'],
  text: ['[data-testid="tweetText"]'],
  // An X Article (long-form post) has no tweetText: its title and body have their own test ids.
  articleTitle: ['[data-testid="twitter-article-title"]'],
  articleText: ['[data-testid="longformRichTextComponent"]', '[data-testid="twitterArticleRichTextView"]'],
  // The post's own timestamp links to its status page; a quoted post's timestamp is not a link.
  permalink: ['a[href*="/status/"] > time', 'a[href*="/status/"] time'],
} as const;

type Pending = { kind: 'repost' | 'unrepost' | 'share' | 'comment' | 'quote'; target: Target; at: number };
/** A menu or composer opened longer ago than this is forgotten (the user went elsewhere). */
const PENDING_MS = 10 * 60_000;
const STATUS = /\/([^/]+)\/status\/(\d{1,32})/;

/** An X Article's title and body as text, one line per Draft.js block; '' for an ordinary post. */
function articleText(article: Element): string {
  const title = textOf(queryFirst(article, selectors.articleTitle));
  const body = queryFirst(article, selectors.articleText);
  const blocks = body ? [...body.querySelectorAll('[data-block="true"]')] : [];
  const bodyText =
    blocks.length > 0
      ? blocks
          .map((block) => textOf(block))
          .filter(Boolean)
          .join('\n')
      : textOf(body);
  return [title, bodyText].filter(Boolean).join('\n');
}

function statusOf(article: Element, ctx: AdapterContext): Target | undefined {
  const time = queryFirst(article, selectors.permalink);
  const href = time?.closest('a')?.getAttribute('href') ?? '';
  const match = STATUS.exec(href);
  if (!match?.[2]) {
    ctx.miss('permalink');
    return undefined;
  }
  const [, handle = '', id] = match;
  // Own text first, then a quoted post's text: both say what the post is about.
  const texts = [...article.querySelectorAll(selectors.text.join(','))];
  const own = texts.find((el) => el.closest('[role="link"], article') === article);
  const quoted = texts.find((el) => el !== own);
  const text = [textOf(own) || articleText(article), textOf(quoted)].filter(Boolean).join('\n\n');
  return makeTarget({
    id,
    url: `https://x.com/${handle}/status/${id}`,
    text,
    hashtags: hashtagsIn(text),
    links: outboundLinks(article, ctx.document.URL, siteRecord('x').hosts),
    author: `@${handle}`,
    itemIds: [{ kind: 'x-status', value: id }],
    lang: (own ?? quoted)?.getAttribute('lang') ?? undefined,
  });
}

export default defineSiteAdapter({
  id: 'x',
  selectors,
  // Site health: a status page shows the post, its text (or an X Article's), its link and its like button.
  expects: (url) =>
    STATUS.test(url.pathname)
      ? {
          page: 'status',
          elements: {
            post: ['tweet'],
            postText: ['text', 'articleTitle', 'articleText'],
            postLink: ['permalink'],
            like: ['like', 'unlike'],
          },
        }
      : url.pathname === '/home'
        ? { page: 'timeline', elements: { post: ['tweet'], like: ['like', 'unlike'] } }
        : undefined,
  start(ctx) {
    let pending: Pending | undefined;
    const fresh = (kinds: Pending['kind'][]): Pending | undefined =>
      pending && kinds.includes(pending.kind) && ctx.now() - pending.at < PENDING_MS ? pending : undefined;
    const emit = (action: Parameters<typeof makeEvent>[1], target: Target, userText?: string): void =>
      ctx.emit(makeEvent('x', action, ctx.now(), target, userText === undefined ? {} : { userText }));
    const retract = (action: Parameters<typeof makeEvent>[1], targetId: string): void =>
      ctx.retract({ site: 'x', action, targetId, at: ctx.now() });

    /** The post a toolbar button belongs to, or undefined (and a miss). */
    const postOf = (button: Element): Target | undefined => {
      const article = closestFirst(button, selectors.tweet);
      if (!article) {
        ctx.miss('tweet');
        return undefined;
      }
      return statusOf(article, ctx);
    };

    /** The post being replied to from the inline box of a status page: the one whose id is in the URL. */
    const focalPost = (): Target | undefined => {
      const id = STATUS.exec(new URL(ctx.document.URL).pathname)?.[2];
      if (!id) return undefined;
      for (const article of ctx.document.querySelectorAll(selectors.tweet.join(','))) {
        const target = statusOf(article, ctx);
        if (target?.id === id) return target;
      }
      return undefined;
    };

    const post = (inline: boolean): void => {
      const composing = fresh(['comment', 'quote']) ?? (inline ? { kind: 'comment' as const, target: focalPost(), at: 0 } : undefined);
      if (!composing?.target) return; // a new post of the user's own, not a reply: nothing to capture
      const editor = queryFirst(ctx.document, selectors.composer);
      if (!editor) ctx.miss('composer');
      emit(composing.kind === 'quote' ? 'quote' : 'comment', composing.target, fieldText(editor));
      pending = undefined;
    };

    listen(ctx, 'click', (event) => {
      const hit = (name: keyof typeof selectors): Element | null => pathFind(event, selectors[name]);
      let button: Element | null;
      if ((button = hit('like'))) {
        const target = postOf(button);
        if (target) emit('like', target);
      } else if ((button = hit('unlike'))) {
        const target = postOf(button);
        if (target) retract('like', target.id);
      } else if ((button = hit('bookmark'))) {
        const target = postOf(button);
        if (target) emit('bookmark', target);
      } else if ((button = hit('removeBookmark'))) {
        const target = postOf(button);
        if (target) retract('bookmark', target.id);
      } else if ((button = hit('repost')) || (button = hit('unrepost')) || (button = hit('reply')) || (button = hit('share'))) {
        const target = postOf(button);
        const testId = button.getAttribute('data-testid');
        const kind = testId === 'retweet' ? 'repost' : testId === 'unretweet' ? 'unrepost' : testId === 'reply' ? 'comment' : 'share';
        pending = target ? { kind, target, at: ctx.now() } : undefined;
      } else if (hit('repostConfirm')) {
        const menu = fresh(['repost']);
        if (menu) emit('repost', menu.target);
        pending = undefined;
      } else if (hit('unrepostConfirm')) {
        const menu = fresh(['unrepost']);
        if (menu) retract('repost', menu.target.id);
        pending = undefined;
      } else if (hit('quote')) {
        const menu = fresh(['repost']);
        pending = menu ? { kind: 'quote', target: menu.target, at: ctx.now() } : undefined;
      } else if ((button = hit('postButton'))) {
        if (button.getAttribute('aria-disabled') !== 'true') post(button.getAttribute('data-testid') === 'tweetButtonInline');
      } else if (hit('shareItem')) {
        const menu = fresh(['share']);
        if (menu) emit('share', menu.target);
        pending = undefined;
      }
    });

    // Ctrl/Cmd+Enter posts from the composer, without a click.
    listen(ctx, 'keydown', (event) => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
      if (!pathFind(event, selectors.composer)) return;
      post(ctx.document.querySelector('[data-testid="tweetButtonInline"]') !== null && !fresh(['comment', 'quote']));
    });
  },
});
