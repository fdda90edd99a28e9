import { describe, expect, it, vi } from 'vitest';
import type { StorageNotice } from '../../src/shared/messages.ts';
import { localeMessage } from '../fixtures/i18n.ts';

let locale = 'en';

/** browser.i18n.getMessage over the real locale files. */
function getMessage(key: string, substitutions?: string | string[]): string {
  return localeMessage(locale, key, substitutions);
}

vi.mock('webextension-polyfill', () => ({ default: { i18n: { getMessage, getUILanguage: () => 'en' }, runtime: {} } }));
vi.stubGlobal('navigator', { language: 'en-GB' });

const { storageNoticeLines } = await import('../../src/options/your-data.ts');

const FULL_AT = Date.UTC(2025, 9, 9, 12, 0);
const PRUNED_UP_TO = Date.UTC(2025, 2, 1, 8, 30);
const when = (at: number): string => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(at);

describe('the storage notice on the options page', () => {
  it('says what waits, what was removed to make room, and that the actions are kept', () => {
    const notice: StorageNotice = {
      fullAt: FULL_AT,
      waiting: 2,
      saved: 0,
      prunedEvents: 33,
      prunedUpTo: PRUNED_UP_TO,
      droppedCaches: [],
    };
    expect(storageNoticeLines(notice)).toEqual([
      'Storage is full: 2 captured actions are waiting to be saved. ' +
        'Nothing is lost: Reelflow keeps trying and saves them as soon as there is room.',
      `To make room, Reelflow removed the text of the 33 oldest posts (captured up to ${when(PRUNED_UP_TO)}); ` +
        'the actions themselves, with their titles and links, are kept.',
    ]);
  });

  it('says when nothing could be freed yet, when a cache went, and when captures are only in memory', () => {
    expect(storageNoticeLines({ fullAt: FULL_AT, waiting: 1, saved: 0, prunedEvents: 0, droppedCaches: [], memoryOnly: true })).toEqual([
      expect.stringContaining('1 captured actions are waiting'),
      'Nothing could be freed yet: the browser refuses every write while storage is full. ' +
        'Free some disk space, or delete old actions below.',
      expect.stringContaining('held in memory'),
    ]);
    expect(storageNoticeLines({ fullAt: FULL_AT, waiting: 0, saved: 3, prunedEvents: 0, droppedCaches: ['linkerSnapshot'] })).toEqual([
      `Storage was full on ${when(FULL_AT)}. The 3 actions that waited for room have been saved; nothing was lost.`,
      'It also deleted its saved copy of the catalog index, which it rebuilds when it next starts.',
    ]);
  });

  it('has every sentence in Chinese too', () => {
    locale = 'zh_CN';
    try {
      const lines = storageNoticeLines({
        fullAt: FULL_AT,
        waiting: 0,
        saved: 1,
        prunedEvents: 5,
        prunedUpTo: PRUNED_UP_TO,
        droppedCaches: ['linkerSnapshot'],
      });
      expect(lines).toEqual([
        `${when(FULL_AT)} 时存储空间已满。等待空间的 1 条操作都已保存，没有丢失任何内容。`,
        `为腾出空间，Reelflow 删除了最早的 5 条帖子的文字（记录于 ${when(PRUNED_UP_TO)} 及之前）；操作本身及其作品和链接都保留了。`,
        '它还删除了已保存的目录索引副本，下次启动时会重新生成。',
      ]);
    } finally {
      locale = 'en';
    }
  });
});
