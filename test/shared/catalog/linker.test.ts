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
  it('links English Wikipedia article URLs to the title of that article', () => {
    // Chinese names only, so a link can come from the URL's id and not from the words in it.
    const wiki = buildLinker([
      title(
        'sw',
        { 'zh-Hans': ['星球大战'] },
        { externalIds: { 'wikipedia-en': ['Star_Wars_(film)', 'Star_Wars:_Episode_I_–_The_Phantom_Menace'] } },
      ),
    ]);
    const found = (text: string): string[] => linkInput(wiki, { texts: [text] }).map((l) => `${l.titleId} ${l.reason}`);
    expect(found('see https://en.wikipedia.org/wiki/Star_Wars_(film).')).toEqual(['sw wikipedia article Star_Wars_(film)']);
    expect(found('(en.m.wikipedia.org/wiki/Star_Wars_(film))')).toEqual(['sw wikipedia article Star_Wars_(film)']);
    expect(found('https://en.wikipedia.org/wiki/Star_Wars:_Episode_I_%E2%80%93_The_Phantom_Menace#Plot')).toEqual([
      'sw wikipedia article Star_Wars:_Episode_I_–_The_Phantom_Menace',
    ]);
    expect(found('https://en.wikipedia.org/wiki/Star_Wars_(franchise)')).toEqual([]);
  });

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

  it('needs quotes, a hashtag, an id or the account for bare numbers, two-character Chinese names and lower-case words', () => {
    const more = buildLinker([
      title('ten', { en: ['10'] }, { year: 1979 }),
      title('reaping', { en: ['The Reaping'], 'zh-Hant': ['報應'] }, { year: 2007 }),
      title('three', { en: ['Three'] }, { year: 2007 }),
    ]);
    const found = (text: string): string[] => linkInput(more, { texts: [text] }).map((l) => l.titleId);
    expect(found('第四季10集，这一集中')).toEqual([]);
    expect(found('2006年圣诞 … 轮回报应')).toEqual([]);
    expect(found('I have now seen this movie three times')).toEqual([]);
    expect(found('《10》还是好看')).toEqual(['ten']);
    expect(found('#报应# 2007')).toEqual(['reaping']);
    expect(found('Three (2007) trailer')).toEqual(['three']);
  });

  it('in a catalog with a prior, needs support for the Latin names of little-known titles', () => {
    const more = buildLinker([
      title('known', { en: ['Journey to the West'] }, { popularity: 0.9 }),
      title('obscure', { en: ["Journey's End"] }, { year: 1930, popularity: 0.2 }),
    ]);
    const found = (text: string): string[] => linkInput(more, { texts: [text] }).map((l) => l.titleId);
    expect(found("Loved Journey's End and Journey to the West")).toEqual(['known']);
    expect(found("Journey's End (1930) is a war film")).toEqual(['obscure']);
    // Without a prior (every popularity 0) no title is obscure.
    const flat = buildLinker([title('x', { en: ["Journey's End"] }, { popularity: 0 })]);
    expect(linkInput(flat, { texts: ["Loved Journey's End"] }).map((l) => l.titleId)).toEqual(['x']);
  });

  it('tells titles that share a name apart by year, else takes the more popular with lower confidence', () => {
    expect(ids(['Dune (1984) still holds up'])).toEqual(['dune84']);
    // Far better known (popularity 0.9 against 0.2): taken without doubt.
    expect(linkInput(linker, { texts: ['the Dune trailer'] })[0]).toMatchObject({ titleId: 'dune21' });
    // Close in popularity: the more popular, picked by popularity alone, as a "maybe" link for the user to confirm.
    const close = buildLinker([
      title('a', { en: ['Crash'] }, { year: 1996, popularity: 0.6 }),
      title('b', { en: ['Crash'] }, { year: 2004, popularity: 0.7 }),
    ]);
    const [link] = linkInput(close, { texts: ['the Crash trailer'] });
    expect(link?.titleId).toBe('b');
    expect(link?.reason).toMatch(/share this name/);
    expect(link?.confidence).toBeLessThan(CONFIDENT_LINK);
  });

  it('links a show named by everyday words when a watching verb with its particle, or a season, stands next to it', () => {
    const phrase = buildLinker([
      title('aot', { 'zh-Hans': ['进击的巨人'] }, { kind: 'anime-series', phraseNames: ['进击的巨人'], popularity: 0.9 }),
      title('love', { 'zh-Hans': ['爱情故事'] }, { kind: 'film', phraseNames: ['爱情故事'], popularity: 0.9 }),
    ]);
    const ids = (text: string): string[] =>
      linkInput(phrase, { texts: [text] })
        .filter((l) => l.confidence >= CONFIDENT_LINK)
        .map((l) => l.titleId);
    expect(ids('进击的巨人')).toEqual([]);
    expect(ids('昨晚看完了进击的巨人')).toEqual(['aot']);
    expect(ids('进击的巨人 第一季 重温')).toEqual(['aot']);
    // A season is a show's: a film of everyday words is not made a title by it.
    expect(ids('爱情故事 第二季')).toEqual([]);
    expect(ids('说完了爱情故事')).toEqual([]);
  });

  it('takes a Reddit community named after a title as about it, and a general one as about nothing', () => {
    const ids = (tag: string): string[] =>
      linkInput(linker, { texts: ['what a finale'], hashtags: [tag] }).map((l) => `${l.titleId} ${l.reason}`);
    expect(ids('r/Inception')).toEqual(['inception r/Inception community']);
    expect(ids('r/movies')).toEqual([]);
  });

  it('takes a name in a trailer on a studio’s own channel as its title, even an everyday word', () => {
    const studio = buildLinker([title('up', { en: ['Up'] }, { commonNames: ['Up'], popularity: 0.9, year: 2009 })]);
    const ids = (text: string, author: string): string[] =>
      linkInput(studio, { texts: [text], author })
        .filter((l) => l.confidence >= CONFIDENT_LINK)
        .map((l) => l.titleId);
    expect(ids('Up | Official Trailer | Disney Pixar', 'youtube:Pixar')).toEqual(['up']);
    expect(ids('Up | Official Trailer', 'youtube:Some Fan')).toEqual([]);
    expect(ids('Cheer up, the weekend is here', 'youtube:Pixar')).toEqual([]);
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
