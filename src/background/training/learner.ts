import type { CatalogTitle } from '../../shared/catalog/types.ts';
import type { ModelRecord } from '../../shared/db/schema.ts';
import { fnv1aBytes } from '../../shared/model/hash.ts';
import { FEATURE_WIDTH } from '../../shared/model/features.ts';
import { priorModel, type LogisticModel } from '../../shared/model/logistic.ts';
import { DEFAULT_PIPELINE_OPTIONS, prepareUser, rankCatalog, type PipelineOptions } from '../../shared/model/pipeline.ts';
import { buildTitleIndexAsync, type TitleIndex, type TitlePartsCache } from '../../shared/model/title-index.ts';
import {
  DamagedTitleIndexError,
  titleIndexFromSnapshot,
  titleIndexSnapshot,
  titleIndexSnapshotProblem,
} from '../../shared/model/title-index-snapshot.ts';
import { REASONS_VERSION, type RankingCache } from '../../shared/suggestions.ts';
import { METRICS_HISTORY_LIMIT, type MetricsSnapshot } from '../../shared/insights.ts';
import { kvGet, kvPut } from '../../shared/db/kv.ts';
import { loadSettings } from '../../shared/settings.ts';
import { tasteOf } from '../../shared/model/taste.ts';
import { evaluateHoldout } from '../../shared/model/holdout.ts';
import { DEFAULT_EXPERIMENT } from '../../shared/experiments/experiment.ts';
import type { Store } from '../store.ts';
import { CHECKPOINT, CURRENT_MODEL, modelFromRecord, recordProblem, sealRecord } from './model-record.ts';
import { trainLogisticTf, type TrainState } from './tf-logistic.ts';

/** The titles to rank: their key alone is cheap; the titles are read only when no index under that key is at hand. */
export interface TitleSource {
  key(): Promise<string>;
  all(): Promise<{ key: string; titles: CatalogTitle[] }>;
}

/** The catalog store's titles alone, keyed by the stored catalog's meta and the titles' count. */
function storedTitles(store: Store): TitleSource {
  const key = async (): Promise<string> => {
    const [meta, count] = await store.read((db) => Promise.all([db.get('catalogMeta', 'current'), db.count('titles')]));
    return `${meta?.version ?? 'none'}|${meta?.sha256 ?? ''}|${meta?.installedAt ?? 0}|${count}`;
  };
  return {
    key,
    all: async () => {
      const [k, titles] = await Promise.all([key(), store.read((db) => db.getAll('titles'))]);
      return { key: k, titles };
    },
  };
}

export interface LearnerOptions {
  now: () => number;
  pipeline: PipelineOptions;
  /** Epochs between checkpoints. */
  chunkEpochs: number;
  /** Quiet time after a change before retraining, so a burst of captures trains once. */
  debounceMs: number;
  /** Trains a model; the tfjs trainer by default (tests may pass another with the same contract). */
  train: typeof trainLogisticTf;
  /** Told after the cached ranking was written or deleted (the popup's snapshot is rewritten then). */
  onRankingChanged?: () => void;
  /** The A/B test's challenger strategy, ranked beside the model (readChallenger in handlers/suggestions.ts). */
  challenger: () => Promise<string>;
  /**
   * Every title to rank, with a key that changes when any does: the catalog's enriched by what the
   * device learned from pages, and the local titles (LearnedTitles.all). The catalog store alone without it.
   */
  titles?: TitleSource;
  /** Told where a run's title index came from: this worker's memory, the copy a worker before it saved, or a build. */
  onIndex?: (from: 'memory' | 'saved' | 'built') => void;
}

const DEFAULT_LEARNER_OPTIONS: LearnerOptions = {
  now: Date.now,
  pipeline: DEFAULT_PIPELINE_OPTIONS,
  chunkEpochs: 50,
  debounceMs: 5_000,
  train: trainLogisticTf,
  challenger: async () => DEFAULT_EXPERIMENT.b,
};

export interface Learner {
  /** Retrains from what is stored now and caches the ranking; runs one at a time. */
  retrain(reason: string): Promise<RankingCache>;
  /** Retrains after the quiet time; repeated calls within it coalesce. */
  schedule(reason: string, delayMs?: number): void;
  /** Drops the trained model and any checkpoint at once (events were deleted). */
  discard(): Promise<void>;
  /** Checks the stored model on start: a corrupted record is discarded and retrained; a checkpoint is resumed. */
  start(): Promise<void>;
  /** Resolves when no retraining is running or scheduled. */
  idle(): Promise<void>;
}

/** Hash of a training set, so a checkpoint is only resumed on the very same data. */
function dataHash(x: Float32Array, y: Float32Array, w: Float32Array): string {
  const parts = [x, y, w].map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return parts.map((p) => fnv1aBytes(p)).join('');
}

function checkpointState(record: ModelRecord | undefined, hash: string): TrainState | undefined {
  if (!record || recordProblem(record) !== undefined) return undefined;
  const extra = record.extra ?? {};
  if (extra.dataHash !== hash || typeof extra.epoch !== 'number' || !Array.isArray(extra.velocity)) return undefined;
  return {
    epoch: extra.epoch,
    weights: Float32Array.from(record.weights),
    bias: record.bias,
    velocity: Float32Array.from(extra.velocity as number[]),
    velocityBias: Number(extra.velocityBias) || 0,
  };
}

/** The background's learning loop: training, checkpoints, the model record and the ranking cache. */
export function createLearner(store: Store, overrides: Partial<LearnerOptions> = {}): Learner {
  const options = { ...DEFAULT_LEARNER_OPTIONS, ...overrides };
  let running: Promise<RankingCache> | undefined;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pendingReasons: string[] = [];
  let cachedIndex: { key: string; index: TitleIndex } | undefined;
  // Titles tokenized by earlier builds (by object): a title learned on the device tokenizes only itself.
  const parts: TitlePartsCache = new WeakMap();
  // Built in slices: captures and the popup are answered while a catalog of 50,000 titles is indexed.
  const build = (titles: readonly CatalogTitle[]): Promise<TitleIndex> =>
    buildTitleIndexAsync(titles, {
      cache: parts,
      pause: () => new Promise((resolve) => setTimeout(resolve, 0)),
      clock: () => performance.now(),
    });
  // Bumped by discard(): a run that started before it must not write what it learned from deleted events.
  let generation = 0;

  // Intl.Segmenter's word breaks come with the browser: another browser version tokenizes anew.
  const savedKeyOf = (key: string): string => `${key}|${globalThis.navigator?.userAgent ?? ''}`;

  /**
   * The index a worker before this one saved under this key (checked by its checksum: a damaged copy
   * is not used), or undefined. One record: a restart reads neither the catalog nor tokenizes it.
   */
  async function savedIndex(key: string): Promise<TitleIndex | undefined> {
    const saved = await store.read((db) => kvGet(db.transaction('kv').store, 'titleIndex')).catch(() => undefined);
    if (saved?.key !== savedKeyOf(key)) return undefined;
    let restored: TitleIndex | undefined;
    let problem: string | undefined;
    try {
      restored = titleIndexFromSnapshot(saved.snapshot);
      if (!restored) problem = titleIndexSnapshotProblem(saved.snapshot);
    } catch {
      problem = 'unreadable';
    }
    if (!restored) console.warn(`Reelflow: saved title index not used (${problem ?? 'unreadable'}); rebuilding`);
    return restored;
  }

  /** A new index of these titles, saved for the next start of the worker. */
  async function buildAndSave(key: string, titles: readonly CatalogTitle[]): Promise<TitleIndex> {
    const index = await build(titles);
    options.onIndex?.('built');
    // A failure only costs a rebuild at the next start of the worker.
    const record = { key: savedKeyOf(key), snapshot: titleIndexSnapshot(index) };
    await store
      .write((db) => kvPut(db.transaction('kv', 'readwrite').store, 'titleIndex', record))
      .catch((error: unknown) => console.warn('Reelflow: title index not saved', error));
    return index;
  }

  /** The index of the titles to rank: the one this worker holds, else the one a worker before it saved, else a new build. */
  async function loadIndex(): Promise<TitleIndex> {
    const source = options.titles ?? storedTitles(store);
    const key = await source.key();
    if (cachedIndex?.key === key) {
      options.onIndex?.('memory');
      return cachedIndex.index;
    }
    const restored = await savedIndex(key);
    if (restored) {
      options.onIndex?.('saved');
      cachedIndex = { key, index: restored };
      return restored;
    }
    const listing = await source.all();
    cachedIndex = { key: listing.key, index: await buildAndSave(listing.key, listing.titles) };
    return cachedIndex.index;
  }

  /**
   * One run; a title of a saved index found damaged as it is read (its checksum was sound: a copy
   * written wrong, not worn) costs that copy and a second run over a new build, never a ranking.
   */
  async function run(reason: string): Promise<RankingCache> {
    try {
      return await runOnce(reason);
    } catch (error) {
      if (!(error instanceof DamagedTitleIndexError)) throw error;
      console.warn(`Reelflow: ${error.message}; rebuilding it`);
      cachedIndex = undefined;
      await store.write((db) => db.transaction('kv', 'readwrite').store.delete('titleIndex'));
      return runOnce(reason);
    }
  }

  async function runOnce(reason: string): Promise<RankingCache> {
    const startedIn = generation;
    const stale = (): boolean => generation !== startedIn;
    const now = options.now();
    const index = await loadIndex();
    const [events, feedback, impressions, previous, checkpoint, storedSettings] = await store.read((db) =>
      Promise.all([
        db.getAll('events'),
        db.getAll('feedback'),
        db.getAll('impressions'),
        db.get('model', CURRENT_MODEL),
        db.get('model', CHECKPOINT),
        kvGet(db.transaction('kv').store, 'settings'),
      ]),
    );
    // The user's corrections of their taste profile: not learned from, and what they rule out not suggested.
    const corrections = loadSettings(storedSettings).settings.taste;
    if (events.length === 0 && !feedback.some((f) => !f.undone)) {
      // Nothing of the user is stored (a new install, or after "delete everything"): keep no model and
      // no ranking, so storage holds nothing of theirs; the popup shows its first-run onboarding.
      if (!stale()) {
        await store.write(async (db) => {
          const tx = db.transaction(['model', 'kv'], 'readwrite');
          await Promise.all([tx.objectStore('model').clear(), tx.objectStore('kv').delete('ranking'), tx.done]);
        });
        options.onRankingChanged?.();
      }
      return { computedAt: now, modelVersion: 0, coldStart: true, items: [] };
    }
    const prepared = prepareUser({ index, events, feedback, impressions, now, ...(corrections ? { corrections } : {}) }, options.pipeline);
    const prior = priorModel();
    let model: LogisticModel = prior;
    const hash = dataHash(prepared.set.x, prepared.set.y, prepared.set.w);
    if (!prepared.coldStart) {
      const resume = checkpointState(checkpoint, hash);
      const trained = await options.train(
        prepared.set,
        { ...options.pipeline.train, prior },
        {
          chunkEpochs: options.chunkEpochs,
          ...(resume ? { resume } : {}),
          shouldStop: stale,
          onChunk: async (state) => {
            if (stale()) return;
            const record = sealRecord({
              name: CHECKPOINT,
              version: 0,
              trainedAt: now,
              featureWidth: FEATURE_WIDTH,
              weights: state.weights,
              bias: state.bias,
              extra: { dataHash: hash, epoch: state.epoch, velocity: [...state.velocity], velocityBias: state.velocityBias },
            });
            await store.write((db) => db.put('model', record));
          },
        },
      );
      if (!trained) {
        // Stopped between chunks: the checkpoint stays for the next start; nothing half-done is written.
        again = again || stale();
        const cached = await store.read((db) => kvGet(db.transaction('kv').store, 'ranking'));
        return cached ?? { computedAt: now, modelVersion: 0, coldStart: true, items: [] };
      }
      model = trained;
    }
    const version = (previous && recordProblem(previous) === undefined ? previous.version : 0) + 1;
    const record = sealRecord({
      name: CURRENT_MODEL,
      version,
      trainedAt: now,
      featureWidth: FEATURE_WIDTH,
      weights: model.weights,
      bias: model.bias,
      extra: {
        variance: model.variance ? [...model.variance] : null,
        samples: prepared.set.n,
        coldStart: prepared.coldStart,
        reason,
        dataHash: hash,
      },
    });
    const rankOptions = { ...options.pipeline, rank: { ...options.pipeline.rank, seed: (now / 86_400_000) | 0 } };
    const items = rankCatalog(prepared, model, rankOptions);
    // The A/B test's challenger ranks from the same prepared user and model.
    const challenger = await options.challenger();
    const alternates = { [challenger]: rankCatalog(prepared, model, { ...rankOptions, strategy: challenger }) };
    const cache: RankingCache = {
      computedAt: now,
      modelVersion: version,
      coldStart: prepared.coldStart,
      items,
      alternates,
      reasonsVersion: REASONS_VERSION,
      taste: tasteOf(prepared.ctx.profile, index),
    };
    // On-device evaluation after each training: a time-ordered holdout of the user's own linked engagements.
    const evalStart = performance.now();
    // Fitted with the same engine as the user's model.
    const holdout = await evaluateHoldout({ index, events, feedback, impressions, now }, (set, trainOptions) =>
      options.train(set, trainOptions, { chunkEpochs: options.chunkEpochs, shouldStop: stale }),
    );
    const snapshot: MetricsSnapshot | undefined = holdout && { ...holdout, at: now, costMs: performance.now() - evalStart };
    if (stale()) {
      again = true;
      return cache;
    }
    // One transaction: the new model, the ranking made from it, and the checkpoint gone, or none of it.
    await store.write(async (db) => {
      const tx = db.transaction(['model', 'kv'], 'readwrite');
      const writes: Promise<unknown>[] = [
        tx.objectStore('model').put(record),
        tx.objectStore('model').delete(CHECKPOINT),
        kvPut(tx.objectStore('kv'), 'ranking', cache),
      ];
      if (snapshot) {
        const kv = tx.objectStore('kv');
        const history = (await kvGet(kv, 'metricsHistory')) ?? [];
        writes.push(kvPut(kv, 'metricsHistory', [...history, snapshot].slice(-METRICS_HISTORY_LIMIT)));
      }
      await Promise.all([...writes, tx.done]);
    });
    options.onRankingChanged?.();
    return cache;
  }

  const learner: Learner = {
    retrain(reason) {
      if (running) {
        again = true;
        pendingReasons.push(reason);
        return running;
      }
      running = run(reason).finally(() => {
        running = undefined;
        if (again) {
          again = false;
          const next = pendingReasons.join(',');
          pendingReasons = [];
          void learner.retrain(next).catch((error: unknown) => console.error('Reelflow: retraining failed', error));
        }
      });
      return running;
    },
    schedule(reason, delayMs = options.debounceMs) {
      pendingReasons.push(reason);
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        const why = pendingReasons.join(',');
        pendingReasons = [];
        learner.retrain(why).catch((error: unknown) => console.error('Reelflow: retraining failed', error));
      }, delayMs);
    },
    async discard() {
      generation += 1;
      await store.write(async (db) => {
        const tx = db.transaction(['model', 'kv'], 'readwrite');
        await Promise.all([tx.objectStore('model').clear(), tx.objectStore('kv').delete('ranking'), tx.done]);
      });
      options.onRankingChanged?.();
    },
    async start() {
      const [current, checkpoint, ranking] = await store.read((db) =>
        Promise.all([db.get('model', CURRENT_MODEL), db.get('model', CHECKPOINT), kvGet(db.transaction('kv').store, 'ranking')]),
      );
      const problem = current === undefined ? undefined : recordProblem(current);
      if (problem) {
        console.warn(`Reelflow: stored model discarded (${problem}); retraining`);
        await store.write((db) => db.delete('model', CURRENT_MODEL));
      }
      const stale = ranking !== undefined && ranking.reasonsVersion !== REASONS_VERSION;
      if (problem || checkpoint !== undefined || ranking === undefined || stale)
        await learner.retrain(problem ? 'corrupted model' : checkpoint ? 'resume' : stale ? 'reasons changed' : 'no ranking');
    },
    async idle() {
      while (running || timer !== undefined) {
        if (running) await running.catch(() => undefined);
        else await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
  return learner;
}

/** Loads the stored model if it is sound. */
export async function loadModel(store: Store): Promise<LogisticModel | undefined> {
  const record = await store.read((db) => db.get('model', CURRENT_MODEL));
  return record && recordProblem(record) === undefined ? modelFromRecord(record) : undefined;
}
