import { browser, send, t } from '../shared/browser.ts';
import { h } from '../shared/dom.ts';
import type { SiteHealth } from '../shared/messages.ts';
import { weekOfChecks } from '../shared/health.ts';
import { SITE_IDS, originPatterns, siteRecord, type SiteId } from '../shared/sites.ts';
import { announce, formatTime, saveSettings, settings } from './state.ts';

/** Host permissions this build asks for only when a site is turned on (none if the manifest grants them all). */
function optionalOrigins(): Set<string> {
  const manifest = browser.runtime.getManifest() as { optional_host_permissions?: string[] };
  return new Set(manifest.optional_host_permissions ?? []);
}

/**
 * What the page checks of this week found (issue 17: health that sees the page): each element some
 * page lacked, named with the site; or that every page had everything. Nothing is claimed for a
 * site Reelflow has not run on, nor for one whose pages were not checked this week.
 */
function pageLines(site: SiteId, health: SiteHealth | undefined): HTMLElement[] {
  if (health?.lastSeen === undefined) return [h('p', { class: 'selectors' }, t('optionsNotRunYet'))];
  const week = weekOfChecks(health.checks, Date.now());
  if (week.pages === 0) return [h('p', { class: 'selectors' }, t('optionsNotCheckedYet'))];
  if (week.missing.length === 0)
    return [h('p', { class: 'selectors' }, week.pages === 1 ? t('optionsPageChecked') : t('optionsPagesChecked', String(week.pages)))];
  return week.missing.map(([element, count]) =>
    h(
      'p',
      { class: 'selectors page-missing', 'data-element': element },
      t('optionsPageMissing', [t(`site_${site}`), t(`healthElement_${element}`), String(count), String(week.pages)]),
    ),
  );
}

function healthLines(site: SiteId, health: SiteHealth | undefined): HTMLElement {
  const last = health?.lastCapture === undefined ? t('optionsNeverCaptured') : t('optionsLastCapture', formatTime(health.lastCapture));
  // Selectors that found nothing when the user acted (inside a click handler), by name.
  const misses = Object.entries(health?.misses ?? {}).filter(([, count]) => count > 0);
  return h(
    'div',
    { class: 'health muted small' },
    h('p', {}, last),
    health?.dropped ? h('p', { class: 'dropped' }, t('optionsDropped', String(health.dropped))) : null,
    ...pageLines(site, health),
    misses.length > 0
      ? h('p', { class: 'misses' }, t('optionsMisses', misses.map(([selector, count]) => `${selector} ×${count}`).join(', ')))
      : null,
  );
}

/**
 * After a site is turned off: what Reelflow still keeps from it, with the count, and a button that
 * deletes it (issue 15: turning a site off offers to delete what was captured there). Nothing is
 * offered when nothing is kept; keeping it is the default, as the switch alone promised no more.
 */
async function offerDeletion(site: SiteId, row: HTMLElement, onDeleted: () => Promise<void>): Promise<void> {
  row.querySelector('.site-delete-offer')?.remove();
  const { events } = await send('data:site-count', { site });
  if (events === 0) return;
  const name = t(`site_${site}`);
  const remove = h('button', { type: 'button', class: 'danger', id: `site-${site}-delete` }, t('optionsSiteDelete', String(events)));
  const keep = h('button', { type: 'button', id: `site-${site}-keep` }, t('optionsSiteKeep'));
  const offer = h(
    'div',
    { class: 'site-delete-offer', role: 'group', 'aria-labelledby': `site-${site}-offer-text` },
    h('p', { id: `site-${site}-offer-text` }, t(events === 1 ? 'optionsSiteKept_one' : 'optionsSiteKept_other', [String(events), name])),
    remove,
    ' ',
    keep,
  );
  keep.addEventListener('click', () => offer.remove());
  remove.addEventListener('click', () => {
    remove.disabled = true;
    send('data:delete-site', { site, confirm: true })
      .then(async ({ deleted }) => {
        offer.remove();
        announce(t(deleted === 1 ? 'optionsSiteDeleted_one' : 'optionsSiteDeleted_other', [String(deleted), name]));
        await onDeleted();
      })
      .catch((error: unknown) => {
        remove.disabled = false;
        announce(error instanceof Error ? error.message : String(error));
      });
  });
  row.querySelector('.health')?.before(offer);
  remove.focus();
}

function siteRow(site: SiteId, health: SiteHealth | undefined, granted: boolean, onDeleted: () => Promise<void>): HTMLElement {
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
        if (on) row.querySelector('.site-delete-offer')?.remove();
        else await offerDeletion(site, row, onDeleted);
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

  const row = h(
    'li',
    { class: 'site', 'data-site': site },
    h('label', { for: enabled.id, class: 'site-name' }, enabled, ' ', t(`site_${site}`)),
    ...(blocked ? [h('p', { class: 'small', id: `site-${site}-blocked` }, t('optionsSiteNotAllowed'))] : []),
    healthLines(site, health),
    h('details', {}, h('summary', {}, t('optionsActionsCaptured')), h('ul', { class: 'plain actions' }, ...actions)),
  );
  return row;
}

/** The Sites section: each site on or off, what it captures, its health; `onDeleted` redraws what deleting a site's captures changes. */
export async function renderSites(list: HTMLElement, onDeleted: () => Promise<void> = async () => undefined): Promise<void> {
  const status = await send('data:status', {});
  const health = new Map(status.health.map((entry) => [entry.site, entry]));
  const granted = await Promise.all(SITE_IDS.map((site) => browser.permissions.contains({ origins: originPatterns(site) })));
  list.replaceChildren(...SITE_IDS.map((site, i) => siteRow(site, health.get(site), granted[i] ?? false, onDeleted)));
}
