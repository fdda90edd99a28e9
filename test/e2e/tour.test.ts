import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Feedback } from '../../src/shared/db/schema.ts';
import type { StoredEvent } from '../../src/shared/events.ts';
import type { Reason, SuggestionsResponse } from '../../src/shared/suggestions.ts';
import { launchChromium, type ChromiumSession } from './harness/chromium.ts';
import { readStore, sendRaw, waitFor, waitForFirstStart } from './harness/extension-page.ts';
import { privacyViolations, startDemoServer, type DemoServer } from './harness/server.ts';
import { browseDemoFeed, enableDemoSites, onboardAndWaitForSuggestions, printSuggestions, tourSuggestions } from './harness/tour.ts';

/**
 * Issue 13, "the tour tells the truth": the README's tour, clicked through in real Chromium. Every
 * action it captures links to a title of the default catalog, and every suggestion the popup then
 * shows leads with a reason tied to what the tour did: an engaged title or the events behind it.
 */
describe('the README tour in real Chromium', () => {
  let server: DemoServer;
  let session: ChromiumSession;

  beforeAll(async () => {
    server = await startDemoServer(resolve('test/fixtures/demo'));
    session = await launchChromium({ proxyPort: server.proxyPort });
    const options = await session.openExtensionPage('src/options/index.html');
    await waitForFirstStart(options, 90_000);
    await options.close();
    await enableDemoSites(session);
    const feed = await browseDemoFeed(session);
    await feed.close();
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('links every action the tour captures to a catalog title', async () => {
    const options = await session.openExtensionPage('src/options/index.html');
    const events = await waitFor(
      async () => {
        const stored = await readStore<StoredEvent>(options, 'events');
        return stored.length >= 14 && stored.every((e) => e.links.length > 0) && stored;
      },
      'the 14 tour events, each linked',
      30_000,
    ).catch(async () => readStore<StoredEvent>(options, 'events'));
    await options.close();
    expect(events.length).toBe(14);
    expect(events.filter((e) => !e.links.some((l) => l.confidence >= 0.7)).map((e) => `${e.id}: ${e.target.text.slice(0, 60)}`)).toEqual(
      [],
    );
  });

  it('suggests titles each tied by its lead reason to a title the tour engaged with', async () => {
    expect(await onboardAndWaitForSuggestions(session)).toBeGreaterThan(0);
    const options = await session.openExtensionPage('src/options/index.html');
    const [events, feedback] = await Promise.all([readStore<StoredEvent>(options, 'events'), readStore<Feedback>(options, 'feedback')]);
    const reply = (await sendRaw(options, { reelflow: 1, type: 'popup:suggestions', payload: {} })) as {
      ok: boolean;
      value: SuggestionsResponse;
    };
    await options.close();
    expect(reply.ok).toBe(true);
    const engaged = new Set([...events.flatMap((e) => e.links.map((l) => l.titleId)), ...feedback.map((f) => f.titleId)]);
    const eventIds = new Set(events.map((e) => e.id));
    const untied: string[] = [];
    for (const s of reply.value.suggestions) {
      const lead: Reason | undefined = [...s.reasons]
        .sort((a, b) => b.weight - a.weight)
        .find((r) => !r.prior && r.claim?.relation !== 'explore');
      const tied =
        lead !== undefined &&
        ((lead.anchor !== undefined && engaged.has(lead.anchor.id)) ||
          (lead.eventIds.length > 0 && lead.eventIds.every((id) => eventIds.has(id) || id.startsWith('feedback:'))));
      if (!tied) untied.push(`${s.titleId}: ${JSON.stringify(lead?.phrase ?? s.reasons[0]?.phrase)}`);
    }
    printSuggestions('en', await tourSuggestions(session));
    expect(reply.value.suggestions.length).toBeGreaterThan(0);
    expect(untied).toEqual([]);
  });

  it('made no request but to the demo pages', () => {
    expect(privacyViolations(server.log)).toEqual([]);
  });
});
