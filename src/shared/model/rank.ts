import type { RankedItem, Reason } from '../suggestions.ts';
import { probability } from './logistic.ts';
import { createRng, normal } from './random.ts';
import type { TitleIndex } from './title-index.ts';

export interface RankOptions {
  /** How many items the cache keeps (the popup shows fewer). */
  limit: number;
  /** Share of slots given to exploration of uncertain titles. */
  explorationShare: number;
  /** Strength of the penalty for repeating a kind or genre, 0 = none. */
  diversity: number;
  /** Candidates considered for diversity and exploration, best-scored first. */
  poolSize: number;
  seed: number;
}

export const DEFAULT_RANK_OPTIONS: RankOptions = { limit: 50, explorationShare: 0.15, diversity: 0.3, poolSize: 400, seed: 1 };

export interface RankInput {
  index: TitleIndex;
  /** Logit per title. */
  logits: Float32Array;
  /** Standard deviation of each logit under the posterior; absent means no exploration. */
  uncertainty?: Float32Array;
  /** Titles never suggested: engaged with, rejected, seen. */
  exclude: ReadonlySet<number>;
  strategy: string;
  explain(item: number): Reason[];
}

/** Indices of the `size` best finite logits not excluded, best first. */
export function topCandidates(logits: Float32Array, exclude: ReadonlySet<number>, size: number): number[] {
  const all: number[] = [];
  for (let i = 0; i < logits.length; i += 1) if (Number.isFinite(logits[i] as number) && !exclude.has(i)) all.push(i);
  if (all.length <= size) return all.sort((a, b) => (logits[b] as number) - (logits[a] as number) || a - b);
  // Threshold by a partial sort of a copy: cheaper than sorting the whole catalog.
  const values = Float32Array.from(all, (i) => logits[i] as number).sort();
  const cut = values[values.length - size] as number;
  return all.filter((i) => (logits[i] as number) >= cut).sort((a, b) => (logits[b] as number) - (logits[a] as number) || a - b).slice(0, size);
}

/**
 * Ranks titles: best scores first, re-ranked greedily so kinds and genres do not repeat too
 * much (score relative to the best, minus a penalty for the share of picks already of that
 * kind or genre), with a seeded Thompson-sampling share: those slots go to the titles whose
 * logit drawn from the posterior is highest, marked as exploration.
 */
export function rankItems(input: RankInput, options: RankOptions = DEFAULT_RANK_OPTIONS): RankedItem[] {
  const { index, logits } = input;
  const pool = topCandidates(logits, input.exclude, options.poolSize);
  if (pool.length === 0) return [];
  const limit = Math.min(options.limit, pool.length);
  const explore = input.uncertainty ? Math.round(limit * Math.min(1, Math.max(0, options.explorationShare))) : 0;
  const rng = createRng(options.seed);
  const picked: number[] = [];
  const flags = new Set<number>();
  const taken = new Set<number>();
  const kindCount = new Map<string, number>();
  const genreCount = new Map<string, number>();
  const best = probability(logits[pool[0] as number] as number);
  const take = (item: number, exploration: boolean): void => {
    picked.push(item);
    taken.add(item);
    if (exploration) flags.add(item);
    const kind = index.kind[item] ?? 'other';
    kindCount.set(kind, (kindCount.get(kind) ?? 0) + 1);
    for (const g of index.genres[item] ?? []) genreCount.set(g, (genreCount.get(g) ?? 0) + 1);
  };
  // Exploration slots spread evenly through the list, never first.
  const exploreAt = new Set<number>();
  for (let e = 0; e < explore; e += 1) exploreAt.add(Math.min(limit - 1, Math.floor(((e + 1) * limit) / (explore + 1))));
  while (picked.length < limit) {
    const position = picked.length;
    let choice = -1;
    let choiceValue = -Infinity;
    if (exploreAt.has(position) && input.uncertainty) {
      for (const item of pool) {
        if (taken.has(item)) continue;
        const draw = (logits[item] as number) + (input.uncertainty[item] as number) * normal(rng);
        if (draw > choiceValue) {
          choiceValue = draw;
          choice = item;
        }
      }
      if (choice >= 0) {
        take(choice, true);
        continue;
      }
    }
    const n = picked.length + 1;
    for (const item of pool) {
      if (taken.has(item)) continue;
      const relative = best > 0 ? probability(logits[item] as number) / best : 0;
      let genrePenalty = 0;
      for (const g of index.genres[item] ?? []) genrePenalty = Math.max(genrePenalty, (genreCount.get(g) ?? 0) / n);
      const value = relative - options.diversity * (((kindCount.get(index.kind[item] ?? 'other') ?? 0) / n) * 0.5 + genrePenalty * 0.5);
      if (value > choiceValue) {
        choiceValue = value;
        choice = item;
      }
    }
    if (choice < 0) break;
    take(choice, false);
  }
  return picked.map((item) => {
    const exploration = flags.has(item);
    const reasons = input.explain(item);
    if (exploration) reasons.push({ phrase: { key: 'reasonExplore', substitutions: [] }, weight: 0, eventIds: [] });
    return {
      titleId: index.titles[item]?.id ?? '',
      score: probability(logits[item] as number),
      strategy: input.strategy,
      reasons,
      exploration,
    };
  });
}
