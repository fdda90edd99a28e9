import type { StoredEvent } from '../../src/shared/events.ts';
import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, describe, expect, it } from 'vitest';
import { createBackground } from '../../src/background/background.ts';
import type { SenderInfo } from '../../src/background/router.ts';
import { RATE_LIMITS } from '../../src/background/handlers/capture.ts';
import { createStore, type Store } from '../../src/background/store.ts';
import { envelope } from '../../src/shared/messages.ts';
import { defaultSettings } from '../../src/shared/settings.ts';
import { POPUP_SNAPSHOT_KEY } from '../../src/shared/suggestions.ts';
import { xLike } from '../fixtures/events.ts';

const fromX: SenderInfo = { fromExtensionPage: false, tabHost: 'x.com', incognito: false };
const fromPage: SenderInfo = { fromExtensionPage: true, incognito: false };
let dbCounter = 0;

async function call(bg: ReturnType<typeof createBackground>, message: unknown, sender: SenderInfo = fromPage) {
  const reply = bg.handle(message, sender);
  if (!reply) throw new Error('no reply');
  return reply;
}

describe('background handlers', () => {
  let store: Store;
  let bg: ReturnType<typeof createBackground>;

  beforeEach(async () => {
    store = createStore(`handlers-${dbCounter++}`);
    fakeBrowser.reset();
    bg = createBackground(store, () => 1_760_000_000_500, { session: fakeBrowser.storage.session });
    const settings = defaultSettings();
    settings.sites.x.enabled = true;
    await call(bg, envelope('settings:set', settings));
  });

  it('ignores messages that are not Reelflow envelopes', () => {
    expect(bg.handle({ hello: 'world' }, fromPage)).toBeUndefined();
    expect(bg.handle('string', fromPage)).toBeUndefined();
  });

  it('answers an unknown type with an error and stores nothing', async () => {
    const reply = await call(bg, { reelflow: 1, type: 'capture:everything', payload: {} }, fromX);
    expect(reply).toEqual({ ok: false, error: { code: 'unknown-type', message: expect.stringContaining('capture:everything') } });
    expect(await store.read((db) => db.count('events'))).toBe(0);
  });

  it('rejects a malformed event with a message naming the problem and stores nothing', async () => {
    const bad = { ...xLike(), target: { ...xLike().target, url: 'not a url' } };
    const reply = await call(bg, { reelflow: 1, type: 'capture:event', payload: bad }, fromX);
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe('invalid');
      expect(reply.error.message).toMatch(/url/i);
    }
    const extra = { ...xLike(), injected: '<img src=x onerror=alert(1)>' };
    expect((await call(bg, { reelflow: 1, type: 'capture:event', payload: extra }, fromX)).ok).toBe(false);
    expect(await store.read((db) => db.count('events'))).toBe(0);
  });

  it('stores a valid event once, however often it is sent', async () => {
    const first = await call(bg, envelope('capture:event', xLike()), fromX);
    expect(first).toEqual({ ok: true, value: { stored: true, id: 'x:like:1981234567890' } });
    await call(bg, envelope('capture:event', xLike({ at: 1_760_000_009_000 })), fromX);
    const events = await store.read((db) => db.getAll('events'));
    expect(events).toHaveLength(1);
    expect(events[0]?.at).toBe(1_760_000_000_000);
    expect(events[0]?.target.hashtags).toEqual(['StrangerThings']);
  });

  it('refuses events from a tab of another site, from private windows, and from disabled sites', async () => {
    const fromDouban: SenderInfo = { fromExtensionPage: false, tabHost: 'movie.douban.com', incognito: false };
    expect(await call(bg, envelope('capture:event', xLike()), fromDouban)).toMatchObject({ ok: true, value: { stored: false } });
    expect(await call(bg, envelope('capture:event', xLike()), { ...fromX, incognito: true })).toMatchObject({
      ok: true,
      value: { stored: false },
    });
    const settings = defaultSettings();
    await call(bg, envelope('settings:set', settings));
    expect(await call(bg, envelope('capture:event', xLike()), fromX)).toMatchObject({ ok: true, value: { stored: false } });
    expect(await store.read((db) => db.count('events'))).toBe(0);
  });

  it('leaves no trace of a private window or a mismatched tab: refused hellos do not mark the site seen', async () => {
    const settings = defaultSettings();
    settings.sites.x.enabled = true;
    await call(bg, envelope('settings:set', settings));
    expect(await call(bg, envelope('content:hello', { site: 'x' }), { ...fromX, incognito: true })).toEqual({
      ok: true,
      value: { capture: false, actions: [] },
    });
    expect(
      await call(bg, envelope('content:hello', { site: 'x' }), { fromExtensionPage: false, tabHost: 'movie.douban.com', incognito: false }),
    ).toMatchObject({ ok: true, value: { capture: false } });
    expect(await store.read((db) => db.getAll('siteHealth'))).toEqual([]);
    // A hello from x's own tab in a normal window is what marks it seen.
    expect(await call(bg, envelope('content:hello', { site: 'x' }), fromX)).toMatchObject({ ok: true, value: { capture: true } });
    expect(await store.read((db) => db.getAll('siteHealth'))).toMatchObject([{ site: 'x', lastSeen: expect.any(Number) as number }]);
  });

  it('stores at most 60 captures a minute from one tab, counts the rest in site health, and keeps what it stored', async () => {
    const tab7: SenderInfo = { ...fromX, tabId: 7 };
    const replies = [];
    for (let i = 0; i < 100; i += 1) {
      const event = xLike({ target: { ...xLike().target, id: `90${i}`, url: `https://x.com/a/status/90${i}` } });
      replies.push(await call(bg, envelope('capture:event', event), tab7));
    }
    expect(replies.filter((r) => r.ok && (r.value as { stored: boolean }).stored)).toHaveLength(RATE_LIMITS.perTabPerMinute);
    expect(replies.at(-1)).toMatchObject({ ok: true, value: { stored: false, reason: 'over the capture rate limit' } });
    expect(await store.read((db) => db.count('events'))).toBe(RATE_LIMITS.perTabPerMinute);
    expect((await store.read((db) => db.get('siteHealth', 'x')))?.dropped).toBe(100 - RATE_LIMITS.perTabPerMinute);
    // Another tab is not held back by this one.
    expect(await call(bg, envelope('capture:event', xLike()), { ...fromX, tabId: 8 })).toMatchObject({ ok: true, value: { stored: true } });
  });

  it('stores at most 1,000 captures a day from one site', async () => {
    await store.write((db) =>
      db.put('siteHealth', { site: 'x', misses: {}, today: { day: '2025-10-09', count: RATE_LIMITS.perSitePerDay - 1 } }),
    );
    const first = await call(bg, envelope('capture:event', xLike()), { ...fromX, tabId: 1 });
    const event = xLike({ target: { ...xLike().target, id: '77', url: 'https://x.com/a/status/77' } });
    const second = await call(bg, envelope('capture:event', event), { ...fromX, tabId: 2 });
    expect(first).toMatchObject({ ok: true, value: { stored: true } });
    expect(second).toMatchObject({ ok: true, value: { stored: false } });
    expect(await store.read((db) => db.count('events'))).toBe(1);
  });

  it('stores nothing while paused', async () => {
    const settings = defaultSettings();
    settings.sites.x.enabled = true;
    settings.paused = true;
    await call(bg, envelope('settings:set', settings));
    const hello = await call(bg, envelope('content:hello', { site: 'x' }), fromX);
    expect(hello).toEqual({ ok: true, value: { capture: false, actions: [] } });
    await call(bg, envelope('capture:event', xLike()), fromX);
    expect(await store.read((db) => db.count('events'))).toBe(0);
  });

  it('keeps only links and features when the user chose not to keep text', async () => {
    const settings = defaultSettings();
    settings.sites.x.enabled = true;
    settings.textKept = 'links';
    await call(bg, envelope('settings:set', settings));
    await call(bg, envelope('capture:event', xLike({ action: 'comment', userText: 'my own words' })), fromX);
    const [event] = await store.read((db) => db.getAll('events'));
    expect(event?.target.text).toBe('');
    expect(event?.userText).toBeUndefined();
    expect(event?.target.hashtags).toEqual(['StrangerThings']);
  });

  it('retracts an event on undo', async () => {
    await call(bg, envelope('capture:event', xLike()), fromX);
    const reply = await call(bg, envelope('capture:retract', { site: 'x', action: 'like', targetId: '1981234567890', at: 1 }), fromX);
    expect(reply).toEqual({ ok: true, value: { removed: true } });
    expect(await store.read((db) => db.count('events'))).toBe(0);
  });

  it('counts page checks per day in the site health, from the site itself only, and refuses unknown elements', async () => {
    await call(bg, envelope('content:page-check', { site: 'x', page: 'status', missing: ['postText'] }), fromX);
    await call(bg, envelope('content:page-check', { site: 'x', page: 'status', missing: [] }), fromX);
    await call(bg, envelope('content:page-check', { site: 'x', page: 'status', missing: ['postText', 'like'] }), fromX);
    const health = await store.read((db) => db.get('siteHealth', 'x'));
    expect(health?.checks).toEqual([
      { day: new Date(1_760_000_000_500).toISOString().slice(0, 10), pages: 3, missing: { postText: 2, like: 1 } },
    ]);
    // Another site cannot write X's health; a made-up element or page kind is refused.
    expect(await call(bg, envelope('content:page-check', { site: 'reddit', page: 'post', missing: ['like'] }), fromX)).toMatchObject({
      ok: false,
    });
    expect(
      await call(bg, envelope('content:page-check', { site: 'x', page: 'status', missing: ['button'] } as never), fromX),
    ).toMatchObject({ ok: false });
    expect(await call(bg, envelope('content:page-check', { site: 'x', page: '<b>', missing: [] }), fromX)).toMatchObject({ ok: false });
    expect((await store.read((db) => db.get('siteHealth', 'x')))?.checks?.[0]?.pages).toBe(3);
  });

  it('does not let a content script read or delete data', async () => {
    expect(await call(bg, envelope('data:list-events', {}), fromX)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await call(bg, envelope('data:delete-all', { confirm: true }), fromX)).toMatchObject({ ok: false });
  });

  it('lists, searches and deletes events; delete-all leaves nothing of the user', async () => {
    await call(bg, envelope('capture:event', xLike()), fromX);
    await call(bg, envelope('capture:event', xLike({ action: 'repost' })), fromX);
    await call(bg, envelope('content:selector-miss', { site: 'x', selector: 'like' }), fromX);
    const found = await call(bg, envelope('data:list-events', { query: 'strangerthings' }));
    expect(found.ok && (found.value as { total: number }).total).toBe(2);
    // A page at a time, newest first.
    const [first, second] = [0, 1].map(async (offset) => call(bg, envelope('data:list-events', { limit: 1, offset })));
    expect(await first).toMatchObject({ ok: true, value: { total: 2, events: [{ id: 'x:repost:1981234567890' }] } });
    expect(await second).toMatchObject({ ok: true, value: { total: 2, events: [{ id: 'x:like:1981234567890' }] } });
    expect(await call(bg, envelope('data:delete-event', { id: 'x:repost:1981234567890' }))).toEqual({ ok: true, value: { deleted: true } });
    const status = await call(bg, envelope('data:status', {}));
    expect(status).toMatchObject({ ok: true, value: { eventCount: 1, enabledSites: ['x'] } });
    await call(bg, envelope('feedback:add', { titleId: 'stranger-things', kind: 'interested' }));
    expect(await fakeBrowser.storage.session.get(POPUP_SNAPSHOT_KEY)).toHaveProperty(POPUP_SNAPSHOT_KEY);
    await call(bg, envelope('data:delete-all', { confirm: true }));
    for (const name of ['events', 'model', 'impressions', 'feedback', 'kv', 'siteHealth'] as const) {
      expect(await store.read((db) => db.count(name)), name).toBe(0);
    }
    // The popup's snapshot in storage.session goes too, though a settings change refreshed it mid-way.
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });

  it("counts and deletes one site's captures, and only that site's (turning a site off offers it)", async () => {
    await call(bg, envelope('capture:event', xLike()), fromX);
    await call(bg, envelope('capture:event', xLike({ action: 'repost' })), fromX);
    await call(bg, envelope('content:selector-miss', { site: 'x', selector: 'like' }), fromX);
    // A capture from another site, as stored.
    const [stored] = await store.read((db) => db.getAll('events'));
    const reddit = { ...(stored as StoredEvent), id: 'reddit:like:t3_abc', site: 'reddit' as const };
    await store.write((db) => db.put('events', reddit));
    const changes: string[] = [];
    bg.bus.on('events-changed', (change) => changes.push(change));
    expect(await call(bg, envelope('data:site-count', { site: 'x' }))).toEqual({ ok: true, value: { events: 2 } });
    expect(await call(bg, envelope('data:site-count', { site: 'douban' }))).toEqual({ ok: true, value: { events: 0 } });
    expect((await call(bg, envelope('data:delete-site', { site: 'x' } as never))).ok).toBe(false); // no confirm
    expect(await call(bg, envelope('data:delete-site', { site: 'x', confirm: true }))).toEqual({ ok: true, value: { deleted: 2 } });
    expect((await store.read((db) => db.getAll('events'))).map((e) => e.id)).toEqual(['reddit:like:t3_abc']);
    expect(await store.read((db) => db.get('siteHealth', 'x'))).toBeUndefined();
    expect(await call(bg, envelope('data:site-count', { site: 'x' }))).toEqual({ ok: true, value: { events: 0 } });
    expect(await call(bg, envelope('data:delete-site', { site: 'x', confirm: true }))).toEqual({ ok: true, value: { deleted: 0 } });
    expect(changes).toEqual(['removed']);
    // A content script may not ask.
    expect((await call(bg, envelope('data:site-count', { site: 'x' }), fromX)).ok).toBe(false);
  });

  it('notifies listeners when events change, saying whether they were added or removed', async () => {
    const changes: string[] = [];
    bg.bus.on('events-changed', (change) => changes.push(change));
    await call(bg, envelope('capture:event', xLike()), fromX);
    await call(bg, envelope('data:delete-event', { id: 'x:like:1981234567890' }));
    expect(changes).toEqual(['added', 'removed']);
  });

  it('applies the over-promotion caps when serving suggestions: resting titles, daily cap, snooze', async () => {
    const title = (id: string) => ({
      id,
      kind: 'series' as const,
      titles: { en: [id] },
      aliases: [],
      hashtags: [],
      genres: [],
      people: [],
      externalIds: {},
      watch: [],
      popularity: 0.5,
    });
    const nowMs = 1_760_000_000_500;
    const day = 86_400_000;
    await store.write(async (db) => {
      for (const id of ['t1', 't2', 't3']) await db.put('titles', title(id));
      await db.put(
        'kv',
        {
          computedAt: 5,
          modelVersion: 1,
          coldStart: false,
          items: ['t1', 't2', 't3'].map((titleId) => ({ titleId, score: 0.5, strategy: 'model', reasons: [], exploration: false })),
        },
        'ranking',
      );
      // t1 was shown on three earlier days and never clicked: it rests.
      for (const d of [3, 2, 1]) await db.add('impressions', { titleId: 't1', at: nowMs - d * day, rank: 0, strategy: 'model' });
    });
    const ids = async (): Promise<string[]> => {
      const reply = await call(bg, envelope('popup:suggestions', {}));
      return reply.ok ? (reply.value as { suggestions: { titleId: string }[] }).suggestions.map((s) => s.titleId) : [];
    };
    expect(await ids()).toEqual(['t2', 't3']);
    const settings = { ...defaultSettings(), suggestionsPerDay: 1 };
    settings.sites.x.enabled = true;
    await call(bg, envelope('settings:set', settings));
    expect(await ids()).toEqual(['t2']);
    await store.write((db) => db.put('kv', nowMs + day, 'snoozeUntil'));
    expect(await ids()).toEqual([]);
  });

  it('serves suggestions from the cached ranking, hiding rejected titles until the feedback is undone', async () => {
    const title = (id: string) => ({
      id,
      kind: 'series' as const,
      titles: { en: [id] },
      aliases: [],
      hashtags: [],
      genres: [],
      people: [],
      externalIds: {},
      watch: [],
      popularity: 0.5,
    });
    await store.write(async (db) => {
      await db.put('titles', title('t1'));
      await db.put('titles', title('t2'));
      await db.put(
        'kv',
        {
          computedAt: 5,
          modelVersion: 1,
          coldStart: false,
          items: ['t1', 't2', 'missing'].map((titleId) => ({ titleId, score: 0.5, strategy: 'model', reasons: [], exploration: false })),
        },
        'ranking',
      );
    });
    const first = await call(bg, envelope('popup:suggestions', {}));
    expect(first.ok && (first.value as { suggestions: { titleId: string }[] }).suggestions.map((s) => s.titleId)).toEqual(['t1', 't2']);
    const added = await call(bg, envelope('feedback:add', { titleId: 't1', kind: 'not-interested' }));
    const id = added.ok ? (added.value as { id: number }).id : -1;
    const second = await call(bg, envelope('popup:suggestions', {}));
    expect(second.ok && (second.value as { suggestions: { titleId: string }[] }).suggestions.map((s) => s.titleId)).toEqual(['t2']);
    expect(await call(bg, envelope('feedback:list', {}))).toMatchObject({ ok: true, value: [{ titleId: 't1', kind: 'not-interested' }] });
    expect(await call(bg, envelope('feedback:undo', { id }))).toEqual({ ok: true, value: { undone: true } });
    const third = await call(bg, envelope('popup:suggestions', {}));
    expect(third.ok && (third.value as { suggestions: unknown[] }).suggestions).toHaveLength(2);
    expect(await call(bg, envelope('feedback:list', {}))).toEqual({ ok: true, value: [] });
  });

  it('records impressions', async () => {
    await call(bg, envelope('popup:impressions', { items: [{ titleId: 't1', rank: 0, strategy: 'model' }] }));
    expect(await store.read((db) => db.getAll('impressions'))).toMatchObject([{ titleId: 't1', rank: 0, at: 1_760_000_000_500 }]);
  });
});
