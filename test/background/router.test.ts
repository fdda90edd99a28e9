import { describe, expect, it } from 'vitest';
import { createBus, type BackgroundEvents } from '../../src/background/bus.ts';
import {
  createRouter,
  messageListener,
  refuseContentSender,
  senderInfo,
  type Handlers,
  type SenderInfo,
} from '../../src/background/router.ts';
import { openTabTargets } from '../../src/background/site-access.ts';
import { envelope } from '../../src/shared/messages.ts';
import { defaultSettings } from '../../src/shared/settings.ts';

const self = { id: 'reelflow@example', origin: 'chrome-extension://abcdef' };

describe('senderInfo', () => {
  it("reads an extension page by its frame's origin", () => {
    expect(senderInfo({ id: self.id, url: 'chrome-extension://abcdef/popup.html' }, self)).toEqual({
      fromExtensionPage: true,
      incognito: false,
    });
  });

  it("reads a content script's tab host and private window", () => {
    const tab = { url: 'https://x.com/home', incognito: true };
    expect(senderInfo({ id: self.id, url: 'https://x.com/home', tab }, self)).toEqual({
      fromExtensionPage: false,
      tabHost: 'x.com',
      incognito: true,
    });
    // The tab's id, for the per-tab rate limit.
    expect(
      senderInfo({ id: self.id, url: 'https://x.com/home', tab: { id: 7, url: 'https://x.com/home', incognito: false } }, self)?.tabId,
    ).toBe(7);
    // Without the frame's URL, the tab's is used.
    expect(senderInfo({ id: self.id, tab: { url: 'https://weibo.com/1', incognito: false } }, self)?.tabHost).toBe('weibo.com');
  });

  it('never takes a page of another origin for an extension page', () => {
    expect(senderInfo({ id: self.id, url: 'https://abcdef/popup.html' }, self)?.fromExtensionPage).toBe(false);
    expect(senderInfo({ id: self.id, url: 'moz-extension://abcdef/popup.html' }, self)?.fromExtensionPage).toBe(false);
    expect(senderInfo({ id: self.id, url: 'not a url' }, self)).toEqual({ fromExtensionPage: false, incognito: false });
  });

  it('is undefined for another extension, so its message is not ours to answer', () => {
    expect(senderInfo({ id: 'other@example', url: 'chrome-extension://abcdef/popup.html' }, self)).toBeUndefined();
    expect(senderInfo({ url: 'https://x.com/' }, self)).toBeUndefined();
  });
});

describe('the private-window filter and the site check', () => {
  const tab = (host: string, incognito = false): SenderInfo => ({ fromExtensionPage: false, tabHost: host, incognito });

  it('refuses every content script in a private window, whatever its site', () => {
    expect(refuseContentSender('x', tab('x.com', true))).toBe('private window');
    expect(refuseContentSender('x', { fromExtensionPage: true, incognito: true })).toBe('private window');
  });

  it('lets a content script speak only for the site of its tab', () => {
    expect(refuseContentSender('x', tab('x.com'))).toBeUndefined();
    expect(refuseContentSender('x', tab('twitter.com'))).toBeUndefined();
    expect(refuseContentSender('weibo', tab('x.com'))).toMatch(/does not match/);
    expect(refuseContentSender('x', tab('evil.example'))).toMatch(/does not match/);
    expect(refuseContentSender('x', { fromExtensionPage: false, incognito: false })).toMatch(/does not match/);
  });

  it('lets extension pages speak for any site (the options page, the tests)', () => {
    expect(refuseContentSender('douban', { fromExtensionPage: true, incognito: false })).toBeUndefined();
  });

  it('runs a site script in the open tabs of the normal windows only', () => {
    expect(
      openTabTargets([{ id: 1, incognito: false }, { id: 2, incognito: true }, { incognito: false }, { id: 3, incognito: false }]),
    ).toEqual([1, 3]);
  });
});

describe('the router', () => {
  const calls: string[] = [];
  const stub = new Proxy(
    {},
    {
      get: (_target, type: string) => async () => {
        calls.push(type);
        if (type === 'model:status') throw new Error('boom');
        return type === 'settings:get' ? defaultSettings() : {};
      },
    },
  ) as Handlers;
  const route = createRouter(stub);
  const page: SenderInfo = { fromExtensionPage: true, incognito: false };
  const content: SenderInfo = { fromExtensionPage: false, tabHost: 'x.com', incognito: false };

  it('answers only Reelflow envelopes', () => {
    expect(route({ type: 'settings:get' }, page)).toBeUndefined();
    expect(route('hello', page)).toBeUndefined();
  });

  it('refuses messages for extension pages from a content script, before any handler runs', async () => {
    calls.length = 0;
    expect(await route(envelope('settings:get', {}), content)).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'settings:get is not allowed from a content script' },
    });
    expect(await route(envelope('data:delete-all', { confirm: true }), content)).toMatchObject({ ok: false });
    expect(calls).toEqual([]);
    expect(await route(envelope('content:hello', { site: 'x' }), content)).toEqual({ ok: true, value: {} });
    expect(calls).toEqual(['content:hello']);
  });

  it('wraps a thrown error as data', async () => {
    expect(await route(envelope('model:status', {}), page)).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } });
  });

  it('hands runtime messages on only from this extension', async () => {
    const listener = messageListener(route, self);
    expect(listener(envelope('settings:get', {}), { id: 'other@example', url: 'chrome-extension://abcdef/options.html' })).toBeUndefined();
    expect(await listener(envelope('settings:get', {}), { id: self.id, url: 'chrome-extension://abcdef/options.html' })).toMatchObject({
      ok: true,
    });
  });
});

describe('the event bus', () => {
  it('calls every listener in order with its arguments and settles when all have', async () => {
    const bus = createBus<BackgroundEvents>();
    const seen: string[] = [];
    let release: () => void = () => undefined;
    bus.on('events-changed', (change) => seen.push(`a:${change}`));
    bus.on('events-changed', () => new Promise<void>((resolve) => (release = resolve)).then(() => seen.push('b')));
    let settled = false;
    const done = bus.emit('events-changed', 'removed').then(() => (settled = true));
    expect(seen).toEqual(['a:removed']);
    await Promise.resolve();
    expect(settled).toBe(false);
    release();
    await done;
    expect(seen).toEqual(['a:removed', 'b']);
  });

  it('rejects when a listener throws, after calling the others; a removed listener is not called', async () => {
    const bus = createBus<BackgroundEvents>();
    let called = 0;
    bus.on('feedback-changed', () => {
      throw new Error('listener failed');
    });
    const off = bus.on('feedback-changed', () => (called += 10));
    bus.on('feedback-changed', () => (called += 1));
    await expect(bus.emit('feedback-changed')).rejects.toThrow('listener failed');
    expect(called).toBe(11);
    off();
    await bus.emit('feedback-changed').catch(() => undefined);
    expect(called).toBe(12);
  });
});
