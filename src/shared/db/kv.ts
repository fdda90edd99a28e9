import type { LinkerSnapshot } from '../catalog/linker.ts';
import type { ExperimentState } from '../experiments/experiment.ts';
import type { MetricsSnapshot } from '../insights.ts';
import type { TitleIndexSnapshot } from '../model/title-index-snapshot.ts';
import type { Settings } from '../settings.ts';
import type { RankingCache } from '../suggestions.ts';

/** The saved linker, keyed by the catalog it was built from (version, sha256 and install time). */
export interface StoredLinker {
  catalog: string;
  snapshot: LinkerSnapshot;
}

/** The model's built title index, keyed by the titles it was built from (StoredTitleIndex.key, see the learner). */
export interface StoredTitleIndex {
  key: string;
  snapshot: TitleIndexSnapshot;
}

/**
 * Every key of the kv store and the type of its value: the one place a key is declared. Small
 * records only; anything that grows with use has a store of its own.
 */
export interface KvValues {
  /** The user's settings; validated again on load (loadSettings), as an older version may have written another shape. */
  settings: Settings;
  /** The learner's latest ranking, read by the popup's handler. */
  ranking: RankingCache;
  /** Suggestions are hidden until this time (ms since the epoch). */
  snoozeUntil: number;
  /** The on-device A/B test: its tally and the lists still collecting clicks. */
  experiment: ExperimentState;
  /** Holdout metrics after each training, oldest first (METRICS_HISTORY_LIMIT kept). */
  metricsHistory: MetricsSnapshot[];
  /** The extension version whose packaged catalog was last checked. */
  catalogCheckedFor: string;
  /** The built linker, so a restarted service worker restores it instead of rebuilding. */
  linkerSnapshot: StoredLinker;
  /** The model's title index, so a restarted service worker does not tokenize the catalog again (issue 16). */
  titleIndex: StoredTitleIndex;
}

export type KvKey = keyof KvValues;

/** The kv object store of any transaction, as the typed reader uses it. */
export interface KvReadable {
  get(key: KvKey): Promise<KvValues[KvKey] | undefined>;
}

/** The kv object store of a readwrite transaction, as the typed writer uses it. */
export interface KvWritable {
  put(value: KvValues[KvKey], key: KvKey): Promise<KvKey>;
}

/** Reads one kv value, typed by its key. */
export function kvGet<K extends KvKey>(kv: KvReadable, key: K): Promise<KvValues[K] | undefined> {
  // The one cast of the store: KvValues ties each key to its value, and kvPut is the only writer.
  return kv.get(key) as Promise<KvValues[K] | undefined>;
}

/** Writes one kv value, typed by its key. */
export async function kvPut<K extends KvKey>(kv: KvWritable, key: K, value: KvValues[K]): Promise<void> {
  await kv.put(value, key);
}
