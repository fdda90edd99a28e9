import { beforeEach, describe, expect, it } from 'vitest';
import { createBackground } from '../../src/background/background.ts';
import {
  createSiteAccess,
  registration,
  type ContentScriptRegistration,
  type SiteAccess,
  type SiteAccessApi,
} from '../../src/background/site-access.ts';
import { createStore } from '../../src/background/store.ts';
import { envelope } from '../../src/shared/messages.ts';
import type { Settings } from '../../src/shared/settings.ts';
import { originPatterns, type SiteId } from '../../src/shared/sites.ts';

const FILE = 'src/content/main.js';

/** A browser as far as site access goes: granted origins, registered scripts, open tabs. */
function fakeBrowser(openTabs: string[] = []) {
  const granted = new Set<string>();
  const scripts = new Map<string, ContentScriptRegistration>();
  const injected: string[] = [];
  const calls: string[] = [];
  const api: SiteAccessApi = {
    granted: async (origins) => origins.every((origin) => granted.has(origin)),
    release: async (origins) => {
      calls.push(`release ${origins.join(' ')}`);
      for (const origin of origins) granted.delete(origin);
    },
    registered: async () => [...scripts.values()].map((s) => ({ id: s.id, js: s.js })),
    register: async (list) => {
      for (const script of list) {
        if (scripts.has(script.id)) throw new Error(`Duplicate script ID '${script.id}'`); // as Chrome says it
        scripts.set(script.id, script);
      }
      calls.push(`register ${list.map((s) => s.id).join(' ')}`);
    },
    unregister: async (ids) => {
      for (const id of ids) scripts.delete(id);
      calls.push(`unregister ${ids.join(' ')}`);
    },
    injectOpenTabs: async (origins, file) => {
      const hosts = origins.map((origin) => new URL(origin.replace('/*', '/')).host);
      const hits = openTabs.filter((url) => hosts.includes(new URL(url).host));
      injected.push(...hits.map((url) => `${url} ${file}`));
      return hits.length;
    },
  };
  return { api, granted, scripts, injected, calls, grant: (site: SiteId) => originPatterns(site).forEach((o) => granted.add(o)) };
}

let counter = 0;

describe('site access', () => {
  let browser: ReturnType<typeof fakeBrowser>;
  let bg: ReturnType<typeof createBackground>;
  let access: SiteAccess;

  const setSites = async (change: Partial<Record<SiteId, boolean>>): Promise<Settings> => {
    const current = await bg.settings.get();
    const sites = { ...current.sites };
    for (const [site, enabled] of Object.entries(change) as [SiteId, boolean][]) sites[site] = { ...sites[site], enabled };
    const reply = await bg.handle(envelope('settings:set', { ...current, sites }), { fromExtensionPage: true, incognito: false });
    if (!reply?.ok) throw new Error(JSON.stringify(reply));
    return reply.value as Settings;
  };

  beforeEach(() => {
    browser = fakeBrowser(['https://weibo.com/', 'https://x.com/home', 'https://example.com/']);
    bg = createBackground(createStore(`site-access-${counter++}`), () => 1_760_000_000_000);
    access = createSiteAccess(browser.api, FILE, bg.settings);
    // As src/background/index.ts wires it: a settings change is answered after the browser matches it.
    bg.bus.on('settings-changed', (previous, next) =>
      access.changed(previous, next).then(
        () => undefined,
        () => undefined,
      ),
    );
  });

  it('registers nothing on a new install: every site is off and nothing is granted', async () => {
    const states = await access.sync();
    expect(states.every((s) => !s.enabled && !s.granted && !s.registered)).toBe(true);
    expect(browser.scripts.size).toBe(0);
  });

  it('registers a site’s script only once it is on AND granted, and reaches its open tabs', async () => {
    await setSites({ weibo: true });
    expect(browser.scripts.size).toBe(0); // on, but the user has not granted it (or revoked it)
    browser.grant('weibo');
    const states = await access.sync();
    expect(states.find((s) => s.site === 'weibo')).toEqual({ site: 'weibo', enabled: true, granted: true, registered: true });
    expect([...browser.scripts.values()]).toEqual([registration('weibo', FILE)]);
    expect(browser.scripts.get('reelflow-site-weibo')?.matches).toEqual(['https://weibo.com/*', 'https://m.weibo.cn/*']);
    expect(browser.injected).toEqual(['https://weibo.com/ src/content/main.js']);
  });

  it('keeps a granted permission that arrives before its site is saved as on', async () => {
    // The options page asks for the permission in the click, then saves the setting.
    browser.grant('x');
    await access.sync(); // permissions.onAdded
    expect(browser.granted.has('https://x.com/*')).toBe(true);
    await setSites({ x: true });
    expect([...browser.scripts.keys()]).toEqual(['reelflow-site-x']);
  });

  it('turning a site off from any path releases its permission and unregisters its script', async () => {
    browser.grant('x');
    browser.grant('douban');
    await setSites({ x: true, douban: true });
    expect(browser.scripts.size).toBe(2);
    await setSites({ x: false });
    expect([...browser.scripts.keys()]).toEqual(['reelflow-site-douban']);
    expect(browser.granted.has('https://x.com/*')).toBe(false);
    expect(browser.granted.has('https://movie.douban.com/*')).toBe(true);

    // Delete everything resets the settings: the rest goes too.
    expect(await bg.handle(envelope('data:delete-all', { confirm: true }), { fromExtensionPage: true, incognito: false })).toMatchObject({
      ok: true,
    });
    expect(browser.scripts.size).toBe(0);
    expect(browser.granted.size).toBe(0);
  });

  it('turns sites off when the user revokes their permission in the browser', async () => {
    browser.grant('weibo');
    await setSites({ weibo: true, x: true });
    for (const origin of originPatterns('weibo')) browser.granted.delete(origin);
    expect(await access.revoked(['https://m.weibo.cn/*'])).toEqual(['weibo']);
    expect((await bg.settings.get()).sites.weibo.enabled).toBe(false);
    expect((await bg.settings.get()).sites.x.enabled).toBe(true);
    expect(browser.scripts.size).toBe(0);
    expect(await access.revoked(['https://www.youtube.com/*'])).toEqual([]);
  });

  it('re-registers a script left from an older build, and is idempotent otherwise', async () => {
    browser.grant('x');
    await setSites({ x: true });
    browser.scripts.set('reelflow-site-x', registration('x', 'src/content/old.js'));
    browser.calls.length = 0;
    await access.sync();
    expect(browser.scripts.get('reelflow-site-x')?.js).toEqual([FILE]);
    expect(browser.calls).toEqual(['unregister reelflow-site-x', 'register reelflow-site-x']);
    browser.calls.length = 0;
    await access.sync();
    expect(browser.calls).toEqual([]);
  });

  it('runs syncs one at a time, so concurrent changes never register an id twice', async () => {
    browser.grant('x');
    browser.grant('weibo');
    await Promise.all([setSites({ x: true, weibo: true }), access.sync(), access.sync(), access.sync()]);
    expect([...browser.scripts.keys()].sort()).toEqual(['reelflow-site-weibo', 'reelflow-site-x']);
  });

  it('keeps going after a failed sync', async () => {
    browser.grant('x');
    const register = browser.api.register;
    browser.api.register = async () => {
      throw new Error('quota');
    };
    await expect(setSites({ x: true })).resolves.toBeDefined(); // the setting is saved; index.ts logs the failure
    await expect(access.sync()).rejects.toThrow('quota');
    browser.api.register = register;
    await access.sync();
    expect([...browser.scripts.keys()]).toEqual(['reelflow-site-x']);
  });
});
