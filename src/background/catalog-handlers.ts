import { applyCorrections, linkEvent, type Linker } from '../shared/catalog/linker.ts';
import type { CapturedEvent, StoredEvent, TitleLink } from '../shared/events.ts';
import { MessageError, type MessageType, type RequestOf, type ResponseOf } from '../shared/messages.ts';
import type { CatalogService } from './catalog.ts';
import type { Store } from './store.ts';

type CatalogType = 'catalog:import' | 'catalog:status' | 'data:correct-link';
type CatalogHandlers = { [T in CatalogType & MessageType]: (payload: RequestOf<T>) => Promise<ResponseOf<T>> };

export interface CatalogHandlerDeps {
  store: Store;
  catalog: CatalogService;
  eventsChanged: (change: 'added' | 'removed') => void;
  /** The titles changed (the popup's snapshot shows them); resolves once that is done. */
  titlesChanged?: () => Promise<void>;
}

/** The link a user adds by hand: full confidence, and it wins over the linker on every re-link. */
export function userLink(titleId: string): TitleLink {
  return { titleId, confidence: 1, reason: 'added by you', source: 'user' };
}

/** Applies one correction to an event's links: a removed title goes out and stays out, an added one comes in as the user's. */
export function correctLinks(event: StoredEvent, add: string | undefined, remove: string | undefined): StoredEvent {
  let links = event.links;
  let removed = event.removedTitleIds;
  if (remove !== undefined) {
    links = links.filter((l) => l.titleId !== remove);
    if (!removed.includes(remove)) removed = [...removed, remove];
  }
  if (add !== undefined) {
    removed = removed.filter((id) => id !== add);
    links = [userLink(add), ...links.filter((l) => l.titleId !== add)];
  }
  return { ...event, links, removedTitleIds: removed };
}

/** Handlers for importing a catalog, its status, and the user's link corrections. */
export function createCatalogHandlers({ store, catalog, eventsChanged, titlesChanged }: CatalogHandlerDeps): CatalogHandlers {
  return {
    async 'catalog:import'({ text }) {
      const result = await catalog.install(text, 'imported');
      // The links changed under the model: retrain from scratch on the re-linked events.
      if (result.relinked > 0) eventsChanged('removed');
      await titlesChanged?.();
      return result;
    },
    async 'catalog:status'() {
      return catalog.status();
    },
    async 'data:correct-link'({ eventId, add, remove }) {
      // Checked inside the transaction but thrown outside it: the store counts throws inside as write failures.
      const updated = await store.write(async (db) => {
        const tx = db.transaction(['events', 'titles'], 'readwrite');
        const event = await tx.objectStore('events').get(eventId);
        const known = add === undefined || (await tx.objectStore('titles').getKey(add)) !== undefined;
        if (!event || !known) {
          await tx.done;
          return event ? 'unknown-title' : 'unknown-event';
        }
        const next = correctLinks(event, add, remove);
        await Promise.all([tx.objectStore('events').put(next), tx.done]);
        return next;
      });
      if (updated === 'unknown-event') throw new MessageError('invalid', `eventId: no event ${eventId}`);
      if (updated === 'unknown-title') throw new MessageError('invalid', `add: no catalog title ${add ?? ''}`);
      // 'removed' makes the learner drop the weights learned from the old link and retrain.
      eventsChanged('removed');
      return updated;
    },
  };
}

/** The links to store for a captured event: the linker's, under the user's corrections of an earlier copy. */
export function linksFor(linker: Linker, event: CapturedEvent, existing: StoredEvent | undefined): TitleLink[] {
  return applyCorrections(linkEvent(linker, event), existing?.links ?? [], existing?.removedTitleIds ?? []);
}
