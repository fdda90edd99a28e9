import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/background/store.ts';
import { MessageError } from '../../src/shared/messages.ts';

describe('store', () => {
  it('reopens a database that was closed under it and retries the write', async () => {
    const store = createStore('store-closed');
    await store.write((db) => db.put('kv', 1, 'snoozeUntil'));
    let attempts = 0;
    await store.write(async (db) => {
      attempts += 1;
      if (attempts === 1) db.close(); // as when the browser closes a connection
      await db.put('kv', 2, 'snoozeUntil');
    });
    expect(attempts).toBe(2);
    expect(await store.read((db) => db.get('kv', 'snoozeUntil'))).toBe(2);
    expect(store.failures().count).toBe(0);
  });

  it('reports a full disk as a quota error and counts it; nothing is silently dropped', async () => {
    const store = createStore('store-quota');
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    await expect(
      store.write(async () => {
        throw quota;
      }),
    ).rejects.toMatchObject({ code: 'quota' });
    await expect(
      store.write(async () => {
        throw new Error('transaction aborted');
      }),
    ).rejects.toBeInstanceOf(MessageError);
    expect(store.failures()).toEqual({ count: 2, last: 'Error: transaction aborted' });
  });
});
