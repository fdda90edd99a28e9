import type { RankingCache } from '../../src/shared/suggestions.ts';
import { fakeBrowser } from '@webext-core/fake-browser';
import { describe, expect, it } from 'vitest';
import { arrange, LIST_WINDOW_MS, newExperiment, recordClick, recordShown, settle } from '../../src/shared/experiments/experiment.ts';
import { createBackground } from '../../src/background/background.ts';
import type { SenderInfo } from '../../src/background/router.ts';
import { createStore, type Store } from '../../src/background/store.ts';
import type { CatalogTitle } from '../../src/shared/catalog/types.ts';
import { seededRandom } from '../../src/shared/experiments/random.ts';
import type { InsightsResponse } from '../../src/shared/insights.ts';
import { envelope, type Reply } from '../../src/shared/messages.ts';
import { defaultSettings } from '../../src/shared/settings.ts';
import { POPUP_SNAPSHOT_KEY, type RankedItem, type SuggestionsResponse } from '../../src/shared/suggestions.ts';

const page: SenderInfo = { fromExtensionPage: true, incognito: false };
const DAY = 86_400_000;
let counter = 0;

const ranked = (ids: string[], strategy: string): RankedItem[] =>
  ids.map((titleId, i) => ({ titleId, score: 1 - i / 100, strategy, reasons: [], exploration: false }));
const title = (id: string): CatalogTitle => ({
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
});

async function value<T>(reply: Promise<Reply<unknown>> | undefined): Promise<T> {
  const r = await reply;
  if (!r?.ok) throw new Error(`request failed: ${JSON.stringify(r)}`);
  return r.value as T;
}

async function seeded(
  ids: string[],
  perDay = 20,
): Promise<{ store: Store; clock: { now: number }; bg: ReturnType<typeof createBackground> }> {
  const store = createStore(`experiments-${counter++}`);
  const clock = { now: Date.UTC(2026, 10, 2, 9) };
  fakeBrowser.reset();
  const bg = createBackground(store, () => clock.now, { session: fakeBrowser.storage.session });
  const settings = { ...defaultSettings(), onboarded: true, suggestionsPerDay: perDay };
  await value(bg.handle(envelope('settings:set', settings), page));
  await store.write(async (db) => {
    for (const id of ids) await db.put('titles', title(id));
    await db.put(
      'kv',
      {
        computedAt: 1,
        modelVersion: 1,
        coldStart: false,
        items: ranked(ids, 'model'),
        alternates: { 'content-only': ranked([...ids].reverse(), 'content-only') },
      },
      'ranking',
    );
  });
  return { store, clock, bg };
}

describe('A/B in the popup', () => {
  it('interleaves the two strategies and labels each item with its team', () => {
    const list = arrange(
      newExperiment(),
      ranked(['a1', 'a2', 'a3', 'a4'], 'model'),
      ranked(['b1', 'b2', 'b3', 'b4'], 'content-only'),
      4,
      seededRandom(1),
    );
    expect(list.map((i) => i.strategy).sort()).toEqual(['content-only', 'content-only', 'model', 'model']);
    expect(list.filter((i) => i.strategy === 'model').every((i) => i.titleId.startsWith('a'))).toBe(true);
    expect(arrange(newExperiment(), ranked(['a1', 'a2'], 'model'), undefined, 4, seededRandom(1)).map((i) => i.titleId)).toEqual([
      'a1',
      'a2',
    ]);
  });

  it('credits a click to the team that placed the title once the list settles', () => {
    const t = 1_000_000;
    let state = recordShown(
      newExperiment(),
      [
        { titleId: 'a1', strategy: 'model' },
        { titleId: 'b1', strategy: 'content-only' },
      ],
      t,
    );
    state = recordClick(state, 'b1', t + 1000);
    expect(settle(state, t + 2000).tally.winsB).toBe(0); // still collecting clicks
    const settled = settle(state, t + LIST_WINDOW_MS);
    expect(settled.tally).toMatchObject({ winsA: 0, winsB: 1, ties: 0, impressions: 2 });
    expect(settled.pending).toEqual([]);
    // A list from one strategy only is no evidence.
    expect(recordShown(newExperiment(), [{ titleId: 'a1', strategy: 'model' }], t).pending).toEqual([]);
  });

  it('runs end to end through the messages: shown, clicked, settled, reported', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `t${i}`);
    const { bg, clock } = await seeded(ids);
    const shown = await value<SuggestionsResponse>(bg.handle(envelope('popup:suggestions', {}), page));
    expect(new Set(shown.suggestions.map((s) => s.strategy))).toEqual(new Set(['model', 'content-only']));
    await value(
      bg.handle(
        envelope('popup:impressions', { items: shown.suggestions.map((s, rank) => ({ titleId: s.titleId, rank, strategy: s.strategy })) }),
        page,
      ),
    );
    const fromModel = shown.suggestions.find((s) => s.strategy === 'model');
    if (!fromModel) throw new Error('no model item');
    clock.now += 60_000;
    await value(bg.handle(envelope('feedback:add', { titleId: fromModel.titleId, kind: 'click', platform: 'netflix' }), page));
    clock.now += LIST_WINDOW_MS;
    const insights = await value<InsightsResponse>(bg.handle(envelope('insights:get', {}), page));
    expect(insights.experiment).toMatchObject({ a: 'model', b: 'content-only', winsA: 1, winsB: 0, status: 'running', impressions: 8 });
    expect(insights.funnel.total).toEqual({ key: 'total', impressions: 8, clicks: 1, ctr: 1 / 8 });
    expect(insights.funnel.byPlatform).toEqual([{ key: 'netflix', impressions: 0, clicks: 1, ctr: 0 }]);
    expect(insights.funnel.byStrategy.find((r) => r.key === 'model')?.clicks).toBe(1);
    expect(insights.funnel.byKind).toEqual([{ key: 'series', impressions: 8, clicks: 1, ctr: 1 / 8 }]);
  });
});

describe('a list that stays put', () => {
  const items = (response: SuggestionsResponse): { titleId: string; rank: number; strategy: string }[] =>
    response.suggestions.map((s, rank) => ({ titleId: s.titleId, rank, strategy: s.strategy }));

  it('shows the same order on every open of a day, counts each title once a day, and draws again when the day turns', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `t${i}`);
    const { bg, clock, store } = await seeded(ids);
    const open = (): Promise<SuggestionsResponse> => value<SuggestionsResponse>(bg.handle(envelope('popup:suggestions', {}), page));
    const first = await open();
    const recorded = await value<{ recorded: number }>(bg.handle(envelope('popup:impressions', { items: items(first) }), page));
    expect(recorded.recorded).toBe(first.suggestions.length);
    for (const minutes of [1, 60, 300]) {
      clock.now += minutes * 60_000;
      const again = await open();
      expect(again.suggestions.map((s) => s.titleId)).toEqual(first.suggestions.map((s) => s.titleId));
      expect((await value<{ recorded: number }>(bg.handle(envelope('popup:impressions', { items: items(again) }), page))).recorded).toBe(0);
    }
    expect(await store.read((db) => db.count('impressions'))).toBe(first.suggestions.length);
    // A retrain that writes the same ranking again (the six-hourly alarm) changes nothing the user sees.
    await store.write(async (db) => {
      const ranking = (await db.get('kv', 'ranking')) as RankingCache;
      await db.put('kv', { ...ranking, computedAt: 999 }, 'ranking');
    });
    expect((await open()).suggestions.map((s) => s.titleId)).toEqual(first.suggestions.map((s) => s.titleId));
    // The next day each title shown counts again.
    clock.now += DAY;
    const tomorrow = await open();
    expect((await value<{ recorded: number }>(bg.handle(envelope('popup:impressions', { items: items(tomorrow) }), page))).recorded).toBe(
      tomorrow.suggestions.length,
    );
  });
});

describe('over-promotion caps hold over weeks of popup use', () => {
  it('no title is shown on more than 3 days in any week, the daily cap holds, rested titles stay rested', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const perDay = 5;
    const { bg, clock } = await seeded(ids, perDay);
    const shownOn = new Map<string, number[]>(); // title → days shown
    for (let day = 0; day < 45; day += 1) {
      const today = new Set<string>();
      for (const hour of [9, 13, 21]) {
        clock.now = Date.UTC(2026, 10, 2) + day * DAY + hour * 3_600_000;
        const { suggestions } = await value<SuggestionsResponse>(bg.handle(envelope('popup:suggestions', {}), page));
        await value(
          bg.handle(
            envelope('popup:impressions', { items: suggestions.map((s, rank) => ({ titleId: s.titleId, rank, strategy: s.strategy })) }),
            page,
          ),
        );
        for (const s of suggestions) today.add(s.titleId);
      }
      expect(today.size, `titles on day ${day}`).toBeLessThanOrEqual(perDay);
      for (const id of today) shownOn.set(id, [...(shownOn.get(id) ?? []), day]);
    }
    expect(shownOn.size).toBeGreaterThan(perDay); // rotation happened: the caps are really exercised
    for (const [id, days] of shownOn) {
      for (const start of days) {
        const inWeek = days.filter((d) => d >= start && d < start + 7).length;
        expect(inWeek, `${id} shown ${inWeek} days in the week from day ${start}`).toBeLessThanOrEqual(3);
      }
      // After three days shown without a click, the title rests 14 days.
      for (let i = 2; i < days.length - 1; i += 3) {
        expect((days[i + 1] as number) - (days[i] as number), `${id} rested after day ${days[i]}`).toBeGreaterThanOrEqual(14);
      }
    }
  });
});

describe("the popup's snapshot in storage.session", () => {
  const snapshot = async (): Promise<SuggestionsResponse | undefined> =>
    (await fakeBrowser.storage.session.get(POPUP_SNAPSHOT_KEY))[POPUP_SNAPSHOT_KEY] as SuggestionsResponse | undefined;
  const live = (bg: ReturnType<typeof createBackground>): Promise<SuggestionsResponse> =>
    value<SuggestionsResponse>(bg.handle(envelope('popup:suggestions', {}), page));
  const ids = (response: SuggestionsResponse | undefined): string[] | undefined => response?.suggestions.map((s) => s.titleId);

  it('is the live answer, interleaving included, and follows every change before it is answered', async () => {
    const { bg, clock } = await seeded(Array.from({ length: 12 }, (_, i) => `t${i}`));
    await bg.refreshSnapshot(); // as index.ts does when the learner has cached a ranking
    const first = await live(bg);
    expect(new Set(first.suggestions.map((s) => s.strategy))).toEqual(new Set(['model', 'content-only']));
    // The same list on every open until one is shown: the popup can paint the snapshot and keep it.
    clock.now += 60_000;
    expect(await snapshot()).toEqual(first);
    expect(await live(bg)).toEqual(first);

    await value(
      bg.handle(
        envelope('popup:impressions', { items: first.suggestions.map((s, rank) => ({ titleId: s.titleId, rank, strategy: s.strategy })) }),
        page,
      ),
    );
    const afterShown = await live(bg);
    expect(await snapshot()).toEqual(afterShown);

    const gone = afterShown.suggestions[0]?.titleId ?? '';
    const { id } = await value<{ id: number }>(bg.handle(envelope('feedback:add', { titleId: gone, kind: 'not-interested' }), page));
    expect(ids(await snapshot())).not.toContain(gone);
    expect(await snapshot()).toEqual(await live(bg));
    await value(bg.handle(envelope('feedback:undo', { id }), page));
    expect(ids(await snapshot())).toContain(gone);

    const paused = { ...defaultSettings(), onboarded: true, paused: true };
    await value(bg.handle(envelope('settings:set', paused), page));
    expect(await snapshot()).toMatchObject({ paused: true, settings: paused });

    const renamed = {
      format: 1,
      version: 'renamed',
      attributions: [{ text: 'Test data', licence: 'CC0-1.0', url: 'https://example.org/' }],
      titles: Array.from({ length: 12 }, (_, i) => ({ id: `t${i}`, kind: 'film', titles: { en: [`Renamed ${i}`] } })),
    };
    await value(bg.handle(envelope('catalog:import', { text: JSON.stringify(renamed) }), page));
    expect((await snapshot())?.suggestions[0]?.title.titles.en?.[0]).toMatch(/^Renamed /);
    expect(await snapshot()).toEqual(await live(bg));
  });

  it('snoozes every suggestion for some days, says until when, and ends the snooze on request', async () => {
    const { bg, clock } = await seeded(['a', 'b', 'c']);
    expect(ids(await live(bg))).toHaveLength(3);
    const { snoozedUntil } = await value<{ snoozedUntil?: number }>(bg.handle(envelope('popup:snooze', { days: 7 }), page));
    expect(snoozedUntil).toBe(clock.now + 7 * DAY);
    const snoozed = await live(bg);
    expect(snoozed).toMatchObject({ suggestions: [], snoozedUntil });
    expect(await snapshot()).toEqual(snoozed); // the next popup paints the snoozed state too
    clock.now += 3 * DAY;
    expect((await live(bg)).suggestions).toEqual([]);
    await value(bg.handle(envelope('popup:snooze', { days: 0 }), page));
    const awake = await live(bg);
    expect(ids(awake)).toHaveLength(3);
    expect(awake.snoozedUntil).toBeUndefined();
    expect(await snapshot()).toEqual(awake);
    // A snooze runs out by itself.
    await value(bg.handle(envelope('popup:snooze', { days: 1 }), page));
    clock.now += DAY + 1;
    expect(ids(await live(bg))).toHaveLength(3);
    // Out of range is refused, nothing changes.
    expect((await bg.handle(envelope('popup:snooze', { days: 365 }), page))?.ok).toBe(false);
  });
});
