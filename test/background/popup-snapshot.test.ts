import { describe, expect, it, vi } from 'vitest';
import { createPopupSnapshot, type SnapshotStorage } from '../../src/background/popup-snapshot.ts';
import { defaultSettings } from '../../src/shared/settings.ts';
import { POPUP_SNAPSHOT_KEY, type SuggestionsResponse } from '../../src/shared/suggestions.ts';

/** An in-memory storage area that records what was done to it. */
function fakeStorage(): SnapshotStorage & { items: Map<string, unknown>; log: string[] } {
  const items = new Map<string, unknown>();
  const log: string[] = [];
  return {
    items,
    log,
    async set(values) {
      for (const [key, value] of Object.entries(values)) items.set(key, structuredClone(value));
      log.push('set');
    },
    async remove(key) {
      items.delete(key);
      log.push('remove');
    },
  };
}

function answer(paused: boolean): SuggestionsResponse {
  return { suggestions: [], coldStart: true, paused, onboarded: true, settings: defaultSettings() };
}

/** A promise resolved from outside, to hold a computation mid-way. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('popup snapshot', () => {
  it('stores what the popup would be answered, under the key the popup reads', async () => {
    const storage = fakeStorage();
    const snapshot = createPopupSnapshot(storage, async () => answer(true));
    await snapshot.refresh();
    expect(storage.items.get(POPUP_SNAPSHOT_KEY)).toEqual(answer(true));
  });

  it('joins requests made while a refresh waits, and runs again for one made after it started', async () => {
    const storage = fakeStorage();
    const held = gate();
    let calls = 0;
    const snapshot = createPopupSnapshot(storage, async () => {
      calls += 1;
      await held.promise;
      return answer(calls > 1);
    });
    const first = snapshot.refresh(); // starts computing
    await Promise.resolve();
    const joined = [snapshot.refresh(), snapshot.refresh(), snapshot.refresh()]; // wait behind it: one more run
    held.open();
    await Promise.all([first, ...joined]);
    expect(calls).toBe(2);
    expect(storage.items.get(POPUP_SNAPSHOT_KEY)).toMatchObject({ paused: true });
  });

  it('a clear lands after a refresh that read the old data, so nothing deleted is written back', async () => {
    const storage = fakeStorage();
    const held = gate();
    const snapshot = createPopupSnapshot(storage, async () => {
      await held.promise;
      return answer(false);
    });
    const refreshing = snapshot.refresh();
    const clearing = snapshot.clear();
    held.open();
    await Promise.all([refreshing, clearing]);
    expect(storage.log).toEqual(['set', 'remove']);
    expect(storage.items.size).toBe(0);
    // A refresh asked for after the clear runs after it (reading what is there then).
    await snapshot.refresh();
    expect(storage.log).toEqual(['set', 'remove', 'set']);
  });

  it('reports a failed refresh instead of rejecting, and keeps working', async () => {
    const storage = fakeStorage();
    const report = vi.fn();
    let fail = true;
    const snapshot = createPopupSnapshot(
      storage,
      async () => {
        if (fail) throw new Error('database closed');
        return answer(false);
      },
      report,
    );
    await expect(snapshot.refresh()).resolves.toBeUndefined();
    expect(report).toHaveBeenCalledWith(expect.objectContaining({ message: 'database closed' }));
    expect(storage.items.size).toBe(0);
    fail = false;
    await snapshot.refresh();
    expect(storage.items.get(POPUP_SNAPSHOT_KEY)).toEqual(answer(false));
  });
});
