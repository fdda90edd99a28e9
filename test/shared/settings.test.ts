import { describe, expect, it } from 'vitest';
import { defaultSettings, isCaptureAllowed, loadSettings, regionForLocale } from '../../src/shared/settings.ts';

describe('settings', () => {
  it('starts with every site off and a 90-day retention', () => {
    const settings = defaultSettings();
    expect(Object.values(settings.sites).every((s) => !s.enabled)).toBe(true);
    expect(settings.retentionDays).toBe(90);
  });

  it('fills fields missing from an older record from the defaults', () => {
    const { settings, problem } = loadSettings({ version: 1, paused: true });
    expect(problem).toBeUndefined();
    expect(settings.paused).toBe(true);
    expect(settings.sites.douban.enabled).toBe(false);
  });

  it('falls back to the defaults, saying why, when what is stored is corrupt', () => {
    const { settings, problem } = loadSettings({ version: 1, retentionDays: -5 });
    expect(settings).toEqual(defaultSettings());
    expect(problem).toMatch(/retentionDays|rejected/);
    expect(loadSettings('garbage').problem).toMatch(/not an object/);
  });

  it('allows capture only for an enabled site, an allowed action, and when not paused', () => {
    const settings = defaultSettings();
    expect(isCaptureAllowed(settings, 'x', 'like')).toBe(false);
    settings.sites.x.enabled = true;
    expect(isCaptureAllowed(settings, 'x', 'like')).toBe(true);
    settings.sites.x.actions = ['repost'];
    expect(isCaptureAllowed(settings, 'x', 'like')).toBe(false);
    settings.sites.x.actions = ['like'];
    settings.paused = true;
    expect(isCaptureAllowed(settings, 'x', 'like')).toBe(false);
  });
});

describe('the region a new install starts with', () => {
  it('follows the browser language: its region, else the likeliest region of the language', () => {
    const cases: [string | undefined, string][] = [
      ['zh-CN', 'CN'],
      ['zh-TW', 'TW'],
      ['zh-HK', 'HK'],
      ['zh_TW', 'TW'],
      ['zh', 'CN'],
      ['en-GB', 'GB'],
      ['en', 'US'],
      ['ja', 'JP'],
      ['de-AT', 'AT'],
      ['not a locale!', 'US'],
      [undefined, 'US'],
    ];
    for (const [locale, region] of cases) expect(regionForLocale(locale), String(locale)).toBe(region);
    expect(defaultSettings('zh-TW').region).toBe('TW');
    expect(loadSettings(undefined, 'en-GB').settings.region).toBe('GB');
    // What the user chose stays theirs, whatever the browser's language.
    expect(loadSettings({ ...defaultSettings(), region: 'JP' }, 'zh-CN').settings.region).toBe('JP');
  });
});
