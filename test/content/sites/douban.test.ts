// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import douban from '../../../src/content/sites/douban.ts';
import * as v from 'valibot';
import { CapturedEventSchema, MAX_TEXT_LENGTH, TRUNCATION_MARK, type SubjectFacts } from '../../../src/shared/events.ts';
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
  facts: {
    names: ['夜港', 'Night Harbor'],
    aliases: [{ name: '夜之港', region: '港' }, { name: '夜港風雲', region: '台' }, { name: 'Night Port' }],
    year: 2025,
    kind: 'film',
    genres: ['剧情', '悬疑'],
    directors: ['林海'],
    cast: ['周青', '陈默', 'Ann Lee', '王一', '赵二'],
    regions: ['中国大陆', '中国香港'],
    languages: ['汉语普通话', '粤语'],
    imdb: 'tt9000001',
    related: [
      { id: '90000002', name: '雾港' },
      { id: '90000003', name: '长夜将尽：港口往事特别篇' },
    ],
  },
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

  it('想看 without rating or comment sends only wish, carrying the subject facts; the genres are never hashtags', () => {
    const doc = page();
    (doc.querySelector('input[value="wish"]') as HTMLInputElement).checked = true;
    (doc.querySelector('input[name="rating"]') as HTMLInputElement).value = '';
    (doc.querySelector('textarea') as HTMLTextAreaElement).value = '';
    const r = start(douban, doc);
    click($(doc, 'a[name="pbtn-90000001-wish"]')); // opens the form
    submit($(doc, 'form'));
    expect(r.events).toEqual([{ site: 'douban', action: 'wish', at: T0, target: subject }]);
    expect(r.events[0]?.target.hashtags).toEqual([]);
    expect(v.safeParse(CapturedEventSchema, r.events[0]).success).toBe(true);
    expect(r.misses).toEqual([]);
  });

  it('a field the page lacks is absent, not guessed; a missing info block is a health miss', () => {
    const doc = page();
    for (const line of ['IMDb', '又名', '语言']) {
      const label = [...doc.querySelectorAll('#info .pl')].find((el) => el.textContent?.startsWith(line)) as Element;
      while (label.nextSibling && label.nextSibling.nodeName !== 'BR') label.nextSibling.remove();
      label.remove();
    }
    $(doc, '#recommendations').remove();
    let r = start(douban, doc);
    click($(doc, 'a.lnk-sharing'));
    const { imdb: _i, aliases: _a, languages: _l, related: _r, ...rest } = subject.facts;
    expect(r.events[0]?.target.facts).toEqual(rest);
    expect(r.misses).toEqual([]);
    r.controller.abort();
    $(doc, '#info').remove();
    r = start(douban, doc);
    click($(doc, 'a.lnk-sharing'));
    // The names and year are in the heading; everything the info block said (genres included) is gone.
    expect(r.events[0]?.target.facts).toEqual({ names: ['夜港', 'Night Harbor'], year: 2025 });
    expect(r.misses).toEqual(['info']);
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
          facts: subject.facts,
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
          facts: subject.facts,
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

/** What each saved subject page says of its subject (read off the pages by hand: #info, RDFa, #recommendations). */
const REAL_FACTS: Readonly<Record<string, { file: string; title: string; facts: SubjectFacts }>> = {
  '3541415': {
    file: 'boofilsic-movie.douban.com-subject-3541415.html',
    title: '盗梦空间 Inception (2010)',
    facts: {
      names: ['盗梦空间', 'Inception'],
      aliases: [
        { name: '潜行凶间', region: '港' },
        { name: '全面启动', region: '台' },
        { name: '奠基' },
        { name: '心灵犯案' },
        { name: '记忆迷阵' },
        { name: '记忆魔方' },
      ],
      year: 2010,
      kind: 'film',
      genres: ['剧情', '科幻', '悬疑', '冒险'],
      directors: ['克里斯托弗·诺兰'],
      cast: ['莱昂纳多·迪卡普里奥', '约瑟夫·高登-莱维特', '艾利奥特·佩吉', '汤姆·哈迪', '渡边谦'],
      regions: ['美国', '英国'],
      languages: ['英语', '日语', '法语'],
      imdb: 'tt1375666',
      related: [
        { id: '1780330', name: '致命魔术' },
        { id: '1291843', name: '黑客帝国' },
        { id: '3075287', name: '源代码' },
        { id: '1292343', name: '蝴蝶效应' },
        { id: '1652587', name: '阿凡达' },
        { id: '1889243', name: '星际穿越' },
        { id: '2334904', name: '禁闭岛' },
        { id: '1304447', name: '记忆碎片' },
        { id: '26580232', name: '看不见的客人' },
        { id: '4920389', name: '头号玩家' },
      ],
    },
  },
  '26895436': {
    file: 'boofilsic-movie.douban.com-subject-26895436.html',
    title: '北海鲸梦 The North Water (2021)',
    facts: {
      names: ['北海鲸梦', 'The North Water'],
      aliases: [{ name: '北方海域' }, { name: '北海鲸魂' }],
      year: 2021,
      kind: 'series',
      genres: ['剧情', '悬疑'],
      directors: ['安德鲁·海格'],
      cast: ['杰克·奥康奈尔', '科林·法瑞尔', '斯蒂芬·格拉汉姆', '乔纳森·阿里斯', '彼得·穆兰'],
      regions: ['英国'],
      languages: ['英语'],
      episodes: 5,
      imdb: 'tt7660970',
      related: [
        { id: '35205166', name: '警与囚 第一季' },
        { id: '34890017', name: '流人 第一季' },
        { id: '34953711', name: '不眠 第一季' },
        { id: '30267255', name: '疼痛难免' },
        { id: '25905650', name: '禁忌 第一季' },
        { id: '34802221', name: '弃之不理' },
        { id: '35088783', name: '真相捕捉 第二季' },
        { id: '35289232', name: '生命不息' },
        { id: '34800586', name: '问答' },
        { id: '35352606', name: '失魂舍伍德 第一季' },
      ],
    },
  },
  '3627919': {
    file: 'boofilsic-movie.douban.com-subject-3627919.html',
    title: '神秘博士  第四季 Doctor Who Season 4 (2008)', // two spaces, as on the page; the facts' names collapse them
    facts: {
      names: ['神秘博士 第四季', 'Doctor Who Season 4'],
      aliases: [{ name: '异世奇人 第四季' }, { name: '哪一位博士 第四季' }, { name: '下一位博士 第四季' }, { name: 'Dr. Who Season 4' }],
      year: 2008,
      kind: 'series',
      genres: ['剧情', '科幻', '家庭', '冒险'],
      // Graeme Harper is listed twice on the page.
      directors: ['James Strong', 'Colin Teague', 'Graeme Harper', 'Douglas Mackinnon', 'Alice Troughton', 'Euros Lyn'],
      cast: ['大卫·田纳特', '凯瑟琳·塔特', '比莉·派佩', '莎拉·兰卡夏尔', '伯纳德·克理宾斯'],
      regions: ['英国'],
      languages: ['英语'],
      episodes: 13,
      imdb: 'tt1159991',
      related: [
        { id: '11620503', name: '百万英镑生活秀' },
        { id: '3831320', name: '火炬木小组 第三季' },
        { id: '6804002', name: '神秘博士：空间和时间' },
        { id: '2084251', name: '卡萨诺瓦' },
        { id: '11639220', name: '今夜博士不眠' },
        { id: '1762497', name: '神秘博士 第一季' },
        { id: '19944303', name: '政客之夫' },
        { id: '2356832', name: '接管疯人院 第一季' },
        { id: '25704442', name: '神秘博士：博士再访' },
        { id: '1996316', name: '火星生活 第一季' },
      ],
    },
  },
  '4296866': {
    file: 'boofilsic-movie.douban.com-subject-4296866.html',
    title: '神秘博士：逃跑新娘 Doctor Who: The Runaway Bride (2006)',
    facts: {
      names: ['神秘博士：逃跑新娘', 'Doctor Who: The Runaway Bride'],
      aliases: [{ name: '神秘博士：2006圣诞特别篇' }],
      year: 2006,
      kind: 'film', // a TV special the page lists with 片长 and 上映日期, and 喜欢这部电影的人也喜欢
      genres: ['剧情', '喜剧', '科幻', '奇幻', '冒险'],
      directors: ['尤洛斯·林'],
      cast: ['大卫·田纳特', '凯瑟琳·塔特', '莎拉·帕里什', 'Don Gilet', 'Howard Attfield'],
      regions: ['英国'],
      languages: ['英语'],
      imdb: 'tt0827573',
      related: [
        { id: '4296852', name: '神秘博士：圣诞入侵' },
        { id: '4296871', name: '神秘博士：诅咒之旅' },
        { id: '24901000', name: '神秘博士：博士之时' },
        { id: '23338330', name: '博士之日' },
        // The caption reads "曾有两次：《神秘博士》2017..."; the poster's alt has the whole name.
        { id: '27064700', name: '曾有两次：《神秘博士》2017圣诞特别篇' },
        { id: '26883072', name: '神秘博士归来' },
        { id: '25778408', name: '伟大的侦探' },
        { id: '25777719', name: '五位(还嫌少)博士重启' },
        { id: '5500594', name: '凯特秀之奶奶的圣诞颂歌' },
        { id: '26673954', name: '雨神' },
      ],
    },
  },
  '1920763': {
    file: 'neodb-movie.douban.com-subject-1920763-2024-07.html',
    title: '太空堡垒卡拉狄加 Battlestar Galactica (2003)',
    facts: {
      names: ['太空堡垒卡拉狄加', 'Battlestar Galactica'],
      aliases: [{ name: '太空堡垒卡拉狄加 电视迷你剧' }, { name: '太空战星' }],
      year: 2003,
      kind: 'series',
      genres: ['剧情', '科幻', '战争'],
      directors: ['Michael Rymer'],
      cast: ['Edward James Olmos', 'Mary McDonnell', 'Katee Sackhoff', 'Jamie Bamber', 'James Callis'],
      regions: ['美国', '加拿大'],
      languages: ['英语'],
      episodes: 2,
      imdb: 'tt0314979',
      related: [
        { id: '3581476', name: '太空堡垒卡拉狄加 第一季' },
        { id: '3364829', name: '太空堡垒卡拉狄加：敌人的面孔' },
        { id: '1462550', name: '萤火虫' },
        { id: '27025029', name: '苍穹浩瀚 第三季' },
        { id: '1427599', name: '星际之门 SG-1 第一季' },
        { id: '1422890', name: '星际之门：亚特兰蒂斯 第一季' },
        { id: '1782241', name: '巴比伦5号 第一季' },
        { id: '1859528', name: '星际旅行：深空九号 第一季' },
        { id: '1308679', name: '幽浮入侵' },
        { id: '1949822', name: '星际旅行：重返地球 第一季' },
      ],
    },
  },
};

describe.skipIf(!HAVE_SNAPSHOTS)(
  `douban adapter on real subject pages (${HAVE_SNAPSHOTS ? 'boofilsic 2022-12, neodb 2024-07' : NO_SNAPSHOTS_REASON})`,
  () => {
    const subjectPage = (id: string): Document =>
      loadPage(snapshot(`douban/${REAL_FACTS[id]?.file ?? ''}`), `https://movie.douban.com/subject/${id}/`);

    it.each(Object.keys(REAL_FACTS))('subject %s, logged out: login-prompt buttons send nothing and count no miss', (id) => {
      const doc = subjectPage(id);
      const r = start(douban, doc);
      for (const el of doc.querySelectorAll('#interest_sect_level a, #rating a, a.lnk-sharing, .comment-vote a')) click(el);
      expect(r.events).toEqual([]);
      expect(r.misses).toEqual([]);
    });

    it.each(Object.entries(REAL_FACTS))('subject %s: a logged-in 推荐 and 有用 carry every fact the page shows', (id, expected) => {
      const doc = subjectPage(id);
      for (const el of doc.querySelectorAll('.a_show_login')) el.classList.remove('a_show_login'); // as the logged-in page renders them
      const r = start(douban, doc);
      click($(doc, 'a.lnk-sharing'));
      click($(doc, '.comment-vote a'));
      expect(r.events.map((e) => e.action)).toEqual(['recommend', 'helpful']);
      const [recommend, helpful] = r.events;
      expect(recommend?.target).toEqual({
        id,
        url: `https://movie.douban.com/subject/${id}/`,
        title: expected.title,
        text: recommend?.target.text,
        hashtags: [], // the genres are facts, never hashtags
        links: [],
        itemIds: [{ kind: 'douban-subject', value: id }],
        lang: 'zh',
        facts: expected.facts,
      });
      expect(recommend?.target.text.length).toBeGreaterThan(20); // the synopsis head
      expect(helpful?.target).toMatchObject({
        title: expected.title,
        itemIds: [{ kind: 'douban-subject', value: id }],
        facts: expected.facts,
      });
      for (const event of r.events) expect(v.safeParse(CapturedEventSchema, event).issues).toBeUndefined();
      expect(r.misses).toEqual([]);
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
      // The 短评 page's summary box says less than the subject page: what it says is kept, nothing more.
      const facts = {
        names: ['不够善良的我们'],
        year: 2024,
        kind: 'series',
        genres: ['剧情'],
        directors: ['徐誉庭'],
        cast: ['林依晨', '许玮甯', '贺军翔', '柯震东', '路斯明'],
        regions: ['中国台湾'],
      };
      for (const event of r.events) expect(event.target).toMatchObject({ title: '不够善良的我们', facts });
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
