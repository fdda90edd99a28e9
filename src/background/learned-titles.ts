import { inReaderScript } from '../shared/catalog/hant.ts';
import {
  combineLinks,
  enrichTitle,
  eventSubjectId,
  isLocalTitle,
  localTitle,
  matchSubject,
  subjectsFromEvents,
  subjectTitleId,
  type LearnedSubject,
} from '../shared/catalog/learned.ts';
import { applyCorrections, buildLinker, linkEvent, type Linker } from '../shared/catalog/linker.ts';
import type { CatalogTitle } from '../shared/catalog/types.ts';
import { fnv1a } from '../shared/model/hash.ts';
import type { CapturedEvent, StoredEvent, TitleLink } from '../shared/events.ts';
import type { CatalogService } from './catalog.ts';
import type { Store } from './store.ts';

/**
 * What this device has learned about titles from the pages the user engaged with (issue 14;
 * shared/catalog/learned.ts has the rules). It is derived, never stored on its own: from the
 * stored Douban events' facts and the catalog, once per worker and again after each change, so
 * export and import carry it inside the events, and deleting the events deletes it.
 */
export interface LearnedView {
  /** Bumped whenever what was learned changes. */
  generation: number;
  /**
   * A hash of what the titles were derived from (the subjects the stored Douban pages describe, in
   * the order the user met them): the same pages give the same key, in this worker and after a
   * restart, and it is worked out without the catalog's linker, so a restarted worker finds the
   * model's saved title index again without restoring the linker first (issue 16).
   */
  subjectsKey: string;
  subjects: ReadonlyMap<string, LearnedSubject>;
  /** Titles the catalog lacks, as their pages describe them. */
  local: ReadonlyMap<string, CatalogTitle>;
  /** Catalog titles as the subjects matched to them enrich them, by id. */
  enriched: ReadonlyMap<string, CatalogTitle>;
  /** Links posts to the local and enriched titles: by the subject's Douban id, and by their names. */
  linker: Linker;
  /** The title a Douban subject stands for on this device, if it is known. */
  titleOfSubject(subjectId: string): string | undefined;
}

export interface LearnedTitles {
  /** The view, if derived; the capture path never waits for a derivation. */
  peek(): LearnedView | undefined;
  /** The view, derived on first call (after the catalog's linker is built). */
  view(): Promise<LearnedView>;
  /**
   * Takes a captured event's facts in before it is stored and linked (a no-op for one that teaches
   * nothing new); call the function it returns once the event is stored, or was not.
   */
  learn(event: CapturedEvent): Promise<() => void>;
  /** Derives the view again from what is stored (events deleted or imported, another catalog). */
  refresh(): Promise<LearnedView>;
  /** Called after a derivation that changed what was learned (the background re-links then). */
  onChange(listener: (view: LearnedView) => void): void;
  /** Titles by id as this device knows them (enriched catalog titles and local ones), named in the UI's script. */
  get(ids: readonly string[]): Promise<(CatalogTitle | undefined)[]>;
  /** Every title: the catalog's (enriched) then the local ones, with a key that changes when any of them does. */
  all(): Promise<{ key: string; titles: CatalogTitle[] }>;
  /** The key all() gives now, without reading the catalog's titles. */
  key(): Promise<string>;
  /** The links of an event from the catalog's linker and the learned titles; undefined while either is not ready. */
  linksNow(event: CapturedEvent, existing: Pick<StoredEvent, 'links' | 'removedTitleIds'> | undefined): TitleLink[] | undefined;
  /**
   * Re-links the stored events that the last change touched (every event when `all`), keeping the
   * user's corrections; returns how many changed and whether a link went away.
   */
  relink(all?: boolean): Promise<{ changed: number; dropped: boolean }>;
}

/** A page's own facts as JSON, to tell whether an event says anything new about its subject. */
function factsKey(subject: LearnedSubject | undefined): string {
  return subject ? `${subject.source}|${JSON.stringify(subject.facts)}` : '';
}

/**
 * A local title's names link from running text only with support (a watching verb, a year, 《》):
 * the device has no word lists for them, and a related list's names are often everyday words.
 */
function forLinking(title: CatalogTitle): CatalogTitle {
  if (!isLocalTitle(title.id)) return title;
  return { ...title, phraseNames: [...Object.values(title.titles).flat(), ...title.aliases] };
}

export interface LearnedTitlesOptions {
  /** The UI's language: get() gives titles with names in its script (Traditional names drafted for a Traditional reader). */
  uiLanguage?: () => string;
  /** The extension's version: part of the key, since another release may derive other titles from the same pages. */
  release?: string;
}

/**
 * The key of the titles that subjects give (subjectsFromEvents' output, before matching): what
 * derive() makes of them depends on these, the catalog and the release alone.
 */
function subjectsKeyOf(subjects: ReadonlyMap<string, LearnedSubject>, release: string): string {
  const text = JSON.stringify([release, [...subjects.values()].map((s) => [s.key, s.source, s.facts, s.relatedOf])]);
  return `${text.length}.${fnv1a(text).toString(16)}.${fnv1a(text, 0x9747b28c).toString(16)}`;
}

export function createLearnedTitles(
  store: Store,
  catalog: Pick<CatalogService, 'linker' | 'peekLinker'>,
  options: LearnedTitlesOptions = {},
): LearnedTitles {
  let current: LearnedView | undefined;
  let deriving: Promise<LearnedView> | undefined;
  let generation = 0;
  // Events learned while a derivation ran, and captured events not stored yet: a derivation includes them.
  const pending = new Map<string, CapturedEvent>();
  // Subjects whose title changed at the last derivation (their events are re-linked).
  let touched = new Set<string>();
  let catalogKey = '';
  let catalogTitles: { key: string; titles: CatalogTitle[] } | undefined;
  const listeners: ((view: LearnedView) => void)[] = [];
  const release = options.release ?? '';

  async function derive(): Promise<LearnedView> {
    const catalogLinker = await catalog.linker();
    const [events, meta] = await store.read((db) => {
      const tx = db.transaction(['events', 'catalogMeta']);
      return Promise.all([tx.objectStore('events').index('by-site').getAll('douban'), tx.objectStore('catalogMeta').get('current')]);
    });
    const subjects = subjectsFromEvents([...events, ...pending.values()]);
    const subjectsKey = subjectsKeyOf(subjects, release);
    for (const subject of subjects.values()) {
      const match = matchSubject(catalogLinker, subject);
      if (match) subject.match = match;
    }
    const byTitle = new Map<string, LearnedSubject[]>();
    for (const subject of subjects.values())
      if (subject.match) byTitle.set(subject.match.titleId, [...(byTitle.get(subject.match.titleId) ?? []), subject]);
    const ids = [...byTitle.keys()];
    const found = await store.read((db) => {
      const tx = db.transaction('titles');
      return Promise.all(ids.map((id) => tx.store.get(id)));
    });
    const enriched = new Map<string, CatalogTitle>();
    found.forEach((title, i) => {
      if (title) enriched.set(title.id, enrichTitle(title, byTitle.get(ids[i] as string) ?? []));
    });
    const local = new Map<string, CatalogTitle>();
    for (const subject of subjects.values()) {
      // A match whose catalog title is gone (another catalog) is not a match.
      if (subject.match && !enriched.has(subject.match.titleId)) delete subject.match;
      if (!subject.match) {
        const title = localTitle(subject);
        local.set(title.id, title);
      }
    }
    const previous = current;
    const changed = new Set<string>();
    for (const [key, subject] of subjects) {
      const before = previous?.subjects.get(key);
      if (!before || subjectTitleId(before) !== subjectTitleId(subject) || factsKey(before) !== factsKey(subject))
        changed.add(subject.subjectId);
    }
    for (const [key, before] of previous?.subjects ?? []) if (!subjects.has(key)) changed.add(before.subjectId);
    touched = new Set([...touched, ...changed]);
    const titleOf = new Map<string, string>();
    for (const subject of subjects.values()) titleOf.set(subject.subjectId, subjectTitleId(subject));
    // Catalog titles that carry a Douban id of their own resolve too.
    const linker = buildLinker([...local.values(), ...enriched.values()].map(forLinking));
    const nextCatalogKey = `${meta?.version ?? ''}|${meta?.installedAt ?? 0}`;
    // A derivation that learned nothing new keeps its generation, so the model's title index is not rebuilt.
    if (!previous || changed.size > 0 || nextCatalogKey !== catalogKey) generation += 1;
    catalogKey = nextCatalogKey;
    const view: LearnedView = {
      generation,
      subjectsKey,
      subjects,
      local,
      enriched,
      linker,
      titleOfSubject: (subjectId) => titleOf.get(subjectId) ?? catalogTitleOfSubject(catalogLinker, subjectId),
    };
    current = view;
    if (changed.size > 0) for (const listener of listeners) listener(view);
    return view;
  }

  function catalogTitleOfSubject(linker: Linker, subjectId: string): string | undefined {
    const found = linker.ids.get(`douban:${subjectId}`) ?? [];
    return found.length === 1 ? linker.titles[found[0] as number]?.id : undefined;
  }

  /**
   * The stored catalog's key, from its meta alone: the titles and their meta (with its title count)
   * are written in one transaction at each install, and counting some 50,000 records costs 70 ms.
   */
  async function catalogKeyNow(): Promise<string> {
    const meta = await store.read((db) => db.get('catalogMeta', 'current'));
    return `${meta?.version ?? ''}|${meta?.sha256 ?? ''}|${meta?.installedAt ?? 0}|${meta?.titleCount ?? 0}`;
  }

  function refresh(): Promise<LearnedView> {
    const run = (deriving ?? Promise.resolve()).catch(() => undefined).then(() => derive());
    deriving = run;
    return run.finally(() => {
      if (deriving === run) deriving = undefined;
    });
  }

  async function view(): Promise<LearnedView> {
    if (current) return current;
    return deriving ?? refresh();
  }

  /** Whether an event says something about its subject the view does not know yet. */
  function teaches(event: CapturedEvent, known: LearnedView): boolean {
    const subjectId = eventSubjectId(event);
    if (!subjectId || !event.target.facts?.names?.length) return false;
    const before = known.subjects.get(`douban:${subjectId}`);
    if (!before || before.source !== 'page') return true;
    if (JSON.stringify(before.facts) !== JSON.stringify(event.target.facts)) return true;
    return (event.target.facts.related ?? []).some((r) => !known.subjects.has(`douban:${r.id}`));
  }

  return {
    peek: () => current,
    view,
    async learn(event) {
      const subjectId = eventSubjectId(event);
      if (!subjectId || !event.target.facts?.names?.length) return () => undefined;
      if (current && !teaches(event, current)) return () => undefined;
      // Held until the event is stored: a derivation reading the store would not see it yet.
      const key = `${subjectId}:${event.action}:${event.at}`;
      pending.set(key, event);
      const settle = (): void => void pending.delete(key);
      // Deriving is quick once the catalog's linker is built; before that the capture does not wait
      // (it is linked once both exist).
      if (current) await refresh();
      else if (catalog.peekLinker()) await view();
      else void view().catch((error: unknown) => console.warn('Reelflow: learned titles not derived', error));
      return settle;
    },
    refresh,
    onChange(listener) {
      listeners.push(listener);
    },
    async get(ids) {
      const known = await view();
      const fromCatalog = await store.read((db) => {
        const tx = db.transaction('titles');
        return Promise.all(ids.map((id) => (isLocalTitle(id) ? undefined : tx.store.get(id))));
      });
      const lang = options.uiLanguage?.() ?? 'en';
      return ids.map((id, i) => {
        const title = known.local.get(id) ?? (fromCatalog[i] && (known.enriched.get(id) ?? fromCatalog[i]));
        return title && inReaderScript(title, lang);
      });
    },
    async key() {
      // Before the first derivation (a restarted worker), from the stored pages alone: no linker needed.
      const subjectsKey = async (): Promise<string> => {
        const events = await store.read((db) => db.getAllFromIndex('events', 'by-site', 'douban'));
        return subjectsKeyOf(subjectsFromEvents([...events, ...pending.values()]), release);
      };
      const [known, key] = await Promise.all([current?.subjectsKey ?? subjectsKey(), catalogKeyNow()]);
      return `${key}|${known}`;
    },
    async all() {
      const [known, key] = await Promise.all([view(), catalogKeyNow()]);
      // The catalog is read once per install: the same objects each time, so the model's index reuses what it made of them.
      if (catalogTitles?.key !== key) catalogTitles = { key, titles: await store.read((db) => db.getAll('titles')) };
      const merged = catalogTitles.titles.map((t) => known.enriched.get(t.id) ?? t);
      return { key: `${key}|${known.subjectsKey}`, titles: [...merged, ...known.local.values()] };
    },
    linksNow(event, existing) {
      const known = current;
      const catalogLinker = catalog.peekLinker();
      if (!catalogLinker) return undefined;
      // Until the view is derived (just after a start), a subject page waits for it; any other post links to the catalog now.
      if (!known && eventSubjectId(event) !== undefined) return undefined;
      const catalogLinks = linkEvent(catalogLinker, event);
      const links = known ? combineLinks(catalogLinks, linkEvent(known.linker, event)) : catalogLinks;
      return applyCorrections(links, existing?.links ?? [], existing?.removedTitleIds ?? []);
    },
    async relink(all = false) {
      const known = await view();
      const catalogLinker = await catalog.linker();
      const subjectIds = touched;
      touched = new Set();
      const knownTitle = (id: string): boolean => !isLocalTitle(id) || known.local.has(id);
      let changed = 0;
      let dropped = false;
      await store.write(async (db) => {
        const tx = db.transaction('events', 'readwrite');
        let cursor = await tx.store.openCursor();
        const puts: Promise<unknown>[] = [];
        while (cursor) {
          const event = cursor.value;
          const subjectId = eventSubjectId(event);
          const affected = all || (subjectId !== undefined && subjectIds.has(subjectId)) || event.links.some((l) => !knownTitle(l.titleId));
          if (affected) {
            const links = applyCorrections(
              combineLinks(linkEvent(catalogLinker, event), linkEvent(known.linker, event)),
              event.links,
              event.removedTitleIds,
            ).filter((l) => knownTitle(l.titleId) || l.source === 'user');
            if (JSON.stringify(links) !== JSON.stringify(event.links)) {
              changed += 1;
              dropped ||= event.links.some((old) => !links.some((l) => l.titleId === old.titleId));
              puts.push(cursor.update({ ...event, links }));
            }
          }
          cursor = await cursor.continue();
        }
        await Promise.all([...puts, tx.done]);
      });
      return { changed, dropped };
    },
  };
}
