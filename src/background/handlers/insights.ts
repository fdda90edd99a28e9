import { confidentLinks } from '../../shared/catalog/linker.ts';
import { kvGet } from '../../shared/db/kv.ts';
import { experimentStatus } from '../../shared/experiments/experiment.ts';
import { dayOf, groupFunnel, type FunnelClick, type FunnelImpression } from '../../shared/experiments/funnel.ts';
import { TASTE_EVENTS_SHOWN, type InsightsResponse, type TasteEvent, type TasteView, type TasteViewEntry } from '../../shared/insights.ts';
import { NO_CORRECTIONS, TASTE_FACETS, type TasteFacet } from '../../shared/model/taste.ts';
import { loadSettings } from '../../shared/settings.ts';
import type { HandlerGroup } from '../router.ts';
import type { LearnedTitles } from '../learned-titles.ts';
import type { Store } from '../store.ts';
import type { Suggestions } from './suggestions.ts';

export interface InsightsDeps {
  store: Store;
  suggestions: Pick<Suggestions, 'settleExperiment'>;
  /** Titles as this device knows them (a local title's kind too); the catalog store alone without it. */
  learned?: Pick<LearnedTitles, 'get'>;
}

/** Wires insights:* to what is stored. */
export function createInsightsHandlers({ store, suggestions, learned }: InsightsDeps): HandlerGroup<'insights'> {
  return {
    async 'insights:get'() {
      // Settle lists whose click window has passed, so the status is current.
      await suggestions.settleExperiment();
      return computeInsights(store, learned);
    },
    async 'insights:taste'() {
      return tasteView(store, learned);
    },
  };
}

/**
 * The taste profile as the options page shows it: what the latest ranking's profile leaned on
 * (written by the learner with the ranking, so it is what the suggestions came from), each entry
 * with its newest events read back from the stores, and what the user took out, from the settings.
 */
async function tasteView(store: Store, learned: Pick<LearnedTitles, 'get'> | undefined): Promise<TasteView> {
  const [ranking, stored] = await store.read((db) => {
    const kv = db.transaction('kv').store;
    return Promise.all([kvGet(kv, 'ranking'), kvGet(kv, 'settings')]);
  });
  const removed = loadSettings(stored).settings.taste ?? NO_CORRECTIONS;
  const taste = ranking?.taste ?? { genres: [], people: [], titles: [], sites: [] };
  const shownIds = [...new Set(TASTE_FACETS.flatMap((facet) => taste[facet].flatMap((e) => e.eventIds)))];
  const eventIds = shownIds.filter((id) => !id.startsWith('feedback:'));
  const feedbackIds = shownIds.flatMap((id) => {
    const n = Number(id.slice('feedback:'.length));
    return id.startsWith('feedback:') && Number.isInteger(n) ? [n] : [];
  });
  const [events, feedback] = await store.read((db) => {
    const tx = db.transaction(['events', 'feedback']);
    return Promise.all([
      Promise.all(eventIds.map((id) => tx.objectStore('events').get(id))),
      Promise.all(feedbackIds.map((id) => tx.objectStore('feedback').get(id))),
    ]);
  });
  const described = new Map<string, TasteEvent>();
  for (const event of events) {
    if (!event) continue;
    const text = (event.target.title || event.target.text || event.userText || '').slice(0, 200);
    described.set(event.id, { id: event.id, at: event.at, site: event.site, action: event.action, ...(text ? { text } : {}) });
  }
  for (const f of feedback) if (f?.id !== undefined) described.set(`feedback:${f.id}`, { id: `feedback:${f.id}`, at: f.at, pick: f.kind });
  const titleIds = [...new Set([...taste.titles.map((e) => e.key), ...removed.titles])];
  const titles = learned ? await learned.get(titleIds) : await store.read((db) => Promise.all(titleIds.map((id) => db.get('titles', id))));
  const titleOf = new Map(titleIds.flatMap((id, i) => (titles[i] ? [[id, titles[i]] as const] : [])));
  const view = (facet: TasteFacet): TasteViewEntry[] =>
    taste[facet].map((entry) => {
      const title = facet === 'titles' ? titleOf.get(entry.key) : undefined;
      // The newest first, whatever order the profile met them in.
      const shown = entry.eventIds
        .flatMap((id) => described.get(id) ?? [])
        .sort((a, b) => b.at - a.at)
        .slice(0, TASTE_EVENTS_SHOWN);
      return { ...entry, events: shown, ...(title ? { title } : {}) };
    });
  return {
    ...(ranking ? { computedAt: ranking.computedAt } : {}),
    profile: { genres: view('genres'), people: view('people'), titles: view('titles'), sites: view('sites') },
    removed,
    removedTitles: removed.titles.flatMap((id) => titleOf.get(id) ?? []),
  };
}

/**
 * The insights page's data: the local funnel (impressions and watch-link clicks by day, platform,
 * site of origin, title kind and strategy), the metric history and the A/B status. All of it is
 * computed here from what is stored, under the same retention rule as events.
 */
async function computeInsights(
  store: Store,
  learned: Pick<LearnedTitles, 'get'> | undefined,
  timezoneOffsetMinutes = new Date().getTimezoneOffset(),
): Promise<InsightsResponse> {
  const [impressions, feedback, events, metrics, experiment] = await store.read((db) => {
    const tx = db.transaction(['impressions', 'feedback', 'events', 'kv']);
    const kv = tx.objectStore('kv');
    return Promise.all([
      tx.objectStore('impressions').getAll(),
      tx.objectStore('feedback').getAll(),
      tx.objectStore('events').getAll(),
      kvGet(kv, 'metricsHistory'),
      kvGet(kv, 'experiment'),
    ]);
  });
  const clicks: FunnelClick[] = feedback
    .filter((f) => f.kind === 'click' && !f.undone)
    .map((f) => ({ titleId: f.titleId, at: f.at, ...(f.platform ? { platform: f.platform } : {}) }));
  const shown: FunnelImpression[] = impressions.map((i) => ({
    titleId: i.titleId,
    at: i.at,
    strategy: i.strategy,
    ...(i.site ? { site: i.site } : {}),
  }));
  const titleIds = [...new Set([...shown.map((i) => i.titleId), ...clicks.map((c) => c.titleId)])];
  const titles = learned ? await learned.get(titleIds) : await store.read((db) => Promise.all(titleIds.map((id) => db.get('titles', id))));
  const kindOf = new Map(titleIds.map((id, i) => [id, titles[i]?.kind ?? 'unknown']));

  // Site of origin: the site of the newest engagement linked to the title (what the reason cites).
  const originOf = new Map<string, { site: string; at: number }>();
  for (const event of events) {
    for (const link of confidentLinks(event)) {
      const seen = originOf.get(link.titleId);
      if (!seen || event.at > seen.at) originOf.set(link.titleId, { site: event.site, at: event.at });
    }
  }
  // What a card's reason stood on when it was shown wins (recorded with the impression): a suggestion
  // is a title not engaged with, so no post links to it; the engaged title's own posts come after.
  // A click goes with the site its title was last shown from.
  const shownFrom = new Map<string, { site: string; at: number }>();
  for (const i of impressions) {
    const seen = shownFrom.get(i.titleId);
    if (i.site && (!seen || i.at > seen.at)) shownFrom.set(i.titleId, { site: i.site, at: i.at });
  }
  const origin = (titleId: string): string => shownFrom.get(titleId)?.site ?? originOf.get(titleId)?.site ?? 'none';
  // A click belongs to the strategy that last showed the title before it.
  const strategyOfClick = (click: FunnelClick): string => {
    let best: FunnelImpression | undefined;
    for (const i of shown) if (i.titleId === click.titleId && i.at <= click.at && (!best || i.at > best.at)) best = i;
    return best?.strategy ?? 'unknown';
  };

  const total = { key: 'total', impressions: shown.length, clicks: clicks.length, ctr: shown.length ? clicks.length / shown.length : 0 };
  return {
    funnel: {
      byDay: groupFunnel(
        shown,
        clicks,
        (i) => dayOf(i.at, timezoneOffsetMinutes),
        (c) => dayOf(c.at, timezoneOffsetMinutes),
      ),
      byPlatform: groupFunnel(
        shown,
        clicks,
        () => undefined,
        (c) => c.platform ?? 'unknown',
      ),
      bySite: groupFunnel(
        shown,
        clicks,
        (i) => i.site ?? origin(i.titleId),
        (c) => origin(c.titleId),
      ),
      byKind: groupFunnel(
        shown,
        clicks,
        (i) => kindOf.get(i.titleId),
        (c) => kindOf.get(c.titleId),
      ),
      byStrategy: groupFunnel(shown, clicks, (i) => i.strategy, strategyOfClick),
      total,
    },
    metrics: metrics ?? [],
    experiment: experiment ? experimentStatus(experiment) : null,
  };
}
