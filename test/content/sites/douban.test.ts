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
