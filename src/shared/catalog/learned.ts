import { confidentLinks, type StoredEvent, type SubjectFacts, type TitleLink } from '../events.ts';
import { foldName } from './fold.ts';
import { genreOf } from './genres.ts';
import { titlesNamed, type Linker } from './linker.ts';
import type { CatalogTitle, LocalizedTitles, TitleKind } from './types.ts';

/**
 * Titles learned from the pages the user engages with (issue 14). A Douban subject page says what
 * its title is (names, 又名 by region, year, genres, people, IMDb id) and which subjects its viewers
 * also liked. Every subject the device has seen is a LearnedSubject: matched to a catalog title
 * (Douban id, IMDb id, then name and year) it enriches that title on this device, so its Douban id
 * and Chinese names link later posts to it; unmatched it is a local title of its own. All of it is
 * derived from the stored events' facts: export, import, retention and "delete" need nothing else,
 * and a subject no remaining event names is gone at the next derivation.
 */

/** A subject page seen by the user, or a subject only named in such a page's "also liked" list. */
export interface LearnedSubject {
  /** `douban:<subject id>` */
  key: string;
  site: 'douban';
  subjectId: string;
  /** 'page': the user engaged on its own page; 'related': only another page's list names it. */
  source: 'page' | 'related';
  /** What its own page said (the latest engagement's), or just its name from a list. */
  facts: SubjectFacts;
  /** Subject ids of the engaged pages whose list names it, in the order first seen. */
  relatedOf: string[];
  /** When the user last engaged on its page, or on a page listing it. */
  seenAt: number;
  /** The catalog title it is, when one matched. */
  match?: SubjectMatch;
}

export interface SubjectMatch {
  titleId: string;
  by: 'douban' | 'imdb' | 'name-year' | 'name';
}

export const LOCAL_TITLE_PREFIX = 'local:douban:';

/** The id of the local title of a subject the catalog lacks. */
export function localTitleId(subjectId: string): string {
  return `${LOCAL_TITLE_PREFIX}${subjectId}`;
}

/** True for a title learned on this device (not from the catalog). */
export function isLocalTitle(titleId: string): boolean {
  return titleId.startsWith(LOCAL_TITLE_PREFIX);
}

/** The title id a learned subject stands for: its catalog match, or its local title. */
export function subjectTitleId(subject: Pick<LearnedSubject, 'subjectId' | 'match'>): string {
  return subject.match?.titleId ?? localTitleId(subject.subjectId);
}

/** The Douban subject id an event is about, if it was captured on a subject page. */
export function eventSubjectId(event: Pick<StoredEvent, 'site' | 'target'>): string | undefined {
  if (event.site !== 'douban') return undefined;
  return event.target.itemIds.find((id) => id.kind === 'douban-subject')?.value;
}

/**
 * The subjects the stored events teach: each engaged subject page with the facts of its latest
 * event, and each subject its related lists name. Events without facts (captured before facts
 * were kept, or on a page that showed none) teach nothing.
 */
export function subjectsFromEvents(events: Iterable<Pick<StoredEvent, 'site' | 'target' | 'at'>>): Map<string, LearnedSubject> {
  const pages = new Map<string, { facts: SubjectFacts; at: number; firstAt: number; seenAt: number }>();
  for (const event of events) {
    const id = eventSubjectId(event);
    const facts = event.target.facts;
    if (!id || !facts || !hasIdentity(facts)) continue;
    const known = pages.get(id);
    if (!known) pages.set(id, { facts, at: event.at, firstAt: event.at, seenAt: event.at });
    else {
      known.seenAt = Math.max(known.seenAt, event.at);
      known.firstAt = Math.min(known.firstAt, event.at);
      if (event.at >= known.at) Object.assign(known, { facts, at: event.at });
    }
  }
  const out = new Map<string, LearnedSubject>();
  // Pages first, oldest engagement first, so "relatedOf" keeps the order the user met them in.
  const ordered = [...pages].sort((a, b) => a[1].firstAt - b[1].firstAt || (a[0] < b[0] ? -1 : 1));
  for (const [subjectId, page] of ordered)
    out.set(`douban:${subjectId}`, {
      key: `douban:${subjectId}`,
      site: 'douban',
      subjectId,
      source: 'page',
      facts: page.facts,
      relatedOf: [],
      seenAt: page.seenAt,
    });
  for (const [subjectId, page] of ordered) {
    for (const related of page.facts.related ?? []) {
      if (related.id === subjectId) continue;
      const key = `douban:${related.id}`;
      let subject = out.get(key);
      if (!subject) {
        const facts: SubjectFacts = { names: [related.name] };
        // Douban's list under a film is of films, under a series of series (喜欢这部剧集的人也喜欢).
        if (page.facts.kind) facts.kind = page.facts.kind;
        subject = { key, site: 'douban', subjectId: related.id, source: 'related', facts, relatedOf: [], seenAt: page.seenAt };
        out.set(key, subject);
      }
      if (!subject.relatedOf.includes(subjectId)) subject.relatedOf.push(subjectId);
      subject.seenAt = Math.max(subject.seenAt, page.seenAt);
    }
  }
  return out;
}

/** Facts that say which title a page is: at least one name. */
function hasIdentity(facts: SubjectFacts): boolean {
  return (facts.names?.length ?? 0) > 0;
}

/** Every name a subject goes by: its own names, then its 又名. */
export function subjectNames(facts: SubjectFacts): string[] {
  return [...new Set([...(facts.names ?? []), ...(facts.aliases ?? []).map((a) => a.name)].filter((n) => n.trim() !== ''))];
}

/**
 * The catalog title a subject is, if the catalog has it: by Douban id, then IMDb id, then by name
 * and year (the same year, else one year off, as releases and festivals differ; a namesake of
 * another year is another title), with a film never matched to a series or back. A subject known
 * only by name from a list matches only a strong name that exactly one title of its kind bears.
 */
export function matchSubject(linker: Linker, subject: Pick<LearnedSubject, 'subjectId' | 'facts' | 'source'>): SubjectMatch | undefined {
  const idOf = (kind: string, value: string): string | undefined => {
    const found = linker.ids.get(`${kind}:${value}`) ?? [];
    return found.length === 1 ? linker.titles[found[0] as number]?.id : undefined;
  };
  const byDouban = idOf('douban', subject.subjectId);
  if (byDouban) return { titleId: byDouban, by: 'douban' };
  const { facts } = subject;
  const byImdb = facts.imdb ? idOf('imdb', facts.imdb) : undefined;
  if (byImdb) return { titleId: byImdb, by: 'imdb' };
  const kindFits = (t: number): boolean => facts.kind === undefined || (facts.kind === 'series') === (linker.titles[t]?.series === true);
  const exact = new Set<number>();
  const near = new Set<number>();
  const named = new Set<number>();
  // A name of everyday words (星际穿越, 源代码) is weak evidence in running text; a related list names a whole
  // title of the page's kind, so there it counts, when one title alone has it.
  for (const name of subjectNames(facts)) {
    const { titles, weak } = titlesNamed(linker, name);
    for (const t of titles) {
      if (!kindFits(t)) continue;
      const year = linker.titles[t]?.year;
      if (facts.year !== undefined) {
        if (year === facts.year) exact.add(t);
        else if (year !== undefined && Math.abs(year - facts.year) === 1) near.add(t);
      } else if (!weak || subject.source === 'related') named.add(t);
    }
  }
  const only = (set: Set<number>): string | undefined => (set.size === 1 ? linker.titles[[...set][0] as number]?.id : undefined);
  if (facts.year !== undefined) {
    const found = exact.size > 0 ? only(exact) : only(near);
    return found ? { titleId: found, by: 'name-year' } : undefined;
  }
  const found = only(named);
  return found ? { titleId: found, by: 'name' } : undefined;
}

const HAN = /\p{Script=Han}/u;
const KANA = /\p{Script=Hiragana}|\p{Script=Katakana}/u;
const LATIN_ONLY = /^[\p{Script=Latin}\p{N}\p{P}\p{Zs}\p{S}]+$/u;

/** A subject's names by language: Han names as Simplified Chinese (Douban writes them so), kana as Japanese, the rest as the original. */
function namesByLanguage(facts: SubjectFacts): LocalizedTitles {
  const titles: LocalizedTitles = {};
  const push = (lang: keyof LocalizedTitles, name: string): void => {
    (titles[lang] ??= []).push(name);
  };
  for (const name of facts.names ?? []) {
    if (KANA.test(name)) {
      push('ja', name);
      push('original', name);
    } else if (HAN.test(name)) push('zh-Hans', name);
    else {
      push('original', name);
      if (LATIN_ONLY.test(name)) push('en', name);
    }
  }
  return titles;
}

/** The catalog kind of a subject, from what its page shows. */
function kindOf(facts: SubjectFacts): TitleKind {
  const genres = new Set((facts.genres ?? []).map(genreOf));
  const series = facts.kind === 'series';
  const japanese = (facts.regions ?? []).some((r) => r.includes('日本')) || (facts.languages ?? []).some((l) => l.includes('日语'));
  if (genres.has('animation') && japanese) return series ? 'anime-series' : 'anime-film';
  if (genres.has('variety')) return 'variety';
  if (series) return 'series';
  return genres.has('documentary') ? 'documentary' : 'film';
}

/** The page's genre words as catalog genres: vocabulary ids where they map, the words otherwise. */
function genresOf(facts: SubjectFacts): string[] {
  return [...new Set((facts.genres ?? []).map((g) => genreOf(g) ?? g))];
}

/** The subject page of a Douban subject; a local title's first watch link: the page the user came from. */
export function doubanSubjectUrl(subjectId: string): string {
  return `https://movie.douban.com/subject/${subjectId}/`;
}

/**
 * The local title of a subject the catalog lacks, with what its page said. Its popularity is not
 * known (no publisher ranked it): `popularityKnown: false` keeps any reason from calling it
 * popular or lesser-known.
 */
export function localTitle(subject: LearnedSubject): CatalogTitle {
  const { facts } = subject;
  const names = subjectNames(facts);
  const titles = namesByLanguage(facts);
  const own = new Set(Object.values(titles).flat().map(foldName));
  const title: CatalogTitle = {
    id: localTitleId(subject.subjectId),
    kind: kindOf(facts),
    titles,
    aliases: names.filter((n) => !own.has(foldName(n))),
    hashtags: [],
    genres: genresOf(facts),
    people: [...new Set([...(facts.cast ?? []), ...(facts.directors ?? [])])],
    externalIds: { douban: [subject.subjectId], ...(facts.imdb ? { imdb: [facts.imdb] } : {}) },
    watch: [{ platform: 'douban', regions: [], url: doubanSubjectUrl(subject.subjectId) }],
    popularity: 0,
    popularityKnown: false,
  };
  if (facts.year !== undefined) title.year = facts.year;
  if (facts.directors?.length) title.directors = [...facts.directors];
  return title;
}

/**
 * A catalog title as this device knows it after the subjects matched to it: their Douban ids and
 * IMDb ids, their names it lacked (a Chinese name for an English-only title), and the facts the
 * catalog did not have (year, genres, people). What the catalog says is never replaced.
 */
export function enrichTitle(title: CatalogTitle, subjects: readonly LearnedSubject[]): CatalogTitle {
  if (subjects.length === 0) return title;
  const out: CatalogTitle = {
    ...title,
    titles: { ...title.titles },
    aliases: [...title.aliases],
    externalIds: { ...title.externalIds },
    genres: [...title.genres],
    people: [...title.people],
  };
  const known = new Set([...Object.values(out.titles).flat(), ...out.aliases].map(foldName));
  const addId = (kind: 'douban' | 'imdb', value: string | undefined): void => {
    if (!value) return;
    const list = out.externalIds[kind] ?? [];
    if (!list.includes(value)) out.externalIds[kind] = [...list, value];
  };
  for (const subject of subjects) {
    const { facts } = subject;
    addId('douban', subject.subjectId);
    addId('imdb', facts.imdb);
    for (const name of subjectNames(facts)) {
      const folded = foldName(name);
      if (known.has(folded)) continue;
      known.add(folded);
      if (HAN.test(name) && !KANA.test(name) && !out.titles['zh-Hans']?.length) out.titles['zh-Hans'] = [name];
      else out.aliases.push(name);
    }
    if (out.year === undefined && facts.year !== undefined) out.year = facts.year;
    if (out.genres.length === 0) out.genres = genresOf(facts);
    if (out.people.length === 0) out.people = [...new Set([...(facts.cast ?? []), ...(facts.directors ?? [])])];
    if (!out.directors?.length && facts.directors?.length) out.directors = [...facts.directors];
  }
  return out;
}

/**
 * The links of an event from the catalog's linker and the device's learned titles together: the
 * surer of the two for a title; and when the learned titles know the very subject the page is
 * about (by its Douban id), the catalog's guesses from the subject's name give way to it.
 */
export function combineLinks(catalogLinks: readonly TitleLink[], learnedLinks: readonly TitleLink[]): TitleLink[] {
  const bySubjectId = learnedLinks.some((l) => l.via === 'id');
  const out = new Map<string, TitleLink>();
  for (const link of [...learnedLinks, ...catalogLinks.filter((l) => !(bySubjectId && l.via === 'subject'))]) {
    const known = out.get(link.titleId);
    if (!known || known.confidence < link.confidence) out.set(link.titleId, link);
  }
  return [...out.values()].sort((a, b) => b.confidence - a.confidence);
}

/**
 * The "also liked" edges the user's own engagement backs: from each title an engaged subject page
 * stands for (the event is confidently linked to it by the subject's own id) to the title of each
 * subject in that page's list. `titleOfSubject` resolves a Douban subject id to a title id.
 */
export function alsoLikedEdges(
  events: Iterable<StoredEvent>,
  titleOfSubject: (subjectId: string) => string | undefined,
): { from: string; to: string; eventId: string }[] {
  const edges: { from: string; to: string; eventId: string }[] = [];
  for (const event of events) {
    const subjectId = eventSubjectId(event);
    const related = event.target.facts?.related;
    if (!subjectId || !related?.length) continue;
    const from = titleOfSubject(subjectId);
    if (!from || !confidentLinks(event).some((l) => l.titleId === from)) continue;
    for (const r of related) {
      const to = titleOfSubject(r.id);
      if (to && to !== from) edges.push({ from, to, eventId: event.id });
    }
  }
  return edges;
}
