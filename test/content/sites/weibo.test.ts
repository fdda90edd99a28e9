// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import weibo from '../../../src/content/sites/weibo.ts';
import { MAX_TEXT_LENGTH, TRUNCATION_MARK } from '../../../src/shared/events.ts';
import { $, HAVE_SNAPSHOTS, NO_SNAPSHOTS_REASON, T0, click, fixture, loadPage, naughtyStrings, snapshot, start } from './harness.ts';

// No weibo.com page was ever saved (../shared/data/dom-snapshots/SOURCES.md): the desktop site has only the
// project's reduced fixtures; m.weibo.cn has two real server pages (2022).
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

describe('weibo adapter, weibo.com post page (composer below the post)', () => {
  const postPage = (): Document => loadPage(fixture('weibo/post-page.html'), 'https://weibo.com/1000000001/Nx1AbCdEf');

  it('评论 from the composer outside the article replies to the page post; its send button is Composer_btn_*', () => {
    const doc = postPage();
    const r = start(weibo, doc);
    click($(doc, '#send .woo-button-content'));
    click($(doc, '#follow'));
    expect(r.events).toEqual([{ site: 'weibo', action: 'comment', at: T0, target: post1, userText: '终于定档了' }]);
    expect(r.misses).toEqual([]);
  });

  it('an empty composer sends nothing; 赞 on the post still works', () => {
    const doc = postPage();
    (doc.querySelector('textarea') as HTMLTextAreaElement).value = '  ';
    const r = start(weibo, doc);
    click($(doc, '#send'));
    click($(doc, '#post button.woo-like-main'));
    expect(r.events).toEqual([{ site: 'weibo', action: 'like', at: T0, target: post1 }]);
  });

  it('a composer on a page whose post is not found: no event, miss counted', () => {
    const doc = loadPage(fixture('weibo/post-page.html'), 'https://weibo.com/1000000001/Nx1AbCdEf');
    $(doc, '#post').remove();
    const r = start(weibo, doc);
    click($(doc, '#send'));
    expect(r.events).toEqual([]);
    expect(r.misses).toEqual(['post']);
  });
});

describe.skipIf(!HAVE_SNAPSHOTS)(
  `weibo adapter on real m.weibo.cn server pages (${HAVE_SNAPSHOTS ? 'nonebotbison 2022-04' : NO_SNAPSHOTS_REASON})`,
  () => {
    const ARKNIGHTS_0608 =
      '#明日方舟# #音律联觉#\n2021明日方舟音律联觉Ambience Synesthesia专场演出官方录播将于6月12日10:30正式上线，本次录播为大会员专享，相关信息可关注 网页链接\n\n' +
      '一、音律联觉原声EP将于2021年6月12日正式上架塞壬唱片官网及网易云音乐，敬请期待。\n【歌曲列表】\n1. CanNot Wait For\n2. ManiFesto:\n3. 灯华梦踏\n4. 前航远歌\n\n' +
      '二、【明日方舟·音律联觉】BILIBILI个性装扮套装即将上线，相关信息可关注明日方舟BILIBILI官方账号。\n\n' +
      '三、明日方舟音律联觉主题黑胶礼盒现已上架，详情可关注“明日方舟朝陇山”。\n\n' +
      '关注并转发本条微博，我们将通过@微博抽奖平台 抽取十位博士送出【音律联觉主题黑胶礼盒各一套】，将于6月12日开奖。\n' +
      '开奖后奖品会在出货后寄出。 明日方舟Arknights的微博视频 抽奖详情';
    const page = (mid: string): Document =>
      loadPage(snapshot(`weibo/nonebotbison-m.weibo.cn-detail-${mid}-2022-04.html`), `https://m.weibo.cn/detail/${mid}`);

    it('赞 in the f-footer-ctrl footer sends the post read from $render_data (text, topics, unwrapped link, both ids)', () => {
      const doc = page('4645748019299849');
      const r = start(weibo, doc);
      const [forward, comment, like] = [...(doc.querySelector('footer.f-footer-ctrl')?.querySelectorAll('.m-diy-btn') ?? [])];
      click(forward as Element); // opens the repost page: nothing yet
      click(comment as Element); // opens the comment page: nothing
      click((like as Element).querySelector('h4') as Element);
      expect(r.events).toEqual([
        {
          site: 'weibo',
          action: 'like',
          at: T0,
          target: {
            id: '4645748019299849',
            url: 'https://m.weibo.cn/detail/4645748019299849',
            text: ARKNIGHTS_0608,
            hashtags: ['明日方舟', '音律联觉'],
            links: ['http://mrfz.biligame.com/yllj/'],
            author: '明日方舟Arknights',
            itemIds: [
              { kind: 'weibo-status', value: '4645748019299849' },
              { kind: 'weibo-status', value: 'Kjc77D1jz' },
            ],
            lang: 'zh',
          },
        },
      ]);
      expect(r.misses).toEqual([]);
    });

    it('the liked icon (m-icon-liked, as the page renders it after a like) retracts', () => {
      const doc = page('4649031014551911');
      const r = start(weibo, doc);
      const icon = $(doc, 'footer.f-footer-ctrl i.m-icon-like');
      icon.className = 'm-icon m-icon-liked';
      click(icon);
      expect(r.events).toEqual([]);
      expect(r.retractions).toEqual([{ site: 'weibo', action: 'like', targetId: '4649031014551911', at: T0 }]);
    });

    it('every footer button of the four skeleton cards: one like per card, all of the page post, nothing else', () => {
      const doc = page('4649031014551911');
      const r = start(weibo, doc);
      const buttons = [...doc.querySelectorAll('.m-diy-btn')];
      expect(buttons).toHaveLength(12);
      for (const button of buttons) click(button);
      expect(r.events.map((e) => [e.action, e.target.id, e.target.itemIds.map((i) => i.value)])).toEqual(
        Array.from({ length: 4 }, () => ['like', '4649031014551911', ['4649031014551911', 'Kkzwhj69V']]),
      );
      expect(r.events[0]?.target).toMatchObject({ author: '明日方舟Arknights', hashtags: ['明日方舟'], links: [] });
      expect(r.events[0]?.target.text).toMatch(/^#明日方舟# 06月17日16:00闪断更新公告 \n\n感谢您对《明日方舟》的关注与支持。/);
      expect(r.events[0]?.target.text).not.toMatch(/[<>]/);
    });

    it('$render_data of another post is not used: the skeleton then gives no text', () => {
      const doc = loadPage(
        snapshot('weibo/nonebotbison-m.weibo.cn-detail-4645748019299849-2022-04.html'),
        'https://m.weibo.cn/detail/4649031014551911',
      );
      const r = start(weibo, doc);
      click($(doc, '.m-diy-btn:has(i.m-icon-like)'));
      expect(r.events[0]?.target).toMatchObject({
        id: '4649031014551911',
        text: '',
        hashtags: [],
        itemIds: [{ kind: 'weibo-status', value: '4649031014551911' }],
      });
      expect(r.events[0]?.target.author).toBeUndefined();
    });
  },
);
