import { describe, expect, it } from 'vitest';
import { createBackground } from '../../src/background/background.ts';
import type { SenderInfo } from '../../src/background/router.ts';
import { createStore } from '../../src/background/store.ts';
import { envelope, type Reply } from '../../src/shared/messages.ts';
import type { Settings } from '../../src/shared/settings.ts';

const fromPage: SenderInfo = { fromExtensionPage: true, incognito: false };

describe('a new install’s region', () => {
  it('follows the browser’s language as it is when asked, until the user saves settings', async () => {
    // Chromium can report its default language at the worker's first start, then the profile's own.
    let language = 'en-US';
    const bg = createBackground(createStore(`locale-${Date.now()}`), Date.now, { locale: () => language });
    const get = async (): Promise<Settings> =>
      ((await bg.handle(envelope('settings:get', {}), fromPage)) as Reply<Settings> & { ok: true }).value;
    expect((await get()).region).toBe('US');
    language = 'zh-CN';
    const now = await get();
    expect(now.region).toBe('CN');
    await bg.handle(envelope('settings:set', { ...now, paused: true }), fromPage);
    // Saved: the user's settings stay theirs whatever the browser says later.
    language = 'ja';
    expect((await get()).region).toBe('CN');
  });
});
