import type { ModelRecord } from '../../shared/db/schema.ts';
import { fnv1aBytes } from '../../shared/model/hash.ts';
import { FEATURE_WIDTH } from '../../shared/model/features.ts';
import type { LogisticModel } from '../../shared/model/logistic.ts';

/** Key of the trained model in the `model` store. */
export const CURRENT_MODEL = 'current';
/** Key of the in-progress training state; deleted in the same transaction that writes the model. */
export const CHECKPOINT = 'checkpoint';

/** Checksum over everything a record says: weights, bias, width, version and extra. */
function checksumOf(record: Omit<ModelRecord, 'checksum'>): string {
  const meta = JSON.stringify([record.name, record.version, record.featureWidth, record.bias, record.extra ?? null]);
  const weights = new Uint8Array(record.weights.buffer, record.weights.byteOffset, record.weights.byteLength);
  const metaBytes = new TextEncoder().encode(meta);
  const all = new Uint8Array(weights.length + metaBytes.length);
  all.set(weights);
  all.set(metaBytes, weights.length);
  return fnv1aBytes(all);
}

/** Seals a record with its checksum. */
export function sealRecord(record: Omit<ModelRecord, 'checksum'>): ModelRecord {
  return { ...record, checksum: checksumOf(record) };
}

/** Why a stored record cannot be trusted, or undefined if it is sound. */
export function recordProblem(record: unknown, width: number = FEATURE_WIDTH): string | undefined {
  if (!record || typeof record !== 'object') return 'missing';
  const r = record as Partial<ModelRecord>;
  if (!(r.weights instanceof Float32Array)) return 'weights are not a Float32Array';
  if (r.featureWidth !== width || r.weights.length !== width) return `feature width ${String(r.featureWidth)} is not ${width}`;
  if (typeof r.bias !== 'number' || !Number.isFinite(r.bias) || !r.weights.every(Number.isFinite)) return 'non-finite weights';
  if (typeof r.checksum !== 'string' || typeof r.name !== 'string' || typeof r.version !== 'number') return 'malformed';
  if (checksumOf(r as ModelRecord) !== r.checksum) return 'checksum mismatch';
  return undefined;
}

/** The model a sound record holds. */
export function modelFromRecord(record: ModelRecord): LogisticModel {
  const model: LogisticModel = { weights: Float32Array.from(record.weights), bias: record.bias };
  const variance = record.extra?.variance;
  if (
    Array.isArray(variance) &&
    variance.length === record.weights.length &&
    variance.every((v) => typeof v === 'number' && Number.isFinite(v))
  ) {
    model.variance = Float32Array.from(variance as number[]);
  }
  return model;
}
