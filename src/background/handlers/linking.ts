import { isLocalTitle } from '../../shared/catalog/learned.ts';
import type { CapturedEvent, StoredEvent, TitleLink } from '../../shared/events.ts';
import { MessageError } from '../../shared/messages.ts';
import type { BackgroundEvents, Bus } from '../bus.ts';
import type { CatalogService } from '../catalog.ts';
import type { LearnedTitles } from '../learned-titles.ts';
import type { HandlerGroup } from '../router.ts';
import type { Store } from '../store.ts';

/** Quiet time after a capture before an unbuilt linker is built: a restarting worker answers its burst first. */
const LINK_DELAY_MS = 500;

export interface LinkingDeps {
  store: Store;
  catalog: CatalogService;
  /** Titles learned from pages: links go to them as to catalog titles. */
  learned: LearnedTitles;
  bus: Bus<BackgroundEvents>;
}

/** Links from events to titles: made as events are stored, made later when no linker is built yet, and corrected by the user. */
export interface Linking {
  handlers: HandlerGroup<'linking'>;
  /** The links to store for an event now, or undefined when the linker is not built yet (then `later` it). */
  now(event: CapturedEvent, existing: StoredEvent | undefined): TitleLink[] | undefined;
  /** Links a stored event once the linker is built; the capture path never waits for a build. */
  later(id: string, event: CapturedEvent): void;
}

/** The link a user adds by hand: full confidence, and it wins over the linker on every re-link. */
function userLink(titleId: string): TitleLink {
  return { titleId, confidence: 1, reason: 'added by you', source: 'user', via: 'user' };
}

/** Applies one correction to an event's links: a removed title goes out and stays out, an added one comes in as the user's. */
function correctLinks(event: StoredEvent, add: string | undefined, remove: string | undefined): StoredEvent {
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

/** Wires linking:* and the queue of events stored before the linker was built. */
export function createLinking({ store, catalog, learned, bus }: LinkingDeps): Linking {
  const unlinked = new Map<string, CapturedEvent>();
  let buildTimer: ReturnType<typeof setTimeout> | undefined;

  async function linkPending(): Promise<void> {
    if (!catalog.peekLinker() || unlinked.size === 0) return;
    await learned.view();
    const pending = [...unlinked];
    unlinked.clear();
    await store.write(async (db) => {
      const tx = db.transaction('events', 'readwrite');
      const stored = await Promise.all(pending.map(([id]) => tx.store.get(id)));
      const puts = stored.map((existing, i) => {
        const source = pending[i]?.[1];
        const links = source && learned.linksNow(source, existing);
        return existing && links ? tx.store.put({ ...existing, links }) : undefined;
      });
      await Promise.all([...puts, tx.done]);
    });
    await bus.emit('events-changed', 'added');
  }
  catalog.onLinkerReady(() => {
    linkPending().catch((error: unknown) => console.warn('Reelflow: linking stored events failed', error));
  });

  return {
    now(event, existing) {
      return learned.linksNow(event, existing);
    },
    later(id, event) {
      unlinked.set(id, event);
      // Build (or join a build) once the burst of messages that woke the worker has been answered.
      clearTimeout(buildTimer);
      buildTimer = setTimeout(() => {
        catalog
          .linker()
          .then(() => linkPending())
          .catch((error: unknown) => console.warn('Reelflow: linking new events failed', error));
      }, LINK_DELAY_MS);
    },
    handlers: {
      async 'linking:correct'({ eventId, add, remove }) {
        // A local title is known to the learned titles, a catalog title to the catalog (read in the transaction).
        const localKnown = add !== undefined && isLocalTitle(add) ? (await learned.view()).local.has(add) : undefined;
        // Checked inside the transaction but thrown outside it: the store counts throws inside as write failures.
        const updated = await store.write(async (db) => {
          const tx = db.transaction(['events', 'titles'], 'readwrite');
          const event = await tx.objectStore('events').get(eventId);
          const known = add === undefined || (localKnown ?? (await tx.objectStore('titles').getKey(add)) !== undefined);
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
        await bus.emit('events-changed', 'removed');
        return updated;
      },
    },
  };
}
