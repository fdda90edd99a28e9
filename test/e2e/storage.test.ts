import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRUNE_MIN_BYTES, type PendingState } from '../../src/background/capture-queue.ts';
import type { CapturedEvent, StoredEvent } from '../../src/shared/events.ts';
import type { ExportFile } from '../../src/shared/export-format.ts';
import type { DataStatus } from '../../src/shared/messages.ts';
import { launchChromium, type ChromiumSession } from './harness/chromium.ts';
import { readStore, sendRaw, waitFor } from './harness/extension-page.ts';
import { privacyViolations, startDemoServer, type DemoServer } from './harness/server.ts';

/**
 * Issue 17's storage attacks, end to end in the built extension: a full disk (Chromium, the
 * origin's quota lowered over CDP) and hostile import files through the options page's own file
 * input. Nothing may be lost, and the options page must say what happened.
 */
const PAGES = resolve('test/fixtures/demo');
const OPTIONS = 'src/options/index.html';
const DAY = 86_400_000;
const RUN = Date.now();

/** Sends a protocol message from an extension page and returns its value, failing on an error reply. */
async function ask<T>(page: Page, type: string, payload: unknown): Promise<T> {
  const reply = (await sendRaw(page, { reelflow: 1, type, payload })) as { ok: boolean; value?: T; error?: { message: string } };
  if (!reply.ok) throw new Error(`${type}: ${reply.error?.message ?? 'no reply'}`);
  return reply.value as T;
}

/** A post's text of 4,000 characters that no two posts share (so the store cannot compress them alike). */
function postText(n: number): string {
  let text = `Post ${n}: `;
  let seed = n * 7919 + 17;
  while (text.length < 4000) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    text += String.fromCharCode(0x4e00 + (seed % 6000));
  }
  return text;
}

/** The n-th like on x.com, at `at`, with a full post. */
function like(n: number, at: number): CapturedEvent {
  const id = String(1_950_000_000_000_000_000n + BigInt(n));
  return {
    site: 'x',
    action: 'like',
    at,
    target: {
      id,
      url: `https://x.com/someone/status/${id}`,
      text: postText(n),
      hashtags: [],
      links: [],
      author: 'someone',
      itemIds: [{ kind: 'x-status', value: id }],
      lang: 'zh',
    },
  };
}

/** The origin's IndexedDB usage as the browser's quota manager counts it, in bytes. */
async function usage(cdp: CDPSession, origin: string): Promise<number> {
  return ((await cdp.send('Storage.getUsageAndQuota', { origin })) as { usage: number }).usage;
}

/** Waits until the usage stops moving (LevelDB compacts for a while after big writes), and returns it. */
async function settledUsage(cdp: CDPSession, origin: string): Promise<number> {
  let last = -1;
  return waitFor(
    async () => {
      await new Promise((r) => setTimeout(r, 3000));
      const now = await usage(cdp, origin);
      const settled = now === last;
      last = now;
      return settled && now;
    },
    'the storage usage to settle',
    60_000,
  );
}

describe('a full disk in Chromium loses nothing', () => {
  let server: DemoServer;
  let session: ChromiumSession;
  let buildCopy: string;

  beforeAll(async () => {
    server = await startDemoServer(PAGES);
    // With "unlimitedStorage" Chromium never checks a quota (QuotaManagerImpl::GetUsageAndQuota answers
    // "no limit" for unlimited origins), so a lowered quota could never be met: this copy of the build
    // leaves that one permission out, and the override below stands for a disk with that much room.
    buildCopy = mkdtempSync(join(tmpdir(), 'reelflow-quota-build-'));
    cpSync(resolve('dist/chrome'), buildCopy, { recursive: true });
    const manifestPath = join(buildCopy, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { permissions: string[] };
    manifest.permissions = manifest.permissions.filter((p) => p !== 'unlimitedStorage');
    writeFileSync(manifestPath, JSON.stringify(manifest));
    session = await launchChromium({ proxyPort: server.proxyPort, extensionDir: buildCopy, allowSites: [] });
  });

  afterAll(async () => {
    await session?.close();
    await server?.close();
    if (buildCopy) rmSync(buildCopy, { recursive: true, force: true });
  });

  it('keeps a refused capture, prunes the oldest text, saves it, and says so on the options page', { timeout: 240_000 }, async () => {
    const options = await session.openExtensionPage(OPTIONS);
    await options.waitForSelector('body[data-ready="true"]');
    const origin = `chrome-extension://${session.extensionId}`;
    const settings = await ask<{ sites: Record<string, { enabled: boolean }> }>(options, 'settings:get', {});
    await ask(options, 'settings:set', { ...settings, sites: { ...settings.sites, x: { ...settings.sites.x, enabled: true } } });
    // Sixty posts of 4,000 characters, a day apart, from two months ago.
    const seeded: StoredEvent[] = Array.from({ length: 60 }, (_, n) => {
      const event = like(n, RUN - (60 - n) * DAY);
      return { ...event, id: `x:like:${event.target.id}`, receivedAt: event.at, links: [], removedTitleIds: [] };
    });
    const exported = await ask<ExportFile>(options, 'data:export', {});
    await ask(options, 'data:import', { ...exported, events: seeded });
    const cdp = await session.context.newCDPSession(options);
    const before = await settledUsage(cdp, origin);

    // Full to within a few MB below what is stored: every write that adds bytes is refused. Chromium
    // caches the room it last found for up to 30 s (BucketContext::kBucketSpaceCacheTimeLimit), so the
    // quota bites once that has run out.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: before - 4_000_000 });
    await new Promise((r) => setTimeout(r, 31_000));
    const first = like(100, RUN - 60_000);
    const reply = await ask<{ stored: boolean }>(options, 'capture:event', first);
    // Written after room was made: the rewrite of the oldest posts was refused at first, the rebuildable
    // caches went (the linker's and the title index's; a delete adds no bytes), then the prune and the capture went through.
    expect(reply).toEqual({ stored: true, id: `x:like:${first.target.id}` });
    const status = await ask<DataStatus>(options, 'data:status', {});
    const pruned = Math.ceil(PRUNE_MIN_BYTES / (2 * 4000));
    expect(status.storage).toMatchObject({ waiting: 0, saved: 1, prunedEvents: pruned, droppedCaches: ['linkerSnapshot', 'titleIndex'] });
    expect(await usage(cdp, origin)).toBeLessThan(before - 4_000_000);

    // The next write succeeds at once.
    const second = like(101, RUN - 30_000);
    expect(await ask(options, 'capture:event', second)).toEqual({ stored: true, id: `x:like:${second.target.id}` });

    // Nothing lost: every event is there; the oldest lost their text and only that.
    const events = (await readStore<StoredEvent>(options, 'events')).sort((a, b) => a.at - b.at);
    expect(events.map((e) => e.id)).toEqual([...seeded.map((e) => e.id), `x:like:${first.target.id}`, `x:like:${second.target.id}`]);
    events
      .slice(0, pruned)
      .forEach((event, i) => expect(event, event.id).toEqual({ ...seeded[i], target: { ...seeded[i]?.target, text: '' } }));
    events.slice(pruned, 60).forEach((event, i) => expect(event, event.id).toEqual(seeded[pruned + i]));
    expect(events.slice(60).map((e) => e.target.text)).toEqual([first.target.text, second.target.text]);

    await options.reload();
    await options.waitForSelector('body[data-ready="true"]');
    const notice = options.locator('#storage-notice');
    await notice.waitFor();
    const when = (at: number): Promise<string> =>
      options.evaluate((t) => new Intl.DateTimeFormat(navigator.language, { dateStyle: 'medium', timeStyle: 'short' }).format(t), at);
    const fullAt = await when(status.storage?.fullAt ?? 0);
    const prunedUpTo = await when(seeded[pruned - 1]?.at ?? 0);
    expect(await notice.locator('p').allTextContents()).toEqual([
      `Storage was full on ${fullAt}. The 1 actions that waited for room have been saved; nothing was lost.`,
      `To make room, Reelflow removed the text of the ${pruned} oldest posts (captured up to ${prunedUpTo}); ` +
        'the actions themselves, with their titles and links, are kept.',
      'It also deleted its saved copy of the catalog index, which it rebuilds when it next starts.',
    ]);

    // No room at all now: the next capture waits (in storage.local), the page says so, and it is
    // written once the disk has room again.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1_000_000 });
    await new Promise((r) => setTimeout(r, 31_000));
    const third = like(102, RUN - 20_000);
    expect(await ask(options, 'capture:event', third)).toEqual({
      stored: false,
      id: `x:like:${third.target.id}`,
      reason: 'storage is full; kept and saved when there is room',
    });
    const pending = (await options.evaluate("chrome.storage.local.get('pending-captures')")) as { 'pending-captures': PendingState };
    expect(pending['pending-captures'].queue.map((item) => item.event)).toEqual([third]);
    await options.reload();
    await options.waitForSelector('body[data-ready="true"]');
    expect(await options.locator('#storage-notice p').first().textContent()).toBe(
      'Storage is full: 1 captured actions are waiting to be saved. ' +
        'Nothing is lost: Reelflow keeps trying and saves them as soon as there is room.',
    );
    expect(await readStore(options, 'events').then((e) => e.length)).toBe(62);

    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: before * 4 });
    const fourth = like(103, RUN - 10_000);
    expect(await ask(options, 'capture:event', fourth)).toEqual({ stored: true, id: `x:like:${fourth.target.id}` });
    const last = (await readStore<StoredEvent>(options, 'events')).sort((a, b) => a.at - b.at).slice(-3);
    expect(last.map((e) => [e.id, e.target.text])).toEqual([second, third, fourth].map((e) => [`x:like:${e.target.id}`, e.target.text]));
    expect((await ask<DataStatus>(options, 'data:status', {})).storage).toMatchObject({ waiting: 0, saved: 1 });
    await options.close();
  });

  it(
    'refuses hostile import files with a clear error, keeps the data, and the page never blocks for 200 ms',
    { timeout: 180_000 },
    async () => {
      const page = await session.openExtensionPage(OPTIONS);
      await page.waitForSelector('body[data-ready="true"]');
      const before = (await readStore<StoredEvent>(page, 'events')).map((e) => e.id).sort();
      // Every main-thread task over 200 ms on the options page, from here on.
      await page.evaluate(() => {
        const w = window as unknown as { longTasks: number[] };
        w.longTasks = [];
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) if (entry.duration > 200) w.longTasks.push(entry.duration);
        }).observe({ type: 'longtask', buffered: false });
      });
      const dir = mkdtempSync(join(tmpdir(), 'reelflow-hostile-'));
      const sound = await ask<ExportFile>(page, 'data:export', {});
      const soundText = JSON.stringify(sound);
      const files: [string, string, RegExp][] = [
        // 50 MB of an export's own shape: refused on its size before it is read.
        [
          'large.json',
          soundText.slice(0, -1) + ',"pad":"' + 'x'.repeat(50 * 1024 * 1024) + '"}',
          /^That file is 50\.\d MB; import reads files of up to 32\.0 MB\./,
        ],
        [
          'deep.json',
          `{"format":"reelflow-export","events":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
          /nests its data at least 10,001 levels deep/,
        ],
        // 20 MB parsed in the worker before the key is found.
        [
          'proto.json',
          soundText.replace('{"format"', `{"__proto__":{"polluted":true},"junk":"${'y'.repeat(20 * 1024 * 1024)}","format"`),
          /a key named “__proto__” \(in \(the top\)\)/,
        ],
        ['types.json', soundText.replace(/"exportedAt":\d+/, '"exportedAt":"yesterday"'), /not a Reelflow export.*exportedAt/],
        [
          'future.json',
          JSON.stringify({
            ...sound,
            impressions: [{ id: 999_999, titleId: 't', rank: 0, strategy: 'model', at: Date.now() + 400 * DAY }],
          }),
          /a time later than it can be/,
        ],
      ];
      try {
        for (const [name, text, expected] of files) {
          const path = join(dir, name);
          writeFileSync(path, text);
          await page.locator('#import').setInputFiles(path);
          const message = await waitFor(
            async () =>
              page.evaluate(() => {
                const error = document.getElementById('import-error');
                return error && !error.hidden ? error.textContent : undefined;
              }),
            `the error for ${name}`,
            60_000,
          );
          expect(message, name).toMatch(expected);
          expect(message, name).toMatch(/nothing was imported/i);
          await page.evaluate(() => ((document.getElementById('import-error') as HTMLElement).hidden = true));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      expect((await readStore<StoredEvent>(page, 'events')).map((e) => e.id).sort()).toEqual(before);
      expect(await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks)).toEqual([]);
      expect(await page.evaluate(() => (Object.prototype as Record<string, unknown>).polluted)).toBeUndefined();
      await page.close();
    },
  );

  it('made no request of its own', () => {
    expect(session.extensionRequests).toEqual([]);
    expect(privacyViolations(server.log)).toEqual([]);
  });
});
