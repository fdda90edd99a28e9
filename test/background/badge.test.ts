import { beforeEach, describe, expect, it } from 'vitest';
import { createBackground } from '../../src/background/background.ts';
import { badgeText, createBadge, type BadgeApi } from '../../src/background/badge.ts';
import type { SenderInfo } from '../../src/background/router.ts';
import { createStore } from '../../src/background/store.ts';
import { envelope, type Reply } from '../../src/shared/messages.ts';
import { defaultSettings } from '../../src/shared/settings.ts';
import { xLike } from '../fixtures/events.ts';

let counter = 0;
const page: SenderInfo = { fromExtensionPage: true, incognito: false };
const tab = (tabId: number): SenderInfo => ({ fromExtensionPage: false, tabHost: 'x.com', incognito: false, tabId });

/** A badge API that keeps what the toolbar would show, per tab. */
function recordingApi(): BadgeApi & { shown: Map<number, string> } {
  const shown = new Map<number, string>();
  return {
    shown,
    async show(tabId, text) {
      shown.set(tabId, text);
    },
    async clearAll() {
      shown.clear();
    },
  };
}

async function ok<T>(reply: Promise<unknown> | undefined): Promise<T> {
  const r = (await reply) as Reply<T>;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('the toolbar badge', () => {
  let api: ReturnType<typeof recordingApi>;
  let bg: ReturnType<typeof createBackground>;

  beforeEach(async () => {
    api = recordingApi();
    bg = createBackground(createStore(`badge-${counter++}`), () => 1_780_000_000_000, { badge: createBadge(api) });
    const settings = defaultSettings();
    settings.sites.x.enabled = true;
    await ok(bg.handle(envelope('settings:set', settings), page));
  });

  const like = (id: string) => xLike({ target: { ...xLike().target, id, itemIds: [] } });

  it('counts the captures stored from each tab, and clears when the popup is opened', async () => {
    await ok(bg.handle(envelope('capture:event', like('1')), tab(7)));
    await ok(bg.handle(envelope('capture:event', like('2')), tab(7)));
    await ok(bg.handle(envelope('capture:event', like('3')), tab(9)));
    expect([...api.shown]).toEqual([
      [7, '2'],
      [9, '1'],
    ]);
    await ok(bg.handle(envelope('popup:suggestions', {}), page));
    expect(api.shown.size).toBe(0);
    await ok(bg.handle(envelope('capture:event', like('4')), tab(7)));
    expect(api.shown.get(7)).toBe('1');
  });

  it('shows nothing for a capture that was not stored, or when the user turned it off', async () => {
    const settings = defaultSettings();
    settings.sites.x.enabled = true;
    settings.sites.x.actions = ['repost'];
    await ok(bg.handle(envelope('settings:set', settings), page));
    await ok(bg.handle(envelope('capture:event', like('1')), tab(7)));
    expect(api.shown.size).toBe(0);
    await ok(
      bg.handle(
        envelope('settings:set', {
          ...defaultSettings(),
          captureBadge: false,
          sites: { ...settings.sites, x: { enabled: true, actions: ['like'] } },
        }),
        page,
      ),
    );
    await ok(bg.handle(envelope('capture:event', like('2')), tab(7)));
    expect(api.shown.size).toBe(0);
  });

  it('fits the icon', () => {
    expect([1, 99, 100, 5000].map(badgeText)).toEqual(['1', '99', '99+', '99+']);
  });
});
