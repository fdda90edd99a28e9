import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type ChromiumSession } from './harness/chromium.ts';
import { privacyViolations, startDemoServer, type DemoServer } from './harness/server.ts';
import { toTraditional } from '../../src/shared/catalog/hant.ts';
import { SEED_TITLES, seedUi } from './ui-seed.ts';

const tw = JSON.parse(readFileSync('public/_locales/zh_TW/messages.json', 'utf8')) as Record<string, { message: string }>;
const message = (key: string): string => tw[key]?.message ?? key;

/**
 * Issue 15, "three locales": a browser set to Traditional Chinese (Taiwan) gets the zh_TW UI, titles
 * in Traditional script where the catalog has them, and the region's watch links (TW).
 */
describe('the popup in a Traditional-Chinese (Taiwan) Chromium', () => {
  let server: DemoServer;
  let session: ChromiumSession;

  beforeAll(async () => {
    server = await startDemoServer(resolve('test/fixtures/demo'));
    session = await launchChromium({ proxyPort: server.proxyPort, lang: 'zh-TW' });
    const options = await session.openExtensionPage('src/options/index.html');
    await options.waitForSelector('body[data-ready="true"]');
    await seedUi(options);
    await options.close();
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('speaks zh_TW, names titles in Traditional script where the catalog has it, offers links that serve Taiwan', async () => {
    const popup = await session.context.newPage();
    await popup.setViewportSize({ width: 380, height: 600 });
    await popup.goto(`chrome-extension://${session.extensionId}/src/popup/index.html`);
    await popup.waitForSelector('body[data-ready="true"]');
    await popup.waitForSelector('.suggestion');
    expect(await popup.textContent('#open-options')).toBe(message('popupSettings'));
    expect(await popup.textContent('#open-taste')).toBe(message('popupTaste'));
    // Each title by its Traditional name where the catalog has one, else its Simplified one in Traditional script, else English.
    const ids = await popup.locator('.suggestion').evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.titleId ?? ''));
    const expected = ids.map((id) => {
      const title = SEED_TITLES.find((t) => t.id === id);
      const hans = title?.titles['zh-Hans']?.[0];
      return title?.titles['zh-Hant']?.[0] ?? (hans && toTraditional(hans, 'tw')) ?? title?.titles.en?.[0];
    });
    expect(await popup.locator('.suggestion h2').allTextContents()).toEqual(expected);
    expect(expected.slice(0, 2)).toEqual(['三體', '葬送的芙莉蓮']);
    // The seed's 熊家餐馆 has no Traditional name: a Traditional reader reads 熊家餐館 (it was shown in Simplified).
    const bear = SEED_TITLES.find((t) => t.titles['zh-Hans']?.[0] === '熊家餐馆');
    expect(bear?.titles['zh-Hant']).toBeUndefined();
    expect(ids).toContain(bear?.id);
    expect(expected).toContain('熊家餐館');
    expect(await popup.locator('.suggestion h2').allTextContents()).not.toContain('熊家餐馆');
    // Kind words in zh_TW; the original title beneath where it differs.
    expect(await popup.locator('.suggestion .meta').first().textContent()).toBe(`${message('kind_series')} · 2024`);
    // Region TW from the browser's language: Disney+ (TW) and Netflix; not the mainland's Tencent Video, not Crunchyroll (US/GB).
    const platforms = await popup
      .locator('.suggestion a.watch')
      .evaluateAll((links) => links.map((a) => (a as HTMLElement).dataset.platform));
    expect(platforms).toContain('disneyplus');
    expect(platforms).toContain('netflix');
    expect(platforms).not.toContain('qq');
    expect(platforms).not.toContain('crunchyroll');
    // Four cards whole at 380×600.
    const bottoms = await popup.locator('.suggestion').evaluateAll((cards) => cards.map((c) => c.getBoundingClientRect().bottom));
    for (const bottom of bottoms.slice(0, 4)) expect(bottom).toBeLessThanOrEqual(600);
    await popup.close();
  });

  it('made no network request but the test’s own pages', () => {
    expect(privacyViolations(server.log)).toEqual([]);
  });
});
