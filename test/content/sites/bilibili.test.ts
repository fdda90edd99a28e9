// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import bilibili, { bvOfAv } from '../../../src/content/sites/bilibili.ts';
import { MAX_TEXT_LENGTH, TRUNCATION_MARK } from '../../../src/shared/events.ts';
import { $, HAVE_SNAPSHOTS, NO_SNAPSHOTS_REASON, T0, click, fixture, loadPage, naughtyStrings, snapshot, start } from './harness.ts';

// The only real Bilibili page saved is a 2019 video page (../shared/data/dom-snapshots/SOURCES.md); the
// 2023+ layouts have the project's reduced fixtures only.
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

describe('bilibili adapter, bangumi episode and season pages (reduced fixture)', () => {
  it('an episode page: the ep id, the media id of the title link, the media title', () => {
    const doc = loadPage(fixture('bilibili/bangumi.html'), 'https://www.bilibili.com/bangumi/play/ep900010?from_spmid=666.4');
    const r = start(bilibili, doc);
    click($(doc, '.toolbar-left .like span'));
    expect(r.events).toEqual([
      {
        site: 'bilibili',
        action: 'like',
        at: T0,
        target: {
          id: 'ep900010',
          url: 'https://www.bilibili.com/bangumi/play/ep900010',
          title: '夜港：第一季',
          text: '夜港：第一季',
          hashtags: [],
          links: [],
          itemIds: [{ kind: 'bilibili-media', value: '90001' }],
          lang: 'zh',
        },
      },
    ]);
  });

  it('a season page: the season id from the URL beside the media id', () => {
    const doc = loadPage(fixture('bilibili/bangumi.html'), 'https://www.bilibili.com/bangumi/play/ss5001');
    const r = start(bilibili, doc);
    click($(doc, '.toolbar-left .like'));
    expect(r.events[0]?.target).toMatchObject({
      id: 'ss5001',
      itemIds: [
        { kind: 'bilibili-season', value: '5001' },
        { kind: 'bilibili-media', value: '90001' },
      ],
    });
  });
});

describe('bilibili av numbers', () => {
  it.each([
    ['2', 'BV1xx411c7mD'],
    ['170001', 'BV17x411w7KC'],
  ])('av%s is %s (pairs Bilibili publishes)', (aid, bv) => {
    expect(bvOfAv(aid)).toBe(bv);
  });

  it('refuses numbers outside the mapping', () => {
    expect(bvOfAv('0')).toBeUndefined();
    expect(bvOfAv(String(2 ** 52))).toBeUndefined();
  });
});

describe.skipIf(!HAVE_SNAPSHOTS)(
  `bilibili adapter on the real 2019 video page (${HAVE_SNAPSHOTS ? 'Bilibili-Old 2019' : NO_SNAPSHOTS_REASON})`,
  () => {
    it('点赞 on /video/av50619577: the BV id, title, tags, uploader and description links; 投币/收藏/分享 only open dialogs', () => {
      const doc = loadPage(
        snapshot('bilibili/bilibiliold-www.bilibili.com-video-av50619577-2019.html'),
        'https://www.bilibili.com/video/av50619577/',
      );
      const r = start(bilibili, doc);
      for (const el of doc.querySelectorAll('#arc_toolbar_report .ops > span')) click(el);
      expect(r.events).toHaveLength(1);
      const target = r.events[0]?.target;
      expect(target).toEqual({
        id: 'BV1w4411b7ph',
        url: 'https://www.bilibili.com/video/BV1w4411b7ph/',
        title: '【3D东方】Brambly Boundaries',
        text: target?.text,
        hashtags: ['东方PROJECT', '古明地恋', 'minusT', '博丽灵梦', '3D东方', '东方地灵殿', '东方', 'Blender'],
        links: ['http://acg.tv/sm35033041', 'http://acg.tv/sm27531363', 'http://acg.tv/sm23504792', 'http://acg.tv/sm31387040'],
        author: '伊吹小秋',
        itemIds: [{ kind: 'bilibili-bv', value: 'BV1w4411b7ph' }],
        lang: 'zh',
      });
      expect(
        target?.text.startsWith(
          '【3D东方】Brambly Boundaries\nhttps://youtu.be/KjJMWj6BYhY sm35033041 作者：minusT 前作→av10021507 简介：',
        ),
      ).toBe(true);
      expect(target?.text.endsWith('*** 原作 东方Project 东方地灵殿 〜 Subterranean Animism. (上海爱丽丝幻乐团)')).toBe(true);
      expect(r.misses).toEqual([]);
    });
  },
);
