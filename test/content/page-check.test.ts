// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { missingElements } from '../../src/content/page-check.ts';
import { ADAPTERS } from '../../src/content/sites/index.ts';
import { HEALTH_ELEMENTS } from '../../src/shared/health.ts';
import type { SiteAdapter } from '../../src/content/adapter.ts';
import { SITE_IDS, type SiteId } from '../../src/shared/sites.ts';
import { HAVE_SNAPSHOTS, NO_SNAPSHOTS_REASON, fixture, loadPage, snapshot } from './sites/harness.ts';

function adapterOf(site: SiteId): SiteAdapter {
  const adapter = ADAPTERS[site];
  if (!adapter) throw new Error(`no adapter for ${site}`);
  return adapter;
}

type Case = readonly [SiteId, string, string, { page: string; missing: string[] } | undefined];

/** The project's fixtures, at the URLs their site tests use: each page shows what capture needs. */
const FIXTURES: Case[] = [
  ['x', 'x/timeline.html', 'https://x.com/home', { page: 'timeline', missing: [] }],
  ['x', 'x/status.html', 'https://x.com/FilmStudio/status/1900000000000000001', { page: 'status', missing: [] }],
  // An X Article has no tweetText: its title and body are the post's text, so nothing is missing.
  ['x', 'x/article.html', 'https://x.com/HarborPictures/status/1900000000000000077', { page: 'status', missing: [] }],
  ['x', 'x/timeline.html', 'https://x.com/settings/account', undefined],
  ['youtube', 'youtube/watch.html', 'https://www.youtube.com/watch?v=GJLlxj_dtq8', { page: 'watch', missing: [] }],
  [
    'reddit',
    'reddit/new-post.html',
    'https://www.reddit.com/r/movies/comments/abc123/night_harbor_trailer/',
    { page: 'post', missing: [] },
  ],
  ['reddit', 'reddit/old-post.html', 'https://old.reddit.com/r/TrueFilm/comments/old42/on_night_harbor/', { page: 'post', missing: [] }],
  [
    'reddit',
    'reddit/redesign-post.html',
    'https://www.reddit.com/r/movies/comments/nh2023/night_harbor_is_the_best_thriller/',
    { page: 'post', missing: [] },
  ],
  ['weibo', 'weibo/feed.html', 'https://weibo.com/', { page: 'feed', missing: [] }],
  ['weibo', 'weibo/post-page.html', 'https://weibo.com/1000000001/Nx1AbCdEf', { page: 'post', missing: [] }],
  ['weibo', 'weibo/mobile-detail.html', 'https://m.weibo.cn/detail/5100000000000001', { page: 'post', missing: [] }],
  ['bilibili', 'bilibili/video.html', 'https://www.bilibili.com/video/BV1xx411c7mD/', { page: 'video', missing: [] }],
  ['bilibili', 'bilibili/bangumi.html', 'https://www.bilibili.com/bangumi/play/ep900010', { page: 'bangumi', missing: [] }],
  ['bilibili', 'bilibili/dynamics.html', 'https://t.bilibili.com/', { page: 'dynamics', missing: [] }],
  ['douban', 'douban/subject-logged-in.html', 'https://movie.douban.com/subject/90000001/', { page: 'subject', missing: [] }],
];

describe('page checks (site health that sees the page)', () => {
  it.each(FIXTURES)('%s %s at %s', (site, file, url, expected) => {
    expect(missingElements(adapterOf(site), loadPage(fixture(file), url))).toEqual(expected);
  });

  it('names only elements people have words for, and only selectors the adapter has', () => {
    for (const site of SITE_IDS) {
      const adapter = adapterOf(site);
      expect(adapter.expects, site).toBeDefined();
      for (const url of FIXTURES.filter(([s]) => s === site).map(([, , u]) => u)) {
        const expectation = adapter.expects?.(new URL(url));
        for (const [element, names] of Object.entries(expectation?.elements ?? {})) {
          expect(HEALTH_ELEMENTS).toContain(element);
          for (const name of (names ?? []).filter((n) => typeof n === 'string'))
            expect(Object.keys(adapter.selectors), `${site} ${name}`).toContain(name);
        }
      }
    }
  });

  it('sees what a changed page lost: a watch page without its like button, a status page without its post text', () => {
    const watch = loadPage(fixture('youtube/watch.html'), 'https://www.youtube.com/watch?v=GJLlxj_dtq8');
    for (const el of watch.querySelectorAll('like-button-view-model, #segmented-like-button, #like-button')) el.remove();
    expect(missingElements(adapterOf('youtube'), watch)).toEqual({ page: 'watch', missing: ['like'] });

    const status = loadPage(fixture('x/status.html'), 'https://x.com/FilmStudio/status/1900000000000000001');
    for (const el of status.querySelectorAll('[data-testid="tweetText"]')) el.remove();
    expect(missingElements(adapterOf('x'), status)).toEqual({ page: 'status', missing: ['postText'] });
  });
});

/**
 * The real saved pages: what a page check finds on each. A saved page is the server's HTML: what the
 * site renders later (YouTube's buttons) or in shadow roots (shreddit's vote buttons) is not in the
 * file, so the check rightly reports it missing there; the live page has it by the time it settles.
 */
const SNAPSHOT_CASES: Case[] = [
  ['x', 'x/tweetyoink-x-tweet-sample.html', 'https://x.com/someone/status/1', { page: 'status', missing: [] }],
  // The title from the head microdata; the like button is rendered by script, after the saved HTML.
  [
    'youtube',
    'youtube/ytta-watch-GJLlxj_dtq8-2025-02.html',
    'https://www.youtube.com/watch?v=GJLlxj_dtq8',
    { page: 'watch', missing: ['like'] },
  ],
  [
    'youtube',
    'youtube/ytta-watch-GJLlxj_dtq8-2022-03.html',
    'https://www.youtube.com/watch?v=GJLlxj_dtq8',
    { page: 'watch', missing: ['like'] },
  ],
  // 2016 layout (#eow-title, no microdata name): neither is where today's adapter looks, and health says so.
  [
    'youtube',
    'youtube/postlight-youtube-watch-old-layout-2016-12.html',
    'https://www.youtube.com/watch?v=srtMWzyqdp8',
    { page: 'watch', missing: ['like', 'title'] },
  ],
  // Shadow roots are not saved: the post's vote buttons are not in the file.
  [
    'reddit',
    'reddit/magichtml-www.reddit.com-shreddit-post-1cqcfkk-2024-05.html',
    'https://www.reddit.com/r/Boomers/comments/1cqcfkk/x/',
    { page: 'post', missing: ['like'] },
  ],
  [
    'reddit',
    'reddit/postlight-www.reddit.com-redesign-post-title-only-2022-11.html',
    'https://www.reddit.com/r/AskReddit/comments/yu1zqc/x/',
    { page: 'post', missing: [] },
  ],
  [
    'weibo',
    'weibo/nonebotbison-m.weibo.cn-detail-4645748019299849-2022-04.html',
    'https://m.weibo.cn/detail/4645748019299849',
    { page: 'post', missing: [] },
  ],
  [
    'bilibili',
    'bilibili/bilibiliold-www.bilibili.com-video-av50619577-2019.html',
    'https://www.bilibili.com/video/av50619577/',
    { page: 'video', missing: [] },
  ],
  [
    'douban',
    'douban/boofilsic-movie.douban.com-subject-3541415.html',
    'https://movie.douban.com/subject/3541415/',
    { page: 'subject', missing: [] },
  ],
  [
    'douban',
    'douban/neodb-movie.douban.com-subject-1920763-2024-07.html',
    'https://movie.douban.com/subject/1920763/',
    { page: 'subject', missing: [] },
  ],
  [
    'douban',
    'douban/magichtml-movie.douban.com-subject-36151693-comments-2024-04.html',
    'https://movie.douban.com/subject/36151693/comments?status=P',
    { page: 'comments', missing: [] },
  ],
  // A music subject is not a film page: nothing is checked there.
  ['douban', 'douban/neodb-music.douban.com-subject-1401362-2026-04.html', 'https://music.douban.com/subject/1401362/', undefined],
];

describe.skipIf(!HAVE_SNAPSHOTS)(
  `page checks on real pages (${HAVE_SNAPSHOTS ? '../shared/data/dom-snapshots' : NO_SNAPSHOTS_REASON})`,
  () => {
    it.each(SNAPSHOT_CASES)('%s %s', (site, file, url, expected) => {
      expect(missingElements(adapterOf(site), loadPage(snapshot(file), url))).toEqual(expected);
    });
  },
);
