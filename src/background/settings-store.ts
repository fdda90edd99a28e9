import { defaultSettings, loadSettings, type Settings } from '../shared/settings.ts';
import { kvGet, kvPut } from '../shared/db/kv.ts';
import type { Store } from './store.ts';

export interface SettingsStore {
  get(): Promise<Settings>;
  set(next: Settings): Promise<Settings>;
  /** Drops the cached copy after the store was cleared; what follows reads as the defaults. */
  forget(): Promise<void>;
}

/**
 * Told of every change with what was before and what is now (site access hooks here). The change
 * is answered after the listener settles, so a page that saved a site as on finds it capturing.
 */
export type SettingsListener = (previous: Settings, next: Settings) => Promise<void> | void;

/** Settings live in the kv store; this keeps a validated copy in memory for the hot capture path. */
/**
 * `locale` is the browser's language: a new install's region follows it. A function is asked
 * each time defaults are made (Chromium may report its default language at the worker's very
 * first start, before the profile's own).
 */
export function createSettingsStore(store: Store, onChange?: SettingsListener, locale?: string | (() => string)): SettingsStore {
  const localeNow = (): string | undefined => (typeof locale === 'function' ? locale() : locale);
  let cached: Settings | undefined;
  async function get(): Promise<Settings> {
    if (cached) return cached;
    const stored = await store.read((db) => kvGet(db.transaction('kv').store, 'settings'));
    const { settings, problem } = loadSettings(stored, localeNow());
    if (problem) console.warn(`Reelflow: ${problem}; using defaults`);
    // Defaults of a new install are made afresh until the user saves something, so they follow the browser's language as it is then.
    if (stored !== undefined) cached = settings;
    return settings;
  }
  return {
    get,
    async set(next) {
      const previous = onChange ? await get() : undefined;
      await store.write((db) => kvPut(db.transaction('kv', 'readwrite').store, 'settings', next));
      cached = next;
      if (previous) await onChange?.(previous, next);
      return next;
    },
    async forget() {
      const previous = cached;
      cached = undefined;
      if (previous) await onChange?.(previous, defaultSettings(localeNow()));
    },
  };
}
