import type { ActionKind } from '../actions.ts';
import type { CatalogTitle, TitleKind } from '../catalog/types.ts';
import type { StoredEvent } from '../events.ts';
import type { ActionGroup, Claim, Phrase, Reason } from '../suggestions.ts';
import { ACTION_GROUPS } from '../suggestions.ts';
import { FEATURES, FEATURE_WIDTH, type FeatureName, type UserContext } from './features.ts';
import type { LogisticModel } from './logistic.ts';
import { facetShare } from './profile.ts';
import { tagKey, titleDocument } from './title-index.ts';

/**
 * Reasons are claims about stored data, never guesses: "With Leonardo DiCaprio, like Inception ·
 * you liked 2 posts about it" names a person both titles credit, an engaged title (the anchor),
 * and counts exactly the user's events of one kind linked to it. Each reason carries its claim
 * as data, and test/shared/model/reasons.property.test.ts recomputes every claim from the events.
 * A reason that only restates the prior (popular, recent, lesser-known, a kind) is marked prior
 * and never comes first; one about a site would need follows, which Reelflow does not capture.
 */

/** Contributions smaller than this say too little to show. */
const MIN_CONTRIBUTION = 0.1;
/** "Why this?" lists the events counted first, then those that contributed most: at most this many per reason. */
const MAX_EVENT_IDS = 3;

/** The kind of action each action counts as in a reason. */
export const ACTION_GROUP: Readonly<Record<ActionKind, ActionGroup>> = {
  share: 'share',
  repost: 'share',
  quote: 'share',
  crosspost: 'share',
  // Douban's 推荐 on a subject page recommends the title itself: not a post shared.
  recommend: 'recommend',
  comment: 'comment',
  review: 'comment',
  rating: 'rating',
  watched: 'watched',
  watching: 'watching',
  wish: 'wish',
  bookmark: 'save',
  coin: 'save',
  like: 'like',
  upvote: 'like',
  helpful: 'like',
};

/** The evidence phrase of each kind of action; counted ones have _one/_other forms (the popup picks by Intl.PluralRules). */
const EVIDENCE_KEYS: Readonly<Record<ActionGroup, string>> = {
  share: 'evidenceShared',
  recommend: 'evidenceRecommended',
  comment: 'evidenceCommented',
  rating: 'evidenceRated',
  watched: 'evidenceWatched',
  watching: 'evidenceWatching',
  wish: 'evidenceWished',
  save: 'evidenceSaved',
  like: 'evidenceLiked',
  pick: 'evidencePicked',
};
/** Groups whose phrase says how many posts: the others are marks on one title (标记了想看). */
export const COUNTED_GROUPS: ReadonlySet<ActionGroup> = new Set(['share', 'comment', 'save', 'like']);

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

/** Every _locales key a reason may use (the locale test checks every locale has them; counted ones with _one and _other). */
export const REASON_KEYS = [
  'reasonWithPerson',
  'reasonByDirector',
  'reasonSameSeries',
  'reasonGenreEraLike',
  'reasonGenreLike',
  'reasonEraLike',
  'reasonNeighbour',
  'reasonAlsoLiked',
  'reasonTopic',
  'reasonHashtagTitle',
  'reasonLanguage',
  'reasonPopular',
  'reasonHiddenGem',
  'reasonRecent',
  'reasonExplore',
  ...Object.values(KIND_KEYS),
  ...Object.values(EVIDENCE_KEYS).flatMap((key) => [`${key}_one`, `${key}_other`]),
] as const;

/** The id of a pick contribution ("feedback:12"): a title picked in the popup, with no post behind it. */
function isPick(id: string): boolean {
  return id.startsWith('feedback:');
}

/** The group of an event or pick, or undefined for an id the profile does not know. */
function groupOf(id: string, events: Map<string, StoredEvent>): ActionGroup | undefined {
  if (isPick(id)) return 'pick';
  const event = events.get(id);
  return event ? ACTION_GROUP[event.action] : undefined;
}

/**
 * What backs a reason: of the given events and picks, those of the strongest kind present, counted
 * exactly, and the ones that contributed most (for "Why this?").
 */
export function evidenceOf(
  ids: readonly string[],
  ctx: UserContext,
): { group: ActionGroup; count: number; phrase: Phrase; eventIds: string[]; stars?: number } | undefined {
  const { events, contributions } = ctx.profile;
  const unique = [...new Set(ids)];
  const groups = new Map<ActionGroup, string[]>();
  for (const id of unique) {
    const group = groupOf(id, events);
    if (group) groups.set(group, [...(groups.get(group) ?? []), id]);
  }
  const group = ACTION_GROUPS.find((g) => groups.has(g));
  if (!group) return undefined;
  const mine = groups.get(group) ?? [];
  const count = mine.length;
  const key = EVIDENCE_KEYS[group];
  // The counted events come first, so "you shared 2 posts" lists those two shares; then the rest, strongest first.
  const strength = (id: string): number => contributions.get(id)?.weight ?? 0;
  const byStrength = (a: string, b: string): number => strength(b) - strength(a);
  const others = unique.filter((id) => groupOf(id, events) !== group);
  const top = [...[...mine].sort(byStrength), ...others.sort(byStrength)].slice(0, MAX_EVENT_IDS);
  if (group === 'rating') {
    const stars = Math.max(...mine.map((id) => events.get(id)?.rating ?? 0));
    return { group, count, phrase: { key: `${key}_other`, substitutions: [String(stars)] }, eventIds: top, stars };
  }
  const counted = COUNTED_GROUPS.has(group);
  return {
    group,
    count,
    phrase: { key: `${key}_${counted && count === 1 ? 'one' : 'other'}`, substitutions: [String(count)] },
    eventIds: top,
  };
}

/** A folded name and the length it needs to name a series: three Han characters or six letters. */
interface SeriesForm {
  form: string;
  minLength: number;
}

/**
 * Folded names by title object: explaining 50 suggestions compares each with every engaged title,
 * so each title's names are folded once, not once per pair (titles are never changed in place).
 */
const seriesFormsCache = new WeakMap<object, SeriesForm[]>();

/** A title's names, folded for comparing series names: lower case, letters and digits only. */
function seriesForms(title: Pick<CatalogTitle, 'titles'> | undefined): SeriesForm[] {
  if (!title) return [];
  let forms = seriesFormsCache.get(title);
  if (!forms) {
    forms = Object.values(title.titles)
      .flat()
      .map((name) => {
        const form = name
          .normalize('NFKC')
          .toLowerCase()
          .replace(/[^\p{L}\p{N}]+/gu, '');
        return { form, minLength: /\p{Script=Han}/u.test(form) ? 3 : 6 };
      });
    seriesFormsCache.set(title, forms);
  }
  return forms;
}

/**
 * The series two titles share, when one's name starts with the other's ("进击的巨人" and "进击的巨人 最终季",
 * "Iron Man" and "Iron Man 3"): the shorter name, of at least three Han characters or six letters.
 */
export function sameSeriesName(
  a: Pick<CatalogTitle, 'titles'> | undefined,
  b: Pick<CatalogTitle, 'titles'> | undefined,
): string | undefined {
  const bs = seriesForms(b);
  for (const x of seriesForms(a))
    for (const y of bs) {
      const xShorter = x.form.length <= y.form.length;
      const short = xShorter ? x : y;
      const long = xShorter ? y.form : x.form;
      if (short.form.length >= short.minLength && short.form !== long && long.startsWith(short.form)) return short.form;
    }
  return undefined;
}

/**
 * The words of a title's text document, by title object: the same titles head the ranking after
 * every retrain, and tokenizing them was most of the time reasons took (issue 16).
 */
const documentWordsCache = new WeakMap<CatalogTitle, ReadonlySet<string>>();

function documentWords(title: CatalogTitle): ReadonlySet<string> {
  let words = documentWordsCache.get(title);
  if (!words) {
    words = new Set(titleDocument(title));
    documentWordsCache.set(title, words);
  }
  return words;
}

/** What backs a reason, as evidenceOf finds it. */
type Evidence = NonNullable<ReturnType<typeof evidenceOf>>;

/**
 * What explaining one ranking needs once, not once per suggestion: the user's engaged titles
 * (positive weight) strongest first (ties: the first in the catalog), and the evidence of each
 * anchor already named (the same few engaged titles anchor most of the 50 suggestions).
 */
interface Explaining {
  ctx: UserContext;
  engaged: Int32Array;
  evidence: Map<number, Evidence | null>;
  /** The evidence of a word's events (the profile's token lists), by list. */
  wordEvidence: Map<readonly string[], Evidence | null>;
  /**
   * Engaged titles by the first three characters of their folded names, built on first use: a series
   * tie needs one name to start with the other's (three Han characters or six letters at least), so
   * only titles that share a name's first three characters can be the series' other part.
   */
  seriesHeads?: Map<string, Set<number>>;
}

function explaining(ctx: UserContext): Explaining {
  const engaged = [...ctx.profile.titles]
    .filter(([, { weight }]) => weight > 0)
    .sort(([a, x], [b, y]) => y.weight - x.weight || a - b)
    .map(([title]) => title);
  return { ctx, engaged: Int32Array.from(engaged), evidence: new Map(), wordEvidence: new Map() };
}

/** What `evidenceOf` says of these ids, worked out once per ranking under `key` (null: nothing backs it). */
function remembered<K>(cache: Map<K, Evidence | null>, key: K, ids: () => readonly string[], ctx: UserContext): Evidence | null {
  let evidence = cache.get(key);
  if (evidence === undefined) {
    evidence = evidenceOf(ids(), ctx) ?? null;
    cache.set(key, evidence);
  }
  return evidence;
}

/** A reason's own copy of remembered evidence: the phrase and the events listed. */
function ownCopy(evidence: Evidence): Pick<Reason, 'evidence' | 'eventIds'> {
  return { evidence: { key: evidence.phrase.key, substitutions: [...evidence.phrase.substitutions] }, eventIds: [...evidence.eventIds] };
}

/** The engaged titles that may share a series with `item` (see Explaining.seriesHeads). */
function seriesCandidates(ex: Explaining, item: CatalogTitle): Set<number> {
  if (!ex.seriesHeads) {
    ex.seriesHeads = new Map();
    for (const t of ex.engaged)
      for (const { form } of seriesForms(ex.ctx.index.titles.at(t))) {
        if (form.length < 3) continue;
        const head = form.slice(0, 3);
        const bucket = ex.seriesHeads.get(head) ?? new Set<number>();
        bucket.add(t);
        ex.seriesHeads.set(head, bucket);
      }
  }
  const out = new Set<number>();
  for (const { form } of seriesForms(item)) for (const t of ex.seriesHeads.get(form.slice(0, 3)) ?? []) out.add(t);
  return out;
}

/**
 * The user's strongest engaged title (positive weight; ties: the first in the catalog) that passes
 * `fits`, never the suggestion itself: the first of the engaged titles, strongest first, that fits.
 */
function anchor(ex: Explaining, item: number, fits: (title: number) => boolean): number | undefined {
  const { engaged } = ex;
  for (let i = 0; i < engaged.length; i += 1) {
    const title = engaged[i] as number;
    if (title !== item && fits(title)) return title;
  }
  return undefined;
}

/** A reason tied to one engaged title: the relation's phrase, and what the user did about that title. */
function anchored(ex: Explaining, anchor: number, phrase: Phrase, claim: Claim): Omit<Reason, 'weight'> | undefined {
  const { ctx } = ex;
  const title = ctx.index.titles.at(anchor);
  const evidence = remembered(ex.evidence, anchor, () => ctx.profile.titles.get(anchor)?.eventIds ?? [], ctx);
  if (!title || !evidence) return undefined;
  return {
    phrase,
    ...ownCopy(evidence),
    anchor: { id: title.id, titles: title.titles, aliases: title.aliases },
    claim: {
      ...claim,
      anchor: title.id,
      group: evidence.group,
      count: evidence.count,
      ...(evidence.stars === undefined ? {} : { stars: evidence.stars }),
    },
  };
}

/**
 * The engaged title whose row of `rows` (n×k) has the largest positive dot product with the item's,
 * times its engagement weight when `weighted`; undefined when none is positive.
 */
function strongestTie(profile: UserContext['profile'], item: number, rows: Float32Array, k: number, weighted: boolean): number | undefined {
  let best: number | undefined;
  let bestValue = 0;
  for (const [other, { weight }] of profile.titles) {
    if (other === item || weight <= 0) continue;
    let dot = 0;
    for (let i = 0; i < k; i += 1) dot += (rows[other * k + i] as number) * (rows[item * k + i] as number);
    const value = weighted ? dot * weight : dot;
    if (value > bestValue) {
      bestValue = value;
      best = other;
    }
  }
  return best;
}

function phraseFor(feature: FeatureName, ex: Explaining, item: number): Omit<Reason, 'weight'> | undefined {
  const { ctx } = ex;
  const { index, profile } = ctx;
  switch (feature) {
    case 'people': {
      // A director both titles share first, then the person the user's engagement leans on most, by billing.
      const title = index.titles.at(item);
      const directs = (t: number, person: string): boolean => index.titles.at(t)?.directors?.includes(person) === true;
      const people = [...(index.people.at(item) ?? [])];
      const order = (person: string): number =>
        (directs(item, person) ? -1000 : 0) - facetShare(profile, 'people', person) * 10 + people.indexOf(person) / 100;
      for (const person of people.sort((a, b) => order(a) - order(b))) {
        const tie = anchor(ex, item, (t) => (index.people.at(t) ?? []).includes(person));
        if (tie === undefined || !title) continue;
        if (directs(item, person) && directs(tie, person))
          return anchored(ex, tie, { key: 'reasonByDirector', substitutions: [person, ''] }, { relation: 'director', person });
        return anchored(ex, tie, { key: 'reasonWithPerson', substitutions: [person, ''] }, { relation: 'person', person });
      }
      return undefined;
    }
    case 'genre':
    case 'era': {
      const era = index.era[item];
      const genres = [...(index.genres.at(item) ?? [])].sort((a, b) => facetShare(profile, 'genre', b) - facetShare(profile, 'genre', a));
      for (const genre of genres) {
        const withGenre = (t: number): boolean => (index.genres.at(t) ?? []).includes(genre);
        const sameEra = era ? anchor(ex, item, (t) => withGenre(t) && index.era[t] === era) : undefined;
        if (sameEra !== undefined && era) {
          const phrase = { key: 'reasonGenreEraLike', substitutions: [genre, era, ''] };
          return anchored(ex, sameEra, phrase, { relation: 'genre-era', genre, decade: era });
        }
        if (feature === 'era') continue;
        const sameGenre = anchor(ex, item, withGenre);
        if (sameGenre !== undefined)
          return anchored(ex, sameGenre, { key: 'reasonGenreLike', substitutions: [genre, ''] }, { relation: 'genre', genre });
      }
      if (feature === 'era' && era) {
        const sameEra = anchor(ex, item, (t) => index.era[t] === era && index.kind[t] === index.kind[item]);
        if (sameEra !== undefined)
          return anchored(ex, sameEra, { key: 'reasonEraLike', substitutions: [era, ''] }, { relation: 'era', decade: era });
      }
      return undefined;
    }
    case 'collab': {
      const best = index.vectors ? strongestTie(profile, item, index.vectors, index.k, true) : undefined;
      return best === undefined
        ? undefined
        : anchored(ex, best, { key: 'reasonNeighbour', substitutions: [''] }, { relation: 'neighbour' });
    }
    case 'item-item': {
      // The engaged title whose row adds most to this one's item-item score: the one the audience data ties it to.
      const best = index.itemItem ? strongestTie(profile, item, index.itemItem, index.kItem, false) : undefined;
      return best === undefined
        ? undefined
        : anchored(ex, best, { key: 'reasonNeighbour', substitutions: [''] }, { relation: 'item-item' });
    }
    case 'also-liked': {
      // The engaged title whose Douban page lists this one, strongest first; the claim names it.
      const tie = ctx.alsoLiked.get(item);
      const from = tie ? anchor(ex, item, (t) => tie.from.includes(t)) : undefined;
      if (from === undefined) return undefined;
      return anchored(ex, from, { key: 'reasonAlsoLiked', substitutions: [''] }, { relation: 'also-liked', site: 'douban' });
    }
    case 'text': {
      const doc = index.text.at(item);
      const title = index.titles.at(item);
      if (!doc || !title) return undefined;
      // Another part of a series the user engaged with says more than any shared word.
      const candidates = seriesCandidates(ex, title);
      const sameSeries =
        candidates.size === 0
          ? undefined
          : anchor(ex, item, (t) => candidates.has(t) && sameSeriesName(index.titles.at(t), title) !== undefined);
      const seriesName = sameSeries === undefined ? undefined : sameSeriesName(index.titles.at(sameSeries), title);
      if (sameSeries !== undefined && seriesName)
        return anchored(ex, sameSeries, { key: 'reasonSameSeries', substitutions: [''] }, { relation: 'series', series: seriesName });
      // The bucket that adds most, then a word in it that both the title and the user's posts have.
      const words = documentWords(title);
      let best: { token: string; eventIds: string[]; value: number } | undefined;
      for (let i = 0; i < doc.indices.length; i += 1) {
        const b = doc.indices[i] as number;
        const v = (doc.values[i] as number) * (profile.text[b] as number);
        if (!(v > (best?.value ?? 0))) continue;
        for (const [token, eventIds] of profile.tokens.get(b) ?? []) if (words.has(token)) best = { token, eventIds, value: v };
      }
      if (!best) return undefined;
      // Only posts count here (a pick has no words of the user's), and only posts (a mark on a Douban page is not a post).
      // The same word explains many suggestions: its evidence is worked out once per ranking.
      const { eventIds } = best;
      const posts = (): string[] => eventIds.filter((id) => !isPick(id) && COUNTED_GROUPS.has(groupOf(id, profile.events) ?? 'pick'));
      const evidence = remembered(ex.wordEvidence, eventIds, posts, ctx);
      if (!evidence) return undefined;
      return {
        phrase: { key: 'reasonTopic', substitutions: [best.token] },
        ...ownCopy(evidence),
        claim: { relation: 'text', token: best.token, group: evidence.group, count: evidence.count },
      };
    }
    case 'hashtag': {
      const tags = profile.facets.hashtag;
      const best = (index.tags.at(item) ?? [])
        .filter((t) => (tags.weights.get(t) ?? 0) > 0)
        .sort((a, b) => (tags.weights.get(b) ?? 0) - (tags.weights.get(a) ?? 0))[0];
      const ids = best ? (tags.events.get(best) ?? []) : [];
      // Posts only: a hashtag is a post's.
      const evidence = evidenceOf(
        ids.filter((id) => COUNTED_GROUPS.has(groupOf(id, profile.events) ?? 'pick')),
        ctx,
      );
      if (!best || !evidence) return undefined;
      const shown =
        ids.map((id) => profile.events.get(id)?.target.hashtags.find((h) => tagKey(h) === best)).find((h) => h !== undefined) ?? best;
      return {
        phrase: { key: 'reasonHashtagTitle', substitutions: [shown.replace(/^#/u, '')] },
        evidence: evidence.phrase,
        eventIds: evidence.eventIds,
        claim: { relation: 'hashtag', tag: best, group: evidence.group, count: evidence.count },
      };
    }
    // What follows restates the prior or a broad facet: true, but never the reason shown first.
    case 'kind': {
      const kind = (index.kind[item] ?? 'other') as TitleKind;
      return {
        phrase: { key: KIND_KEYS[kind] ?? 'reasonKindOther', substitutions: [] },
        eventIds: [],
        prior: true,
        claim: { relation: 'prior' },
      };
    }
    case 'language':
      return { phrase: { key: 'reasonLanguage', substitutions: [] }, eventIds: [], prior: true, claim: { relation: 'prior' } };
    // A title no publisher ranked (learned on this device) is neither popular nor lesser-known as far as anyone said.
    case 'popularity':
      if (index.priorKnown[item] === 0) return undefined;
      return { phrase: { key: 'reasonPopular', substitutions: [] }, eventIds: [], prior: true, claim: { relation: 'prior' } };
    case 'novelty':
      if (index.priorKnown[item] === 0) return undefined;
      return { phrase: { key: 'reasonHiddenGem', substitutions: [] }, eventIds: [], prior: true, claim: { relation: 'prior' } };
    case 'recency': {
      const year = index.year[item] as number;
      if (!Number.isFinite(year)) return undefined;
      return { phrase: { key: 'reasonRecent', substitutions: [String(year)] }, eventIds: [], prior: true, claim: { relation: 'prior' } };
    }
    // A site's fit would need follows, which Reelflow does not capture; being shown before says nothing for a title.
    case 'site-kind':
    case 'ignored':
      return undefined;
  }
}

/**
 * The top contributions w_i·x_i of one suggestion, as claims in words with the events behind
 * them; at most `max`, only those that push the score up: reasons tied to what the user did
 * first, then those that restate the prior.
 */
export function explain(ctx: UserContext, model: LogisticModel, item: number, x: Float32Array, offset: number, max = 3): Reason[] {
  return explainer(ctx, model, max)(item, x, offset);
}

/**
 * `explain` for many suggestions of one ranking: what does not depend on the suggestion (the
 * engaged titles in order, each anchor's evidence) is worked out once.
 */
export function explainer(ctx: UserContext, model: LogisticModel, max = 3): (item: number, x: Float32Array, offset: number) => Reason[] {
  const ex = explaining(ctx);
  const weights = new Float64Array(FEATURE_WIDTH);
  const order = new Int32Array(FEATURE_WIDTH);
  return (item, x, offset) => {
    for (let j = 0; j < FEATURE_WIDTH; j += 1) weights[j] = (model.weights[j] as number) * (x[offset + j] as number);
    // Feature indices by contribution, largest first; ties keep feature order (an insertion sort of 15).
    for (let j = 0; j < FEATURE_WIDTH; j += 1) {
      let i = j;
      while (i > 0 && (weights[order[i - 1] as number] as number) < (weights[j] as number)) {
        order[i] = order[i - 1] as number;
        i -= 1;
      }
      order[i] = j;
    }
    const reasons: Reason[] = [];
    const said = new Set<string>();
    for (let r = 0; r < FEATURE_WIDTH; r += 1) {
      const j = order[r] as number;
      const weight = weights[j] as number;
      if (reasons.length >= max || !(weight >= MIN_CONTRIBUTION)) break;
      const described = phraseFor(FEATURES[j] as FeatureName, ex, item);
      // genre and era can describe the same tie: say it once.
      const key = described && `${described.phrase.key}|${described.phrase.substitutions.join('|')}|${described.anchor?.id ?? ''}`;
      if (described && key && !said.has(key)) {
        said.add(key);
        reasons.push({ ...described, weight });
      }
    }
    return [...reasons.filter((r) => !r.prior), ...reasons.filter((r) => r.prior)];
  };
}
