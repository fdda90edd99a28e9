import type { Settings } from '../shared/settings.ts';
import { SITE_IDS, originPatterns, type SiteId } from '../shared/sites.ts';

/**
 * Per-site access. Host permissions are optional: the user grants a site's when turning it on
 * (the options page asks inside the click), and the content script is registered for that site
 * only while the site is on AND its permission is granted. Settings stay the single source of
 * truth; this module makes the browser match them.
 */

/** What this module needs from the browser (scripting, permissions, tabs), so it can be tested without one. */
export interface SiteAccessApi {
  granted(origins: string[]): Promise<boolean>;
  release(origins: string[]): Promise<void>;
  registered(): Promise<{ id: string; js?: string[] }[]>;
  register(scripts: ContentScriptRegistration[]): Promise<void>;
  unregister(ids: string[]): Promise<void>;
  /** Runs the content script in tabs already open on these origins; returns how many tabs it reached. */
  injectOpenTabs(origins: string[], file: string): Promise<number>;
}

export interface ContentScriptRegistration {
  id: string;
  matches: string[];
  js: string[];
  runAt: 'document_idle';
  allFrames: false;
  persistAcrossSessions: true;
}

/** Each site's access as the browser has it after a sync. */
export interface SiteAccessState {
  site: SiteId;
  enabled: boolean;
  granted: boolean;
  /** The content script is registered: capture can happen on this site's pages. */
  registered: boolean;
}

export interface SiteAccess {
  /** Registers, updates or unregisters content scripts to match the settings and the granted permissions. */
  sync(): Promise<SiteAccessState[]>;
  /** Settings changed: a site turned off releases its permission (from options, import or delete all alike), then a sync. */
  changed(previous: Settings, next: Settings): Promise<SiteAccessState[]>;
  /** The user revoked host permissions in the browser's own UI: the sites they cover are turned off. */
  revoked(origins: readonly string[]): Promise<SiteId[]>;
}

const ID_PREFIX = 'reelflow-site-';

/** The registered content script's id for a site. */
/**
 * The open tabs a newly allowed site's script is run in: every tab with an id, but none in a private
 * window (Reelflow never captures there; the content script would refuse anyway).
 */
export function openTabTargets(tabs: readonly { id?: number; incognito: boolean }[]): number[] {
  return tabs.flatMap((tab) => (tab.id === undefined || tab.incognito ? [] : [tab.id]));
}

function scriptId(site: SiteId): string {
  return `${ID_PREFIX}${site}`;
}

/** The registration of a site's content script (one per site, so each can come and go alone). */
export function registration(site: SiteId, file: string): ContentScriptRegistration {
  return {
    id: scriptId(site),
    matches: originPatterns(site),
    js: [file],
    runAt: 'document_idle',
    allFrames: false,
    persistAcrossSessions: true,
  };
}

/**
 * Creates the sync. `file` is the built content script; `settings` reads and writes the user's
 * settings. Syncs run one at a time: a settings change and a permission event arriving
 * together must not register the same id twice.
 */
export function createSiteAccess(
  api: SiteAccessApi,
  file: string,
  settings: { get(): Promise<Settings>; set(next: Settings): Promise<Settings> },
): SiteAccess {
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  async function syncNow(): Promise<SiteAccessState[]> {
    const current = await settings.get();
    const existing = new Map((await api.registered()).map((script) => [script.id, script]));
    const states: SiteAccessState[] = [];
    const add: ContentScriptRegistration[] = [];
    const drop: string[] = [];
    for (const site of SITE_IDS) {
      const origins = originPatterns(site);
      const enabled = current.sites[site].enabled;
      const granted = await api.granted(origins);
      const id = scriptId(site);
      const script = existing.get(id);
      const want = enabled && granted;
      // A stale file name (the extension was updated) means re-registering.
      const upToDate = script !== undefined && script.js?.length === 1 && script.js[0] === file;
      if (script && (!want || !upToDate)) drop.push(id);
      if (want && !upToDate) add.push(registration(site, file));
      states.push({ site, enabled, granted, registered: want });
    }
    if (drop.length > 0) await api.unregister(drop);
    if (add.length > 0) {
      await api.register(add);
      // Tabs already open on a site just turned on capture without a reload; a second run restarts the first.
      for (const script of add) await api.injectOpenTabs(script.matches, file).catch(() => 0);
    }
    return states;
  }

  return {
    sync: () => serial(syncNow),
    changed: (previous, next) =>
      serial(async () => {
        // Only a transition releases: a permission granted a moment before its site is saved as on must survive.
        for (const site of SITE_IDS) {
          if (previous.sites[site].enabled && !next.sites[site].enabled) await api.release(originPatterns(site));
        }
        return syncNow();
      }),
    // Not queued: the settings change it makes runs `changed`, which queues behind whatever runs now.
    async revoked(origins) {
      const gone = new Set(origins);
      const current = await settings.get();
      const off = SITE_IDS.filter((site) => current.sites[site].enabled && originPatterns(site).some((origin) => gone.has(origin)));
      if (off.length === 0) return off;
      const sites = { ...current.sites };
      for (const site of off) sites[site] = { ...sites[site], enabled: false };
      await settings.set({ ...current, sites });
      return off;
    },
  };
}
