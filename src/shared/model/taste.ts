import type { UserProfile } from './profile.ts';
import type { TitleIndex } from './title-index.ts';
import type { TasteFacet } from './corrections.ts';

/**
 * What Reelflow thinks the user likes, as they can see and correct it (issue 15, "a taste profile
 * the user can correct"): the genres, people, titles and sites the profile leans on, each with the
 * events behind it. A correction is the user's: a genre marked "not for me" is no longer learned
 * from and its titles are not suggested; a person, title or site taken out is no longer learned from.
 */

export { NO_CORRECTIONS, TASTE_FACETS, noCorrections, type TasteCorrections, type TasteFacet } from './corrections.ts';

/** One thing the profile leans on: its key, its share of the user's engagement, and the events behind it. */
export interface TasteEntry {
  key: string;
  /** 0..1: the share of the (decayed, action-weighted) engagement behind it. */
  share: number;
  /** Ids of the events (and popup picks, `feedback:<id>`) behind it; at most EVENTS_KEPT. */
  eventIds: string[];
  /** How many events and picks are behind it in all. */
  count: number;
}

export type TasteProfile = Record<TasteFacet, TasteEntry[]>;

/**
 * Entries shown per facet: a few, the strongest. People are fewest: one film brings its whole cast,
 * and those it shares with another engaged title (its director, a lead) come first by share.
 */
export const TASTE_LIMIT: Readonly<Record<TasteFacet, number>> = { genres: 6, people: 5, titles: 6, sites: 6 };
const EVENTS_KEPT = 20;
/** Shares below this are noise, not taste. */
const MIN_SHARE = 0.01;

function entry(key: string, share: number, ids: readonly string[]): TasteEntry {
  return { key, share, eventIds: ids.slice(-EVENTS_KEPT), count: ids.length };
}

function top(entries: TasteEntry[], facet: TasteFacet): TasteEntry[] {
  return entries
    .filter((e) => e.share >= MIN_SHARE)
    .sort((a, b) => b.share - a.share || a.key.localeCompare(b.key))
    .slice(0, TASTE_LIMIT[facet]);
}

/** The taste profile of a built user profile: what the features and reasons read, largest share first. */
export function tasteOf(profile: UserProfile, index: TitleIndex): TasteProfile {
  const facet = (name: 'genre' | 'people' | 'site', as: TasteFacet): TasteEntry[] => {
    const f = profile.facets[name];
    if (f.total <= 1e-12) return [];
    return top(
      [...f.weights].map(([key, weight]) => entry(key, Math.min(1, weight / f.total), f.events.get(key) ?? [])),
      as,
    );
  };
  let titleTotal = 0;
  for (const { weight } of profile.titles.values()) titleTotal += Math.max(0, weight);
  const titles =
    titleTotal <= 1e-12
      ? []
      : top(
          [...profile.titles].flatMap(([i, { weight, eventIds }]) => {
            const id = index.titles.at(i)?.id;
            return id ? [entry(id, Math.max(0, weight) / titleTotal, eventIds)] : [];
          }),
          'titles',
        );
  return { genres: facet('genre', 'genres'), people: facet('people', 'people'), titles, sites: facet('site', 'sites') };
}
