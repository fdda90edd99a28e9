import * as tf from '@tensorflow/tfjs-core';
import { FEATURES } from '../../shared/model/features.ts';
import type { ModelStatus } from '../../shared/messages.ts';
import type { Store } from '../store.ts';
import type { Learner } from './learner.ts';
import { CURRENT_MODEL, recordProblem } from './model-record.ts';

/** What the options page shows of the model: version, backend, and its weights by feature, largest first. */
async function modelStatus(store: Store, lastTrainMs?: number): Promise<ModelStatus> {
  const record = await store.read((db) => db.get('model', CURRENT_MODEL));
  const status: ModelStatus = { backend: tf.getBackend() ?? 'none', trained: false, features: [] };
  if (lastTrainMs !== undefined) status.lastTrainMs = lastTrainMs;
  if (!record || recordProblem(record) !== undefined) return status;
  const extra = record.extra ?? {};
  status.trained = extra.coldStart !== true;
  status.version = record.version;
  status.trainedAt = record.trainedAt;
  if (typeof extra.samples === 'number') status.samples = extra.samples;
  status.features = FEATURES.map((name, i) => ({ name, weight: record.weights[i] ?? 0 })).sort(
    (a, b) => Math.abs(b.weight) - Math.abs(a.weight),
  );
  return status;
}

/** The model controls the handlers get: status, and a retrain now that reports its wall time. */
export function modelControl(store: Store, learner: Learner): { status(): Promise<ModelStatus>; retrain(): Promise<ModelStatus> } {
  let lastTrainMs: number | undefined;
  return {
    status: () => modelStatus(store, lastTrainMs),
    async retrain() {
      const started = performance.now();
      await learner.retrain('requested');
      lastTrainMs = performance.now() - started;
      return modelStatus(store, lastTrainMs);
    },
  };
}
