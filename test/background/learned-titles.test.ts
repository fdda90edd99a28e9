import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackground } from '../../src/background/background.ts';
import { createCatalogService, type CatalogService } from '../../src/background/catalog.ts';
import { createLearnedTitles, type LearnedTitles } from '../../src/background/learned-titles.ts';
import type { SenderInfo } from '../../src/background/router.ts';
import { createStore, type Store } from '../../src/background/store.ts';
import { switchBackend } from '../../src/background/training/backend.ts';
import { createLearner } from '../../src/background/training/learner.ts';
import type { CatalogTitle } from '../../src/shared/catalog/types.ts';
import type { CapturedEvent, StoredEvent, SubjectFacts } from '../../src/shared/events.ts';
import { envelope, type LearnedTitleInfo, type Reply } from '../../src/shared/messages.ts';
import { defaultSettings } from '../../src/shared/settings.ts';
import type { ExportFile } from '../../src/shared/export-format.ts';

const fromDouban: SenderInfo = { fromExtensionPage: false, tabHost: 'movie.douban.com', incognito: false };
const fromX: SenderInfo = { fromExtensionPage: false, tabHost: 'x.com', incognito: false };
const fromPage: SenderInfo = { fromExtensionPage: true, incognito: false };
const NOW = 1_780_000_000_000;
let dbCounter = 0;

/** A small catalog: Inception known only by its English name, two films called Hero, The Prestige. */
const CATALOG = JSON.stringify({
  format: 2,
  version: 'learned-test-1',
  attributions: [{ text: 'Test data', licence: 'CC0-1.0', url: 'https://example.org/' }],
  titles: [
    { id: 'wp:Inception', kind: 'film', titles: { en: ['Inception'] }, year: 2010, genres: ['sci-fi'], popularity: 0.9 },
    { id: 'wp:Hero_(2002_film)', kind: 'film', titles: { en: ['Hero'], 'zh-Hans': ['英雄'] }, year: 2002, popularity: 0.7 },
    { id: 'wp:The_Prestige', kind: 'film', titles: { en: ['The Prestige'] }, year: 2006, popularity: 0.8 },
  ],
});

/** An engagement on a Douban subject page, with the facts the page shows (names and numbers invented where not public). */
function doubanWish(subjectId: string, facts: SubjectFacts, at = NOW - 1000): CapturedEvent {
  return {
    site: 'douban',
    action: 'wish',
    at,
    target: {
      id: subjectId,
      url: `https://movie.douban.com/subject/${subjectId}/`,
      text: '',
      title: [facts.names?.join(' '), facts.year].filter(Boolean).join(' '),
      hashtags: [],
      links: [],
      itemIds: [{ kind: 'douban-subject', value: subjectId }],
      lang: 'zh',
      facts,
    },
  };
}

const INCEPTION: SubjectFacts = {
  names: ['盗梦空间', 'Inception'],
  aliases: [
    { name: '潜行凶间', region: '港' },
    { name: '全面启动', region: '台' },
  ],
  year: 2010,
  kind: 'film',
  genres: ['剧情', '科幻', '悬疑'],
  directors: ['克里斯托弗·诺兰'],
  related: [
    { id: '1780330', name: '致命魔术' },
    { id: '1889243', name: '星际穿越' },
  ],
};

async function call<T>(bg: ReturnType<typeof createBackground>, message: unknown, sender: SenderInfo = fromPage): Promise<T> {
  const reply = (await bg.handle(message, sender)) as Reply<T>;
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.value;
}

describe('titles learned from Douban pages', () => {
  let store: Store;
  let catalog: CatalogService;
  let learned: LearnedTitles;
  let bg: ReturnType<typeof createBackground>;

  beforeAll(async () => {
    await switchBackend('cpu');
  });

  beforeEach(async () => {
    store = createStore(`learned-${dbCounter++}`);
    catalog = createCatalogService(store, { now: () => NOW });
    await catalog.install(CATALOG, 'imported');
    learned = createLearnedTitles(store, catalog);
    bg = createBackground(store, () => NOW, { catalog, learned });
    const settings = defaultSettings();
    settings.sites.douban.enabled = true;
    settings.sites.x.enabled = true;
    await call(bg, envelope('settings:set', settings));
  });

  const event = (id: string): Promise<StoredEvent | undefined> => store.read((db) => db.get('events', id));
  const titles = (ids: string[]): Promise<CatalogTitle[]> => call(bg, envelope('catalog:titles', { ids }));

  it('links a subject the catalog has by name and year, and teaches that title its Douban id and Chinese names', async () => {
    await call(bg, envelope('capture:event', doubanWish('3541415', INCEPTION)), fromDouban);
    const stored = await event('douban:wish:3541415');
    expect(stored?.links[0]).toMatchObject({ titleId: 'wp:Inception', via: 'id' });
    const [inception] = await titles(['wp:Inception']);
    expect(inception?.titles['zh-Hans']).toEqual(['盗梦空间']);
    expect(inception?.aliases).toEqual(['潜行凶间', '全面启动']);
    expect(inception?.externalIds.douban).toEqual(['3541415']);
    // A later post that names it in Chinese (or by its Hong Kong title) now links to it.
    const post: CapturedEvent = {
      site: 'x',
      action: 'like',
      at: NOW,
      target: { id: '77', url: 'https://x.com/a/status/77', text: '周末重温了《潜行凶间》', hashtags: [], links: [], itemIds: [] },
    };
    await call(bg, envelope('capture:event', post), fromX);
    expect((await event('x:like:77'))?.links.map((l) => l.titleId)).toEqual(['wp:Inception']);
  });

  it('keeps its generation (and the model its title index) when a derivation learns nothing new', async () => {
    await call(bg, envelope('capture:event', doubanWish('3541415', INCEPTION)), fromDouban);
    const before = (await learned.view()).generation;
    const listing = await learned.all();
    // Another site's post, and its removal, teach nothing about titles.
    await learned.refresh();
    expect((await learned.view()).generation).toBe(before);
    expect((await learned.all()).key).toBe(listing.key);
    const whale: SubjectFacts = { names: ['北海鲸梦'], year: 2021, kind: 'film' };
    await call(bg, envelope('capture:event', doubanWish('26895436', whale)), fromDouban);
    expect((await learned.view()).generation).toBeGreaterThan(before);
    expect((await learned.all()).key).not.toBe(listing.key);
  });

  it('lists its titles under the same key in the next worker, so the model finds its saved title index again', async () => {
    await call(bg, envelope('capture:event', doubanWish('3541415', INCEPTION)), fromDouban);
    await call(bg, envelope('capture:event', doubanWish('26895436', { names: ['北海鲸梦'], year: 2021, kind: 'film' })), fromDouban);
    expect((await learned.view()).generation).toBeGreaterThan(1);
    const listing = await learned.all();
    // A restarted service worker: new services over the same database, the generation counted from the start again.
    const restarted = createLearnedTitles(store, createCatalogService(store, { now: () => NOW }));
    const again = await restarted.all();
    expect(again.key).toBe(listing.key);
    expect(again.titles.map((t) => t.id)).toEqual(listing.titles.map((t) => t.id));
    const learner = createLearner(store, { now: () => NOW, titles: learned, debounceMs: 0 });
    await learner.retrain('test');
    const from: string[] = [];
    // The restarted worker reads the saved index alone: not the catalog's titles (some 50,000 records).
    const reads = vi.spyOn(restarted, 'all');
    const next = createLearner(store, { now: () => NOW, titles: restarted, debounceMs: 0, onIndex: (f) => from.push(f) });
    const ranking = await next.retrain('test');
    expect(from).toEqual(['saved']);
    expect(reads).not.toHaveBeenCalled();
    expect(ranking.items.map((i) => i.titleId)).toEqual((await learner.retrain('test')).items.map((i) => i.titleId));
    // A third worker whose first job is a retrain: the key comes from the stored pages, not from the
    // catalog's linker (restoring it would cost a cold retrain some 200 ms).
    const catalogThen = createCatalogService(store, { now: () => NOW });
    const linkers = vi.spyOn(catalogThen, 'linker');
    const third = createLearnedTitles(store, catalogThen);
    expect(await third.key()).toBe(listing.key);
    const fromThird: string[] = [];
    const last = await createLearner(store, { now: () => NOW, titles: third, onIndex: (f) => fromThird.push(f) }).retrain('test');
    expect(fromThird).toEqual(['saved']);
    expect(linkers).not.toHaveBeenCalled();
    expect(last.items.map((i) => i.titleId)).toEqual(ranking.items.map((i) => i.titleId));
  });

  it('keys its titles by what the pages say: a repeat engagement keeps the key, new facts change it', async () => {
    await call(bg, envelope('capture:event', doubanWish('3541415', INCEPTION)), fromDouban);
    const before = await learned.key();
    await call(bg, envelope('capture:event', { ...doubanWish('3541415', INCEPTION), action: 'watched', at: NOW + 60_000 }), fromDouban);
    await learned.refresh();
    expect(await learned.key()).toBe(before);
    const fresh = createLearnedTitles(store, createCatalogService(store, { now: () => NOW }));
    expect(await fresh.key()).toBe(before);
    // The newest page's facts are the subject's: a later rating on a page that says otherwise.
    const corrected = { ...doubanWish('3541415', { ...INCEPTION, year: 2011 }), action: 'rating' as const, at: NOW + 120_000 };
    await call(bg, envelope('capture:event', corrected), fromDouban);
    await learned.refresh();
    expect(await learned.key()).not.toBe(before);
    const other = createLearnedTitles(store, createCatalogService(store, { now: () => NOW }), { release: '9.9.9' });
    expect(await other.key()).not.toBe(await learned.key());
  });

  it('makes a local title of a subject the catalog lacks, searchable and shown like a catalog title', async () => {
    const whale: SubjectFacts = { names: ['北海鲸梦', 'The Whale Dream'], year: 2021, kind: 'film', genres: ['纪录片'] };
    await call(bg, envelope('capture:event', doubanWish('26895436', whale)), fromDouban);
    expect((await event('douban:wish:26895436'))?.links[0]).toMatchObject({ titleId: 'local:douban:26895436', via: 'id' });
    const [local] = await titles(['local:douban:26895436']);
    expect(local).toMatchObject({ kind: 'documentary', year: 2021, genres: ['documentary'], titles: { 'zh-Hans': ['北海鲸梦'] } });
    expect(local?.watch[0]?.url).toBe('https://movie.douban.com/subject/26895436/');
    const found = await call<CatalogTitle[]>(bg, envelope('catalog:search', { query: '北海鲸梦' }));
    expect(found.map((t) => t.id)).toEqual(['local:douban:26895436']);
  });

  it('lists what it learned for Your data: own pages first, then the titles their lists name', async () => {
    await call(bg, envelope('capture:event', doubanWish('3541415', INCEPTION)), fromDouban);
    const learnedList = await call<LearnedTitleInfo[]>(bg, envelope('catalog:learned', {}));
    expect(
      learnedList.map((info) => [info.title.id, info.local, info.subjects.map((s) => [s.id, s.source, s.relatedOf, s.matchedBy])]),
    ).toEqual([
      ['wp:Inception', false, [['3541415', 'page', [], 'name-year']]],
      ['local:douban:1780330', true, [['1780330', 'related', ['3541415'], undefined]]],
      ['local:douban:1889243', true, [['1889243', 'related', ['3541415'], undefined]]],
    ]);
  });

  it('keeps a namesake of another year apart: 英雄 (2019) is not the 2002 film', async () => {
    await call(bg, envelope('capture:event', doubanWish('30000001', { names: ['英雄'], year: 2019, kind: 'film' })), fromDouban);
    expect((await event('douban:wish:30000001'))?.links.map((l) => l.titleId)).toEqual(['local:douban:30000001']);
  });

  it('forgets a local title when the events that taught it are deleted, and learns it back from an import', async () => {
    const whale: SubjectFacts = { names: ['北海鲸梦'], year: 2021, kind: 'film' };
    await call(bg, envelope('capture:event', doubanWish('26895436', whale)), fromDouban);
    const file = await call<ExportFile>(bg, envelope('data:export', {}));
    await call(bg, envelope('data:delete-event', { id: 'douban:wish:26895436' }));
    await learned.refresh();
    expect(await titles(['local:douban:26895436'])).toEqual([]);
    await call(bg, envelope('data:import', file));
    await learned.refresh();
    expect((await titles(['local:douban:26895436'])).map((t) => t.id)).toEqual(['local:douban:26895436']);
  });

  it('suggests a subject of the page’s also-liked list, saying so, and only while the page’s event stays', async () => {
    await call(bg, envelope('capture:event', doubanWish('3541415', INCEPTION)), fromDouban);
    const learner = createLearner(store, { now: () => NOW, titles: learned, debounceMs: 0 });
    const ranking = await learner.retrain('test');
    const prestige = ranking.items.find((item) => item.titleId === 'local:douban:1780330');
    expect(prestige, 'the related subject is ranked').toBeDefined();
    const reason = prestige?.reasons[0];
    expect(reason?.phrase.key).toBe('reasonAlsoLiked');
    expect(reason?.anchor?.id).toBe('wp:Inception');
    expect(reason?.claim).toMatchObject({ relation: 'also-liked', anchor: 'wp:Inception', group: 'wish', count: 1 });
    expect(reason?.eventIds).toEqual(['douban:wish:3541415']);
    // Its name alone is known, and Douban's page is where to watch it from.
    const [local] = await titles(['local:douban:1780330']);
    expect(local).toMatchObject({ titles: { 'zh-Hans': ['致命魔术'] }, kind: 'film' });
    // The page's event deleted: the list that named it is gone, and so is the suggestion.
    await call(bg, envelope('data:delete-event', { id: 'douban:wish:3541415' }));
    await learned.refresh();
    const after = await learner.retrain('test');
    expect(after.items.some((item) => item.titleId.startsWith('local:'))).toBe(false);
  });
});
