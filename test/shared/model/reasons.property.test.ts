import { describe, expect, it } from 'vitest';
import { ACTION_KINDS, type ActionKind } from '../../../src/shared/actions.ts';
import { CONFIDENT_LINK, confidentLinks } from '../../../src/shared/catalog/linker.ts';
import type { CatalogTitle, TitleKind } from '../../../src/shared/catalog/types.ts';
import type { Feedback } from '../../../src/shared/db/schema.ts';
import type { StoredEvent } from '../../../src/shared/events.ts';
import { priorModel, trainLogistic } from '../../../src/shared/model/logistic.ts';
import { DEFAULT_PIPELINE_OPTIONS, prepareUser, rankCatalog } from '../../../src/shared/model/pipeline.ts';
import { createRng } from '../../../src/shared/model/random.ts';
import { ACTION_GROUP, COUNTED_GROUPS } from '../../../src/shared/model/reasons.ts';
import { tokenize } from '../../../src/shared/model/text.ts';
import { buildTitleIndex, tagKey } from '../../../src/shared/model/title-index.ts';
import { SITES } from '../../../src/shared/sites.ts';
import type { Reason } from '../../../src/shared/suggestions.ts';

/**
 * Every reason is a claim about stored data (issue 13, "reasons that are true"): for random
 * catalogs and random users, each claim is recomputed here from the stored events and feedback
 * alone, and must agree exactly: the anchor is a title the user engaged with, the relation holds
 * between the two titles, the count is the number of the user's events of that kind of action
 * linked to the anchor (confident links only), the plural form fits the count, and a reason that
 * only restates the prior never comes first.
 */
const DAY = 86_400_000;
const NOW = 1_780_000_000_000;
const PEOPLE = ['Ada Park', 'Bo Chen', 'Cleo Diaz', 'Dev Rao', 'Eun Kim', 'Femi Ade', 'Gia Lund', 'Hal Moss'];
const GENRES = ['drama', 'comedy', 'sci-fi', 'thriller', 'romance', 'animation'];
const KINDS: TitleKind[] = ['film', 'series', 'anime-series', 'documentary'];
const WORDS = ['dream', 'heist', 'ocean', 'robot', 'winter', 'castle', 'signal', 'garden'];

function pick<T>(rng: () => number, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)] as T;
}

function some<T>(rng: () => number, list: readonly T[], max: number): T[] {
  return [...new Set(Array.from({ length: 1 + Math.floor(rng() * max) }, () => pick(rng, list)))];
}

function randomCatalog(rng: () => number): CatalogTitle[] {
  let prevWord = '';
  return Array.from({ length: 40 }, (_, i) => {
    const word = pick(rng, WORDS);
    if (i % 5 !== 4) prevWord = word;
    const people = some(rng, PEOPLE, 3);
    const title: CatalogTitle = {
      id: `t${i}`,
      kind: pick(rng, KINDS),
      // Every fifth title is a sequel of the one before it ("The dream 4" → "The dream 4 part 2").
      titles:
        i % 5 === 4
          ? { en: [`The ${prevWord} ${i - 1} part 2`], 'zh-Hans': [`作品${i - 1}续集`] }
          : { en: [`The ${word} ${i}`], 'zh-Hans': [`作品${i}`] },
      aliases: [],
      hashtags: [`${word}${i}`],
      genres: some(rng, GENRES, 2),
      people,
      directors: rng() < 0.6 ? people.slice(0, 1) : [],
      // Each title has a Douban subject; some were learned on the device, with no publisher's prior.
      externalIds: { douban: [`${9000 + i}`] },
      watch: [],
      popularity: Math.round(rng() * 100) / 100,
      year: 1980 + Math.floor(rng() * 40),
    };
    if (rng() < 0.5) title.vector = Array.from({ length: 4 }, () => rng() * 2 - 1);
    if (rng() < 0.15) title.popularityKnown = false;
    // Item-item rows (signed, as the model's are) on some titles; the others score 0.
    if (rng() < 0.4) title.itemItem = { scale: 1 + rng(), vector: Array.from({ length: 3 }, () => rng() * 2 - 1) };
    return title;
  });
}

function randomUser(rng: () => number, catalog: CatalogTitle[], u: number): { events: StoredEvent[]; feedback: Feedback[] } {
  const events: StoredEvent[] = [];
  const n = 3 + Math.floor(rng() * 25);
  for (let e = 0; e < n; e += 1) {
    const site = pick(rng, SITES);
    const action: ActionKind = pick(rng, site.actions);
    const linked = some(rng, catalog, 2);
    const word = pick(rng, WORDS);
    const event: StoredEvent = {
      id: `${site.id}:${action}:u${u}e${e}`,
      site: site.id,
      action,
      at: NOW - Math.floor(rng() * 60 * DAY) - DAY,
      receivedAt: NOW - DAY,
      target: {
        id: `u${u}e${e}`,
        url: `https://${site.hosts[0]}/p/u${u}e${e}`,
        text: `about the ${word} and more`,
        // A subject page (Douban) carries no hashtags of the user's.
        hashtags: !site.subjectPages && rng() < 0.3 ? [`${word}${linked[0]?.id.slice(1) ?? ''}`] : [],
        links: [],
        itemIds: [],
      },
      links: linked.map((t) => ({
        titleId: t.id,
        // Some links are maybes: nothing may be claimed from them.
        confidence: rng() < 0.2 ? CONFIDENT_LINK - 0.1 : 0.9,
        reason: 'test',
        source: 'linker' as const,
      })),
      removedTitleIds: rng() < 0.1 && linked[0] ? [linked[0].id] : [],
    };
    if (action === 'rating') event.rating = 1 + Math.floor(rng() * 5);
    if (site.id === 'douban' && linked[0]) {
      // A subject page: its id is the first linked title's (or, sometimes, not), and its "also liked" list names a few others.
      const subject = rng() < 0.85 ? linked[0] : pick(rng, catalog);
      event.target.itemIds = [{ kind: 'douban-subject', value: subject.externalIds.douban?.[0] ?? '' }];
      event.target.facts = {
        names: [`作品${subject.id}`],
        related: some(rng, catalog, 5).map((t) => ({ id: t.externalIds.douban?.[0] ?? '', name: t.titles['zh-Hans']?.[0] ?? '' })),
      };
    }
    events.push(event);
  }
  const feedback: Feedback[] =
    rng() < 0.5 ? [{ id: u * 100 + 1, titleId: pick(rng, catalog).id, kind: 'interested', at: NOW - 2 * DAY }] : [];
  return { events, feedback };
}

/** Recomputes one reason's claim from the stored data; returns what disagrees, or nothing. */
function mismatches(
  reason: Reason,
  item: CatalogTitle,
  byId: Map<string, CatalogTitle>,
  events: StoredEvent[],
  feedback: Feedback[],
): string[] {
  const claim = reason.claim;
  if (!claim) return ['no claim'];
  const out: string[] = [];
  const linkedTo = (id: string): StoredEvent[] => events.filter((e) => confidentLinks(e).some((l) => l.titleId === id));
  if (claim.anchor !== undefined) {
    const anchor = byId.get(claim.anchor);
    if (!anchor) return [`anchor ${claim.anchor} is not in the catalog`];
    if (reason.anchor?.id !== claim.anchor) out.push('the phrase names another anchor');
    const picked = feedback.filter((f) => f.titleId === claim.anchor);
    const mine = linkedTo(claim.anchor);
    if (mine.length === 0 && picked.length === 0) out.push(`anchor ${claim.anchor} has no confident link and no pick`);
    if (claim.anchor === item.id) out.push('the anchor is the suggestion itself');
    // The count: the user's events of the claimed kind of action linked to the anchor, exactly.
    const count = claim.group === 'pick' ? picked.length : mine.filter((e) => ACTION_GROUP[e.action] === claim.group).length;
    if (count !== claim.count) out.push(`count ${claim.count} but ${count} stored ${claim.group} events`);
    for (const id of reason.eventIds)
      if (!mine.some((e) => e.id === id) && !id.startsWith('feedback:')) out.push(`event ${id} is not linked`);
    // "Why this?" lists the counted events first: "you shared 2 posts" shows those two shares.
    const groupOfId = (id: string): string | undefined =>
      id.startsWith('feedback:') ? 'pick' : ((g) => g && ACTION_GROUP[g.action])(events.find((e) => e.id === id));
    const listed = reason.eventIds.slice(0, Math.min(claim.count ?? 0, reason.eventIds.length)).map(groupOfId);
    if (listed.some((g) => g !== claim.group)) out.push(`the list starts ${listed.join(',')}, not the ${claim.count} counted`);
    if (claim.relation === 'person' && !(item.people.includes(claim.person ?? '') && anchor.people.includes(claim.person ?? '')))
      out.push(`${claim.person} is not credited by both`);
    if (claim.relation === 'director' && !(item.directors?.includes(claim.person ?? '') && anchor.directors?.includes(claim.person ?? '')))
      out.push(`${claim.person} did not direct both`);
    if ((claim.relation === 'person' || claim.relation === 'director') && reason.phrase.substitutions[0] !== claim.person)
      out.push('the phrase names another person');
    if (claim.relation === 'series') {
      const forms = (t: CatalogTitle): string[] =>
        Object.values(t.titles)
          .flat()
          .map((n) => n.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ''));
      const prefix = forms(item).some((a) =>
        forms(anchor).some((b) => a !== b && (a.startsWith(b) || b.startsWith(a)) && [a, b].includes(claim.series ?? '')),
      );
      if (!prefix) out.push(`${claim.series} is not the series name of both`);
    }
    const decade = (t: CatalogTitle): string => String(Math.floor((t.year ?? 0) / 10) * 10);
    if (
      (claim.relation === 'genre' || claim.relation === 'genre-era') &&
      !(item.genres.includes(claim.genre ?? '') && anchor.genres.includes(claim.genre ?? ''))
    )
      out.push(`${claim.genre} is not a genre of both`);
    if ((claim.relation === 'genre-era' || claim.relation === 'era') && !(decade(item) === claim.decade && decade(anchor) === claim.decade))
      out.push(`the ${claim.decade}s are not the decade of both`);
    if (claim.relation === 'era' && item.kind !== anchor.kind) out.push('an era tie needs the same kind');
    if (claim.relation === 'also-liked') {
      // A page of the anchor (linked to it, its subject the anchor's own) lists the suggestion.
      const lists = mine.some(
        (e) =>
          anchor.externalIds.douban?.includes(e.target.itemIds.find((id) => id.kind === 'douban-subject')?.value ?? '') &&
          e.target.facts?.related?.some((r) => item.externalIds.douban?.includes(r.id)),
      );
      if (!lists) out.push(`no page of ${anchor.id} lists ${item.id} as also liked`);
    }
    if (claim.relation === 'item-item') {
      const dot = (item.itemItem?.vector ?? []).reduce((s, v, i) => s + v * (anchor.itemItem?.vector[i] ?? 0), 0);
      if (!(dot > 0)) out.push('not item-item neighbours');
    }
    if (claim.relation === 'neighbour') {
      const dot = (item.vector ?? []).reduce((s, v, i) => s + v * (anchor.vector?.[i] ?? 0), 0);
      if (!(dot > 0)) out.push('not collaborative neighbours');
    }
  } else if (claim.relation === 'text' || claim.relation === 'hashtag') {
    const has = (e: StoredEvent): boolean =>
      claim.relation === 'text'
        ? tokenize([e.target.title ?? '', e.target.text, e.userText ?? '', ...e.target.hashtags].join('\n')).includes(claim.token ?? '')
        : e.target.hashtags.some((h) => tagKey(h) === claim.tag);
    const count = events.filter((e) => has(e) && ACTION_GROUP[e.action] === claim.group).length;
    if (count !== claim.count) out.push(`count ${claim.count} but ${count} stored ${claim.group} events with ${claim.token ?? claim.tag}`);
  } else if (claim.relation !== 'prior' && claim.relation !== 'explore') out.push(`a ${claim.relation} claim without an anchor`);
  if (item.popularityKnown === false && ['reasonPopular', 'reasonHiddenGem'].includes(reason.phrase.key))
    out.push('a claim on the popularity of a title no one ranked');
  if (reason.evidence && claim.group) {
    const one = reason.evidence.key.endsWith('_one');
    if (COUNTED_GROUPS.has(claim.group) && one !== (claim.count === 1)) out.push(`plural form ${reason.evidence.key} for ${claim.count}`);
    if (claim.group === 'rating') {
      const stars = Math.max(
        ...linkedTo(claim.anchor ?? '')
          .filter((e) => e.action === 'rating')
          .map((e) => e.rating ?? 0),
      );
      if (claim.stars !== stars) out.push(`${claim.stars} stars claimed, ${stars} stored`);
    }
  }
  return out;
}

describe('reasons are claims the stored data bears out', () => {
  it('recomputes every reason of 150 random users over random catalogs: no mismatch', () => {
    const rng = createRng(20261201);
    const problems: string[] = [];
    let checked = 0;
    let anchored = 0;
    const relations = new Map<string, number>();
    for (let u = 0; u < 150; u += 1) {
      const catalog = randomCatalog(rng);
      const byId = new Map(catalog.map((t) => [t.id, t]));
      const index = buildTitleIndex(catalog);
      const { events, feedback } = randomUser(rng, catalog, u);
      const prepared = prepareUser({ index, events, feedback, impressions: [], now: NOW });
      const model = prepared.coldStart
        ? priorModel()
        : trainLogistic(prepared.set, { ...DEFAULT_PIPELINE_OPTIONS.train, prior: priorModel() });
      for (const item of rankCatalog(prepared, model)) {
        const title = byId.get(item.titleId);
        if (!title) continue;
        // A reason that only restates the prior never comes first when another is there.
        const first = item.reasons.find((r) => r.claim?.relation !== 'explore');
        if (first?.prior && item.reasons.some((r) => !r.prior && r.claim?.relation !== 'explore'))
          problems.push(`${item.titleId}: a prior reason first`);
        for (const reason of item.reasons) {
          checked += 1;
          if (reason.anchor) anchored += 1;
          relations.set(reason.claim?.relation ?? '?', (relations.get(reason.claim?.relation ?? '?') ?? 0) + 1);
          if (reason.eventIds.length > 3) problems.push(`${item.titleId}: ${reason.eventIds.length} events behind one reason`);
          for (const p of mismatches(reason, title, byId, events, feedback))
            problems.push(`user ${u}, ${item.titleId}, ${reason.phrase.key}: ${p}`);
        }
      }
    }
    console.info(`${checked} reasons checked, ${anchored} tied to an engaged title; by relation ${JSON.stringify([...relations])}`);
    // Every kind of tie is exercised.
    for (const relation of ['director', 'person', 'series', 'genre-era', 'genre', 'text', 'hashtag', 'also-liked', 'item-item', 'prior'])
      expect(relations.get(relation), relation).toBeGreaterThan(0);
    expect(checked).toBeGreaterThan(500);
    expect(anchored).toBeGreaterThan(100);
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it('never claims a site fit, and every action kind counts as some kind', () => {
    for (const action of ACTION_KINDS) expect(ACTION_GROUP[action]).toBeDefined();
  });
});
