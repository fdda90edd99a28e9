import { send, t } from '../shared/browser.ts';
import { h } from '../shared/dom.ts';
import type { Settings } from '../shared/settings.ts';
import { platformLabel } from '../shared/title-display.ts';
import { saveSettings, settings } from './state.ts';

/** Regions offered first; the user's own region is added when it is not among them. */
const REGIONS = [
  'CN',
  'HK',
  'TW',
  'MO',
  'SG',
  'MY',
  'JP',
  'KR',
  'US',
  'CA',
  'GB',
  'IE',
  'AU',
  'NZ',
  'DE',
  'FR',
  'ES',
  'IT',
  'NL',
  'IN',
  'BR',
  'MX',
];

function numberField(
  id: string,
  labelKey: string,
  value: number,
  min: number,
  max: number,
  apply: (s: Settings, n: number) => Settings,
): HTMLElement {
  const input = h('input', {
    type: 'number',
    id,
    min: String(min),
    max: String(max),
    step: '1',
    value: String(value),
    inputmode: 'numeric',
  });
  input.addEventListener('change', () => {
    const n = Number(input.value);
    if (!Number.isInteger(n) || n < min || n > max) {
      input.setCustomValidity(t('optionsNumberRange', [String(min), String(max)]));
      input.reportValidity();
      return;
    }
    input.setCustomValidity('');
    void saveSettings((cur) => apply(cur, n));
  });
  return h('p', { class: 'field' }, h('label', { for: id }, t(labelKey)), ' ', input);
}

function regionName(code: string): string {
  try {
    return new Intl.DisplayNames([navigator.language], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The Privacy section: pause, private windows, retention, text kept, platforms, region, suggestions a day. */
export async function renderPrivacy(root: HTMLElement): Promise<void> {
  const s = settings();
  const paused = h('input', { type: 'checkbox', id: 'paused', checked: s.paused });
  paused.addEventListener('change', () => void saveSettings((cur) => ({ ...cur, paused: paused.checked })));
  const badge = h('input', { type: 'checkbox', id: 'capture-badge', checked: s.captureBadge !== false });
  badge.addEventListener('change', () => void saveSettings((cur) => ({ ...cur, captureBadge: badge.checked })));

  const textKept = (['full', 'links'] as const).map((value) => {
    const radio = h('input', { type: 'radio', name: 'text-kept', id: `text-kept-${value}`, value, checked: s.textKept === value });
    radio.addEventListener('change', () => {
      if (radio.checked) void saveSettings((cur) => ({ ...cur, textKept: value }));
    });
    return h(
      'p',
      { class: 'choice' },
      h('label', { for: radio.id }, radio, ' ', t(value === 'full' ? 'optionsTextFull' : 'optionsTextLinks')),
    );
  });

  const known = await send('catalog:platforms', {});
  const servedOf = new Map(known.map((p) => [p.platform, p.regions]));
  const platforms = [...new Set([...known.map((p) => p.platform), ...s.platforms])];
  const platformBox = (platform: string): HTMLElement => {
    const box = h('input', { type: 'checkbox', id: `platform-${platform}`, checked: s.platforms.includes(platform) });
    box.addEventListener('change', () => {
      void saveSettings((cur) => {
        const kept = cur.platforms.filter((p) => p !== platform);
        return { ...cur, platforms: box.checked ? [...kept, platform] : kept };
      });
    });
    return h('li', {}, h('label', { for: box.id }, box, ' ', platformLabel(platform, t)));
  };
  // The region's platforms first (and any the user ticked); the others folded under a disclosure.
  const servesHere = (platform: string): boolean => {
    const served = servedOf.get(platform) ?? [];
    return served.length === 0 || served.includes(s.region) || s.platforms.includes(platform);
  };
  const byName = (a: string, b: string): number => platformLabel(a, t).localeCompare(platformLabel(b, t));
  const here = platforms.filter(servesHere).sort(byName);
  const elsewhere = platforms.filter((p) => !servesHere(p)).sort(byName);
  const platformBoxes = here.map(platformBox);
  const otherPlatforms =
    elsewhere.length > 0
      ? h(
          'details',
          { id: 'platforms-elsewhere' },
          h('summary', {}, t('optionsPlatformsElsewhere', String(elsewhere.length))),
          h('ul', { class: 'plain columns' }, ...elsewhere.map(platformBox)),
        )
      : null;

  const region = h('select', { id: 'region' });
  const codes = REGIONS.includes(s.region) ? REGIONS : [s.region, ...REGIONS];
  region.append(...codes.map((code) => h('option', { value: code, selected: code === s.region }, `${regionName(code)} (${code})`)));
  // Another region has other platforms: the list is drawn again for it.
  region.addEventListener('change', () => {
    void saveSettings((cur) => ({ ...cur, region: region.value }))
      .then(() => renderPrivacy(root))
      .then(() => document.getElementById('region')?.focus());
  });

  root.replaceChildren(
    h('p', { class: 'field' }, h('label', { for: 'paused' }, paused, ' ', t('optionsPauseAll'))),
    h('p', { class: 'muted' }, t('optionsPrivateWindows')),
    h('p', { class: 'field' }, h('label', { for: 'capture-badge' }, badge, ' ', t('optionsCaptureBadge'))),
    numberField('retention', 'optionsRetention', s.retentionDays, 1, 3650, (cur, n) => ({ ...cur, retentionDays: n })),
    h('fieldset', {}, h('legend', {}, t('optionsTextKept')), ...textKept),
    h(
      'fieldset',
      {},
      h('legend', {}, t('optionsPlatforms')),
      h('p', { class: 'muted small' }, t('optionsPlatformsHelp')),
      platformBoxes.length > 0
        ? h('ul', { class: 'plain columns', id: 'platforms-here' }, ...platformBoxes)
        : h('p', { class: 'muted' }, t('optionsNoPlatforms')),
      otherPlatforms,
    ),
    h('p', { class: 'field' }, h('label', { for: 'region' }, t('optionsRegion')), ' ', region),
    numberField('per-day', 'optionsPerDay', s.suggestionsPerDay, 0, 100, (cur, n) => ({ ...cur, suggestionsPerDay: n })),
  );
}
