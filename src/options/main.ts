import { t } from '../shared/browser.ts';
import { localize } from '../shared/dom.ts';
import { renderCatalog } from './catalog.ts';
import { insightsSection } from './insights.ts';
import { renderPrivacy } from './privacy.ts';
import { renderSites } from './sites.ts';
import { loadSettings, setAnnouncer, settings } from './state.ts';
import { learnedTitlesList } from './learned-titles.ts';
import { tasteSection } from './taste.ts';
import { dataControls, eventViewer, feedbackList } from './your-data.ts';

/** The options page: Sites, Privacy, Your taste, Your data, Insights, Model and About, each drawn from the background's answers. */
const byId = (id: string): HTMLElement => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`options page is missing #${id}`);
  return element;
};

const events = eventViewer();
const feedback = feedbackList();
const learned = learnedTitlesList();
const insights = insightsSection(byId('insights'), byId('model'));
const taste = tasteSection(byId('taste'));

/** What deleting a site's captures changes: the viewer, the titles learned from them, insights. */
async function afterSiteDeleted(): Promise<void> {
  await Promise.all([events.refresh(), learned.refresh(), insights.refresh(), taste.refresh()]);
}

/** Redraws everything from storage (after import or delete-all). */
async function reload(): Promise<void> {
  await loadSettings();
  await Promise.all([
    renderSites(byId('sites'), afterSiteDeleted),
    renderPrivacy(byId('privacy')),
    events.refresh(),
    feedback.refresh(),
    learned.refresh(),
    insights.refresh(),
    taste.refresh(),
  ]);
}

async function main(): Promise<void> {
  localize();
  setAnnouncer(byId('status'));
  byId('your-data').replaceChildren(events.element, learned.element, feedback.element, dataControls(reload));
  await Promise.all([
    reload(),
    renderCatalog(byId('catalog'), () => Promise.all([events.refresh(), feedback.refresh()]).then(() => undefined)),
  ]);
}

// Access can change behind this page's back (revoked in the browser's own extension settings, which
// turns the site off): coming back to the page shows the sites as they are now, focus kept.
function refreshSitesIfChanged(): void {
  if (document.visibilityState !== 'visible' || document.body.dataset.ready !== 'true') return;
  const before = JSON.stringify(settings().sites);
  const focused = document.activeElement?.id;
  loadSettings()
    .then(async (now) => {
      if (JSON.stringify(now.sites) === before) return;
      await renderSites(byId('sites'), afterSiteDeleted);
      if (focused) document.getElementById(focused)?.focus();
    })
    .catch(() => undefined); // the next visit tries again
}
document.addEventListener('visibilitychange', refreshSitesIfChanged);
window.addEventListener('focus', refreshSitesIfChanged);

main().then(
  () => {
    document.querySelector('main')?.setAttribute('aria-busy', 'false');
    document.body.dataset.ready = 'true';
  },
  (error: unknown) => {
    byId('status').textContent = t('errorBackground', error instanceof Error ? error.message : String(error));
    document.body.dataset.ready = 'error';
  },
);
