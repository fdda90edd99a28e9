import { confidentLinks } from '../../shared/catalog/linker.ts';
import { kvGet } from '../../shared/db/kv.ts';
import { experimentStatus } from '../../shared/experiments/experiment.ts';
import { dayOf, groupFunnel, type FunnelClick, type FunnelImpression } from '../../shared/experiments/funnel.ts';
import type { InsightsResponse } from '../../shared/insights.ts';
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
  const shown: FunnelImpression[] = impressions.map((i) => ({ titleId: i.titleId, at: i.at, strategy: i.strategy }));
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
  const origin = (titleId: string): string => originOf.get(titleId)?.site ?? 'none';
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
        (i) => origin(i.titleId),
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
