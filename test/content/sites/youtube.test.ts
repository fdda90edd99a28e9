// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import youtube from '../../../src/content/sites/youtube.ts';
import { MAX_TEXT_LENGTH, TRUNCATION_MARK } from '../../../src/shared/events.ts';
import { $, HAVE_SNAPSHOTS, NO_SNAPSHOTS_REASON, T0, click, fixture, loadPage, naughtyStrings, snapshot, start } from './harness.ts';

const video = {
  id: 'nhTrailer01',
  url: 'https://www.youtube.com/watch?v=nhTrailer01',
  title: 'Night Harbor – Official Trailer',
  text: 'Night Harbor – Official Trailer\nIn cinemas March 3. #NightHarbor Tickets: tickets.example.com tickets',
  hashtags: ['NightHarbor', 'trailer'],
  links: ['https://tickets.example.com/nh'],
  author: 'Harbor Pictures',
  itemIds: [{ kind: 'youtube-video', value: 'nhTrailer01' }],
};
const watch = (): Document => loadPage(fixture('youtube/watch.html'), 'https://www.youtube.com/watch?v=nhTrailer01&t=42s');

describe('youtube adapter on the reduced watch fixture', () => {
  it('like (aria-pressed=false) sends the video; pressed again (true) retracts it', () => {
    const doc = watch();
    const r = start(youtube, doc);
    const like = $(doc, 'like-button-view-model button');
    click($(doc, 'like-button-view-model .icon'));
    like.setAttribute('aria-pressed', 'true'); // what YouTube renders once liked
    click(like);
    expect(r.events).toEqual([{ site: 'youtube', action: 'like', at: T0, target: video }]);
    expect(r.retractions).toEqual([{ site: 'youtube', action: 'like', targetId: 'nhTrailer01', at: T0 }]);
  });

  it('liking a comment is not a like of the video', () => {
    const doc = watch();
    const r = start(youtube, doc);
    click($(doc, '#comment-like'));
    expect(r.events).toEqual([]);
  });

  it('share is sent when a way to share is chosen in the panel', () => {
    const doc = watch();
    const r = start(youtube, doc);
    click($(doc, '#copy-button button'));
    click($(doc, '#share-x'));
    expect(r.events.map((e) => [e.action, e.target.id])).toEqual([
      ['share', 'nhTrailer01'],
      ['share', 'nhTrailer01'],
    ]);
  });

  it('a posted comment carries what the user wrote; an empty box sends nothing', () => {
    const doc = watch();
    const r = start(youtube, doc);
    click($(doc, '#submit-button button'));
    $(doc, '#contenteditable-root').textContent = '   ';
    click($(doc, '#submit-button button'));
    expect(r.events).toEqual([{ site: 'youtube', action: 'comment', at: T0, target: video, userText: 'Counting the days' }]);
  });

  it('after SPA navigation the stale head microdata of the first video is not used', () => {
    const doc = loadPage(fixture('youtube/watch.html'), 'https://www.youtube.com/watch?v=otherVideo9');
    $(doc, 'ytd-watch-metadata h1').remove();
    const r = start(youtube, doc);
    click($(doc, 'like-button-view-model button'));
    expect(r.events[0]?.target).toMatchObject({ id: 'otherVideo9', itemIds: [{ kind: 'youtube-video', value: 'otherVideo9' }] });
    expect(r.events[0]?.target.title).toBeUndefined();
    expect(r.events[0]?.target.hashtags).toEqual(['NightHarbor']);
  });

  it('no video id anywhere: no event, miss counted', () => {
    const doc = loadPage(fixture('youtube/watch.html'), 'https://www.youtube.com/feed/subscriptions');
    $(doc, 'ytd-watch-flexy').removeAttribute('video-id');
    const r = start(youtube, doc);
    click($(doc, 'like-button-view-model button'));
    expect(r.events).toEqual([]);
    expect(r.misses).toEqual(['watch']);
  });

  it('hostile and huge titles are kept as text, cut with the marker', () => {
    const doc = watch();
    const r = start(youtube, doc);
    const title = $(doc, 'ytd-watch-metadata h1 yt-formatted-string');
    const naughty = naughtyStrings(100);
    for (const s of naughty) {
      title.textContent = s;
      click($(doc, 'like-button-view-model button'));
    }
    expect(r.events.map((e) => e.target.title)).toEqual(naughty);
    title.textContent = 'x'.repeat(10_000);
    $(doc, '#description-inline-expander').textContent = 'y'.repeat(10_000);
    click($(doc, 'like-button-view-model button'));
    const last = r.events.at(-1)?.target;
    expect(last?.title?.length).toBe(1024);
    expect(last?.text.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH + TRUNCATION_MARK.length);
  });
});

describe.skipIf(!HAVE_SNAPSHOTS)(`youtube adapter on real server HTML (${HAVE_SNAPSHOTS ? 'ytta 2025-02' : NO_SNAPSHOTS_REASON})`, () => {
  it('the head microdata of the real page names the video, channel and tags', () => {
    // The saved response has no rendered buttons (SOURCES.md); the rendered like button is added the way YouTube renders it.
    const doc = loadPage(snapshot('youtube/ytta-watch-GJLlxj_dtq8-2025-02.html'), 'https://www.youtube.com/watch?v=GJLlxj_dtq8');
    const button = doc.createElement('like-button-view-model').appendChild(doc.createElement('button'));
    button.setAttribute('aria-pressed', 'false');
    doc.body.append(button.parentElement as Element);
    const r = start(youtube, doc);
    click(button);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]?.target).toMatchObject({
      id: 'GJLlxj_dtq8',
      url: 'https://www.youtube.com/watch?v=GJLlxj_dtq8',
      title: 'Surface Go Review - It’s Awesome',
      author: 'Dave2D',
      itemIds: [{ kind: 'youtube-video', value: 'GJLlxj_dtq8' }],
    });
    expect(r.events[0]?.target.hashtags).toContain('Surface Go');
    expect(r.events[0]?.target.text).toMatch(/^Surface Go Review - It’s Awesome\nDave2D review of the Microsoft Surface Go/);
  });
});

describe.skipIf(!HAVE_SNAPSHOTS)(
  `youtube adapter, title and channel on real server pages (${HAVE_SNAPSHOTS ? 'ytta 2022-03, 2025-02' : NO_SNAPSHOTS_REASON})`,
  () => {
    /** The rendered like button, added the way YouTube renders it (the saved responses have none). */
    const withLike = (doc: Document): Element => {
      const button = doc.createElement('like-button-view-model').appendChild(doc.createElement('button'));
      button.setAttribute('aria-pressed', 'false');
      doc.body.append(button.parentElement as Element);
      return button;
    };

    it('2025: without the head microdata author, the channel comes from the page own ytInitialPlayerResponse', () => {
      const doc = loadPage(snapshot('youtube/ytta-watch-GJLlxj_dtq8-2025-02.html'), 'https://www.youtube.com/watch?v=GJLlxj_dtq8');
      for (const el of doc.querySelectorAll('[itemprop="author"]')) el.remove();
      const button = withLike(doc);
      const r = start(youtube, doc);
      click(button);
      expect(r.events[0]?.target).toMatchObject({ id: 'GJLlxj_dtq8', title: 'Surface Go Review - It’s Awesome', author: 'Dave2D' });
    });

    it('2025: after SPA navigation to another video, the first video player response is not used', () => {
      const doc = loadPage(snapshot('youtube/ytta-watch-GJLlxj_dtq8-2025-02.html'), 'https://www.youtube.com/watch?v=otherVideo9');
      const button = withLike(doc);
      const r = start(youtube, doc);
      click(button);
      expect(r.events[0]?.target).toEqual({
        id: 'otherVideo9',
        url: 'https://www.youtube.com/watch?v=otherVideo9',
        text: '',
        hashtags: [],
        links: [],
        itemIds: [{ kind: 'youtube-video', value: 'otherVideo9' }],
      });
    });

    it('2022 (de): title and tags from the head microdata; the channel, only in a player response that is not JSON, is left out', () => {
      const doc = loadPage(snapshot('youtube/ytta-watch-GJLlxj_dtq8-2022-03.html'), 'https://www.youtube.com/watch?v=GJLlxj_dtq8');
      const button = withLike(doc);
      const r = start(youtube, doc);
      click(button);
      expect(r.events[0]?.target).toMatchObject({ id: 'GJLlxj_dtq8', title: 'Surface Go Review - Es ist Awesome' });
      expect(r.events[0]?.target.author).toBeUndefined();
      expect(r.events[0]?.target.hashtags).toEqual([
        'Dave2D',
        'Review',
        'Surface Go',
        'Surface pro',
        'best laptop',
        'best laptop for school',
        'best laptop for college',
        'best laptop for students',
        'best laptop for university',
        'cheap laptop',
        'best value laptop',
        'inexpensive laptop',
        'cheapest laptop',
        'Dell',
        'XPS 13',
      ]);
    });
  },
);
