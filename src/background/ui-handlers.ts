import type { CatalogTitle } from '../shared/catalog/types.ts';
import type { Feedback } from '../shared/db/schema.ts';
import type { StoredEvent } from '../shared/events.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportFile } from '../shared/export-format.ts';
import type { MessageType, RequestOf, ResponseOf } from '../shared/messages.ts';
import type { Settings } from '../shared/settings.ts';
import type { Store } from './store.ts';

type UiType =
  'catalog:search' | 'catalog:titles' | 'catalog:platforms' | 'data:get-events' | 'onboarding:pick' | 'data:export' | 'data:import';

type UiHandlers = { [T in UiType & MessageType]: (payload: RequestOf<T>) => Promise<ResponseOf<T>> };

export interface UiHandlerDeps {
  store: Store;
  settings: { get(): Promise<Settings>; set(next: Settings): Promise<Settings> };
  now: () => number;
  /** 'removed' makes the learner drop its weights and retrain from what remains. */
  eventsChanged: (change: 'added' | 'removed') => void;
  /** Resolves once the popup's snapshot shows the change. */
  feedbackChanged: () => Promise<void>;
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

/** Handlers the popup and options page need beyond the foundation's: search, onboarding, export and import. */
export function createUiHandlers({ store, settings, now, eventsChanged, feedbackChanged }: UiHandlerDeps): UiHandlers {
  return {
    async 'catalog:search'({ query, limit }) {
      const all = await store.read((db) => db.getAll('titles'));
      return searchTitles(all, query, limit ?? 8);
    },
    async 'catalog:titles'({ ids }) {
      const unique = [...new Set(ids)];
      const found = await store.read((db) => Promise.all(unique.map((id) => db.get('titles', id))));
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
    async 'data:get-events'({ ids }) {
      const found = await store.read((db) => Promise.all(ids.map((id) => db.get('events', id))));
      return found.filter((event): event is StoredEvent => event !== undefined);
    },
    async 'onboarding:pick'({ titleIds }) {
      const at = now();
      const unique = [...new Set(titleIds)];
      await store.write(async (db) => {
        const tx = db.transaction('feedback', 'readwrite');
        await Promise.all([...unique.map((titleId) => tx.store.add({ titleId, kind: 'interested', at })), tx.done]);
      });
      await settings.set({ ...(await settings.get()), onboarded: true });
      if (unique.length > 0) await feedbackChanged();
      return { added: unique.length };
    },
    async 'data:export'() {
      const [current, [events, feedback, impressions]] = await Promise.all([
        settings.get(),
        store.read((db) => Promise.all([db.getAllFromIndex('events', 'by-at'), db.getAll('feedback'), db.getAll('impressions')])),
      ]);
      const file: ExportFile = {
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        exportedAt: now(),
        settings: current,
        events,
        // Records read from the store always carry their auto-increment keys.
        feedback: feedback as ExportFile['feedback'],
        impressions: impressions as ExportFile['impressions'],
      };
      return file;
    },
    async 'data:import'(file) {
      const parsed = file as ExportFile;
      await store.write(async (db) => {
        const tx = db.transaction(['events', 'feedback', 'impressions'], 'readwrite');
        await Promise.all([
          ...parsed.events.map((event) => tx.objectStore('events').put(event)),
          ...parsed.feedback.map((record) => tx.objectStore('feedback').put(record as Feedback)),
          ...parsed.impressions.map((record) => tx.objectStore('impressions').put(record)),
          tx.done,
        ]);
      });
      await settings.set(parsed.settings);
      eventsChanged('removed');
      await feedbackChanged();
      return { events: parsed.events.length, feedback: parsed.feedback.length, impressions: parsed.impressions.length };
    },
  };
}
