// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import reddit from '../../../src/content/sites/reddit.ts';
import { MAX_TEXT_LENGTH, TRUNCATION_MARK } from '../../../src/shared/events.ts';
import {
  $,
  HAVE_SNAPSHOTS,
  NO_SNAPSHOTS_REASON,
  T0,
  attachShadowMarkup,
  click,
  fixture,
  loadPage,
  naughtyStrings,
  snapshot,
  start,
  submit,
} from './harness.ts';

const post = {
  id: 't3_abc123',
  url: 'https://www.reddit.com/r/movies/comments/abc123/night_harbor_trailer/',
  title: 'Night Harbor trailer thread',
  text: 'Night Harbor trailer thread\nDiscuss the trailer here. Review: link',
  hashtags: ['r/movies'],
  links: ['https://video.example.com/nh', 'https://reviews.example.org/nh'],
  author: 'u/harbor_fan',
  itemIds: [{ kind: 'reddit-post', value: 'abc123' }],
};
const newPage = (): Document =>
  loadPage(fixture('reddit/new-post.html'), 'https://www.reddit.com/r/movies/comments/abc123/night_harbor_trailer/');
const oldPage = (): Document =>
  loadPage(fixture('reddit/old-post.html'), 'https://old.reddit.com/r/TrueFilm/comments/old42/on_night_harbor/');

describe('reddit adapter, new UI (buttons in shadow roots)', () => {
  it('upvote inside the shadow root sends the post; an upvoted button retracts', () => {
    const doc = newPage();
    const r = start(reddit, doc);
    click($(doc, '#up path'));
    click($(doc, '#up-voted'));
    expect(r.events).toEqual([{ site: 'reddit', action: 'upvote', at: T0, target: post }]);
    expect(r.retractions).toEqual([{ site: 'reddit', action: 'upvote', targetId: 't3_voted1', at: T0 }]);
  });

  it('share is sent on a menu choice, not on opening the menu; crosspost is its own action', () => {
    const doc = newPage();
    const r = start(reddit, doc);
    click($(doc, 'shreddit-post-share-button').shadowRoot?.querySelector('button') as Element);
    click($(doc, '#copy'));
    click($(doc, '#xpost'));
    expect(r.events.map((e) => [e.action, e.target.id])).toEqual([
      ['share', 't3_abc123'],
      ['crosspost', 't3_abc123'],
    ]);
  });

  it('a posted comment targets the page post and carries the text', () => {
    const doc = newPage();
    const r = start(reddit, doc);
    click($(doc, 'button[slot="submit-button"]'));
    expect(r.events).toEqual([{ site: 'reddit', action: 'comment', at: T0, target: post, userText: 'Best trailer this year' }]);
  });

  it('a post element without a t3_ id: no event, miss counted', () => {
    const doc = newPage();
    const r = start(reddit, doc);
    click($(doc, '#up-broken'));
    expect(r.events).toEqual([]);
    expect(r.misses).toEqual(['post']);
  });

  it('hostile and huge titles', () => {
    const doc = newPage();
    const r = start(reddit, doc);
    const el = $(doc, 'shreddit-post');
    const naughty = naughtyStrings(100);
    for (const s of naughty) {
      el.setAttribute('post-title', s);
      click($(doc, '#up'));
    }
    expect(r.events.map((e) => e.target.title)).toEqual(naughty);
    el.setAttribute('post-title', 'z'.repeat(9000));
    click($(doc, '#up'));
    const text = r.events.at(-1)?.target.text ?? '';
    expect(text.length).toBe(MAX_TEXT_LENGTH + TRUNCATION_MARK.length);
    expect(text.endsWith(TRUNCATION_MARK)).toBe(true);
  });
});

describe('reddit adapter, old.reddit.com', () => {
  it('upvote, remove vote, share, crosspost and a comment form', () => {
    const doc = oldPage();
    const r = start(reddit, doc);
    click($(doc, '.arrow.up'));
    click($(doc, '.arrow.upmod'));
    click($(doc, '.post-sharing-button'));
    click($(doc, '.post-crosspost-button'));
    submit($(doc, 'form.usertext'));
    const target = {
      id: 't3_old42',
      url: 'https://www.reddit.com/r/TrueFilm/comments/old42/on_night_harbor/',
      title: "On Night Harbor's ending",
      text: "On Night Harbor's ending\nSpoilers below. See this essay.",
      hashtags: ['r/TrueFilm'],
      links: ['https://essay.example.net/x'],
      author: 'u/cinephile',
      itemIds: [{ kind: 'reddit-post', value: 'old42' }],
    };
    expect(r.events).toEqual([
      { site: 'reddit', action: 'upvote', at: T0, target },
      { site: 'reddit', action: 'share', at: T0, target },
      { site: 'reddit', action: 'crosspost', at: T0, target },
      { site: 'reddit', action: 'comment', at: T0, target, userText: 'Agreed, the last shot says it all' },
    ]);
    expect(r.retractions).toEqual([{ site: 'reddit', action: 'upvote', targetId: 't3_old43', at: T0 }]);
  });

  it('the community is kept in every case: data-subreddit-prefixed, then data-subreddit, then the permalink', () => {
    const doc = oldPage();
    const thing = $(doc, '.thing[data-fullname="t3_old42"]');
    const r = start(reddit, doc);
    thing.removeAttribute('data-subreddit-prefixed');
    thing.setAttribute('data-subreddit', 'TrueFilm');
    click($(doc, '.arrow.up'));
    thing.removeAttribute('data-subreddit');
    click($(doc, '.arrow.up'));
    thing.setAttribute('data-permalink', '/comments/old42/');
    click($(doc, '.arrow.up'));
    expect(r.events.map((e) => e.target.hashtags)).toEqual([['r/TrueFilm'], ['r/TrueFilm'], []]);
  });

  it('upvoting a comment is not upvoting the post', () => {
    const doc = oldPage();
    const r = start(reddit, doc);
    click($(doc, '#comment-up'));
    expect(r.events).toEqual([]);
    expect(r.retractions).toEqual([]);
  });
});

describe('reddit adapter, 2018-2023 React redesign (reduced fixture)', () => {
  const page = (): Document =>
    loadPage(fixture('reddit/redesign-post.html'), 'https://www.reddit.com/r/movies/comments/nh2023/night_harbor_is_the_best_thriller/');

  it('the lower-case "upvote" label is found, the community read from the permalink; a comment upvote and share send nothing', () => {
    const doc = page();
    const r = start(reddit, doc);
    click($(doc, '#upvote-button-t3_nh2023 i'));
    click($(doc, '#comment-up'));
    click($(doc, '[data-click-id="share"] span'));
    expect(r.events).toEqual([
      {
        site: 'reddit',
        action: 'upvote',
        at: T0,
        target: {
          id: 't3_nh2023',
          url: 'https://www.reddit.com/r/movies/comments/nh2023/night_harbor_is_the_best_thriller/',
          title: 'Night Harbor is the best thriller of the year',
          text: 'Night Harbor is the best thriller of the year\nSaw it twice. Trailer: here',
          hashtags: ['r/movies'],
          links: ['https://video.example.com/nh'],
          itemIds: [{ kind: 'reddit-post', value: 'nh2023' }],
        },
      },
    ]);
    expect(r.misses).toEqual([]);
  });
});

describe.skipIf(!HAVE_SNAPSHOTS)(
  `reddit adapter on the structural replica (${HAVE_SNAPSHOTS ? 'xrnsocial 2026-10' : NO_SNAPSHOTS_REASON})`,
  () => {
    it('an upvote button in the replica post shadow root captures that post', () => {
      const doc = loadPage(snapshot('reddit/xrnsocial-reddit-replica-2026-10.html'), 'https://www.reddit.com/');
      // The replica's action bar has no vote button (SOURCES.md); one is added where Reddit renders it.
      const bar = $(doc, '#bar-sub');
      const button = bar.ownerDocument.createElement('button');
      button.setAttribute('upvote', '');
      button.setAttribute('aria-pressed', 'false');
      bar.prepend(button);
      const r = start(reddit, doc);
      click(button);
      click($(doc, '#a-rec a[slot="title"]')); // a plain title click is not an action
      expect(r.events).toEqual([
        {
          site: 'reddit',
          action: 'upvote',
          at: T0,
          target: {
            id: 't3_sub',
            url: 'https://www.reddit.com/r/cats/comments/1/',
            title: 'My cat found a box',
            text: 'My cat found a box',
            hashtags: ['r/cats'],
            links: [],
            itemIds: [{ kind: 'reddit-post', value: 'sub' }],
          },
        },
      ]);
    });
  },
);

describe.skipIf(!HAVE_SNAPSHOTS)(
  `reddit adapter on real pages (${HAVE_SNAPSHOTS ? 'postlight 2022-11, magic-html 2024-05, lead-finder 2026-08' : NO_SNAPSHOTS_REASON})`,
  () => {
    const ASK = 'https://www.reddit.com/r/AskReddit/comments/axtih6/what_is_the_most_worth_it_item_you_have_ever/';
    const askPost = {
      id: 't3_axtih6',
      url: ASK,
      title: 'What is the most "worth it" item you have ever purchased?',
      text: 'What is the most "worth it" item you have ever purchased?',
      hashtags: ['r/AskReddit'],
      links: [],
      itemIds: [{ kind: 'reddit-post', value: 'axtih6' }],
    };

    it('React redesign: the lower-case "upvote" button of the post sends it, community from its permalink; pressed retracts', () => {
      const doc = loadPage(snapshot('reddit/postlight-www.reddit.com-redesign-post-title-only-2022-11.html'), ASK);
      const r = start(reddit, doc);
      const up = $(doc, '#upvote-button-t3_axtih6');
      click($(doc, '#upvote-button-t3_axtih6 i.icon-upvote'));
      up.setAttribute('aria-pressed', 'true'); // what the page renders once upvoted
      click(up);
      expect(r.events).toEqual([{ site: 'reddit', action: 'upvote', at: T0, target: askPost }]);
      expect(r.retractions).toEqual([{ site: 'reddit', action: 'upvote', targetId: 't3_axtih6', at: T0 }]);
      expect(r.misses).toEqual([]);
    });

    it('React redesign: the 12 comment vote buttons, downvotes and the share menu button send nothing', () => {
      const doc = loadPage(snapshot('reddit/postlight-www.reddit.com-redesign-post-title-only-2022-11.html'), ASK);
      const r = start(reddit, doc);
      const commentVotes = [...doc.querySelectorAll('[id^="vote-arrows-t1_"] button')];
      expect(commentVotes).toHaveLength(24);
      for (const button of commentVotes) click(button);
      click($(doc, '[data-click-id="downvote"]'));
      click($(doc, '[data-click-id="share"]'));
      expect(r.events).toEqual([]);
      expect(r.retractions).toEqual([]);
    });

    const BOOMER = 'https://www.reddit.com/r/BoomersBeingFools/comments/1cqcfkk/boomer_took_offense_to_my_teacher_appreciation/';
    /** The saved shreddit page without its shadow roots (SOURCES.md); they are attached as the live page renders them. */
    function shredditPage(): Document {
      const doc = loadPage(snapshot('reddit/magichtml-www.reddit.com-shreddit-post-1cqcfkk-2024-05.html'), BOOMER);
      const root = attachShadowMarkup(
        $(doc, 'shreddit-post'),
        '<slot name="credit-bar"></slot><slot name="title"></slot><slot name="text-body"></slot>' +
          '<div data-testid="action-row"><button upvote aria-pressed="false" id="post-up"><svg></svg></button>' +
          '<button downvote aria-pressed="false">down</button>' +
          '<shreddit-post-share-button id="post-share"></shreddit-post-share-button></div>',
      );
      attachShadowMarkup(
        root.querySelector('#post-share') as Element,
        '<button id="share-open">Share</button><faceplate-dropdown-menu><faceplate-menu>' +
          '<li role="menuitem" id="copy-link">Copy link</li></faceplate-menu></faceplate-dropdown-menu>',
      );
      for (const row of doc.querySelectorAll('shreddit-comment-action-row')) {
        attachShadowMarkup(row, '<button upvote aria-pressed="false" class="comment-up">up</button><slot name="comment-reply"></slot>');
      }
      return doc;
    }

    it('shreddit: upvote and a share menu choice in the post shadow roots send the post; opening the menu does not', () => {
      const doc = shredditPage();
      const r = start(reddit, doc);
      const root = $(doc, 'shreddit-post').shadowRoot as ShadowRoot;
      const shareRoot = root.querySelector('#post-share')?.shadowRoot as ShadowRoot;
      click(root.querySelector('#post-up svg') as Element);
      click(shareRoot.querySelector('#share-open') as Element);
      click(shareRoot.querySelector('#copy-link') as Element);
      expect(r.events.map((e) => e.action)).toEqual(['upvote', 'share']);
      expect(r.events[0]?.target).toEqual({
        id: 't3_1cqcfkk',
        url: BOOMER,
        title: 'Boomer took offense to my teacher appreciation t-shirt',
        text: r.events[0]?.target.text,
        hashtags: ['r/BoomersBeingFools'],
        links: [],
        author: 'u/wherewulf23',
        itemIds: [{ kind: 'reddit-post', value: '1cqcfkk' }],
      });
      const text = r.events[0]?.target.text ?? '';
      expect(text.startsWith('Boomer took offense to my teacher appreciation t-shirt\nLast week was Teacher Appreciation Week')).toBe(true);
      expect(text.endsWith("Of all the Boomer things to be pissed about that's gotta be up there.\nRead more")).toBe(true);
      expect(text.length).toBe(1321);
      expect(r.events[1]?.target).toEqual(r.events[0]?.target);
    });

    it('shreddit: the vote buttons of the 10 comments and comment share buttons send nothing', () => {
      const doc = shredditPage();
      const r = start(reddit, doc);
      const rows = [...doc.querySelectorAll('shreddit-comment-action-row')];
      expect(rows).toHaveLength(10);
      for (const row of rows) click(row.shadowRoot?.querySelector('.comment-up') as Element);
      for (const share of doc.querySelectorAll('shreddit-comment-share-button')) click(share);
      expect(r.events).toEqual([]);
      expect(r.retractions).toEqual([]);
    });

    it('old.reddit.com search results: no vote or share control, so no click there sends anything', () => {
      const doc = loadPage(
        snapshot('reddit/redditleadfinder-old.reddit.com-search-2026-08.html'),
        'https://old.reddit.com/search/?q=best+CRM+for+startups',
      );
      const r = start(reddit, doc);
      const clicked = [...doc.querySelectorAll('li')];
      expect(clicked.length).toBeGreaterThan(400);
      for (const el of clicked) click(el);
      expect(r.events).toEqual([]);
      expect(r.misses).toEqual([]);
    });
  },
);
