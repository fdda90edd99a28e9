import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION_KINDS } from '../../src/shared/events.ts';
import { SITE_IDS } from '../../src/shared/sites.ts';
import { HEALTH_ELEMENTS } from '../../src/shared/health.ts';
import { TASTE_FACETS } from '../../src/shared/model/taste.ts';

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

const load = (locale: string): Messages => JSON.parse(readFileSync(`public/_locales/${locale}/messages.json`, 'utf8')) as Messages;
const en = load('en');
const zh = load('zh_CN');
const tw = load('zh_TW');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|html)$/.test(name) ? [path] : [];
  });
}

/** Keys the code builds from a prefix and a value, with every value it can take. */
const DYNAMIC: Record<string, readonly string[]> = {
  site_: SITE_IDS,
  action_: ACTION_KINDS,
  eventLine_: ACTION_KINDS,
  actionName_: ACTION_KINDS,
  kind_: ['film', 'series', 'anime-series', 'anime-film', 'variety', 'documentary', 'special', 'other'],
  feedback_: ['interested', 'not-interested', 'seen', 'click'],
  catalogSource_: ['default', 'imported', 'remote'],
  healthElement_: HEALTH_ELEMENTS,
  optionsTaste_: TASTE_FACETS,
};

describe('locales', () => {
  it('have the same keys and placeholders in English and both Chinese locales', () => {
    for (const other of [zh, tw]) {
      expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en)) {
        expect(Object.keys(other[key]?.placeholders ?? {}).sort(), key).toEqual(Object.keys(en[key]?.placeholders ?? {}).sort());
      }
    }
  });

  it('write zh_TW in traditional script with Taiwanese terms, not the mainland’s', () => {
    const text = Object.values(tw)
      .map((m) => m.message)
      .join('\n');
    // Simplified-only characters and mainland terms the draft must not keep.
    for (const mainland of ['设置', '数据', '导出', '导入', '链接', '帖子', '视频', '搜索', '默认', '许可权', '许可權', '反饋', '質量']) {
      expect(text, mainland).not.toContain(mainland);
    }
    // Taiwanese usage: comments are 留言, tabs 分頁, records 筆紀錄, quotes 「」, and no 洞察.
    for (const mainland of ['評論過', '標籤頁', '條記錄', '洞察', '“', '”']) expect(text, mainland).not.toContain(mainland);
    expect(tw['action_comment']?.message).toBe('留言');
    expect(tw['action_review']?.message).toBe('評論');
    expect(tw['optionsInsights']?.message).toBe('推薦成效');
    expect(tw['optionsExport']?.message).toBe('匯出全部資料');
    expect(tw['popupSearchOn']?.message).toBe('在$P1$搜尋');
  });

  it('say each kind of action as a whole sentence in the event lines, the post quoted once, with no verb slot left open', () => {
    for (const messages of [en, zh, tw])
      for (const action of ACTION_KINDS) {
        const line = messages[`eventLine_${action}`]?.message ?? '';
        expect(line.match(/\$TEXT\$/g), action).toHaveLength(1);
        expect(line, action).toMatch(/^\$DATE\$[:：]/);
        expect(line, action).toContain('$SITE$');
      }
    // The lines the issue found machine-made: 你在豆瓣有用了"…", "you watching “…”".
    expect(zh['eventLine_helpful']?.message).toBe('$DATE$：你在$SITE$把“$TEXT$”标为有用');
    expect(en['eventLine_watching']?.message).toBe('$DATE$: on $SITE$ you marked “$TEXT$” watching');
    expect(tw['eventLine_wish']?.message).toBe('$DATE$：你在$SITE$把「$TEXT$」標為想看');
  });

  it('use only the characters Chrome allows in message names', () => {
    for (const key of Object.keys(en)) expect(key, key).toMatch(/^(@@)?[A-Za-z0-9_]+$/);
  });

  it('have a message for every key and a placeholder for every $NAME$ used', () => {
    for (const messages of [en, zh, tw]) {
      for (const [key, { message, placeholders }] of Object.entries(messages)) {
        expect(message.trim(), key).not.toBe('');
        for (const [, name] of message.matchAll(/\$([A-Za-z0-9_]+)\$/g)) {
          expect(
            Object.keys(placeholders ?? {}).map((p) => p.toLowerCase()),
            `${key} uses $${name}$`,
          ).toContain(name?.toLowerCase());
        }
      }
    }
  });

  it('define every key the popup, options page and shared code use', () => {
    const used = new Set<string>();
    const prefixes = new Set<string>();
    for (const file of [...sourceFiles('src/popup'), ...sourceFiles('src/options'), ...sourceFiles('src/shared')]) {
      const text = readFileSync(file, 'utf8');
      for (const [, key] of text.matchAll(/\bt\('([^']+)'/g)) used.add(key as string);
      for (const [, key] of text.matchAll(/data-i18n(?:-label)?="([^"]+)"/g)) used.add(key as string);
      // Keys passed around as values before reaching t(): 'popupHiddenSeen', 'optionsRetention'.
      for (const [, key] of text.matchAll(/'((?:popup|options|error)[A-Z][A-Za-z]+)'/g)) used.add(key as string);
      for (const [, prefix] of text.matchAll(/\bt\(`([A-Za-z]+_)\$\{/g)) prefixes.add(prefix as string);
    }
    used.delete('@@ui_locale');
    for (const prefix of prefixes) {
      expect(DYNAMIC, `values of the dynamic key ${prefix}…`).toHaveProperty([prefix]);
      // Message names allow only [A-Za-z0-9_]; the code maps '-' in values to '_'.
      for (const value of DYNAMIC[prefix] ?? []) used.add(prefix + value.replace(/-/g, '_'));
    }
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((key) => !(key in en));
    expect(missing).toEqual([]);
  });
});
