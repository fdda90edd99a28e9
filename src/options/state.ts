import { send, t } from '../shared/browser.ts';
import type { Settings } from '../shared/settings.ts';

let current: Settings | undefined;
let announcer: HTMLElement | undefined;

/** The settings as last loaded or saved. */
export function settings(): Settings {
  if (!current) throw new Error('settings not loaded');
  return current;
}

/** Loads the settings from the background (after start, import or delete-all). */
export async function loadSettings(): Promise<Settings> {
  current = await send('settings:get', {});
  return current;
}

let saving: Promise<void> = Promise.resolve();

/**
 * Saves a change to the settings and says so in the page's status line. Changes are applied one
 * after another, each to the result of the one before: two quick clicks while the background is
 * busy (installing the catalog on first start) must not both start from the same old settings.
 */
export function saveSettings(change: (s: Settings) => Settings): Promise<void> {
  const run = saving
    .catch(() => undefined)
    .then(async () => {
      try {
        current = await send('settings:set', change(settings()));
        announce(t('optionsSaved'));
      } catch (error) {
        announce(t('errorAction', error instanceof Error ? error.message : String(error)));
        throw error;
      }
    });
  saving = run;
  return run;
}

/** Where status messages go: one polite live region for the whole page. */
export function setAnnouncer(element: HTMLElement): void {
  announcer = element;
}

/** Says something in the page's status line. */
export function announce(message: string): void {
  if (announcer) announcer.textContent = message;
}

/** A date and time in the user's language. */
export function formatTime(at: number): string {
  return new Intl.DateTimeFormat(navigator.language, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}
