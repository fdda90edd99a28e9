import { describe, expect, it } from 'vitest';
import { foldName } from '../../src/shared/catalog/fold.ts';
import { junkReason, type CgroupRow } from '../../scripts/catalog/junk-rules.ts';
import { keyNames } from '../../scripts/catalog/cgroup.ts';

// Rules as in ../shared/data/title-aliases-zhwiki-cgroup/aliases.jsonl (group, key, some Chinese titles).
const rule = (group: string, original: string | null, ...zh: string[]): CgroupRow => ({
  group,
  original,
  variants: { 'zh-cn': zh },
  unidirectional_sources: [],
});
const films = new Set(['monstersinc', 'thedarjeelinglimited'].map(foldName));
const evidence = { isTitleName: (folded: string): boolean => films.has(folded) };
const why = (row: CgroupRow): string | undefined => junkReason(row, evidence);

describe('CGroup rules that are not titles', () => {
  it.each([
    [rule('KO TV Show', 'digital TV', '数字电视'), /generic word/],
    [rule('JP Show', 'red carpet', '红地毯'), /generic word/],
    [rule('Anime', 'アニメドラマ', '动画剧集'), /generic word/],
    [rule('LuaMovie', 'Band', '乐队'), /generic word/],
    [rule('LuaMovie', 'Festival', '电影节', '影展'), /generic word|festival/],
    [rule('Cartoon', 'HD', '高清'), /acronym/],
    [rule('KO TV Show', '대종상', '大钟奖'), /award/],
    [rule('Movie', 'César Awards', '凯撒奖'), /award/],
    [rule('Movie', 'première', '首映礼'), /generic word|ceremony/],
    [rule('Anime', "Festival International du Film d'Animation d'Annecy", '安纳西国际动画电影节'), /festival/],
    [rule('Movie', 'Sundance', '圣丹斯'), /festival/],
    [rule('JP Show', '座頭市 (總稱)', '盲侠'), /franchise/],
    [rule('Movie', 'Pirates of the Caribbean', '加勒比海盗系列'), /franchise/],
    [rule('LuaMovie', 'Pixar Animation Studios', '皮克斯动画工作室'), /studio/],
    [rule('Movie', 'Lucasfilm', '卢卡斯影业'), /studio/],
    [rule('TV', 'Netflix', '奈飞'), /studio/],
    [rule('JP Show', '松嶋 菜々子', '松嶋菜菜子'), /person/],
    [rule('Anime', '北条司', '北条司'), /person/],
    [rule('MCU', 'Stark', '斯塔克'), /MCU/],
    [rule('Movie', null, '某片'), /conversion-only/],
  ])('drops %o', (row, reason) => {
    expect(why(row)).toMatch(reason);
  });

  it.each([
    rule('Movie', 'Inception', '盗梦空间'),
    rule('Movie', 'Face/Off', '变脸'),
    rule('TV', 'M*A*S*H', '陆军野战医院'),
    rule('TV', 'ER', '急诊室的故事'),
    rule('IN Movie', 'RRR', '革命双雄'),
    rule('Movie', 'Volver', '回归'),
    rule('TV', 'You', '你'),
    rule('Movie', 'Everything Everywhere All at Once', '瞬息全宇宙'),
    rule('Movie', "Rifkin's Festival", '情迷电影节'),
    rule('TV', 'The Studio', '片厂风云'),
    rule('TV', 'Alex, Inc.', '我要做老板'),
    rule('TV', 'Studio 60 on the Sunset Strip', '日落大道60号演播室'),
    rule('TV', 'iZombie', '我是僵尸'),
    rule('Cartoon', 'Beast Machines', '百变金刚：重机械系列'),
    rule('ZH Show', '懸紅', '悬赏'),
    // A studio-looking Chinese title, kept by the film row of the same name.
    rule('Movie', 'Monsters, Inc.', '怪兽电力公司'),
    rule('TH Movie', null, '拳霸'),
  ])('keeps the title %o', (row) => {
    expect(why(row)).toBeUndefined();
  });

  it('reads the English title of a foreign film key and un-inverts articles', () => {
    expect(keyNames('Kaze tachinu (The Wind Rises)')).toEqual({ original: 'Kaze tachinu', en: 'The Wind Rises' });
    expect(keyNames('Simpsons Movie, The')).toEqual({ original: 'The Simpsons Movie' });
    expect(keyNames('Inception')).toEqual({ original: 'Inception' });
    expect(keyNames('Friends (TV)')).toEqual({ original: 'Friends (TV)' });
  });
});
