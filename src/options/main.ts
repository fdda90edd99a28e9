import { send, t } from '../shared/browser.ts';
import { h, localize } from '../shared/dom.ts';
import type { Settings } from '../shared/settings.ts';
import { SITE_IDS } from '../shared/sites.ts';

/** The options page: site toggles, pause, and a viewer of what is stored. */
let settings: Settings;

async function save(next: Settings): Promise<void> {
  settings = await send('settings:set', next);
}

function renderSites(): void {
  const list = document.getElementById('sites');
  if (!list) return;
  list.replaceChildren(
    ...SITE_IDS.map((site) => {
      const box = h('input', { type: 'checkbox', id: `site-${site}`, checked: settings.sites[site].enabled });
      box.addEventListener('change', () => {
        void save({ ...settings, sites: { ...settings.sites, [site]: { ...settings.sites[site], enabled: box.checked } } });
      });
      return h('li', {}, h('label', { for: `site-${site}` }, box, ' ', t(`site_${site}`)));
    }),
  );
}

async function renderEvents(): Promise<void> {
  const list = document.getElementById('events');
  const summary = document.getElementById('data-summary');
  if (!list || !summary) return;
  const events = await send('data:list-events', { limit: 200 });
  summary.textContent = t('optionsEventCount', String(events.length));
  list.replaceChildren(
    ...events.map((event) => {
      const remove = h('button', { type: 'button', 'aria-label': t('optionsDeleteEvent') }, t('optionsDelete'));
      remove.addEventListener('click', () => {
        void send('data:delete-event', { id: event.id }).then(renderEvents);
      });
      const text = event.target.title ?? event.target.text;
      return h(
        'li',
        { class: 'event', 'data-event-id': event.id },
        h('span', { class: 'event-text' }, `${t(`site_${event.site}`)} · ${t(`action_${event.action}`)} · ${text.slice(0, 140)}`),
        remove,
      );
    }),
  );
}

async function main(): Promise<void> {
  localize();
  settings = await send('settings:get', {});
  renderSites();
  const paused = document.getElementById('paused') as HTMLInputElement | null;
  if (paused) {
    paused.checked = settings.paused;
    paused.addEventListener('change', () => void save({ ...settings, paused: paused.checked }));
  }
  document.getElementById('delete-all')?.addEventListener('click', () => {
    if (!confirm(t('optionsDeleteAllConfirm'))) return;
    void send('data:delete-all', { confirm: true }).then(async () => {
      settings = await send('settings:get', {});
      renderSites();
      await renderEvents();
    });
  });
  await renderEvents();
  document.body.dataset.ready = 'true';
}

void main();
