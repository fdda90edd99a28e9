import { browser, send, t } from '../shared/browser.ts';
import { h } from '../shared/dom.ts';
import type { SiteHealth } from '../shared/messages.ts';
import { SITE_IDS, originPatterns, siteRecord, type SiteId } from '../shared/sites.ts';
import { announce, formatTime, saveSettings, settings } from './state.ts';

/** Host permissions this build asks for only when a site is turned on (none if the manifest grants them all). */
function optionalOrigins(): Set<string> {
  const manifest = browser.runtime.getManifest() as { optional_host_permissions?: string[] };
  return new Set(manifest.optional_host_permissions ?? []);
}

function healthLines(health: SiteHealth | undefined): HTMLElement {
  const last = health?.lastCapture === undefined ? t('optionsNeverCaptured') : t('optionsLastCapture', formatTime(health.lastCapture));
  const misses = Object.entries(health?.misses ?? {}).filter(([, count]) => count > 0);
  return h(
    'div',
    { class: 'health muted small' },
    h('p', {}, last),
    health?.dropped ? h('p', { class: 'dropped' }, t('optionsDropped', String(health.dropped))) : null,
    // Nothing was looked for on a site Reelflow has not run on: say so, not that all was found.
    h(
      'p',
      { class: 'selectors' },
      misses.length > 0
        ? t('optionsMisses', misses.map(([selector, count]) => `${selector} ×${count}`).join(', '))
        : health?.lastSeen === undefined
          ? t('optionsNotRunYet')
          : t('optionsNoMisses'),
    ),
  );
}

function siteRow(site: SiteId, health: SiteHealth | undefined, granted: boolean): HTMLElement {
  const s = settings().sites[site];
  const origins = originPatterns(site);
  const optional = optionalOrigins();
  const needsPermission = origins.every((origin) => optional.has(origin));
  // On in settings but not allowed by the browser (imported settings, or access revoked): shown off, with why.
  const blocked = s.enabled && needsPermission && !granted;
  const enabled = h('input', { type: 'checkbox', id: `site-${site}`, checked: s.enabled && !blocked });
  enabled.addEventListener('change', () => {
    const on = enabled.checked;
    // permissions.request must run inside the click, before any await.
    const permission: Promise<boolean> = !needsPermission
      ? Promise.resolve(true)
      : on
        ? browser.permissions.request({ origins })
        : browser.permissions.remove({ origins }).then(() => true);
    permission
      .then(async (granted) => {
        if (!granted) {
          enabled.checked = false;
          announce(t('optionsPermissionRefused', t(`site_${site}`)));
          return;
        }
        await saveSettings((cur) => ({ ...cur, sites: { ...cur.sites, [site]: { ...cur.sites[site], enabled: on } } }));
      })
      .catch(() => {
        enabled.checked = !on;
      });
  });

  const actions = siteRecord(site).actions.map((action) => {
    const box = h('input', { type: 'checkbox', id: `action-${site}-${action}`, checked: (s.actions as string[]).includes(action) });
    box.addEventListener('change', () => {
      void saveSettings((cur) => {
        const kept = cur.sites[site].actions.filter((a) => a !== action);
        return { ...cur, sites: { ...cur.sites, [site]: { ...cur.sites[site], actions: box.checked ? [...kept, action] : kept } } };
      }).catch(() => (box.checked = !box.checked));
    });
    return h('li', {}, h('label', { for: box.id }, box, ' ', t(`actionName_${action}`)));
  });

  return h(
    'li',
    { class: 'site', 'data-site': site },
    h('label', { for: enabled.id, class: 'site-name' }, enabled, ' ', t(`site_${site}`)),
    ...(blocked ? [h('p', { class: 'small', id: `site-${site}-blocked` }, t('optionsSiteNotAllowed'))] : []),
    healthLines(health),
    h('details', {}, h('summary', {}, t('optionsActionsCaptured')), h('ul', { class: 'plain actions' }, ...actions)),
  );
}

/** The Sites section: each site on or off, which actions it captures, and its health. */
export async function renderSites(list: HTMLElement): Promise<void> {
  const status = await send('data:status', {});
  const health = new Map(status.health.map((entry) => [entry.site, entry]));
  const granted = await Promise.all(SITE_IDS.map((site) => browser.permissions.contains({ origins: originPatterns(site) })));
  list.replaceChildren(...SITE_IDS.map((site, i) => siteRow(site, health.get(site), granted[i] ?? false)));
}
