import { describe, expect, it } from 'vitest';
import {
  alsoLikedEdges,
  combineLinks,
  enrichTitle,
  localTitle,
  localTitleId,
  matchSubject,
  subjectsFromEvents,
  type LearnedSubject,
} from '../../../src/shared/catalog/learned.ts';
import { buildLinker } from '../../../src/shared/catalog/linker.ts';
import { offeredLinks } from '../../../src/shared/title-display.ts';
import type { CatalogTitle } from '../../../src/shared/catalog/types.ts';
import type { StoredEvent, SubjectFacts, TitleLink } from '../../../src/shared/events.ts';

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
    popularity: 0.6,
    ...extra,
  };
}

const catalog = [
  title('wp:Inception', { en: ['Inception'] }, { year: 2010, genres: ['sci-fi'] }),
  title('wp:Hero_(2002_film)', { en: ['Hero'], 'zh-Hans': ['英雄'] }, { year: 2002 }),
  title('wp:Hero_(1992_film)', { en: ['Hero'] }, { year: 1992 }),
  title('wp:The_Prestige', { en: ['The Prestige'] }, { year: 2006 }),
  title('tmdb:tv/57243', { en: ['Doctor Who'], 'zh-Hans': ['神秘博士'] }, { year: 2005, kind: 'series' }),
  title('wp:Doctor_Who_(film)', { en: ['Doctor Who'] }, { year: 1996 }),
  title('imdb-known', { en: ['Some Film'] }, { year: 2001, externalIds: { imdb: ['tt0000123'] } }),
];
const linker = buildLinker(catalog);

function subject(subjectId: string, facts: SubjectFacts, source: LearnedSubject['source'] = 'page'): LearnedSubject {
  return { key: `douban:${subjectId}`, site: 'douban', subjectId, source, facts, relatedOf: [], seenAt: 0 };
}

function doubanEvent(subjectId: string, at: number, facts: SubjectFacts | undefined, links: TitleLink[] = []): StoredEvent {
  return {
    id: `douban:wish:${subjectId}:${at}`,
    site: 'douban',
    action: 'wish',
    at,
    receivedAt: at,
    target: {
      id: subjectId,
      url: `https://movie.douban.com/subject/${subjectId}/`,
      text: '',
      hashtags: [],
      links: [],
      itemIds: [{ kind: 'douban-subject', value: subjectId }],
      ...(facts ? { facts } : {}),
    },
    links,
    removedTitleIds: [],
  };
}

describe('matching a learned subject to the catalog', () => {
  it('matches by IMDb id before any name', () => {
    expect(matchSubject(linker, subject('1', { names: ['完全不同'], imdb: 'tt0000123', year: 1980 }))).toEqual({
      titleId: 'imdb-known',
      by: 'imdb',
    });
  });

  it('matches by name and year, and a namesake of another year stays apart', () => {
    expect(matchSubject(linker, subject('3541415', { names: ['盗梦空间', 'Inception'], year: 2010 }))).toEqual({
      titleId: 'wp:Inception',
      by: 'name-year',
    });
    // One year off is the same film (festival and release years differ) ...
    expect(matchSubject(linker, subject('3541415', { names: ['Inception'], year: 2011 }))?.titleId).toBe('wp:Inception');
    // ... two years off is another.
    expect(matchSubject(linker, subject('x', { names: ['Inception'], year: 2012 }))).toBeUndefined();
    expect(matchSubject(linker, subject('1306123', { names: ['英雄'], year: 2002 }))?.titleId).toBe('wp:Hero_(2002_film)');
    expect(matchSubject(linker, subject('2', { names: ['Hero'], year: 1992 }))?.titleId).toBe('wp:Hero_(1992_film)');
    expect(matchSubject(linker, subject('3', { names: ['英雄'], year: 2019 }))).toBeUndefined();
  });

  it('never matches a film to a series of the same name and year', () => {
    expect(matchSubject(linker, subject('4', { names: ['神秘博士', 'Doctor Who'], year: 2005, kind: 'series' }))?.titleId).toBe(
      'tmdb:tv/57243',
    );
    expect(matchSubject(linker, subject('5', { names: ['Doctor Who'], year: 2005, kind: 'film' }))).toBeUndefined();
    expect(matchSubject(linker, subject('6', { names: ['Doctor Who'], year: 1996, kind: 'film' }))?.titleId).toBe('wp:Doctor_Who_(film)');
  });

  it('matches a subject known only by name only when one title of its kind bears that strong name', () => {
    expect(matchSubject(linker, subject('7', { names: ['The Prestige'], kind: 'film' }, 'related'))).toEqual({
      titleId: 'wp:The_Prestige',
      by: 'name',
    });
    // Two films are called Hero: no guess.
    expect(matchSubject(linker, subject('8', { names: ['Hero'], kind: 'film' }, 'related'))).toBeUndefined();
  });

  it('takes a related list’s name of everyday words as a whole title, which running text does not', () => {
    // 星际穿越 ("crossing the stars") needs support in a post; in 喜欢这部电影的人也喜欢 it is the whole name of a film.
    const weak = buildLinker([
      title('zw:film:interstellar', { 'zh-Hans': ['星际穿越'], en: ['Interstellar'] }, { year: 2014, phraseNames: ['星际穿越'] }),
      title('zw:series:x', { 'zh-Hans': ['源代码'] }, { kind: 'series', phraseNames: ['源代码'] }),
    ]);
    expect(matchSubject(weak, subject('1889243', { names: ['星际穿越'], kind: 'film' }, 'related'))).toEqual({
      titleId: 'zw:film:interstellar',
      by: 'name',
    });
    // The list under a film names films: a series of that name is not it.
    expect(matchSubject(weak, subject('3075287', { names: ['源代码'], kind: 'film' }, 'related'))).toBeUndefined();
    // A page of its own without a year is not matched on such a name.
    expect(matchSubject(weak, subject('1889243', { names: ['星际穿越'], kind: 'film' }, 'page'))).toBeUndefined();
  });

  it('matches by a Douban id the catalog already carries', () => {
    const withDouban = buildLinker([title('t', { en: ['Anything'] }, { externalIds: { douban: ['99'] } })]);
    expect(matchSubject(withDouban, subject('99', { names: ['别的名字'], year: 1900 }))).toEqual({ titleId: 't', by: 'douban' });
  });
});

describe('subjects from events', () => {
  it('takes the latest facts of each page, and names each related subject once with the pages that list it', () => {
    const events = [
      doubanEvent('1', 10, { names: ['旧名'], year: 2000, kind: 'film', related: [{ id: '9', name: '致命魔术' }] }),
      doubanEvent('1', 20, { names: ['新名'], year: 2000, kind: 'film', related: [{ id: '9', name: '致命魔术' }] }),
      doubanEvent('2', 15, {
        names: ['第二部'],
        kind: 'series',
        related: [
          { id: '9', name: '致命魔术' },
          { id: '2', name: '第二部' },
        ],
      }),
      doubanEvent('3', 5, undefined),
    ];
    const subjects = subjectsFromEvents(events);
    expect([...subjects.keys()]).toEqual(['douban:1', 'douban:2', 'douban:9']);
    expect(subjects.get('douban:1')?.facts.names).toEqual(['新名']);
    expect(subjects.get('douban:1')?.seenAt).toBe(20);
    const related = subjects.get('douban:9');
    expect(related).toMatchObject({ source: 'related', relatedOf: ['1', '2'], facts: { names: ['致命魔术'], kind: 'film' }, seenAt: 20 });
  });

  it('learns a subject from its own page over its mention in a list', () => {
    const events = [
      doubanEvent('1', 10, { names: ['甲'], related: [{ id: '2', name: '乙' }] }),
      doubanEvent('2', 11, { names: ['乙', 'B'], year: 2003 }),
    ];
    expect(subjectsFromEvents(events).get('douban:2')).toMatchObject({ source: 'page', relatedOf: ['1'], facts: { year: 2003 } });
  });
});

describe('local titles', () => {
  it('are what the page said, with their Douban page as link, the region’s searches after it, and no claim on popularity', () => {
    const t = localTitle(
      subject('26895436', {
        names: ['北海鲸梦', 'The Whale Dream'],
        aliases: [{ name: '鲸梦', region: '港' }],
        year: 2021,
        genres: ['纪录片'],
        directors: ['甲导演'],
        cast: ['乙演员'],
        imdb: 'tt12345678',
      }),
    );
    expect(t).toEqual({
      id: 'local:douban:26895436',
      kind: 'documentary',
      titles: { 'zh-Hans': ['北海鲸梦'], original: ['The Whale Dream'], en: ['The Whale Dream'] },
      aliases: ['鲸梦'],
      hashtags: [],
      year: 2021,
      genres: ['documentary'],
      people: ['乙演员', '甲导演'],
      directors: ['甲导演'],
      externalIds: { douban: ['26895436'], imdb: ['tt12345678'] },
      watch: [{ platform: 'douban', regions: [], url: 'https://movie.douban.com/subject/26895436/' }],
      popularity: 0,
      popularityKnown: false,
    });
    // The card offers the page, then the region's searches for the name it shows (no link says where it streams).
    const offered = (region: string): string[] =>
      offeredLinks(t.watch, { platforms: [], region }, '北海鲸梦').map((link) => `${link.platform} ${link.url}`);
    const q = encodeURIComponent('北海鲸梦');
    expect(offered('CN')).toEqual([
      'douban https://movie.douban.com/subject/26895436/',
      `qq_search https://v.qq.com/x/search/?q=${q}`,
      `iqiyi_search https://so.iqiyi.com/so/q_${q}`,
      `bilibili_search https://search.bilibili.com/all?keyword=${q}`,
    ]);
    expect(offered('GB')).toEqual([
      'douban https://movie.douban.com/subject/26895436/',
      `justwatch_search https://www.justwatch.com/uk/search?q=${q}`,
    ]);
    expect(offered('ZA')).toEqual(['douban https://movie.douban.com/subject/26895436/']);
    expect(localTitle(subject('1', { names: ['进击的巨人'], kind: 'series', genres: ['动画'], regions: ['日本'] })).kind).toBe(
      'anime-series',
    );
    expect(localTitle(subject('1', { names: ['神秘博士'], kind: 'series' })).kind).toBe('series');
  });
});

describe('enriching a catalog title', () => {
  it('adds the Douban id, the Chinese name it lacked and the aliases, and keeps what the catalog says', () => {
    const inception = catalog[0] as CatalogTitle;
    const enriched = enrichTitle(inception, [
      subject('3541415', {
        names: ['盗梦空间', 'Inception'],
        aliases: [
          { name: '潜行凶间', region: '港' },
          { name: '全面启动', region: '台' },
        ],
        year: 2009,
        genres: ['剧情', '科幻'],
        directors: ['克里斯托弗·诺兰'],
        imdb: 'tt1375666',
      }),
    ]);
    expect(enriched.titles).toEqual({ en: ['Inception'], 'zh-Hans': ['盗梦空间'] });
    expect(enriched.aliases).toEqual(['潜行凶间', '全面启动']);
    expect(enriched.externalIds).toEqual({ douban: ['3541415'], imdb: ['tt1375666'] });
    expect(enriched.year).toBe(2010);
    expect(enriched.genres).toEqual(['sci-fi']);
    expect(enriched.directors).toEqual(['克里斯托弗·诺兰']);
    expect(inception.aliases).toEqual([]);
  });
});

describe('combining links', () => {
  const link = (titleId: string, confidence: number, via: TitleLink['via']): TitleLink => ({
    titleId,
    confidence,
    reason: 'r',
    source: 'linker',
    via,
  });

  it('keeps the surer link per title, and drops the catalog’s subject-name guesses when the subject id is known', () => {
    const combined = combineLinks(
      [link('wp:Hero_(1992_film)', 0.8, 'subject'), link('wp:Inception', 0.9, 'text'), link('a', 0.5, 'text')],
      [link('local:douban:1', 0.98, 'id'), link('a', 0.7, 'text')],
    );
    expect(combined.map((l) => [l.titleId, l.confidence])).toEqual([
      ['local:douban:1', 0.98],
      ['wp:Inception', 0.9],
      ['a', 0.7],
    ]);
    expect(combineLinks([link('b', 0.8, 'subject')], [link('a', 0.7, 'text')]).map((l) => l.titleId)).toEqual(['b', 'a']);
  });
});

describe('also-liked edges', () => {
  it('go from a page the user engaged on, linked by its id, to each listed subject the device knows', () => {
    const byId: TitleLink = { titleId: 'wp:Inception', confidence: 0.98, reason: 'douban subject', source: 'linker', via: 'id' };
    const events = [
      doubanEvent(
        '3541415',
        1,
        {
          names: ['盗梦空间'],
          related: [
            { id: '1', name: '致命魔术' },
            { id: '404', name: '不认识' },
          ],
        },
        [byId],
      ),
      // Linked only as a maybe: not the user's engagement with the title yet.
      doubanEvent('2', 2, { names: ['乙'], related: [{ id: '1', name: '致命魔术' }] }, [
        { ...byId, titleId: localTitleId('2'), confidence: 0.5 },
      ]),
    ];
    const titleOf = (id: string): string | undefined => ({ '3541415': 'wp:Inception', '1': 'wp:The_Prestige', '2': localTitleId('2') })[id];
    expect(alsoLikedEdges(events, titleOf)).toEqual([{ from: 'wp:Inception', to: 'wp:The_Prestige', eventId: events[0]?.id }]);
  });
});
