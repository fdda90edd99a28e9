import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, describe, expect, it } from 'vitest';
import { createBackground } from '../../src/background/background.ts';
import {
  PRUNE_MIN_BYTES,
  RETRY_DELAY_MS,
  createCaptureQueue,
  memoryPendingStorage,
  type PendingStorage,
} from '../../src/background/capture-queue.ts';
import type { SenderInfo } from '../../src/background/router.ts';
import { isQuotaError } from '../../src/shared/db/quota.ts';
import type { CapturedEvent, StoredEvent } from '../../src/shared/events.ts';
import { MessageError, envelope, type MessageType, type RequestOf, type ResponseOf } from '../../src/shared/messages.ts';
import { defaultSettings } from '../../src/shared/settings.ts';
import { xLike } from '../fixtures/events.ts';
import { fullDisk, type DiskModel, type FullDisk } from './full-disk.ts';

const fromPage: SenderInfo = { fromExtensionPage: true, incognito: false };
const fromX: SenderInfo = { fromExtensionPage: false, tabHost: 'x.com', incognito: false };
const DAY = 86_400_000;
const START = 1_760_000_000_000;
let dbCounter = 0;

/** A post of `chars` characters, different for each n (the model counts JSON, so no two compress alike). */
const postText = (n: number, chars = 4000): string => `${n}:`.padEnd(chars, String.fromCharCode(0x4e00 + (n % 500)));

/** The n-th like on X, n days after START, with a full post. */
function like(n: number, text = postText(n)): CapturedEvent {
  const id = `19000000${String(n).padStart(5, '0')}`;
  return xLike({
    at: START + n * DAY,
    target: { ...xLike().target, id, url: `https://x.com/a/status/${id}`, text, itemIds: [{ kind: 'x-status', value: id }] },
  });
}

interface Harness {
  disk: FullDisk;
  pending: PendingStorage;
  ask<T extends MessageType>(type: T, payload: RequestOf<T>, sender?: SenderInfo): Promise<ResponseOf<T>>;
  restart(): Harness;
}

/** A background over a disk of the given model, with x on, its clock moving a minute per message. */
async function harness(model: DiskModel, pending: PendingStorage = memoryPendingStorage()): Promise<Harness> {
  const disk = fullDisk(`quota-${dbCounter++}`, model);
  const make = (): Harness => {
    let clock = START + 400 * DAY;
    const bg = createBackground(disk, () => (clock += 60_000), { session: fakeBrowser.storage.session, pending });
    const h: Harness = {
      disk,
      pending,
      async ask(type, payload, sender = fromPage) {
        const reply = await bg.handle(envelope(type, payload), sender);
        if (!reply) throw new Error('no reply');
        if (!reply.ok) throw new MessageError(reply.error.code, reply.error.message);
        return reply.value as ResponseOf<typeof type>;
      },
      restart: make,
    };
    return h;
  };
  const h = make();
  const settings = defaultSettings();
  settings.sites.x.enabled = true;
  await h.ask('settings:set', settings);
  return h;
}

const allEvents = (disk: FullDisk): Promise<StoredEvent[]> => disk.read((db) => db.getAllFromIndex('events', 'by-at'));

/** How many of the oldest posts of `bytesEach` text it takes to free at least the minimum a prune frees. */
const prunedCount = (bytesEach: number): number => Math.ceil(PRUNE_MIN_BYTES / bytesEach);

describe('a full disk loses nothing', () => {
  beforeEach(() => fakeBrowser.reset());

  it('keeps a refused capture, removes the oldest text first, and then saves it (Firefox: a shrinking rewrite goes through)', async () => {
    const { disk, ask } = await harness('firefox');
    for (let n = 0; n < 50; n += 1) expect(await ask('capture:event', like(n), fromX)).toMatchObject({ stored: true });
    const before = await allEvents(disk);
    // Room for less than one more post.
    disk.setQuota((await disk.usage()) + 1000);

    const reply = await ask('capture:event', like(50), fromX);
    expect(reply).toEqual({ stored: true, id: 'x:like:1900000000050' });
    expect(disk.refusals()).toBe(1);

    const after = await allEvents(disk);
    expect(after.map((e) => e.id)).toEqual([...before.map((e) => e.id), 'x:like:1900000000050']);
    const pruned = prunedCount(2 * 4000);
    expect(pruned).toBe(33);
    // The oldest lost their text and nothing else; the newer kept every character.
    after.slice(0, pruned).forEach((event, i) => {
      expect(event).toEqual({ ...before[i], target: { ...before[i]?.target, text: '' } });
    });
    after.slice(pruned, 50).forEach((event, i) => expect(event).toEqual(before[pruned + i]));
    expect(after[50]?.target.text).toBe(postText(50));

    const { storage } = await ask('data:status', {});
    expect(storage).toEqual({
      fullAt: expect.any(Number) as number,
      waiting: 0,
      saved: 1,
      prunedEvents: pruned,
      prunedUpTo: START + (pruned - 1) * DAY,
      droppedCaches: [],
    });
    // The next write succeeds, straight away.
    expect(await ask('capture:event', like(51, 'short'), fromX)).toEqual({ stored: true, id: 'x:like:1900000000051' });
    expect(disk.refusals()).toBe(1);
  });

  it('where even the rewrite is refused (Chromium), deletes only the rebuildable cache, then prunes and saves', async () => {
    const { disk, ask } = await harness('chromium');
    for (let n = 0; n < 50; n += 1) await ask('capture:event', like(n), fromX);
    const linker = { catalog: 'default@1', snapshot: { blob: 'x'.repeat(100_000) } };
    await disk.write((db) => db.put('kv', linker as never, 'linkerSnapshot'));
    const settingsBefore = await disk.read((db) => db.get('kv', 'settings'));
    const before = await allEvents(disk);
    disk.setQuota(await disk.usage()); // full to the byte: only a delete goes through

    expect(await ask('capture:event', like(50), fromX)).toEqual({ stored: true, id: 'x:like:1900000000050' });
    // Refused: the capture, then the first prune; then the cache went, and the prune and the capture went through.
    expect(disk.refusals()).toBe(2);
    expect(await disk.read((db) => db.get('kv', 'linkerSnapshot'))).toBeUndefined();
    expect(await disk.read((db) => db.get('kv', 'settings'))).toEqual(settingsBefore);
    const after = await allEvents(disk);
    expect(after).toHaveLength(51);
    const pruned = prunedCount(2 * 4000);
    expect(after.slice(0, pruned).every((e, i) => e.target.text === '' && e.id === before[i]?.id)).toBe(true);
    expect(after.slice(pruned, 50)).toEqual(before.slice(pruned));
    expect((await ask('data:status', {})).storage).toMatchObject({
      waiting: 0,
      saved: 1,
      prunedEvents: pruned,
      droppedCaches: ['linkerSnapshot'],
    });
  });

  it('waits, in order, while nothing can be freed, and writes everything once there is room, across a restart', async () => {
    const pending = memoryPendingStorage();
    const first = await harness('chromium', pending);
    const { disk } = first;
    // Text kept as links only: nothing to prune, and no cache to drop.
    await first.ask('settings:set', { ...(await first.ask('settings:get', {})), textKept: 'links' });
    for (let n = 0; n < 5; n += 1) await first.ask('capture:event', like(n), fromX);
    disk.setQuota(await disk.usage());

    const queued = await first.ask('capture:event', like(5), fromX);
    expect(queued).toEqual({ stored: false, id: 'x:like:1900000000005', reason: 'storage is full; kept and saved when there is room' });
    // A second one waits behind the first, and the text the settings drop is not kept while it waits.
    expect(await first.ask('capture:event', like(6), fromX)).toMatchObject({ stored: false });
    const saved = await pending.load();
    expect(saved?.queue.map((item) => item.event.target.id)).toEqual(['1900000000005', '1900000000006']);
    expect(saved?.queue.every((item) => item.event.target.text === '' && item.event.userText === undefined)).toBe(true);
    const status = await first.ask('data:status', {});
    expect(status.storage).toMatchObject({ waiting: 2, saved: 0, prunedEvents: 0, droppedCaches: [] });
    expect(status.eventCount).toBe(5);
    // An export taken now misses nothing.
    expect((await first.ask('data:export', {})).events.map((e) => e.target.id)).toEqual(
      [0, 1, 2, 3, 4, 5, 6].map((n) => `19000000${String(n).padStart(5, '0')}`),
    );

    // The worker stops; the disk gets room; the next start writes what waited, oldest first.
    disk.setQuota(Infinity);
    const second = first.restart();
    expect((await second.ask('data:status', {})).storage).toMatchObject({ waiting: 0, saved: 2 });
    const events = await allEvents(disk);
    expect(events.map((e) => e.target.id)).toEqual([0, 1, 2, 3, 4, 5, 6].map((n) => `19000000${String(n).padStart(5, '0')}`));
    expect((await pending.load())?.queue).toEqual([]);
  });

  it('never writes a capture undone while it waited, and "delete everything" forgets what waits', async () => {
    const pending = memoryPendingStorage();
    const { disk, ask } = await harness('chromium', pending);
    await ask('settings:set', { ...(await ask('settings:get', {})), textKept: 'links' });
    await ask('capture:event', like(0), fromX);
    disk.setQuota(await disk.usage());
    await ask('capture:event', like(1), fromX);
    await ask('capture:event', like(2), fromX);
    expect(await ask('capture:retract', { site: 'x', action: 'like', targetId: '1900000000001', at: START }, fromX)).toEqual({
      removed: true,
    });
    expect((await pending.load())?.queue.map((item) => item.event.target.id)).toEqual(['1900000000002']);
    await ask('data:delete-all', { confirm: true });
    expect(await pending.load()).toEqual({ queue: [] });
    expect((await ask('data:status', {})).storage).toBeUndefined();
  });

  it('says so when the browser refuses to keep the waiting captures anywhere but memory', async () => {
    let refuse = false;
    const inner = memoryPendingStorage();
    const pending: PendingStorage = {
      load: inner.load,
      save: (state) => (refuse ? Promise.reject(new DOMException('quota', 'QuotaExceededError')) : inner.save(state)),
    };
    const { disk, ask } = await harness('chromium', pending);
    await ask('settings:set', { ...(await ask('settings:get', {})), textKept: 'links' });
    disk.setQuota(await disk.usage());
    refuse = true;
    expect(await ask('capture:event', like(0), fromX)).toMatchObject({ stored: false });
    expect((await ask('data:status', {})).storage).toMatchObject({ waiting: 1, memoryOnly: true });
    // Room again: written, and the notice no longer speaks of memory.
    refuse = false;
    disk.setQuota(Infinity);
    expect((await ask('data:status', {})).storage).toEqual({
      fullAt: expect.any(Number) as number,
      waiting: 0,
      saved: 1,
      prunedEvents: 0,
      droppedCaches: [],
    });
    expect(await allEvents(disk)).toHaveLength(1);
  });
});

describe('the capture queue', () => {
  it('tries again later on its own while captures wait, and makes room at most once a minute', async () => {
    const disk = fullDisk(`queue-${dbCounter++}`, 'chromium');
    const seeded = Array.from({ length: 100 }, (_, n): StoredEvent => {
      const event = like(n);
      return { ...event, id: `x:like:${event.target.id}`, receivedAt: event.at, links: [], removedTitleIds: [] };
    });
    await disk.write(async (db) => {
      const tx = db.transaction(['events', 'kv'], 'readwrite');
      await Promise.all([
        ...seeded.map((event) => tx.objectStore('events').put(event)),
        tx.objectStore('kv').put({ catalog: 'c', snapshot: {} } as never, 'linkerSnapshot'),
        tx.done,
      ]);
    });
    const retries: (() => void)[] = [];
    const delays: number[] = [];
    let clock = START;
    let room = false;
    const written: string[] = [];
    const queue = createCaptureQueue({
      store: disk,
      pending: memoryPendingStorage(),
      now: () => clock,
      // Refused until there is room, however much was pruned: as Chromium before LevelDB compacts.
      write: async (item) => {
        if (!room) throw new MessageError('quota', 'QuotaExceededError: full');
        written.push(item.event.target.id);
        await Promise.resolve();
      },
      onSaved: () => undefined,
      schedule: (retry, ms) => {
        retries.push(retry);
        delays.push(ms);
      },
    });
    const pruned = prunedCount(2 * 4000);
    expect(await queue.refused({ event: like(200), at: clock })).toBe(false);
    expect(await queue.notice()).toMatchObject({ waiting: 1, prunedEvents: pruned, droppedCaches: ['linkerSnapshot'] });
    expect(await disk.read((db) => db.count('kv', 'linkerSnapshot'))).toBe(0);
    expect(delays).toEqual([RETRY_DELAY_MS]);
    // A second refusal within the minute prunes nothing more, and adds no second timer.
    clock += 1000;
    expect(await queue.refused({ event: like(201), at: clock })).toBe(false);
    expect(await queue.notice()).toMatchObject({ waiting: 2, prunedEvents: pruned });
    expect(retries).toHaveLength(1);
    // A minute on, the next refusal prunes the next oldest.
    clock += 60_000;
    expect(await queue.refused({ event: like(202), at: clock })).toBe(false);
    expect(await queue.notice()).toMatchObject({ waiting: 3, prunedEvents: 2 * pruned, prunedUpTo: START + (2 * pruned - 1) * DAY });
    const events = await allEvents(disk);
    expect(events.filter((e) => e.target.text === '').map((e) => e.id)).toEqual(seeded.slice(0, 2 * pruned).map((e) => e.id));
    // The retry, once there is room, writes them in order.
    room = true;
    retries[0]?.();
    await expect.poll(() => written).toEqual(['1900000000200', '1900000000201', '1900000000202']);
    expect(await queue.flush()).toBe(0);
    expect(await queue.notice()).toMatchObject({ waiting: 0, saved: 3 });
  });
});

describe('isQuotaError', () => {
  it('knows each browser’s way of saying storage is full', () => {
    const quota = [
      new DOMException('The quota has been exceeded.', 'QuotaExceededError'),
      { name: 'NS_ERROR_DOM_QUOTA_REACHED', message: '' },
      new Error('NS_ERROR_DOM_QUOTA_REACHED: Persistent storage maximum size reached'),
      { name: 'NS_ERROR_FILE_NO_DEVICE_SPACE' },
      { name: 'Error', result: 0x80530016 },
      { name: 'DOMException', code: 22 },
      new MessageError('quota', 'anything'),
      new Error('Encountered full disk while committing transaction.'),
    ];
    for (const error of quota) expect(isQuotaError(error), JSON.stringify(error) || String(error)).toBe(true);
    const other = [
      new DOMException('aborted', 'AbortError'),
      new DOMException('closed', 'InvalidStateError'),
      new TypeError('x is undefined'),
      new MessageError('storage', 'transaction aborted'),
      null,
      'QuotaExceededError',
      undefined,
    ];
    for (const error of other) expect(isQuotaError(error), String(error)).toBe(false);
  });
});
