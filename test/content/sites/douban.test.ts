// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import douban from '../../../src/content/sites/douban.ts';
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

const subject = {
  id: '90000001',
  url: 'https://movie.douban.com/subject/90000001/',
  title: '夜港 Night Harbor (2025)',
  text: '一位老船长在港口发现了一封旧信……',
  hashtags: [],
  links: [],
  itemIds: [{ kind: 'douban-subject', value: '90000001' }],
  lang: 'zh',
  facts: { genres: ['剧情', '悬疑'] },
};
const page = (): Document => loadPage(fixture('douban/subject-logged-in.html'), 'https://movie.douban.com/subject/90000001/');

describe('douban adapter, logged-in subject page (reduced fixture)', () => {
  it('the interest form sends the mark, the star rating and the 短评', () => {
    const doc = page();
    const r = start(douban, doc);
    click($(doc, 'a[name="pbtn-90000001-collect"] span')); // only opens the form
    expect(r.events).toEqual([]);
    submit($(doc, '#collect_form_90000001 form'));
    expect(r.events).toEqual([
      { site: 'douban', action: 'watched', at: T0, target: subject },
      { site: 'douban', action: 'rating', at: T0, target: subject, rating: 4 },
      { site: 'douban', action: 'review', at: T0, target: subject, userText: '港口那场戏拍得真好' },
    ]);
  });

  it('想看 without rating or comment sends only wish', () => {
    const doc = page();
    (doc.querySelector('input[value="wish"]') as HTMLInputElement).checked = true;
    (doc.querySelector('input[name="rating"]') as HTMLInputElement).value = '';
    (doc.querySelector('textarea') as HTMLTextAreaElement).value = '';
    const r = start(douban, doc);
    submit($(doc, 'form'));
    expect(r.events.map((e) => e.action)).toEqual(['wish']);
  });

  it('推荐 and 有用 on a short comment', () => {
    const doc = page();
    const r = start(douban, doc);
    click($(doc, 'a.lnk-sharing'));
    click($(doc, 'a.vote-comment'));
    expect(r.events).toEqual([
      { site: 'douban', action: 'recommend', at: T0, target: subject },
      {
        site: 'douban',
        action: 'helpful',
        at: T0,
        target: {
          id: 'comment:3000000001',
          url: 'https://movie.douban.com/subject/90000001/?comment_id=3000000001',
          text: '节奏稳，结尾有力。',
          title: '夜港 Night Harbor (2025)',
          hashtags: [],
          links: [],
          author: '影迷甲',
          itemIds: [{ kind: 'douban-subject', value: '90000001' }],
          lang: 'zh',
        },
      },
    ]);
  });

  it('2026 markup: 有用 as a#btn-<cid>[data-cid] without data-id, and 推荐 without share-id', () => {
    const doc = page();
    $(doc, 'a.lnk-sharing').removeAttribute('share-id');
    const r = start(douban, doc);
    click($(doc, '#btn-3000000002'));
    click($(doc, 'a.lnk-sharing'));
    expect(r.events).toEqual([
      {
        site: 'douban',
        action: 'helpful',
        at: T0,
        target: {
          id: 'comment:3000000002',
          url: 'https://movie.douban.com/subject/90000001/?comment_id=3000000002',
          text: '配乐一般。',
          title: '夜港 Night Harbor (2025)',
          hashtags: [],
          links: [],
          author: '影迷乙',
          itemIds: [{ kind: 'douban-subject', value: '90000001' }],
          lang: 'zh',
        },
      },
      { site: 'douban', action: 'recommend', at: T0, target: subject },
    ]);
    expect(r.misses).toEqual([]);
  });

  it.each([
    'https://music.douban.com/subject/90000001/',
    'https://book.douban.com/subject/90000001/',
    'https://www.douban.com/subject/90000001/',
  ])('the same markup on %s sends nothing: only film and TV subjects are titles', (url) => {
    const doc = loadPage(fixture('douban/subject-logged-in.html'), url);
    $(doc, 'meta[property="og:url"]').setAttribute('content', url);
    const r = start(douban, doc);
    click($(doc, 'a.lnk-sharing'));
    click($(doc, 'a.vote-comment'));
    click($(doc, '#btn-3000000002'));
    submit($(doc, 'form'));
    expect(r.events).toEqual([]);
    expect(r.misses).toEqual([]);
  });

  it('a page on movie.douban.com that says it is an album (og:type) sends nothing', () => {
    const doc = page();
    const meta = doc.createElement('meta');
    meta.setAttribute('property', 'og:type');
    meta.setAttribute('content', 'music.album');
    doc.head.append(meta);
    const r = start(douban, doc);
    click($(doc, 'a.lnk-sharing'));
    submit($(doc, 'form'));
    expect(r.events).toEqual([]);
  });

  it('a form without a known mark: no mark event, miss counted', () => {
    const doc = page();
    for (const input of doc.querySelectorAll('input[name="interest"]')) input.remove();
    const r = start(douban, doc);
    submit($(doc, 'form'));
    expect(r.events.map((e) => e.action)).toEqual(['rating', 'review']);
    expect(r.misses).toEqual(['interest']);
  });

  it('hostile and huge 短评', () => {
    const doc = page();
    const r = start(douban, doc, ['review']);
    const box = doc.querySelector('textarea') as HTMLTextAreaElement;
    const naughty = naughtyStrings(100);
    for (const s of naughty) {
      box.value = s;
      submit($(doc, 'form'));
    }
    expect(r.events.map((e) => e.userText)).toEqual(naughty);
    box.value = '评'.repeat(10_000);
    submit($(doc, 'form'));
    expect(r.events.at(-1)?.userText).toBe('评'.repeat(MAX_TEXT_LENGTH) + TRUNCATION_MARK);
  });
});

describe.skipIf(!HAVE_SNAPSHOTS)(
  `douban adapter on real logged-out pages (${HAVE_SNAPSHOTS ? 'boofilsic 2022-12' : NO_SNAPSHOTS_REASON})`,
  () => {
    const pages = [
      ['3541415', '盗梦空间 Inception (2010)'],
      ['26895436', undefined],
      ['3627919', '神秘博士  第四季 Doctor Who Season 4 (2008)'], // two spaces, as on the page,
      ['4296866', undefined],
    ] as const;
    it.each(pages)('subject %s: login-prompt buttons send nothing and count no miss', (id) => {
      const doc = loadPage(snapshot(`douban/boofilsic-movie.douban.com-subject-${id}.html`), `https://movie.douban.com/subject/${id}/`);
      const r = start(douban, doc);
      for (const el of doc.querySelectorAll('#interest_sect_level a, a.lnk-sharing, .comment-vote a')) click(el);
      expect(r.events).toEqual([]);
      expect(r.misses).toEqual([]);
    });

    it.each(pages)('subject %s: a logged-in 推荐 reads the real page metadata', (id, title) => {
      const doc = loadPage(snapshot(`douban/boofilsic-movie.douban.com-subject-${id}.html`), `https://movie.douban.com/subject/${id}/`);
      const share = $(doc, 'a.lnk-sharing');
      share.classList.remove('a_show_login'); // the logged-in page renders the same link without the login prompt
      const r = start(douban, doc);
      click(share);
      const target = r.events[0]?.target;
      expect(target).toMatchObject({
        id,
        url: `https://movie.douban.com/subject/${id}/`,
        itemIds: [{ kind: 'douban-subject', value: id }],
      });
      if (title) expect(target?.title).toBe(title);
      // The page's genres are facts of the subject, not hashtags.
      expect(target?.hashtags).toEqual([]);
      expect(target?.facts?.genres?.length).toBeGreaterThan(0);
      expect(target?.text.length).toBeGreaterThan(20);
    });
  },
);

describe.skipIf(!HAVE_SNAPSHOTS)(
  `douban adapter on real 2024-2026 pages (${HAVE_SNAPSHOTS ? 'neodb 2024-07 and 2026-04, magic-html 2024-04' : NO_SNAPSHOTS_REASON})`,
  () => {
    /** The logged-in page renders the same links without the login prompt. */
    const loggedIn = (doc: Document): Document => {
      for (const el of doc.querySelectorAll('.a_show_login')) el.classList.remove('a_show_login');
      return doc;
    };

    it('music.douban.com (2026): 想听, 推荐 and every 有用 a#btn-<cid> send nothing, logged in or out', () => {
      for (const signedIn of [false, true]) {
        const doc = loadPage(
          snapshot('douban/neodb-music.douban.com-subject-1401362-2026-04.html'),
          'https://music.douban.com/subject/1401362/',
        );
        if (signedIn) loggedIn(doc);
        const r = start(douban, doc);
        const clicks = [...doc.querySelectorAll('#interest_sect_level a, #rating a, a.lnk-sharing, .comment-vote a')];
        expect(clicks).toHaveLength(19);
        for (const el of clicks) click(el);
        expect(r.events).toEqual([]);
        expect(r.misses).toEqual([]);
      }
    });

    it('movie 短评 page (2024): a logged-in 有用 sends the comment with its subject id', () => {
      const doc = loggedIn(
        loadPage(
          snapshot('douban/magichtml-movie.douban.com-subject-36151693-comments-2024-04.html'),
          'https://movie.douban.com/subject/36151693/comments?status=P',
        ),
      );
      const r = start(douban, doc);
      const votes = [...doc.querySelectorAll('.comment-vote a')];
      expect(votes).toHaveLength(20);
      click(votes[0] as Element);
      click(votes[19] as Element);
      expect(r.events.map((e) => [e.action, e.target.id, e.target.url, e.target.author, e.target.text, e.target.itemIds])).toEqual([
        [
          'helpful',
          'comment:3682426781',
          'https://movie.douban.com/subject/36151693/comments?comment_id=3682426781',
          '小倪儿呼啦呼啦',
          '我们的善良和恶毒都不够纯粹，所以痛苦。',
          [{ kind: 'douban-subject', value: '36151693' }],
        ],
        [
          'helpful',
          'comment:4151145420',
          'https://movie.douban.com/subject/36151693/comments?comment_id=4151145420',
          '七情六欲丸',
          '我嫉妒你。又是七月与安生，我的天才女友。黑眼线的许好摇滚。',
          [{ kind: 'douban-subject', value: '36151693' }],
        ],
      ]);
      expect(r.misses).toEqual([]);
    });

    it('movie 短评 page, logged out: 有用 only asks to log in', () => {
      const doc = loadPage(
        snapshot('douban/magichtml-movie.douban.com-subject-36151693-comments-2024-04.html'),
        'https://movie.douban.com/subject/36151693/comments?status=P',
      );
      const r = start(douban, doc);
      for (const el of doc.querySelectorAll('.comment-vote a, a.comment_btn')) click(el);
      expect(r.events).toEqual([]);
    });
  },
);
