// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import reddit from '../../../src/content/sites/reddit.ts';
import { MAX_TEXT_LENGTH, TRUNCATION_MARK } from '../../../src/shared/events.ts';
import {
  $,
  HAVE_SNAPSHOTS,
  NO_SNAPSHOTS_REASON,
  T0,
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
