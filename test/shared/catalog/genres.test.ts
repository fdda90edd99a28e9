import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENRE_IDS, genreName, genreOf, isGenreId } from '../../../src/shared/catalog/genres.ts';
import { parseCsv } from '../../../scripts/catalog/csv.ts';

const DOUBAN = '../shared/data/douban-reviews-dmr-dev/movies.csv';
const WIKIPEDIA = '../shared/data/films-wikipedia-en';
const DOUBAN_NOTE = existsSync(DOUBAN) ? 'douban-reviews-dmr-dev' : `${DOUBAN} is absent`;
const WIKIPEDIA_NOTE = existsSync(WIKIPEDIA) ? 'films-wikipedia-en' : `${WIKIPEDIA} is absent`;

describe('the genre vocabulary', () => {
  it('names every id in English, simplified and traditional Chinese', () => {
    expect(GENRE_IDS.length).toBeGreaterThanOrEqual(25);
    for (const id of GENRE_IDS) {
      for (const lang of ['en', 'zh-Hans', 'zh-Hant'] as const) expect(genreName(id, lang), `${id} ${lang}`).toMatch(/\S/);
      expect(genreName(id, 'zh-Hans'), id).toMatch(/^\p{Script=Han}+$/u);
      expect(genreName(id, 'zh-Hant'), id).toMatch(/^\p{Script=Han}+$/u);
      // Each display name reads back as its own id.
      for (const lang of ['en', 'zh-Hans', 'zh-Hant'] as const) expect(genreOf(genreName(id, lang))).toBe(id);
    }
    expect([
      genreName('sci-fi', 'zh-Hans'),
      genreName('comedy', 'zh-Hans'),
      genreName('comedy', 'zh-Hant'),
      genreName('animation', 'zh-Hant'),
    ]).toEqual(['科幻', '喜剧', '喜劇', '動畫']);
  });

  it.each([
    ['喜剧', 'comedy'],
    ['喜劇', 'comedy'],
    ['科幻', 'sci-fi'],
    ['科幻片', 'sci-fi'],
    ['动画', 'animation'],
    ['動畫', 'animation'],
    ['剧情', 'drama'],
    ['劇情', 'drama'],
    ['爱情', 'romance'],
    ['悬疑', 'mystery'],
    ['懸疑', 'mystery'],
    ['惊悚', 'thriller'],
    ['犯罪', 'crime'],
    ['战争', 'war'],
    ['音乐', 'music'],
    ['歌舞', 'musical'],
    ['传记', 'biography'],
    ['历史', 'history'],
    ['奇幻', 'fantasy'],
    ['冒险', 'adventure'],
    ['家庭', 'family'],
    ['儿童', 'family'],
    ['兒童', 'family'],
    ['运动', 'sport'],
    ['恐怖', 'horror'],
    ['纪录片', 'documentary'],
    ['紀錄片', 'documentary'],
    ['短片', 'short'],
    ['武侠', 'martial-arts'],
    ['古装', 'costume'],
    ['古裝', 'costume'],
    ['搞笑', 'comedy'],
    ['恋爱', 'romance'],
    ['番剧', 'anime'],
    ['Drama', 'drama'],
    ['Comedy', 'comedy'],
    ['Science Fiction', 'sci-fi'],
    ['Animated', 'animation'],
    ['Musical', 'musical'],
    ['Romance', 'romance'],
    ['Superhero', 'action'],
    ['Noir', 'film-noir'],
    ['Sports', 'sport'],
    ['  sci-fi ', 'sci-fi'],
  ])('maps %s to %s', (word, id) => {
    expect(genreOf(word)).toBe(id);
  });

  it('leaves words that say nothing about the story unmapped', () => {
    for (const word of ['Independent', 'Teen', 'Political', 'Live Action', 'korean', '']) expect(genreOf(word), word).toBeUndefined();
    expect(isGenreId('sci-fi')).toBe(true);
    expect(isGenreId('Science Fiction')).toBe(false);
  });

  it.skipIf(!existsSync(DOUBAN))(`maps every genre word Douban shows in the development reviews (${DOUBAN_NOTE})`, () => {
    const rows = parseCsv(readFileSync(DOUBAN, 'utf8'));
    const column = rows[0]?.indexOf('genres') ?? -1;
    const words = new Set(
      rows
        .slice(1)
        .flatMap((r) => (r[column] ?? '').split('|'))
        .filter(Boolean),
    );
    expect(words.size).toBeGreaterThan(25);
    expect([...words].filter((w) => genreOf(w) === undefined)).toEqual([]);
  });

  it.skipIf(!existsSync(WIKIPEDIA))(`maps every English Wikipedia genre but the four that are not genres (${WIKIPEDIA_NOTE})`, async () => {
    const { readWikipediaRows } = await import('../../../scripts/catalog/merge-films.ts');
    const words = new Set(readWikipediaRows(WIKIPEDIA).flatMap((r) => r.genres));
    expect([...words].filter((w) => genreOf(w) === undefined).sort()).toEqual(['Independent', 'Live Action', 'Political', 'Teen']);
  });
});
