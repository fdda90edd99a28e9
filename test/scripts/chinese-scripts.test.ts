import { describe, expect, it } from 'vitest';
import { fillChineseScripts } from '../../scripts/chinese-scripts.ts';

describe('fillChineseScripts', () => {
  it('gives a traditional-only title its simplified name, and a simplified-only one its traditional name', () => {
    const hantOnly = { 'zh-Hans': new Set<string>(), 'zh-Hant': new Set(['三姊妹偵探團', '進擊的巨人']) };
    expect(fillChineseScripts(hantOnly)).toBe(1);
    expect([...hantOnly['zh-Hans']]).toEqual(['三姊妹侦探团', '进击的巨人']);
    const hansOnly = { 'zh-Hans': new Set(['葬送的芙莉莲']), 'zh-Hant': new Set<string>() };
    expect(fillChineseScripts(hansOnly)).toBe(1);
    expect([...hansOnly['zh-Hant']]).toEqual(['葬送的芙莉蓮']);
  });

  it('leaves titles with both scripts, or with neither, as they are', () => {
    const both = { 'zh-Hans': new Set(['盲侠']), 'zh-Hant': new Set(['盲劍客']) };
    expect(fillChineseScripts(both)).toBe(0);
    expect(both).toEqual({ 'zh-Hans': new Set(['盲侠']), 'zh-Hant': new Set(['盲劍客']) });
    const neither = { 'zh-Hans': new Set<string>(), 'zh-Hant': new Set<string>() };
    expect(fillChineseScripts(neither)).toBe(0);
    expect(neither['zh-Hans'].size + neither['zh-Hant'].size).toBe(0);
  });
});
