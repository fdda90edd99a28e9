import type { Feedback, Impression } from '../../shared/db/schema.ts';
import type { StoredEvent } from '../../shared/events.ts';
import { kvPut } from '../../shared/db/kv.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, checkExport, describeImportProblem, type ExportFile } from '../../shared/export-format.ts';
import { MessageError, type DataStatus } from '../../shared/messages.ts';
import { SITE_IDS } from '../../shared/sites.ts';
import type { BackgroundEvents, Bus } from '../bus.ts';
import type { CaptureQueue } from '../capture-queue.ts';
import { sweepExpired, type SweepResult } from '../retention.ts';
import type { HandlerGroup } from '../router.ts';
import type { SettingsStore } from '../settings-store.ts';
import type { Store } from '../store.ts';

export interface DataDeps {
  store: Store;
  settings: SettingsStore;
  now: () => number;
  bus: Bus<BackgroundEvents>;
  /** Removes the popup's snapshot once every refresh asked for before has run. */
  clearSnapshot(): Promise<void>;
  /** Captures waiting for room (capture.ts): reported, exported and deleted with the rest. */
  queue: Pick<CaptureQueue, 'flush' | 'events' | 'notice' | 'clear' | 'remove'>;
}

/** The user's data as the options page sees it: the viewer, deletion, status, export and import; and retention. */
export interface Data {
  handlers: HandlerGroup<'data'>;
  /** Deletes what is older than the user's retention limit (run by a periodic alarm). */
  sweep(): Promise<SweepResult>;
}

/** Records read from the store always carry their auto-increment keys. */
function keyed<T extends { id?: number }>(records: T[]): (T & { id: number })[] {
  return records.filter((record): record is T & { id: number } => record.id !== undefined);
}

/** An imported feedback record as stored: optional fields the file left out stay absent. */
function feedbackRecord({ platform, via, undone, ...rest }: ExportFile['feedback'][number]): Feedback {
  return {
    ...rest,
    ...(platform === undefined ? {} : { platform }),
    ...(via === undefined ? {} : { via }),
    ...(undone === undefined ? {} : { undone }),
  };
}

/** Wires data:* to the store. */
export function createData({ store, settings, now, bus, clearSnapshot, queue }: DataDeps): Data {
  const handlers: HandlerGroup<'data'> = {
    async 'data:list-events'({ query, limit, offset = 0 }) {
      const all = await store.read((db) => db.getAllFromIndex('events', 'by-at'));
      const needle = query?.trim().toLowerCase();
      const matching = needle
        ? all.filter((e) =>
            [e.target.text, e.target.title ?? '', e.userText ?? '', e.target.author ?? '', e.target.url, ...e.target.hashtags].some(
              (field) => field.toLowerCase().includes(needle),
            ),
          )
        : all;
      return { events: matching.reverse().slice(offset, offset + (limit ?? 500)), total: matching.length };
    },
    async 'data:get-events'({ ids }) {
      const found = await store.read((db) => Promise.all(ids.map((id) => db.get('events', id))));
      return found.filter((event): event is StoredEvent => event !== undefined);
    },
    async 'data:delete-event'({ id }) {
      const deleted = await store.write(async (db) => {
        const tx = db.transaction('events', 'readwrite');
        const existing = await tx.store.get(id);
        if (existing) await tx.store.delete(id);
        await tx.done;
        return existing !== undefined;
      });
      if (deleted) await bus.emit('events-changed', 'removed');
      return { deleted };
    },
    async 'data:delete-all'() {
      await settings.get(); // what was on, so the change to the defaults is reported whole
      await queue.clear();
      await store.clearUserData();
      await settings.forget();
      await bus.emit('events-changed', 'removed');
      // Last, so a refresh started by the changes above cannot write the deleted data back.
      await clearSnapshot();
      return { deleted: true };
    },
    async 'data:site-count'({ site }) {
      const [stored, waiting] = await Promise.all([store.read((db) => db.countFromIndex('events', 'by-site', site)), queue.events()]);
      return { events: stored + waiting.filter((e) => e.site === site).length };
    },
    async 'data:delete-site'({ site }) {
      let deleted = 0;
      for (const event of await queue.events()) if (event.site === site && (await queue.remove(event.id))) deleted += 1;
      deleted += await store.write(async (db) => {
        const tx = db.transaction(['events', 'siteHealth'], 'readwrite');
        const keys = await tx.objectStore('events').index('by-site').getAllKeys(site);
        await Promise.all([...keys.map((key) => tx.objectStore('events').delete(key)), tx.objectStore('siteHealth').delete(site)]);
        await tx.done;
        return keys.length;
      });
      if (deleted > 0) await bus.emit('events-changed', 'removed');
      return { deleted };
    },
    async 'data:status'() {
      // The page asking is a good moment to try again what waits for room.
      await queue.flush().catch(() => undefined);
      const current = await settings.get();
      const [eventCount, health] = await store.read(async (db) => Promise.all([db.count('events'), db.getAll('siteHealth')]));
      const failures = store.failures();
      const status: DataStatus = {
        eventCount,
        paused: current.paused,
        enabledSites: SITE_IDS.filter((site) => current.sites[site].enabled),
        writeFailures: failures.count,
        health,
      };
      if (failures.last !== undefined) status.lastWriteError = failures.last;
      const notice = await queue.notice();
      if (notice) status.storage = notice;
      return status;
    },
    async 'data:export'() {
      const [current, [stored, feedback, impressions], waiting] = await Promise.all([
        settings.get(),
        store.read((db) => Promise.all([db.getAllFromIndex('events', 'by-at'), db.getAll('feedback'), db.getAll('impressions')])),
        queue.events(),
      ]);
      // Captures still waiting for room are in the file too: an export taken while the disk is full misses nothing.
      const ids = new Set(stored.map((event) => event.id));
      const events = [...stored, ...waiting.filter((event) => !ids.has(event.id))].sort((a, b) => a.at - b.at);
      const file: ExportFile = {
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        exportedAt: now(),
        settings: current,
        events,
        feedback: keyed<Feedback>(feedback),
        impressions: keyed<Impression>(impressions),
      };
      return file;
    },
    async 'data:import'(file) {
      // The schema was checked by the router; what it cannot check is checked here, before anything is written.
      const problem = checkExport(file, now());
      if (problem) throw new MessageError('invalid', `data:import: ${describeImportProblem(problem)}`);
      // All or nothing: the records and the settings in one transaction.
      await store.write(async (db) => {
        const tx = db.transaction(['events', 'feedback', 'impressions', 'kv'], 'readwrite');
        await Promise.all([
          ...file.events.map((event) => tx.objectStore('events').put(event)),
          ...file.feedback.map((record) => tx.objectStore('feedback').put(feedbackRecord(record))),
          ...file.impressions.map(({ site, ...record }) => tx.objectStore('impressions').put(site ? { ...record, site } : record)),
          kvPut(tx.objectStore('kv'), 'settings', file.settings),
          tx.done,
        ]);
      });
      // Written already; this updates the cached copy and tells site access, as any settings change does.
      await settings.set(file.settings);
      await bus.emit('events-changed', 'removed');
      await bus.emit('feedback-changed');
      return { events: file.events.length, feedback: file.feedback.length, impressions: file.impressions.length };
    },
  };
  return {
    handlers,
    async sweep() {
      await queue.flush().catch(() => undefined);
      const current = await settings.get();
      const result = await sweepExpired(store, current.retentionDays, now());
      if (result.events > 0) await bus.emit('events-changed', 'removed');
      return result;
    },
  };
}
