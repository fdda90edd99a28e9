import type { Page as PlaywrightPage } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import type { CatalogTitle } from '../../src/shared/catalog/types.ts';
import type { StoredEvent } from '../../src/shared/events.ts';
import { REASONS_VERSION, type RankingCache } from '../../src/shared/suggestions.ts';

/**
 * Seed data for the popup and options tests: a few catalog titles, the events behind them and
 * a cached ranking, as the catalog and learning code would store them. Titles are real shows;
 * post text is invented.
 */
const t = (
  id: string,
  kind: CatalogTitle['kind'],
  titles: CatalogTitle['titles'],
  year: number,
  watch: CatalogTitle['watch'],
): CatalogTitle => ({
  id,
  kind,
  titles,
  year,
  watch,
  aliases: [],
  hashtags: [],
  genres: [],
  people: [],
  externalIds: {},
  popularity: 0.5,
});

export const SEED_TITLES: CatalogTitle[] = [
  t('three-body', 'series', { 'zh-Hans': ['三体'], 'zh-Hant': ['三體'], en: ['3 Body Problem'] }, 2024, [
    {
      platform: 'netflix',
      regions: [],
      url: 'https://www.netflix.com/title/{id}?utm_source=reelflow&utm_medium=extension',
      id: '81024821',
    },
    { platform: 'qq', regions: ['CN'], url: 'https://v.qq.com/detail/{id}.html', id: 'mzc00200p51jpn7' },
  ]),
  t(
    'frieren',
    'anime-series',
    {
      'zh-Hans': ['葬送的芙莉莲'],
      'zh-Hant': ['葬送的芙莉蓮'],
      en: ['Frieren: Beyond Journey’s End'],
      original: ['葬送のフリーレン'],
    },
    2023,
    [
      { platform: 'crunchyroll', regions: ['US', 'GB'], url: 'https://www.crunchyroll.com/series/{id}', id: 'GG5H5XQX4' },
      { platform: 'bilibili', regions: ['CN'], url: 'https://www.bilibili.com/bangumi/media/md{{id}}/', id: '21087073' },
    ],
  ),
  t('the-bear', 'series', { en: ['The Bear'], 'zh-Hans': ['熊家餐馆'] }, 2022, [
    { platform: 'hulu', regions: ['US'], url: 'https://www.hulu.com/series/{id}', id: 'the-bear-05eb6a8e-90ed-4947-8c0b-e6536cbddd5f' },
    { platform: 'disneyplus', regions: ['GB', 'HK', 'TW'], url: 'https://www.disneyplus.com/series/{id}', id: '2ybSpBVE2XnK' },
  ]),
  t('in-the-mood-for-love', 'film', { 'zh-Hans': ['花样年华'], 'zh-Hant': ['花樣年華'], en: ['In the Mood for Love'] }, 2000, []),
];

/**
 * Seeded times are days before the run, not fixed dates: the retention sweep (90 days by default)
 * runs about a minute after the worker starts and would delete older events mid-suite.
 */
const DAY = 86_400_000;
const RUN = Date.now();
const daysAgo = (days: number, hour = 12): number => Math.floor((RUN - days * DAY) / DAY) * DAY + hour * 3_600_000;

export const SEED_EVENTS: StoredEvent[] = [
  {
    id: 'x:like:1900000000000000001',
    site: 'x',
    action: 'like',
    at: daysAgo(5),
    receivedAt: daysAgo(5),
    target: {
      id: '1900000000000000001',
      url: 'https://x.com/someone/status/1900000000000000001',
      text: 'The sophon scene in episode 5 is unreal #3BodyProblem',
      hashtags: ['3BodyProblem'],
      links: [],
      itemIds: [],
    },
    links: [{ titleId: 'three-body', confidence: 0.92, reason: '#3BodyProblem', source: 'linker' }],
    removedTitleIds: [],
  },
  {
    id: 'douban:wish:36176467',
    site: 'douban',
    action: 'wish',
    at: daysAgo(3, 9),
    receivedAt: daysAgo(3, 9),
    target: {
      id: '36176467',
      url: 'https://movie.douban.com/subject/36176467/',
      text: '',
      title: '葬送的芙莉莲',
      hashtags: [],
      links: [],
      itemIds: [{ kind: 'douban-subject', value: '36176467' }],
    },
    links: [{ titleId: 'frieren', confidence: 1, reason: 'douban subject id', source: 'linker' }],
    removedTitleIds: [],
  },
];

export const SEED_RANKING: RankingCache = {
  computedAt: daysAgo(2, 0),
  modelVersion: 1,
  reasonsVersion: REASONS_VERSION,
  coldStart: false,
  items: [
    {
      titleId: 'three-body',
      score: 0.81,
      strategy: 'model',
      exploration: false,
      reasons: [
        { phrase: { key: 'reasonEngagedWith', substitutions: ['#3BodyProblem'] }, weight: 1.2, eventIds: ['x:like:1900000000000000001'] },
      ],
    },
    {
      titleId: 'frieren',
      score: 0.74,
      strategy: 'model',
      exploration: false,
      reasons: [{ phrase: { key: 'reasonWantToWatch', substitutions: ['葬送的芙莉莲'] }, weight: 2, eventIds: ['douban:wish:36176467'] }],
    },
    { titleId: 'the-bear', score: 0.4, strategy: 'model', exploration: true, reasons: [] },
    {
      titleId: 'in-the-mood-for-love',
      score: 0.3,
      strategy: 'model',
      exploration: false,
      reasons: [{ phrase: { key: 'reasonPopular', substitutions: [] }, weight: 0.2, eventIds: [] }],
    },
  ],
};

type Evaluator = PlaywrightPage | PuppeteerPage;

/**
 * Writes the seed into the extension's IndexedDB from one of its own pages (test setup only:
 * in the product only the background writes), as the catalog and learning code would.
 */
export async function seedUi(page: Evaluator, data = { titles: SEED_TITLES, events: SEED_EVENTS, ranking: SEED_RANKING }): Promise<void> {
  await (page as PlaywrightPage).evaluate(
    (seed: typeof data) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('reelflow');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['titles', 'events', 'kv', 'catalogMeta'], 'readwrite');
          for (const title of seed.titles) tx.objectStore('titles').put(title);
          for (const event of seed.events) tx.objectStore('events').put(event);
          tx.objectStore('kv').put(seed.ranking, 'ranking');
          // The stored catalog's meta counts its titles, as an install writes it: the model keys its title index by it.
          const count = tx.objectStore('titles').count();
          const meta = tx.objectStore('catalogMeta').get('current');
          count.onsuccess = () => {
            meta.onsuccess = () => {
              if (meta.result) tx.objectStore('catalogMeta').put({ ...meta.result, titleCount: count.result }, 'current');
            };
          };
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    data,
  );
}
