// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import type { StoredEvent } from '../../src/shared/events.ts';
import type { Suggestion } from '../../src/shared/suggestions.ts';
import { catalogTitle } from '../fixtures/catalog.ts';
import { xLike } from '../fixtures/events.ts';
import { localeMessage } from '../fixtures/i18n.ts';

/** chrome.i18n.getMessage over the real zh_CN messages. */
function getMessage(key: string, substitutions?: string | string[]): string {
  return localeMessage('zh_CN', key, substitutions);
}

/** The background's answer to data:get-events: the stored events of those ids. */
const stored = new Map<string, StoredEvent>();
const sendMessage = vi.fn(async (message: { type: string; payload: { ids: string[] } }) => {
  if (message.type !== 'data:get-events') return { ok: false, error: { code: 'internal', message: message.type } };
  return { ok: true, value: message.payload.ids.flatMap((id) => stored.get(id) ?? []) };
});
vi.mock('webextension-polyfill', () => ({
  default: { i18n: { getMessage, getUILanguage: () => 'zh-CN' }, runtime: { sendMessage } },
}));

const { suggestionCard } = await import('../../src/popup/suggestion-card.ts');

function share(n: number): StoredEvent {
  const id = `x:repost:${n}`;
  const base = xLike({ action: 'repost', at: 1_760_000_000_000 + n * 60_000 });
  return { ...base, id, receivedAt: base.at, links: [], removedTitleIds: [], target: { ...base.target, id: String(n), text: `第${n}条` } };
}

function card(count: number, eventIds: string[]): HTMLLIElement {
  const suggestion: Suggestion = {
    titleId: 'b',
    score: 0.5,
    strategy: 'model',
    exploration: false,
    title: catalogTitle('b', { titles: { 'zh-Hans': ['星际穿越'] } }),
    reasons: [
      {
        phrase: { key: 'reasonGenreLike', substitutions: ['sci-fi', ''] },
        evidence: { key: 'evidenceShared_other', substitutions: [String(count)] },
        weight: 1,
        eventIds,
        anchor: { id: 'a', titles: { 'zh-Hans': ['盗梦空间'] }, aliases: [] },
        claim: { relation: 'genre', genre: 'sci-fi', anchor: 'a', group: 'share', count },
      },
    ],
  };
  return suggestionCard(suggestion, {
    settings: { platforms: {}, region: 'CN' } as never,
    uiLanguage: 'zh-CN',
    undoable: () => undefined,
    error: (error) => {
      throw error;
    },
  });
}

async function opened(li: HTMLLIElement): Promise<string[]> {
  const details = li.querySelector('details.why') as HTMLDetailsElement;
  details.open = true;
  details.dispatchEvent(new Event('toggle'));
  await vi.waitFor(() => expect(li.querySelector('.why-events a')).not.toBeNull());
  return [...li.querySelectorAll('.why-events li')].map((item) => item.textContent ?? '');
}

describe('"Why this?" under a counted reason', () => {
  it('lists three of five shares and says where the other two are', async () => {
    for (let n = 1; n <= 5; n += 1) stored.set(share(n).id, share(n));
    const lines = await opened(card(5, ['x:repost:5', 'x:repost:4', 'x:repost:3']));
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 3).every((line) => line.includes('第'))).toBe(true);
    expect(lines[3]).toBe('另有2条，见“你的数据”');
  });

  it('adds no line when every counted event is listed', async () => {
    for (let n = 1; n <= 2; n += 1) stored.set(share(n).id, share(n));
    const lines = await opened(card(2, ['x:repost:2', 'x:repost:1']));
    expect(lines).toHaveLength(2);
    expect(lines.join('')).not.toContain('另有');
  });
});
