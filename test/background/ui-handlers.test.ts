import { beforeEach, describe, expect, it } from 'vitest';
import { createBackground } from '../../src/background/background.ts';
import type { SenderInfo } from '../../src/background/router.ts';
import { DAY_MS } from '../../src/background/retention.ts';
import { createStore, type Store } from '../../src/background/store.ts';
import { createTitleSearch } from '../../src/shared/catalog/search.ts';
import type { CatalogTitle } from '../../src/shared/catalog/types.ts';
import { USER_DATA_STORES } from '../../src/shared/db/schema.ts';
import { parseExport, type ExportFile } from '../../src/shared/export-format.ts';
import { envelope, type MessageType, type RequestOf, type ResponseOf } from '../../src/shared/messages.ts';
import { defaultSettings } from '../../src/shared/settings.ts';
import { xLike } from '../fixtures/events.ts';

const fromX: SenderInfo = { fromExtensionPage: false, tabHost: 'x.com', incognito: false };
const fromPage: SenderInfo = { fromExtensionPage: true, incognito: false };
let dbCounter = 0;

function title(id: string, overrides: Partial<CatalogTitle> = {}): CatalogTitle {
  return {
    id,
    kind: 'series',
    titles: { en: [id] },
    aliases: [],
    hashtags: [],
    genres: [],
    people: [],
    externalIds: {},
    watch: [],
    popularity: 0.5,
    ...overrides,
  };
}

describe('popup and options handlers', () => {
  let store: Store;
  let bg: ReturnType<typeof createBackground>;
  let clock = 1_760_000_000_500;

  /** Sends one message and returns its value, failing the test on an error reply. */
  async function ask<T extends MessageType>(type: T, payload: RequestOf<T>, sender: SenderInfo = fromPage): Promise<ResponseOf<T>> {
    const reply = await bg.handle(envelope(type, payload), sender);
    if (!reply?.ok) throw new Error(`${type}: ${JSON.stringify(reply)}`);
    return reply.value as ResponseOf<T>;
  }

  beforeEach(async () => {
    clock = 1_760_000_000_500;
    store = createStore(`ui-handlers-${dbCounter++}`);
    bg = createBackground(store, () => clock);
    const settings = defaultSettings();
    settings.sites.x.enabled = true;
    await ask('settings:set', settings);
    await store.write(async (db) => {
      await db.put(
        'titles',
        title('three-body', {
          titles: { 'zh-Hans': ['三体'], en: ['3 Body Problem'] },
          aliases: ['Santi'],
          popularity: 0.9,
          watch: [{ platform: 'netflix', regions: [], url: 'https://www.netflix.com/title/{id}', id: '81024821' }],
        }),
      );
      await db.put(
        'titles',
        title('the-bear', {
          titles: { en: ['The Bear'] },
          popularity: 0.6,
          watch: [{ platform: 'hulu', regions: ['US'], url: 'https://www.hulu.com/series/{id}', id: 'the-bear' }],
        }),
      );
      await db.put('titles', title('bear-grylls', { titles: { en: ['Running Wild with Bear Grylls'] }, popularity: 0.1 }));
    });
  });

  it('searches every title language and alias, best match first, popular titles for an empty query', async () => {
    expect((await ask('catalog:search', { query: '三体' })).map((t) => t.id)).toEqual(['three-body']);
    expect((await ask('catalog:search', { query: 'santi' })).map((t) => t.id)).toEqual(['three-body']);
    expect((await ask('catalog:search', { query: 'bear' })).map((t) => t.id)).toEqual(['the-bear', 'bear-grylls']);
    expect((await ask('catalog:search', { query: '', limit: 2 })).map((t) => t.id)).toEqual(['three-body', 'the-bear']);
    expect(await ask('catalog:search', { query: 'no such show' })).toEqual([]);
  });

  it('ranks an exact name above a prefix above a substring', () => {
    const titles = [
      title('a', { titles: { en: ['The Office Party'] }, popularity: 1 }),
      title('b', { titles: { en: ['Office'] }, popularity: 0 }),
      title('c', { titles: { en: ['Office Hours'] }, popularity: 0 }),
    ];
    expect(
      createTitleSearch(titles)
        .search('office', 10)
        .map((t) => t.id),
    ).toEqual(['b', 'c', 'a']);
  });

  it('looks up titles, platforms and events by id', async () => {
    expect((await ask('catalog:titles', { ids: ['the-bear', 'missing', 'the-bear'] })).map((t) => t.id)).toEqual(['the-bear']);
    expect(await ask('catalog:platforms', {})).toEqual([
      { platform: 'hulu', regions: ['US'] },
      { platform: 'netflix', regions: [] },
    ]);
    await ask('capture:event', xLike(), fromX);
    expect((await ask('data:get-events', { ids: ['x:like:1981234567890', 'nope'] })).map((e) => e.id)).toEqual(['x:like:1981234567890']);
  });

  it('onboarding picks become interested feedback and end onboarding', async () => {
    let feedbackChanges = 0;
    bg.bus.on('feedback-changed', () => (feedbackChanges += 1));
    expect(await ask('feedback:picks', { titleIds: ['three-body', 'the-bear', 'three-body'] })).toEqual({ added: 2 });
    const feedback = await ask('feedback:list', {});
    // Marked as the first run's picks: titles the user likes, not suggested back.
    expect(feedback.map((f) => [f.titleId, f.kind, f.via]).sort()).toEqual([
      ['the-bear', 'interested', 'onboarding'],
      ['three-body', 'interested', 'onboarding'],
    ]);
    expect((await ask('settings:get', {})).onboarded).toBe(true);
    expect(feedbackChanges).toBe(1);
    expect((await ask('popup:suggestions', {})).onboarded).toBe(true);
  });

  it('answers the popup with its settings too, so opening it is one round trip', async () => {
    const settings = await ask('settings:get', {});
    await ask('settings:set', { ...settings, region: 'GB', platforms: ['netflix'] });
    const answer = await ask('popup:suggestions', {});
    expect(answer.settings).toEqual({ ...settings, region: 'GB', platforms: ['netflix'] });
    expect(answer.paused).toBe(answer.settings.paused);
  });

  it('keeps these messages from content scripts', async () => {
    for (const [type, payload] of [
      ['data:export', {}],
      ['catalog:search', { query: 'x' }],
      ['data:get-events', { ids: [] }],
    ] as const) {
      expect(await bg.handle(envelope(type, payload as never), fromX)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    }
  });

  it('exports everything and imports it back exactly after delete-all', async () => {
    await ask('capture:event', xLike(), fromX);
    clock += 1000;
    await ask('capture:event', xLike({ action: 'comment', userText: '我也想看 <b>not html</b>', at: 1_760_000_001_000 }), fromX);
    // A correction: the user linked one event to a title and removed a wrong link.
    await store.write(async (db) => {
      const event = await db.get('events', 'x:like:1981234567890');
      if (!event) throw new Error('seed missing');
      await db.put('events', {
        ...event,
        links: [{ titleId: 'the-bear', confidence: 1, reason: 'user', source: 'user' }],
        removedTitleIds: ['three-body'],
      });
    });
    const { id } = await ask('feedback:add', { titleId: 'three-body', kind: 'not-interested' });
    await ask('feedback:add', { titleId: 'the-bear', kind: 'click', platform: 'hulu' });
    await ask('feedback:undo', { id });
    await ask('popup:impressions', {
      items: [
        { titleId: 'three-body', rank: 0, strategy: 'model' },
        { titleId: 'the-bear', rank: 1, strategy: 'explore' },
      ],
    });
    const settings = {
      ...(await ask('settings:get', {})),
      retentionDays: 30,
      textKept: 'full' as const,
      platforms: ['hulu'],
      region: 'GB',
      suggestionsPerDay: 5,
    };
    await ask('settings:set', settings);

    const exported = await ask('data:export', {});
    expect(exported).toMatchObject({ format: 'reelflow-export', version: 1, exportedAt: clock });
    expect(exported.events).toHaveLength(2);
    expect(exported.feedback).toHaveLength(2);
    expect(exported.feedback.find((f) => f.id === id)?.undone).toBe(true);
    expect(exported.impressions).toHaveLength(2);
    // The file survives JSON and validates as the documented format.
    const json = JSON.parse(JSON.stringify(exported)) as unknown;
    const parsed = parseExport(json);
    expect(parsed.ok).toBe(true);

    await ask('data:delete-all', { confirm: true });
    for (const name of USER_DATA_STORES) expect(await store.read((db) => db.count(name)), name).toBe(0);
    expect((await ask('data:export', {})).events).toEqual([]);

    expect(await ask('data:import', json as ExportFile)).toEqual({ events: 2, feedback: 2, impressions: 2 });
    const again = await ask('data:export', {});
    expect(again).toStrictEqual(exported);
    // New feedback after import does not collide with imported ids.
    const next = await ask('feedback:add', { titleId: 'the-bear', kind: 'seen' });
    expect(exported.feedback.map((f) => f.id)).not.toContain(next.id);
  });

  it('rejects a damaged or foreign file and stores nothing', async () => {
    const exported = await ask('data:export', {});
    await ask('data:delete-all', { confirm: true });
    const bad = [
      { ...exported, version: 2 },
      { ...exported, format: 'something-else' },
      { ...exported, events: [{ ...xLike(), id: 'x' }] },
      { ...exported, feedback: [{ id: 1, titleId: 't', kind: 'loved', at: 1 }] },
      { ...exported, extra: true },
    ];
    for (const file of bad) {
      const reply = await bg.handle({ reelflow: 1, type: 'data:import', payload: file }, fromPage);
      expect(reply, JSON.stringify(file).slice(0, 80)).toMatchObject({ ok: false, error: { code: 'invalid' } });
      expect(parseExport(file).ok).toBe(false);
    }
    for (const name of USER_DATA_STORES) expect(await store.read((db) => db.count(name)), name).toBe(0);
  });

  it('sweeps events and impressions older than the retention limit, and undone feedback', async () => {
    const settings = { ...(await ask('settings:get', {})), retentionDays: 10 };
    await ask('settings:set', settings);
    clock = 1_760_000_000_000 + 20 * DAY_MS;
    await ask('capture:event', xLike({ at: 1_760_000_000_000 }), fromX); // 20 days old
    await ask('capture:event', xLike({ action: 'repost', at: clock - 9 * DAY_MS }), fromX); // 9 days old
    await ask('popup:impressions', { items: [{ titleId: 'the-bear', rank: 0, strategy: 'model' }] });
    await store.write((db) => db.add('impressions', { titleId: 'old', rank: 0, strategy: 'model', at: clock - 11 * DAY_MS }));
    const kept = await ask('feedback:add', { titleId: 'the-bear', kind: 'interested' });
    const undone = await ask('feedback:add', { titleId: 'three-body', kind: 'seen' });
    await ask('feedback:undo', { id: undone.id });
    let changes = 0;
    bg.bus.on('events-changed', () => (changes += 1));

    expect(await bg.sweep()).toEqual({ events: 1, impressions: 1, feedback: 1 });
    expect((await store.read((db) => db.getAll('events'))).map((e) => e.id)).toEqual(['x:repost:1981234567890']);
    expect((await store.read((db) => db.getAll('impressions'))).map((i) => i.titleId)).toEqual(['the-bear']);
    expect((await store.read((db) => db.getAll('feedback'))).map((f) => f.id)).toEqual([kept.id]);
    expect(changes).toBe(1);
    expect(await bg.sweep()).toEqual({ events: 0, impressions: 0, feedback: 0 });
    expect(changes).toBe(1);
  });
});
