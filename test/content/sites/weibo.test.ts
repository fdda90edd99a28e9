// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import weibo from '../../../src/content/sites/weibo.ts';
import { MAX_TEXT_LENGTH, TRUNCATION_MARK } from '../../../src/shared/events.ts';
import { $, T0, click, fixture, loadPage, naughtyStrings, start } from './harness.ts';

// Weibo has no real saved page (../shared/data/dom-snapshots/SOURCES.md): only the project's reduced fixtures.
const post1 = {
  id: 'Nx1AbCdEf',
  url: 'https://weibo.com/1000000001/Nx1AbCdEf',
  text: '《夜港》定档三月三日！#夜港定档# 预告片 网页链接',
  hashtags: ['夜港定档'],
  links: ['https://video.example.cn/yegang'],
  author: '港湾影业',
  itemIds: [{ kind: 'weibo-status', value: 'Nx1AbCdEf' }],
  lang: 'zh',
};
const feed = (): Document => loadPage(fixture('weibo/feed.html'), 'https://weibo.com/');

describe('weibo adapter, weibo.com feed', () => {
  it('赞 sends the post with its #话题#; 取消赞 (liked state) retracts', () => {
    const doc = feed();
    const r = start(weibo, doc);
    click($(doc, '#post-1 .woo-like-icon'));
    click($(doc, '#post-2 button.woo-like-main'));
    expect(r.events).toEqual([{ site: 'weibo', action: 'like', at: T0, target: post1 }]);
    expect(r.retractions).toEqual([{ site: 'weibo', action: 'like', targetId: 'Nx2ZyXwVu', at: T0 }]);
  });

  it('转发 is sent from the dialog send button or 快转, only after the post opened it', () => {
    const doc = feed();
    const r = start(weibo, doc);
    click($(doc, '#repost-send'));
    click($(doc, '#post-1 .woo-font--retweet'));
    click($(doc, '#repost-send'));
    click($(doc, '#post-1 [class*="toolbar_retweet"] span'));
    click($(doc, '#quick-repost'));
    expect(r.events.map((e) => [e.action, e.target.id])).toEqual([
      ['repost', 'Nx1AbCdEf'],
      ['repost', 'Nx1AbCdEf'],
    ]);
  });

  it('评论 from the inline composer carries the text; unrelated primary buttons send nothing', () => {
    const doc = feed();
    const r = start(weibo, doc);
    click($(doc, '#follow'));
    click($(doc, '#post-1 [class*="Composer_"] button'));
    expect(r.events).toEqual([{ site: 'weibo', action: 'comment', at: T0, target: post1, userText: '期待！' }]);
  });

  it('a post without a link or mid: no event, miss counted', () => {
    const doc = feed();
    const r = start(weibo, doc);
    click($(doc, '#post-3 button'));
    expect(r.events).toEqual([]);
    expect(r.misses).toEqual(['permalink']);
  });

  it('hostile and huge text', () => {
    const doc = feed();
    const r = start(weibo, doc);
    const text = $(doc, '#post-2 [class*="detail_wbtext"]');
    const button = $(doc, '#post-2 button');
    button.classList.remove('woo-like-liked');
    button.setAttribute('title', '赞');
    const naughty = naughtyStrings(100);
    for (const s of naughty) {
      text.textContent = s;
      click(button);
    }
    expect(r.events.map((e) => e.target.text)).toEqual(naughty);
    text.textContent = '长'.repeat(20_000);
    click(button);
    expect(r.events.at(-1)?.target.text).toBe('长'.repeat(MAX_TEXT_LENGTH) + TRUNCATION_MARK);
  });
});

describe('weibo adapter, m.weibo.cn detail page', () => {
  it('赞 on the mobile footer, id from the page URL; liked icon retracts', () => {
    const doc = loadPage(fixture('weibo/mobile-detail.html'), 'https://m.weibo.cn/detail/5100000000000001');
    const r = start(weibo, doc);
    click($(doc, '#m-like h4'));
    $(doc, '#m-like i').className = 'lite-iconf lite-iconf-liked';
    click($(doc, '#m-like'));
    expect(r.events).toEqual([
      {
        site: 'weibo',
        action: 'like',
        at: T0,
        target: {
          id: '5100000000000001',
          url: 'https://m.weibo.cn/detail/5100000000000001',
          text: '《夜港》终极预告 #夜港#',
          hashtags: ['夜港'],
          links: [],
          author: '港湾影业',
          itemIds: [{ kind: 'weibo-status', value: '5100000000000001' }],
          lang: 'zh',
        },
      },
    ]);
    expect(r.retractions).toEqual([{ site: 'weibo', action: 'like', targetId: '5100000000000001', at: T0 }]);
  });
});
