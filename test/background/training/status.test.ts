import { beforeAll, describe, expect, it } from 'vitest';
import { createBackground } from '../../../src/background/background.ts';
import { createStore } from '../../../src/background/store.ts';
import { switchBackend } from '../../../src/background/training/backend.ts';
import { createLearner } from '../../../src/background/training/learner.ts';
import { modelControl } from '../../../src/background/training/status.ts';
import { FEATURE_WIDTH } from '../../../src/shared/model/features.ts';
import { envelope, type ModelStatus } from '../../../src/shared/messages.ts';
import { fixtureCatalog, linkedEvent } from '../../fixtures/catalog.ts';

const now = 1_760_000_000_000 + 86_400_000;
const page = { fromExtensionPage: true, incognito: false };

describe('model status and retrain on request', () => {
  beforeAll(async () => {
    await switchBackend('cpu');
  });

  it('reports not trained, then trains on request and lists the weights by size', async () => {
    const store = createStore('model-status');
    const learner = createLearner(store, { now: () => now });
    const bg = createBackground(store, () => now, { model: modelControl(store, learner) });
    const before = await bg.handle(envelope('model:status', {}), page);
    expect(before).toMatchObject({ ok: true, value: { backend: 'cpu', trained: false, features: [] } });
    await store.write(async (db) => {
      for (const t of fixtureCatalog()) await db.put('titles', t);
      for (const e of [
        linkedEvent('t-three-body', { at: now, action: 'share' }, '三体'),
        linkedEvent('t-dark', { at: now }),
        linkedEvent('t-frieren', { at: now }),
      ])
        await db.put('events', e);
    });
    const reply = await bg.handle(envelope('model:retrain', {}), page);
    expect(reply?.ok).toBe(true);
    const status = (reply as { value: ModelStatus }).value;
    expect(status).toMatchObject({ backend: 'cpu', trained: true, version: 1 });
    expect(status.lastTrainMs).toBeGreaterThan(0);
    expect(status.features).toHaveLength(FEATURE_WIDTH);
    const sizes = status.features.map((f) => Math.abs(f.weight));
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
  });

  it('is refused to content scripts and answers an error without a learner', async () => {
    const bg = createBackground(createStore('model-status-2'), () => now);
    expect(await bg.handle(envelope('model:retrain', {}), { fromExtensionPage: false, tabHost: 'x.com', incognito: false })).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
    expect(await bg.handle(envelope('model:status', {}), page)).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
