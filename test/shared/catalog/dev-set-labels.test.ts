import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRecords } from '../../../scripts/movielens.ts';
import {
  DOUBAN_REVIEWS_DIR,
  NAME_KINDS,
  NAME_VIAS,
  loadDevPosts,
  loadDoubanReviews,
  type DevName,
  type DevPost,
} from '../../fixtures/catalog/dev-set-loader.ts';

// The hand-labelled dev sets are only useful if every label can be found again in its text:
// these checks keep them honest as they grow (labels: test/fixtures/catalog/*.json).

function checkNames(where: string, names: DevName[], traps: string[], haystack: (n: DevName) => string): void {
  for (const n of names) {
    expect(haystack(n), `${where}: span "${n.span}"`).toContain(n.span);
    expect(n.title.trim(), `${where}: title of "${n.span}"`).not.toBe('');
    expect(NAME_KINDS, `${where}: kind of "${n.span}"`).toContain(n.kind);
    if (n.year !== undefined) expect(n.year, `${where}: year of "${n.span}"`).toBeGreaterThanOrEqual(1890);
    expect(traps, `${where}: "${n.span}" is both a name and a trap`).not.toContain(n.span);
  }
  expect(new Set(traps).size, `${where}: repeated trap`).toBe(traps.length);
}

function countBy<T>(xs: T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

describe('csvRecords', () => {
  it('keeps commas, doubled quotes and line breaks inside quoted fields, and CRLF rows', () => {
    expect(csvRecords('a,b\r\n"x, y","say ""hi""\nthen"\r\n3,\r\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthen'],
      ['3', ''],
    ]);
  });
});

const douban = loadDoubanReviews();

describe('loadDoubanReviews', () => {
  it('says why it skipped when the shared data folder is absent', () => {
    const absent = loadDoubanReviews(join(tmpdir(), 'reelflow-no-such-folder'));
    expect(absent.skipped).toMatch(/absent/u);
    expect(absent.items).toEqual([]);
  });

  it.skipIf(douban.skipped !== undefined)('refuses a review whose text changed, naming its key', () => {
    // A changed copy in a temporary folder, removed at once: the research-only texts never enter the repo.
    const dir = mkdtempSync(join(tmpdir(), 'reelflow-douban-'));
    try {
      const [header, first, ...rest] = readFileSync(join(DOUBAN_REVIEWS_DIR, 'reviews.csv'), 'utf8').split('\r\n');
      writeFileSync(join(dir, 'reviews.csv'), [header, `${first}!`, ...rest].join('\r\n'));
      writeFileSync(join(dir, 'movies.csv'), readFileSync(join(DOUBAN_REVIEWS_DIR, 'movies.csv')));
      const key = douban.items[0]?.key ?? '';
      expect(() => loadDoubanReviews(dir)).toThrow(key);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(douban.skipped !== undefined)(`Douban review labels (${douban.skipped ?? 'joined to ../shared/data'})`, () => {
  it('labels every CSV row exactly once, and every label has its row', () => {
    expect(douban.unlabelled).toEqual([]);
    expect(douban.orphanLabels).toEqual([]);
    expect(douban.items.length).toBe(804);
  });

  it('finds every span and trap in its text, and no span is also a trap', () => {
    for (const item of douban.items) {
      checkNames(item.key, item.names, item.traps, () => item.text);
      for (const trap of item.traps) expect(item.text, `${item.key}: trap "${trap}"`).toContain(trap);
      for (const n of item.names) expect(n.via, `${item.key}: via is for posts`).toBeUndefined();
    }
  });

  it('prints the counts', () => {
    const names = douban.items.flatMap((i) => i.names);
    console.info(
      `douban labels: ${douban.items.length} reviews, ${douban.items.filter((i) => i.names.length > 0).length} name a title; ` +
        `${names.length} names (${names.filter((n) => n.maybe).length} maybe, ` +
        `${names.filter((n) => n.doubanId).length} with a doubanId), ` +
        `${douban.items.reduce((s, i) => s + i.traps.length, 0)} traps; kinds ${JSON.stringify(countBy(names, (n) => n.kind))}`,
    );
    expect(names.length).toBeGreaterThan(0);
  });
});

/** The text a post's name should be found in, by where the post names it. */
function postField(post: DevPost, n: DevName): string {
  switch (n.via) {
    case 'hashtag':
      return (post.hashtags ?? []).join(' ');
    case 'url':
      return (post.urls ?? []).join(' ');
    case 'title':
      return post.title ?? '';
    case 'quote':
      return `${post.title ?? ''} ${post.text}`;
    default:
      return post.text;
  }
}

function postAll(post: DevPost): string {
  return [post.title ?? '', post.text, ...(post.hashtags ?? []), post.subreddit ?? '', post.author ?? ''].join(' \n ');
}

describe('invented dev posts', () => {
  const posts = loadDevPosts();

  it('has at least 200 posts with unique ids, on every site, about half naming a title', () => {
    expect(posts.length).toBeGreaterThanOrEqual(200);
    expect(new Set(posts.map((p) => p.id)).size).toBe(posts.length);
    for (const site of ['x', 'youtube', 'reddit', 'weibo', 'bilibili'])
      expect(
        posts.some((p) => p.site === site),
        site,
      ).toBe(true);
    const naming = posts.filter((p) => p.names.length > 0).length / posts.length;
    expect(naming).toBeGreaterThan(0.35);
    expect(naming).toBeLessThan(0.65);
  });

  it('finds every span where its via says, every trap in the post, and no span is also a trap', () => {
    for (const post of posts) {
      expect(['en', 'zh'], post.id).toContain(post.lang);
      checkNames(post.id, post.names, post.traps, (n) => postField(post, n));
      for (const n of post.names) expect(NAME_VIAS, `${post.id}: via of "${n.span}"`).toContain(n.via);
      for (const trap of post.traps) expect(postAll(post), `${post.id}: trap "${trap}"`).toContain(trap);
    }
  });

  it('prints the counts', () => {
    const names = posts.flatMap((p) => p.names);
    console.info(
      `dev posts: ${posts.length}, by site/lang ${JSON.stringify(countBy(posts, (p) => `${p.site}/${p.lang}`))}; ` +
        `${posts.filter((p) => p.names.length > 0).length} name a title; ` +
        `${names.length} names by via ${JSON.stringify(countBy(names, (n) => n.via ?? '?'))}; ` +
        `${posts.reduce((s, p) => s + p.traps.length, 0)} traps`,
    );
    expect(names.length).toBeGreaterThan(0);
  });
});
