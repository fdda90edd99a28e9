import { seriesKeys } from '../model/series.ts';
import { foldName } from './fold.ts';
import type { CatalogTitle, TitleKind } from './types.ts';

/**
 * Title search for the first-run picks (issue 15: each keystroke answered from memory on the full
 * catalog): every name a title goes by, folded once (case, width, Traditional to Simplified, no
 * spaces or punctuation, seasons in one form: foldName), so 進擊的巨人 finds 进击的巨人 and
 * "the dark knight" finds "The Dark Knight". Ranked as before: an exact name, then a name that
 * starts with the query, then one that contains it; ties go to the more popular title.
 */
export interface TitleSearch {
  search(query: string, limit: number): CatalogTitle[];
  /** What to offer before anything is typed: the most recognisable titles for this UI language. */
  picks(uiLanguage: string, limit: number): CatalogTitle[];
}

/** Kinds a first-run pick may be: what people name when asked what they watch. */
const PICK_KINDS: ReadonlySet<TitleKind> = new Set(['film', 'series', 'anime-series', 'anime-film']);
/** Of eight picks, at most this many anime: a list of eight isekai series is what the issue saw. */
const ANIME_SHARE = 3 / 8;

/** The name languages a UI language reads first: its own script, then the other Chinese one, then English. */
function pickLanguages(uiLanguage: string): ('zh-Hans' | 'zh-Hant' | 'en')[] {
  const tag = uiLanguage.toLowerCase().replace('_', '-');
  if (!tag.startsWith('zh')) return ['en'];
  return /^zh-(tw|hk|mo|hant)/.test(tag) ? ['zh-Hant', 'zh-Hans'] : ['zh-Hans'];
}

export function createTitleSearch(titles: readonly CatalogTitle[]): TitleSearch {
  const folded = titles.map((title) => [
    ...new Set([...Object.values(title.titles).flat(), ...title.aliases].map((name) => foldName(name)).filter(Boolean)),
  ]);
  // Most popular first: ties are then decided by position, and the picks walk it from the top.
  const byPopularity = titles.map((_, i) => i).sort((a, b) => (titles[b]?.popularity ?? 0) - (titles[a]?.popularity ?? 0) || a - b);
  const rank = new Int32Array(titles.length);
  byPopularity.forEach((i, r) => (rank[i] = r));

  return {
    search(query, limit) {
      const needle = foldName(query.trim());
      if (!needle) return byPopularity.slice(0, limit).map((i) => titles[i] as CatalogTitle);
      // The best `limit` so far, best first: a one-letter query matches thousands, sorting them all is the slow part.
      const best: { i: number; score: number }[] = [];
      const better = (a: { i: number; score: number }, b: { i: number; score: number }): boolean =>
        a.score > b.score || (a.score === b.score && (rank[a.i] as number) < (rank[b.i] as number));
      for (let i = 0; i < folded.length; i += 1) {
        let tier = 0;
        for (const name of folded[i] as string[]) {
          if (name === needle) {
            tier = 3;
            break;
          }
          if (tier < 2 && name.startsWith(needle)) tier = 2;
          else if (tier < 1 && name.includes(needle)) tier = 1;
        }
        if (tier === 0) continue;
        const found = { i, score: tier + (titles[i]?.popularity ?? 0) / 2 };
        if (best.length === limit && !better(found, best[limit - 1] as { i: number; score: number })) continue;
        let at = best.length === limit ? limit - 1 : best.length;
        while (at > 0 && better(found, best[at - 1] as { i: number; score: number })) {
          best[at] = best[at - 1] as { i: number; score: number };
          at -= 1;
        }
        best[at] = found;
      }
      return best.map((f) => titles[f.i] as CatalogTitle);
    },
    picks(uiLanguage, limit) {
      const langs = pickLanguages(uiLanguage);
      const out: CatalogTitle[] = [];
      const franchises = new Set<string>();
      let anime = 0;
      for (const i of byPopularity) {
        if (out.length >= limit) break;
        const title = titles[i] as CatalogTitle;
        // Only what a publisher ranked, of a kind people name, with a name in the reader's script.
        if (title.popularityKnown === false || !PICK_KINDS.has(title.kind)) continue;
        if (!langs.some((lang) => (title.titles[lang]?.length ?? 0) > 0)) continue;
        const isAnime = title.kind.startsWith('anime');
        if (isAnime && anime + 1 > Math.max(1, Math.floor(limit * ANIME_SHARE))) continue;
        const keys = seriesKeys(title);
        if (keys.some((key) => franchises.has(key))) continue;
        for (const key of keys) franchises.add(key);
        if (isAnime) anime += 1;
        out.push(title);
      }
      return out;
    },
  };
}
