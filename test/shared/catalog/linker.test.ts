import { describe, expect, it } from 'vitest';
import type { StoredEvent, TitleLink } from '../../../src/shared/events.ts';
import { foldName } from '../../../src/shared/catalog/fold.ts';
import {
  applyCorrections,
  CONFIDENT_LINK,
  buildLinker,
  linkerFromSnapshot,
  linkerSnapshot,
  linkInput,
  relinkEvent,
} from '../../../src/shared/catalog/linker.ts';
import type { CatalogTitle } from '../../../src/shared/catalog/types.ts';

function title(id: string, titles: CatalogTitle['titles'], extra: Partial<CatalogTitle> = {}): CatalogTitle {
  return {
    id,
    kind: 'film',
    titles,
    aliases: [],
    hashtags: [],
    genres: [],
    people: [],
    externalIds: {},
    watch: [],
    popularity: 0.5,
    ...extra,
  };
}

const titles = [
  title(
    'inception',
    { en: ['Inception'], 'zh-Hans': ['盗梦空间'], 'zh-Hant': ['全面啟動'] },
    { externalIds: { douban: ['3541415'], imdb: ['tt1375666'] } },
  ),
  title(
    'aot',
    { 'zh-Hans': ['进击的巨人'], en: ['Attack on Titan'] },
    { kind: 'anime-series', externalIds: { 'bilibili-media': ['28229'] } },
  ),
  title('aot2', { 'zh-Hans': ['进击的巨人 第二季'], en: ['Attack on Titan Season 2'] }, { kind: 'anime-series' }),
  title('friends', { en: ['Friends'], 'zh-Hans': ['老友记'] }, { kind: 'series', accounts: ['x:FriendsTV'] }),
  title('her', { en: ['Her'], 'zh-Hans': ['她'] }, { year: 2013 }),
  title('up', { en: ['Up'], 'zh-Hans': ['飞屋环游记'] }, { year: 2009 }),
  title('dune84', { en: ['Dune'] }, { year: 1984, popularity: 0.2 }),
  title('dune21', { en: ['Dune'] }, { year: 2021, popularity: 0.9 }),
  title('st', { en: ['Stranger Things'], 'zh-Hans': ['怪奇物语'] }, { kind: 'series' }),
];
const linker = buildLinker(titles);
const ids = (texts: string[], extra: object = {}): string[] => linkInput(linker, { texts, ...extra }).map((l) => l.titleId);

describe('folding', () => {
  it('folds width, case, accents, traditional/simplified and spacing to one form', () => {
    expect(foldName('ＩＮＣＥＰＴＩＯＮ')).toBe(foldName('inception'));
    expect(foldName('全面啟動')).toBe(foldName('全面启动'));
    expect(foldName('進擊的巨人')).toBe(foldName('进击的巨人'));
    expect(foldName('Pokémon')).toBe('pokemon');
    expect(foldName('Attack on Titan S2')).toBe(foldName('Attack on Titan Season 2'));
    expect(foldName('进击的巨人 第二季')).toBe(foldName('進擊的巨人第2季'));
  });
});

describe('linker', () => {
  it('links ids first: Douban subject, IMDb and Bilibili media URLs', () => {
    expect(ids(['see https://movie.douban.com/subject/3541415/'])).toEqual(['inception']);
    expect(ids([], { urls: ['https://www.imdb.com/title/tt1375666/'] })).toEqual(['inception']);
    const [link] = linkInput(linker, { texts: [], urls: ['https://www.bilibili.com/bangumi/media/md28229/'] });
    expect(link).toMatchObject({ titleId: 'aot', confidence: 0.98, source: 'linker' });
  });

  it('finds names in Chinese and English, quoted, traditional, and as hashtags', () => {
    expect(ids(['看了《盗梦空间》'])).toEqual(['inception']);
    expect(ids(['全面啟動真好看'])).toEqual(['inception']);
    expect(ids(['Inception is great'])).toEqual(['inception']);
    expect(ids(['#StrangerThings is back'])).toEqual(['st']);
    expect(ids(['#怪奇物语# 太好看'])).toEqual(['st']);
  });

  it('the longest match wins, and season markers are one form', () => {
    expect(ids(['進擊的巨人 第二季 太好看了'])).toEqual(['aot2']);
    expect(ids(['Attack on Titan S2 was amazing'])).toEqual(['aot2']);
    expect(ids(['Attack on Titan is amazing'])).toEqual(['aot']);
  });

  it('needs support for short or common names', () => {
    expect(ids(['Surface Go Review - It’s Up to you'])).toEqual([]);
    expect(ids(['my friends came over'])).toEqual([]);
    expect(ids(['rewatching Friends season 3'])).toEqual(['friends']);
    expect(ids(['"Her" made me cry'])).toEqual(['her']);
    expect(ids(['Her (2013) made me cry'])).toEqual(['her']);
    expect(ids(['Friends'], { author: 'x:FriendsTV' })).toEqual(['friends']);
    expect(ids(['she said 她 was tired'])).toEqual([]);
  });

  it('tells titles that share a name apart by year, else takes the more popular with lower confidence', () => {
    expect(ids(['Dune (1984) still holds up'])).toEqual(['dune84']);
    const [link] = linkInput(linker, { texts: ['the Dune trailer'] });
    expect(link?.titleId).toBe('dune21');
    expect(link?.reason).toMatch(/share this name/);
    // Picked by popularity alone: a "maybe" link, for the user to confirm.
    expect(link?.confidence).toBeLessThan(CONFIDENT_LINK);
  });

  it('gives every link a confidence and a reason', () => {
    for (const link of linkInput(linker, { texts: ['《盗梦空间》 and Attack on Titan'] })) {
      expect(link.confidence).toBeGreaterThan(0);
      expect(link.confidence).toBeLessThanOrEqual(1);
      expect(link.reason.length).toBeGreaterThan(3);
    }
  });
});

describe('user corrections', () => {
  const linked: TitleLink[] = [
    { titleId: 'inception', confidence: 0.8, reason: 'x', source: 'linker' },
    { titleId: 'her', confidence: 0.6, reason: 'y', source: 'linker' },
  ];
  it("removed titles stay out and the user's own links win", () => {
    const mine: TitleLink = { titleId: 'up', confidence: 1, reason: 'added by you', source: 'user' };
    expect(applyCorrections(linked, [mine], ['her']).map((l) => l.titleId)).toEqual(['up', 'inception']);
  });
  it('re-linking keeps corrections', () => {
    const event = {
      site: 'x',
      action: 'like',
      at: 1,
      id: 'x:like:1',
      receivedAt: 1,
      removedTitleIds: ['inception'],
      target: {
        id: '1',
        url: 'https://x.com/a/status/1',
        text: '《盗梦空间》和《老友记》',
        hashtags: [],
        links: [],
        itemIds: [],
      },
      links: [{ titleId: 'up', confidence: 1, reason: 'added by you', source: 'user' }],
    } as StoredEvent;
    expect(relinkEvent(linker, event).map((l) => [l.titleId, l.source])).toEqual([
      ['up', 'user'],
      ['friends', 'linker'],
    ]);
  });
});

describe('linker snapshot', () => {
  it('a linker restored from a stored (cloned) snapshot links exactly as the one it was taken of', () => {
    const restored = linkerFromSnapshot(structuredClone(linkerSnapshot(linker)));
    const inputs = [
      { texts: ['《盗梦空间》重温', 'Dune (2021) rewatch', 'Her 2013 is lovely'] },
      { texts: ['Attack on Titan Season 2 is peak'], urls: ['https://movie.douban.com/subject/3541415/'] },
      { texts: ['Friends'], author: 'x:FriendsTV' },
    ];
    for (const input of inputs) expect(linkInput(restored, input)).toEqual(linkInput(linker, input));
    expect(linkInput(restored, inputs[0] as { texts: string[] }).length).toBeGreaterThan(1);
  });
});
