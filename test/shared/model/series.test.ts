import { describe, expect, it } from 'vitest';
import { seriesKeys } from '../../../src/shared/model/series.ts';

const en = (name: string): string[] => seriesKeys({ titles: { en: [name] } });
const zh = (name: string): string[] => seriesKeys({ titles: { 'zh-Hans': [name] } });

describe('franchise keys from display names', () => {
  it('reads the franchise before a subtitle and without an instalment number', () => {
    for (const name of ['Star Trek', 'Star Trek: Voyager', 'Star Trek II: The Wrath of Khan', 'Star Trek VI: The Undiscovered Country'])
      expect(en(name), name).toEqual(['star trek']);
    expect(en('Toy Story 2')).toEqual(['toy story']);
    expect(en('Blade Runner 2049')).toEqual(['blade runner']);
    expect(en('Rocky IV')).toEqual(['rocky']);
    expect(en('Attack on Titan Season2')).toEqual(['attack on titan']);
    for (const name of ['进击的巨人', '进击的巨人 第二季', '剧场版 进击的巨人 前篇～红莲的弓矢～', '进击的巨人 最终季 Part.2'])
      expect(zh(name), name).toEqual(['进击的巨人']);
    expect(seriesKeys({ titles: { 'zh-Hant': ['劇場版「進擊的巨人」完結篇 THE LAST ATTACK'] } })).toEqual(['進擊的巨人']);
    expect(zh('星际旅行VII：日换星移')).toEqual(['星际旅行']);
    expect(zh('名侦探柯南：绀青之拳')).toEqual(['名侦探柯南']);
  });

  it('errs towards no merge: whole names stay whole, digits and short names are no key, a word ending in "ix" is a word', () => {
    expect(en('Star Trek Into Darkness')).toEqual(['star trek into darkness']);
    expect(en('2001: A Space Odyssey')).toEqual([]);
    expect(en('Up')).toEqual([]);
    expect(en('Mix')).toEqual(['mix']);
    expect(zh('哈利·波特与魔法石')).toEqual(['哈利·波特与魔法石']);
  });

  it('gives one key per script, so an English and a Chinese name can each join their franchise', () => {
    expect(
      seriesKeys({ titles: { en: ['Star Trek Into Darkness'], 'zh-Hans': ['星际迷航：暗黑无界'], 'zh-Hant': ['闇黑無界：星際爭霸戰'] } }),
    ).toEqual(['star trek into darkness', '星际迷航', '闇黑無界']);
  });
});
