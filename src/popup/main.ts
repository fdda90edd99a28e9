import { browser, send, t } from '../shared/browser.ts';
import { h, localize } from '../shared/dom.ts';

/** The popup: what Reelflow knows and, once learning lands, what it suggests. */
async function render(): Promise<void> {
  localize();
  const app = document.getElementById('app');
  const status = document.getElementById('status');
  if (!app || !status) return;
  try {
    const data = await send('data:status', {});
    status.textContent = data.paused
      ? t('popupPaused')
      : t('popupEventCount', String(data.eventCount));
    if (data.enabledSites.length === 0) {
      const open = h('button', { type: 'button', class: 'primary', id: 'open-options' }, t('popupEnableSites'));
      open.addEventListener('click', () => void browser.runtime.openOptionsPage());
      app.append(h('p', {}, t('popupNoSites')), open);
    }
    document.body.dataset.ready = 'true';
  } catch (error) {
    status.textContent = t('errorBackground', error instanceof Error ? error.message : String(error));
  }
}

void render();
