/**
 * What the user took out of their taste profile (taste.ts), on its own so the profile can read it
 * without the view that is built from the profile.
 */

export const TASTE_FACETS = ['genres', 'people', 'titles', 'sites'] as const;
export type TasteFacet = (typeof TASTE_FACETS)[number];

/** What the user took out, per facet: genre ids, people's names, title ids, site ids. */
export type TasteCorrections = Readonly<Record<TasteFacet, readonly string[]>>;

export const NO_CORRECTIONS: TasteCorrections = { genres: [], people: [], titles: [], sites: [] };

/** True when the corrections take nothing out. */
export function noCorrections(corrections: TasteCorrections | undefined): boolean {
  return !corrections || TASTE_FACETS.every((facet) => corrections[facet].length === 0);
}
