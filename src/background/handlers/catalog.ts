import { inReaderScript } from '../../shared/catalog/hant.ts';
import { subjectTitleId } from '../../shared/catalog/learned.ts';
import { createTitleSearch, type TitleSearch } from '../../shared/catalog/search.ts';
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
  /** The UI's language: titles are named in its script (inReaderScript); English without it. */
  uiLanguage?: () => string;
}

/** Wires catalog:* to the stored catalog: search, titles by id, platforms, import and status. */
export function createCatalogHandlers({ store, catalog, learned, bus, uiLanguage }: CatalogDeps): HandlerGroup<'catalog'> {
  // The search index of the titles as this device knows them, built once per set of titles (search.ts).
  let index: { key: string; search: TitleSearch } | undefined;
  const searchIndex = async (): Promise<TitleSearch> => {
    const { key, titles } = learned
      ? await learned.all()
      : await store.read(async (db) => ({ key: `stored|${await db.count('titles')}`, titles: await db.getAll('titles') }));
    if (index?.key !== key) index = { key, search: createTitleSearch(titles) };
    return index.search;
  };
  return {
    async 'catalog:search'({ query, limit, lang }) {
      const search = await searchIndex();
      const found = !query.trim() && lang ? search.picks(lang, limit ?? 8) : search.search(query, limit ?? 8);
      const reader = lang ?? uiLanguage?.() ?? 'en';
      return found.map((title) => inReaderScript(title, reader));
    },
    async 'catalog:titles'({ ids }) {
      const unique = [...new Set(ids)];
      const found = learned ? await learned.get(unique) : await store.read((db) => Promise.all(unique.map((id) => db.get('titles', id))));
      return found.filter((title): title is CatalogTitle => title !== undefined);
    },
    async 'catalog:platforms'() {
      // A platform serves everywhere once one of its links has no regions; otherwise the union of them.
      const regions = new Map<string, Set<string> | 'everywhere'>();
      await store.read(async (db) => {
        let cursor = await db.transaction('titles').store.openCursor();
        while (cursor) {
          for (const link of cursor.value.watch) {
            const known = regions.get(link.platform);
            if (known === 'everywhere') continue;
            if (link.regions.length === 0) regions.set(link.platform, 'everywhere');
            else regions.set(link.platform, new Set([...(known ?? []), ...link.regions]));
          }
          cursor = await cursor.continue();
        }
      });
      return [...regions]
        .map(([platform, served]) => ({ platform, regions: served === 'everywhere' ? [] : [...served].sort() }))
        .sort((a, b) => a.platform.localeCompare(b.platform));
    },
    async 'catalog:learned'() {
      if (!learned) return [];
      const view = await learned.view();
      const byTitle = new Map<string, LearnedTitleInfo>();
      for (const subject of view.subjects.values()) {
        const titleId = subjectTitleId(subject);
        const title = view.local.get(titleId) ?? view.enriched.get(titleId);
        if (!title) continue;
        const info = byTitle.get(titleId) ?? {
          title: inReaderScript(title, uiLanguage?.() ?? 'en'),
          local: view.local.has(titleId),
          subjects: [],
        };
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
