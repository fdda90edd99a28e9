import { loadSettings, type Settings } from '../shared/settings.ts';
import type { Store } from './store.ts';

const KEY = 'settings';

/** Settings live in the kv store; this keeps a validated copy in memory for the hot capture path. */
export function createSettingsStore(store: Store): {
  get(): Promise<Settings>;
  set(next: Settings): Promise<Settings>;
  forget(): void;
} {
  let cached: Settings | undefined;
  return {
    async get() {
      if (cached) return cached;
      const stored = await store.read((db) => db.get('kv', KEY));
      const { settings, problem } = loadSettings(stored);
      if (problem) console.warn(`Reelflow: ${problem}; using defaults`);
      cached = settings;
      return settings;
    },
    async set(next) {
      await store.write((db) => db.put('kv', next, KEY));
      cached = next;
      return next;
    },
    forget() {
      cached = undefined;
    },
  };
}
