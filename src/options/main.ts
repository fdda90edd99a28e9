import { t } from '../shared/browser.ts';
import { h, localize } from '../shared/dom.ts';
import { renderCatalog } from './catalog.ts';
import { renderPrivacy } from './privacy.ts';
import { renderSites } from './sites.ts';
import { loadSettings, setAnnouncer } from './state.ts';
import { dataControls, eventViewer, feedbackList } from './your-data.ts';

/** The options page: Sites, Privacy, Your data, Model and About, each drawn from the background's answers. */
const byId = (id: string): HTMLElement => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`options page is missing #${id}`);
  return element;
};

const events = eventViewer();
const feedback = feedbackList();

/** Redraws everything from storage (after import or delete-all). */
async function reload(): Promise<void> {
  await loadSettings();
  await Promise.all([renderSites(byId('sites')), renderPrivacy(byId('privacy')), events.refresh(), feedback.refresh()]);
}

function renderModel(root: HTMLElement): void {
  // The learning code does not expose its features to pages yet; say so plainly rather than show nothing.
  root.replaceChildren(h('p', { id: 'model-state' }, t('optionsModelNotTrained')));
}

async function main(): Promise<void> {
  localize();
  setAnnouncer(byId('status'));
  byId('your-data').replaceChildren(events.element, feedback.element, dataControls(reload));
  renderModel(byId('model'));
  await Promise.all([reload(), renderCatalog(byId('catalog'), () => Promise.all([events.refresh(), feedback.refresh()]).then(() => undefined))]);
}

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
