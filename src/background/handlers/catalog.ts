import { subjectTitleId } from '../../shared/catalog/learned.ts';
import type { CatalogTitle } from '../../shared/catalog/types.ts';
import type { LearnedTitleInfo } from '../../shared/messages.ts';
import type { BackgroundEvents, Bus } from '../bus.ts';
import type { CatalogService } from '../catalog.ts';
import type { LearnedTitles } from '../learned-titles.ts';
import type { HandlerGroup } from '../router.ts';
import type { Store } from '../store.ts';

export interface CatalogDeps {
  store: Store;
  catalog: CatalogService;
  /** Search and lookups see the titles as this device knows them (learned from pages too). */
  learned?: Pick<LearnedTitles, 'get' | 'all' | 'view'>;
  bus: Bus<BackgroundEvents>;
}

/** Every name a title goes by, lower-cased, for search. */
function searchableNames(title: CatalogTitle): string[] {
  return [...Object.values(title.titles).flat(), ...title.aliases].map((name) => name.toLowerCase());
}

/**
 * Ranks titles for a search: an exact name first, then a name that starts with the query, then
 * one that contains it; ties go to the more popular title. An empty query lists popular titles.
 */
export function searchTitles(all: CatalogTitle[], query: string, limit: number): CatalogTitle[] {
  const needle = query.trim().toLowerCase();
  const scored: { title: CatalogTitle; score: number }[] = [];
  for (const title of all) {
    if (!needle) {
      scored.push({ title, score: title.popularity });
      continue;
    }
    let best = 0;
    for (const name of searchableNames(title)) {
      if (name === needle) best = Math.max(best, 3);
      else if (name.startsWith(needle)) best = Math.max(best, 2);
      else if (name.includes(needle)) best = Math.max(best, 1);
    }
    if (best > 0) scored.push({ title, score: best + title.popularity / 2 });
  }
  scored.sort((a, b) => b.score - a.score || a.title.id.localeCompare(b.title.id));
  return scored.slice(0, limit).map((entry) => entry.title);
}

/** Wires catalog:* to the stored catalog: search, titles by id, platforms, import and status. */
export function createCatalogHandlers({ store, catalog, learned, bus }: CatalogDeps): HandlerGroup<'catalog'> {
  return {
    async 'catalog:search'({ query, limit }) {
      const all = learned ? (await learned.all()).titles : await store.read((db) => db.getAll('titles'));
      return searchTitles(all, query, limit ?? 8);
    },
    async 'catalog:titles'({ ids }) {
      const unique = [...new Set(ids)];
      const found = learned ? await learned.get(unique) : await store.read((db) => Promise.all(unique.map((id) => db.get('titles', id))));
      return found.filter((title): title is CatalogTitle => title !== undefined);
    },
    async 'catalog:platforms'() {
      const platforms = new Set<string>();
      await store.read(async (db) => {
        let cursor = await db.transaction('titles').store.openCursor();
        while (cursor) {
          for (const link of cursor.value.watch) platforms.add(link.platform);
          cursor = await cursor.continue();
        }
      });
      return [...platforms].sort();
    },
    async 'catalog:learned'() {
      if (!learned) return [];
      const view = await learned.view();
      const byTitle = new Map<string, LearnedTitleInfo>();
      for (const subject of view.subjects.values()) {
        const titleId = subjectTitleId(subject);
        const title = view.local.get(titleId) ?? view.enriched.get(titleId);
        if (!title) continue;
        const info = byTitle.get(titleId) ?? { title, local: view.local.has(titleId), subjects: [] };
        info.subjects.push({
          id: subject.subjectId,
          source: subject.source,
          relatedOf: [...subject.relatedOf],
          ...(subject.match ? { matchedBy: subject.match.by } : {}),
        });
        byTitle.set(titleId, info);
      }
      // Titles of the user's own pages first, then those only named in their lists; newest first within each.
      const seen = (info: LearnedTitleInfo): number =>
        Math.max(...info.subjects.map((s) => view.subjects.get(`douban:${s.id}`)?.seenAt ?? 0));
      const own = (info: LearnedTitleInfo): number => (info.subjects.some((s) => s.source === 'page') ? 0 : 1);
      return [...byTitle.values()].sort((a, b) => own(a) - own(b) || seen(b) - seen(a) || a.title.id.localeCompare(b.title.id));
    },
    async 'catalog:import'({ text }) {
      const result = await catalog.install(text, 'imported');
      // The links changed under the model: retrain from scratch on the re-linked events.
      if (result.relinked > 0) await bus.emit('events-changed', 'removed');
      await bus.emit('titles-changed');
      return result;
    },
    async 'catalog:status'() {
      return catalog.status();
    },
  };
}
