import type { HandlerGroup } from '../router.ts';
import type { SettingsStore } from '../settings-store.ts';

/** Wires settings:* to the settings store (validated by the protocol's schema before it gets here). */
export function createSettingsHandlers(settings: SettingsStore): HandlerGroup<'settings'> {
  return {
    async 'settings:get'() {
      return settings.get();
    },
    async 'settings:set'(next) {
      return settings.set(next);
    },
  };
}
