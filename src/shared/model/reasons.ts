import type { TitleKind } from '../catalog/types.ts';
import type { StoredEvent } from '../events.ts';
import { findSite } from '../sites.ts';
import type { Reason } from '../suggestions.ts';
import { FEATURES, FEATURE_WIDTH, type FeatureName, type UserContext } from './features.ts';
import type { LogisticModel } from './logistic.ts';
import { facetShare } from './profile.ts';
import { tagKey } from './title-index.ts';

/** Contributions smaller than this say too little to show. */
const MIN_CONTRIBUTION = 0.1;
const MAX_EVENT_IDS = 20;

const KIND_KEYS: Record<TitleKind, string> = {
  film: 'reasonKindFilm',
  series: 'reasonKindSeries',
  'anime-series': 'reasonKindAnimeSeries',
  'anime-film': 'reasonKindAnimeFilm',
  variety: 'reasonKindVariety',
  documentary: 'reasonKindDocumentary',
  special: 'reasonKindSpecial',
  other: 'reasonKindOther',
};

/** Every _locales key a reason may use (the locale test checks both languages have them). */
export const REASON_KEYS = [
  'reasonSharedAbout',
  'reasonCommentedAbout',
  'reasonLikedAbout',
  'reasonGenre',
  'reasonLanguage',
  'reasonEra',
  'reasonPeople',
  'reasonHashtag',
  'reasonAlsoLiked',
  'reasonPopular',
  'reasonHiddenGem',
  'reasonRecent',
  'reasonSiteFit',
  'reasonExplore',
  ...Object.values(KIND_KEYS),
] as const;

const SHARE_ACTIONS = new Set(['share', 'repost', 'quote', 'crosspost', 'recommend']);
const COMMENT_ACTIONS = new Set(['comment', 'review']);

function recent(ids: readonly string[], events: Map<string, StoredEvent>): string[] {
  return [...new Set(ids)].sort((a, b) => (events.get(b)?.at ?? 0) - (events.get(a)?.at ?? 0)).slice(0, MAX_EVENT_IDS);
}

/** "You shared 3 posts about X" / commented / liked, by the strongest kind of action behind the events. */
function aboutPhrase(topic: string, eventIds: string[], events: Map<string, StoredEvent>): Reason['phrase'] {
  const real = eventIds.map((id) => events.get(id)).filter((e) => e !== undefined);
  const shared = real.filter((e) => SHARE_ACTIONS.has(e.action)).length;
  const commented = real.filter((e) => COMMENT_ACTIONS.has(e.action)).length;
  if (shared > 0) return { key: 'reasonSharedAbout', substitutions: [String(shared), topic] };
  if (commented > 0) return { key: 'reasonCommentedAbout', substitutions: [String(commented), topic] };
  return { key: 'reasonLikedAbout', substitutions: [String(Math.max(1, real.length)), topic] };
}

/** A name to show for a title: Chinese first for users active on Chinese sites, else English first. */
export function displayName(ctx: UserContext, item: number): string {
  const t = ctx.index.titles[item];
  if (!t) return '';
  const sites = ctx.profile.facets.site;
  // Sites whose record says their people write Chinese.
  let zh = 0;
  for (const [site, w] of sites.weights) if (findSite(site)?.script === 'zh') zh += Math.max(0, w);
  const order =
    sites.total > 0 && zh / sites.total > 0.5
      ? (['zh-Hans', 'zh-Hant', 'original', 'en', 'ja'] as const)
      : (['en', 'original', 'zh-Hans', 'zh-Hant', 'ja'] as const);
  for (const lang of order) {
    const name = t.titles[lang]?.[0];
    if (name) return name;
  }
  return t.aliases[0] ?? t.id;
}

function phraseFor(feature: FeatureName, ctx: UserContext, item: number): Omit<Reason, 'weight'> | undefined {
  const { index, profile } = ctx;
  const events = profile.events;
  switch (feature) {
    case 'text': {
      const doc = index.text[item];
      let best = -1;
      let bestValue = 0;
      doc?.indices.forEach((b, i) => {
        const v = (doc.values[i] as number) * (profile.text[b] as number);
        if (v > bestValue && profile.tokens.has(b)) {
          bestValue = v;
          best = b;
        }
      });
      const token = profile.tokens.get(best);
      if (!token) return undefined;
      const ids = recent(token.eventIds, events);
      return { phrase: aboutPhrase(token.token, ids, events), eventIds: ids };
    }
    case 'genre': {
      const genres = [...(index.genres[item] ?? [])].sort((a, b) => facetShare(profile, 'genre', b) - facetShare(profile, 'genre', a));
      const g = genres[0];
      if (!g) return undefined;
      return { phrase: { key: 'reasonGenre', substitutions: [g] }, eventIds: recent(profile.facets.genre.events.get(g) ?? [], events) };
    }
    case 'kind': {
      const kind = (index.kind[item] ?? 'other') as TitleKind;
      return {
        phrase: { key: KIND_KEYS[kind] ?? 'reasonKindOther', substitutions: [] },
        eventIds: recent(profile.facets.kind.events.get(kind) ?? [], events),
      };
    }
    case 'language': {
      const lang = index.language[item] ?? 'en';
      return {
        phrase: { key: 'reasonLanguage', substitutions: [] },
        eventIds: recent(profile.facets.language.events.get(lang) ?? [], events),
      };
    }
    case 'era': {
      const era = index.era[item];
      if (!era) return undefined;
      return { phrase: { key: 'reasonEra', substitutions: [era] }, eventIds: recent(profile.facets.era.events.get(era) ?? [], events) };
    }
    case 'people': {
      const people = [...(index.people[item] ?? [])].sort((a, b) => facetShare(profile, 'people', b) - facetShare(profile, 'people', a));
      const p = people[0];
      if (!p) return undefined;
      return { phrase: { key: 'reasonPeople', substitutions: [p] }, eventIds: recent(profile.facets.people.events.get(p) ?? [], events) };
    }
    case 'hashtag': {
      const tags = profile.facets.hashtag;
      const best = (index.tags[item] ?? [])
        .filter((t) => (tags.weights.get(t) ?? 0) > 0)
        .sort((a, b) => (tags.weights.get(b) ?? 0) - (tags.weights.get(a) ?? 0))[0];
      if (!best) return undefined;
      const ids = recent(tags.events.get(best) ?? [], events);
      const shown = ids.map((id) => events.get(id)?.target.hashtags.find((h) => tagKey(h) === best)).find((h) => h !== undefined) ?? best;
      return { phrase: { key: 'reasonHashtag', substitutions: [String(ids.length), shown.replace(/^#/u, '')] }, eventIds: ids };
    }
    case 'collab': {
      const { vectors, k } = index;
      if (!vectors) return undefined;
      let best = -1;
      let bestValue = 0;
      for (const [other, { weight }] of profile.titles) {
        if (other === item || weight <= 0) continue;
        let dot = 0;
        for (let i = 0; i < k; i += 1) dot += (vectors[other * k + i] as number) * (vectors[item * k + i] as number);
        if (dot * weight > bestValue) {
          bestValue = dot * weight;
          best = other;
        }
      }
      if (best < 0) return undefined;
      return {
        phrase: { key: 'reasonAlsoLiked', substitutions: [displayName(ctx, best)] },
        eventIds: recent(profile.titles.get(best)?.eventIds ?? [], events),
      };
    }
    case 'popularity':
      return { phrase: { key: 'reasonPopular', substitutions: [] }, eventIds: [] };
    case 'novelty':
      return { phrase: { key: 'reasonHiddenGem', substitutions: [] }, eventIds: [] };
    case 'recency': {
      const year = index.year[item] as number;
      return Number.isFinite(year) ? { phrase: { key: 'reasonRecent', substitutions: [String(year)] }, eventIds: [] } : undefined;
    }
    case 'site-kind': {
      const sites = [...profile.facets.site.weights].sort((a, b) => b[1] - a[1]);
      const top = sites[0];
      if (!top) return undefined;
      return {
        phrase: { key: 'reasonSiteFit', substitutions: [findSite(top[0])?.name ?? top[0]] },
        eventIds: recent(profile.facets.site.events.get(top[0]) ?? [], events),
      };
    }
    case 'ignored':
      return undefined;
  }
}

/**
 * The top contributions w_i·x_i of one suggestion, in plain phrases with the events behind
 * them; at most `max`, largest first, only those that push the score up.
 */
export function explain(ctx: UserContext, model: LogisticModel, item: number, x: Float32Array, offset: number, max = 3): Reason[] {
  const contributions: [number, number][] = [];
  for (let j = 0; j < FEATURE_WIDTH; j += 1) contributions.push([j, (model.weights[j] as number) * (x[offset + j] as number)]);
  contributions.sort((a, b) => b[1] - a[1]);
  const reasons: Reason[] = [];
  for (const [j, weight] of contributions) {
    if (reasons.length >= max || !(weight >= MIN_CONTRIBUTION)) break;
    const described = phraseFor(FEATURES[j] as FeatureName, ctx, item);
    if (described) reasons.push({ ...described, weight });
  }
  return reasons;
}
