import { beforeAll, describe, expect, it } from 'vitest';
import { switchBackend } from '../../../src/background/training/backend.ts';
import { createLearner, loadModel } from '../../../src/background/training/learner.ts';
import { CHECKPOINT, CURRENT_MODEL, recordProblem, sealRecord } from '../../../src/background/training/model-record.ts';
import { trainLogisticTf, type TrainState } from '../../../src/background/training/tf-logistic.ts';
import { createStore, type Store } from '../../../src/background/store.ts';
import { FEATURE_WIDTH } from '../../../src/shared/model/features.ts';
import { DEFAULT_TRAIN_OPTIONS, priorModel, trainLogistic, type TrainingSet } from '../../../src/shared/model/logistic.ts';
import { createRng } from '../../../src/shared/model/random.ts';
import type { RankingCache } from '../../../src/shared/suggestions.ts';
import { kvGet } from '../../../src/shared/db/kv.ts';
import { linkedEvent, seedCatalogAndEvents } from '../../fixtures/catalog.ts';

const options = { ...DEFAULT_TRAIN_OPTIONS, epochs: 120, prior: priorModel() };
const now = 1_760_000_000_000 + 86_400_000;

function randomSet(n: number, seed = 5): TrainingSet {
  const rng = createRng(seed);
  const d = FEATURE_WIDTH;
  const set: TrainingSet = { x: new Float32Array(n * d), y: new Float32Array(n), w: new Float32Array(n).fill(1), n, d };
  for (let i = 0; i < n; i += 1) {
    set.y[i] = rng() < 0.25 ? 1 : 0;
    for (let j = 0; j < d; j += 1) set.x[i * d + j] = rng() * (j === 1 ? 0.5 + (set.y[i] as number) : 1);
  }
  return set;
}

function close(a: Float32Array, b: Float32Array, tol: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - (b[i] as number))).toBeLessThan(tol));
}

describe('tfjs logistic trainer', () => {
  beforeAll(async () => {
    // Explicit backend: cpu here, so the test does not depend on wasm loading in node.
    await switchBackend('cpu');
  });

  it('computes the same model as the reference Float32Array trainer', async () => {
    const set = randomSet(400);
    const reference = trainLogistic(randomSet(400), options);
    const tf = await trainLogisticTf(set, options, { chunkEpochs: 40 });
    expect(tf).toBeDefined();
    if (!tf) return;
    close(tf.weights, reference.weights, 1e-3);
    expect(Math.abs(tf.bias - reference.bias)).toBeLessThan(1e-3);
  });

  it('stops between chunks and resumes to the same result', async () => {
    const full = await trainLogisticTf(randomSet(300), options, { chunkEpochs: 30 });
    let saved: TrainState | undefined;
    const stopped = await trainLogisticTf(randomSet(300), options, {
      chunkEpochs: 30,
      onChunk: async (state) => {
        saved = state;
      },
      shouldStop: () => saved !== undefined && saved.epoch >= 60,
    });
    expect(stopped).toBeUndefined();
    expect(saved?.epoch).toBe(60);
    const resumed = await trainLogisticTf(randomSet(300), options, { chunkEpochs: 30, ...(saved ? { resume: saved } : {}) });
    if (!full || !resumed) throw new Error('training did not finish');
    close(resumed.weights, full.weights, 1e-4);
  });

  it('never lets NaN or all-negative labels reach the weights', async () => {
    const set = randomSet(100);
    set.x[0] = Number.NaN;
    set.x[5] = Number.POSITIVE_INFINITY;
    const model = await trainLogisticTf(set, options, { chunkEpochs: 50 });
    expect(model?.weights.every(Number.isFinite)).toBe(true);
    const negatives = randomSet(100);
    negatives.y.fill(0);
    expect([...((await trainLogisticTf(negatives, options))?.weights ?? [])]).toEqual([...priorModel().weights]);
  });
});

let dbCounter = 0;
async function seededStore(
  events = [
    linkedEvent('t-three-body', { at: now, action: 'share' }, '三体'),
    linkedEvent('t-dark', { at: now }),
    linkedEvent('t-frieren', { at: now }),
  ],
): Promise<Store> {
  const store = createStore(`training-${dbCounter++}`);
  await seedCatalogAndEvents(store, events);
  return store;
}

describe('learner', () => {
  beforeAll(async () => {
    await switchBackend('cpu');
  });

  it('trains, writes a sealed model and caches the ranking', async () => {
    const store = await seededStore();
    const learner = createLearner(store, { now: () => now });
    const cache = await learner.retrain('test');
    expect(cache.coldStart).toBe(false);
    expect(cache.items.length).toBeGreaterThan(0);
    expect(cache.items.map((i) => i.titleId)).not.toContain('t-three-body');
    const [record, checkpoint, cached] = await store.read((db) =>
      Promise.all([db.get('model', CURRENT_MODEL), db.get('model', CHECKPOINT), kvGet(db.transaction('kv').store, 'ranking')]),
    );
    expect(recordProblem(record)).toBeUndefined();
    expect(checkpoint).toBeUndefined();
    expect((cached as RankingCache).modelVersion).toBe(record?.version);
  });

  it('keeps nothing when nothing of the user is stored (new install, or after delete everything)', async () => {
    const store = await seededStore([]);
    await store.write((db) => db.put('kv', { computedAt: 1, modelVersion: 1, coldStart: false, items: [] }, 'ranking'));
    const cache = await createLearner(store, { now: () => now }).retrain('test');
    expect(cache).toMatchObject({ coldStart: true, items: [] });
    expect(await store.read((db) => db.count('model'))).toBe(0);
    expect(await store.read((db) => db.get('kv', 'ranking'))).toBeUndefined();
  });

  it('a first-run pick alone is enough to rank and keep a model', async () => {
    const store = await seededStore([]);
    await store.write((db) => db.add('feedback', { titleId: 't-dark', kind: 'interested', at: now }));
    const cache = await createLearner(store, { now: () => now }).retrain('test');
    expect(cache.items.length).toBeGreaterThan(0);
    expect(await loadModel(store)).toBeDefined();
  });

  it('detects a corrupted model record, discards it and retrains', async () => {
    const store = await seededStore();
    const learner = createLearner(store, { now: () => now });
    await learner.retrain('first');
    await store.write(async (db) => {
      const record = await db.get('model', CURRENT_MODEL);
      if (!record) throw new Error('no model');
      record.weights[2] = (record.weights[2] as number) + 0.5; // flipped bits, checksum no longer matches
      await db.put('model', record);
    });
    expect(await loadModel(store)).toBeUndefined();
    await createLearner(store, { now: () => now }).start();
    const record = await store.read((db) => db.get('model', CURRENT_MODEL));
    expect(recordProblem(record)).toBeUndefined();
    expect(record?.version).toBe(1);
  });

  it('resumes from a checkpoint of the same data, and ignores one of other data', async () => {
    const store = await seededStore();
    const resumedFrom: (number | undefined)[] = [];
    const spy: typeof trainLogisticTf = (set, opts, chunk) => {
      resumedFrom.push(chunk?.resume?.epoch);
      return trainLogisticTf(set, opts, chunk);
    };
    // Stop the first run after one chunk, as if the worker were killed.
    let chunks = 0;
    const killed: typeof trainLogisticTf = (set, opts, chunk) =>
      trainLogisticTf(set, opts, { ...chunk, chunkEpochs: 50, shouldStop: () => ++chunks >= 1 });
    await createLearner(store, { now: () => now, train: killed }).retrain('killed');
    const checkpoint = await store.read((db) => db.get('model', CHECKPOINT));
    expect(checkpoint?.extra?.epoch).toBe(50);
    await createLearner(store, { now: () => now, train: spy }).start();
    expect(resumedFrom).toEqual([50]);
    expect(await store.read((db) => db.get('model', CHECKPOINT))).toBeUndefined();
    // A checkpoint from other data is not resumed.
    await store.write((db) =>
      db.put(
        'model',
        sealRecord({ ...(checkpoint as NonNullable<typeof checkpoint>), extra: { ...checkpoint?.extra, dataHash: 'other' } }),
      ),
    );
    await createLearner(store, { now: () => now, train: spy }).start();
    expect(resumedFrom).toEqual([50, undefined]);
  });

  it('after deleting an event, the model is exactly the one trained without it', async () => {
    const kept = [linkedEvent('t-three-body', { at: now, action: 'share' }, '三体'), linkedEvent('t-dark', { at: now })];
    const removed = linkedEvent('t-frieren', { at: now }, 'フリーレン');
    const store = await seededStore([...kept, removed]);
    const learner = createLearner(store, { now: () => now });
    await learner.retrain('all');
    await store.write((db) => db.delete('events', removed.id));
    await learner.discard();
    expect(await loadModel(store)).toBeUndefined();
    const after = await learner.retrain('removed');
    const fresh = await seededStore(kept);
    await createLearner(fresh, { now: () => now }).retrain('fresh');
    const [a, b] = [await loadModel(store), await loadModel(fresh)];
    expect([...(a?.weights ?? [])]).toEqual([...(b?.weights ?? [])]);
    expect(after.items.flatMap((i) => i.reasons.flatMap((r) => r.eventIds))).not.toContain(removed.id);
  });
});
