// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import bilibili from '../../../src/content/sites/bilibili.ts';
import { MAX_TEXT_LENGTH, TRUNCATION_MARK } from '../../../src/shared/events.ts';
import { $, T0, click, fixture, loadPage, naughtyStrings, start } from './harness.ts';

// Bilibili has no real saved page (../shared/data/dom-snapshots/SOURCES.md): only the project's reduced fixtures.
const video = {
  id: 'BV1xx411c7mD',
  url: 'https://www.bilibili.com/video/BV1xx411c7mD/',
  title: '【夜港】终极预告 3月3日上映',
  text: '【夜港】终极预告 3月3日上映\n导演剪辑版预告。#夜港 官网 yegang.example.cn',
  hashtags: ['夜港', '电影预告'],
  links: ['https://yegang.example.cn/'],
  author: '港湾影业官方',
  itemIds: [{ kind: 'bilibili-bv', value: 'BV1xx411c7mD' }],
  lang: 'zh',
};
const videoPage = (): Document =>
  loadPage(fixture('bilibili/video.html'), 'https://www.bilibili.com/video/BV1xx411c7mD/?spm_id_from=333.1007');

describe('bilibili adapter, video page', () => {
  it('点赞 sends the video; 取消 (class on) retracts', () => {
    const doc = videoPage();
    const r = start(bilibili, doc);
    const like = $(doc, '.video-like');
    click($(doc, '.video-like-icon'));
    like.classList.add('on');
    click(like);
    expect(r.events).toEqual([{ site: 'bilibili', action: 'like', at: T0, target: video }]);
    expect(r.retractions).toEqual([{ site: 'bilibili', action: 'like', targetId: 'BV1xx411c7mD', at: T0 }]);
  });

  it('投币 and 收藏 are sent on their dialog confirm, not on the toolbar click', () => {
    const doc = videoPage();
    const r = start(bilibili, doc);
    click($(doc, '.video-coin'));
    click($(doc, '.video-fav'));
    expect(r.events).toEqual([]);
    click($(doc, '#coin-ok'));
    click($(doc, '#fav-ok'));
    expect(r.events.map((e) => [e.action, e.target.id])).toEqual([
      ['coin', 'BV1xx411c7mD'],
      ['bookmark', 'BV1xx411c7mD'],
    ]);
  });

  it('分享 on a popover choice', () => {
    const doc = videoPage();
    const r = start(bilibili, doc);
    click($(doc, '.video-share'));
    click($(doc, '.copy-link'));
    expect(r.events.map((e) => e.action)).toEqual(['share']);
  });

  it('评论 from the comment web component (nested shadow roots)', () => {
    const doc = videoPage();
    const r = start(bilibili, doc);
    click($(doc, '#pub-btn'));
    expect(r.events).toEqual([{ site: 'bilibili', action: 'comment', at: T0, target: video, userText: '好期待' }]);
  });

  it('a page that is not a video or bangumi: no event, miss counted', () => {
    const doc = loadPage(fixture('bilibili/video.html'), 'https://www.bilibili.com/');
    const r = start(bilibili, doc);
    click($(doc, '.video-like'));
    expect(r.events).toEqual([]);
    expect(r.misses).toEqual(['page']);
  });

  it('bangumi pages carry the season id', () => {
    const doc = loadPage(fixture('bilibili/video.html'), 'https://www.bilibili.com/bangumi/play/ss12345');
    const r = start(bilibili, doc);
    click($(doc, '.video-like'));
    expect(r.events[0]?.target).toMatchObject({
      id: 'ss12345',
      url: 'https://www.bilibili.com/bangumi/play/ss12345',
      itemIds: [{ kind: 'bilibili-season', value: '12345' }],
    });
  });

  it('hostile and huge titles', () => {
    const doc = videoPage();
    const r = start(bilibili, doc);
    const title = $(doc, 'h1.video-title');
    const naughty = naughtyStrings(100);
    for (const s of naughty) {
      title.setAttribute('title', s);
      click($(doc, '.video-like'));
    }
    expect(r.events.map((e) => e.target.title)).toEqual(naughty);
    title.setAttribute('title', '长'.repeat(9000));
    click($(doc, '.video-like'));
    expect(r.events.at(-1)?.target.text.length).toBe(MAX_TEXT_LENGTH + TRUNCATION_MARK.length);
  });
});

describe('bilibili adapter, dynamics (t.bilibili.com)', () => {
  it('点赞 / 取消 on a dynamic, forward sent as share on the forward box send', () => {
    const doc = loadPage(fixture('bilibili/dynamics.html'), 'https://t.bilibili.com/');
    const r = start(bilibili, doc);
    click($(doc, '#dyn-1 .bili-dyn-action.like'));
    click($(doc, '#dyn-2 .bili-dyn-action.like'));
    click($(doc, '#dyn-1 .bili-dyn-action.forward'));
    click($(doc, '#forward-send'));
    click($(doc, '#dyn-3 .bili-dyn-action.like'));
    const target = {
      id: '987654321012345678',
      url: 'https://t.bilibili.com/987654321012345678',
      text: '#夜港# 终极预告来了',
      hashtags: ['夜港'],
      links: [],
      author: '港湾影业官方',
      itemIds: [{ kind: 'bilibili-bv', value: 'BV1xx411c7mD' }],
      lang: 'zh',
    };
    expect(r.events).toEqual([
      { site: 'bilibili', action: 'like', at: T0, target },
      { site: 'bilibili', action: 'share', at: T0, target },
    ]);
    expect(r.retractions).toEqual([{ site: 'bilibili', action: 'like', targetId: '987654321012345679', at: T0 }]);
    expect(r.misses).toEqual(['dynLink']);
  });
});
