// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { createOutbox } from '../../src/content/outbox.ts';
import { createRouter } from '../../src/content/router.ts';
import x from '../../src/content/sites/x.ts';
import { MessageError, type MessageType } from '../../src/shared/messages.ts';
import { xLike } from '../fixtures/events.ts';
import { $, click, fixture, loadPage } from './sites/harness.ts';

type Call = { type: MessageType; payload: unknown };

/** A fake background: records messages, answers hello from `hello`, can fail on demand. */
function fakeBackground(hello = { capture: true, actions: ['like', 'repost', 'bookmark'] }) {
  const calls: Call[] = [];
  const failures: unknown[] = [];
  return {
    calls,
    failures,
    sent: (type: MessageType) => calls.filter((c) => c.type === type),
    async send(type: MessageType, payload: unknown): Promise<never> {
      const failure = failures.shift();
      if (failure) throw failure;
      calls.push({ type, payload });
      const reply =
        type === 'content:hello' ? hello : type === 'capture:retract' ? { removed: true } : { stored: true, id: 'k', counted: true };
      return reply as never;
    },
  };
}

const noWait = { retryDelays: [0, 0, 0], wait: async () => undefined };

/** A background whose worker is waking up or busy: hello is answered only when the test calls answer(). */
function slowHello(bg: ReturnType<typeof fakeBackground>): { send: typeof bg.send; answer: () => void } {
  let release: () => void = () => undefined;
  const waiting = new Promise<void>((resolve) => (release = resolve));
  return {
    async send(type, payload) {
      if (type === 'content:hello') await waiting;
      return bg.send(type, payload);
    },
    answer: () => release(),
  };
}

describe('router', () => {
  it('starts the adapter only when the background says capture, and filters actions', async () => {
    const doc = loadPage(fixture('x/timeline.html'), 'https://x.com/home');
    const bg = fakeBackground({ capture: true, actions: ['repost'] });
    const router = createRouter({ site: 'x', adapter: x, document: doc, send: bg.send, alive: () => true, outbox: noWait });
    await router.start();
    expect(router.capturing()).toBe(true);
    click($(doc, '#post-a [data-testid="like"]')); // like is switched off
    click($(doc, '#post-a [data-testid="retweet"]'));
    click($(doc, '[data-testid="retweetConfirm"]'));
    await router.outbox.idle();
    expect(bg.sent('capture:event').map((c) => (c.payload as { action: string }).action)).toEqual(['repost']);
  });

  it('does nothing when capture is off (site disabled, paused or private window)', async () => {
    const doc = loadPage(fixture('x/timeline.html'), 'https://x.com/home');
    const bg = fakeBackground({ capture: false, actions: [] });
    const router = createRouter({ site: 'x', adapter: x, document: doc, send: bg.send, alive: () => true, outbox: noWait });
    await router.start();
    click($(doc, '#post-a [data-testid="like"]'));
    await router.outbox.idle();
    expect(router.capturing()).toBe(false);
    expect(bg.calls.map((c) => c.type)).toEqual(['content:hello']);
  });

  it('holds what the user did before the background answered: sent when it says capture, only the allowed actions', async () => {
    const doc = loadPage(fixture('x/timeline.html'), 'https://x.com/home');
    const bg = fakeBackground({ capture: true, actions: ['repost'] });
    const { send, answer } = slowHello(bg);
    const router = createRouter({ site: 'x', adapter: x, document: doc, send, alive: () => true, outbox: noWait });
    const started = router.start();
    click($(doc, '#post-a [data-testid="like"]')); // switched off: dropped when the answer comes
    click($(doc, '#post-a [data-testid="retweet"]'));
    click($(doc, '[data-testid="retweetConfirm"]'));
    expect(router.capturing()).toBe(false);
    expect(bg.sent('capture:event')).toEqual([]);
    answer();
    await started;
    await router.outbox.idle();
    expect(router.capturing()).toBe(true);
    expect(bg.sent('capture:event').map((c) => (c.payload as { action: string }).action)).toEqual(['repost']);
  });

  it('drops what it held, in the page, when the answer is not to capture', async () => {
    const doc = loadPage(fixture('x/timeline.html'), 'https://x.com/home');
    const bg = fakeBackground({ capture: false, actions: [] });
    const { send, answer } = slowHello(bg);
    const router = createRouter({ site: 'x', adapter: x, document: doc, send, alive: () => true, outbox: noWait });
    const started = router.start();
    click($(doc, '#post-a [data-testid="like"]'));
    answer();
    await started;
    click($(doc, '#post-a [data-testid="like"]'));
    await router.outbox.idle();
    expect(router.capturing()).toBe(false);
    expect(bg.calls.map((c) => c.type)).toEqual(['content:hello']);
  });

  it('restarts on the site navigation event and retires when the extension context dies', async () => {
    const doc = loadPage(fixture('x/timeline.html'), 'https://x.com/home');
    const bg = fakeBackground();
    let alive = true;
    const router = createRouter({
      site: 'x',
      adapter: x,
      document: doc,
      send: bg.send,
      alive: () => alive,
      outbox: noWait,
      restartDelayMs: 0,
    });
    await router.start();
    doc.dispatchEvent(new (doc.defaultView as Window & typeof globalThis).Event('yt-navigate-finish'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(bg.sent('content:hello')).toHaveLength(2);
    alive = false;
    click($(doc, '#post-a [data-testid="like"]'));
    await router.outbox.idle();
    expect(router.capturing()).toBe(false);
    click($(doc, '#post-a [data-testid="like"]')); // listener removed: nothing queued
    expect(router.outbox.size()).toBe(0);
    expect(bg.sent('capture:event')).toEqual([]);
  });

  it('reports a selector miss once per page view', async () => {
    const doc = loadPage(fixture('x/timeline.html'), 'https://x.com/home');
    const bg = fakeBackground();
    const router = createRouter({ site: 'x', adapter: x, document: doc, send: bg.send, alive: () => true, outbox: noWait });
    await router.start();
    click($(doc, '#post-c [data-testid="like"]'));
    click($(doc, '#post-c [data-testid="like"]'));
    await router.outbox.idle();
    expect(bg.sent('content:selector-miss').map((c) => c.payload)).toEqual([{ site: 'x', selector: 'permalink' }]);
  });
});

describe('router page checks (site health that sees the page)', () => {
  const fast = { quietMs: 20, maxWaitMs: 400, recheckMs: 60 };
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const status = 'https://x.com/FilmStudio/status/1900000000000000001';
  /** A router on an X page with page checks timed for a test. */
  const routerOn = (document: Document, bg: ReturnType<typeof fakeBackground>) =>
    createRouter({ site: 'x', adapter: x, document, send: bg.send, alive: () => true, outbox: noWait, pageCheck: fast });

  it('checks a settled page once and reports what it shows: nothing missing on a whole status page', async () => {
    const doc = loadPage(fixture('x/status.html'), status);
    const bg = fakeBackground();
    const router = routerOn(doc, bg);
    await router.start();
    expect(bg.sent('content:page-check')).toEqual([]); // not before the page settles
    await sleep(100);
    await router.outbox.idle();
    expect(bg.sent('content:page-check').map((c) => c.payload)).toEqual([{ site: 'x', page: 'status', missing: [] }]);
    // The tab shown again restarts the adapter on the same page: it is not counted twice.
    await router.start();
    await sleep(100);
    expect(bg.sent('content:page-check')).toHaveLength(1);
    router.stop();
  });

  it('waits while the page keeps changing, looks again before reporting a miss, and reports what is still missing', async () => {
    const doc = loadPage(fixture('x/status.html'), status);
    for (const el of doc.querySelectorAll('[data-testid="tweetText"]')) el.remove();
    const likes = [...doc.querySelectorAll('[data-testid="like"], [data-testid="unlike"]')];
    const bars = likes.map((el) => el.parentElement as Element);
    for (const el of likes) el.remove();
    const bg = fakeBackground();
    const router = routerOn(doc, bg);
    await router.start();
    // The like button renders late (between the first look and the second): only the text is reported.
    await sleep(40);
    bars.forEach((bar, i) => bar.append(likes[i] as Element));
    await sleep(200);
    await router.outbox.idle();
    expect(bg.sent('content:page-check').map((c) => c.payload)).toEqual([{ site: 'x', page: 'status', missing: ['postText'] }]);
    router.stop();
  });

  it('reports nothing for a page left before it settled, nor where capture is off, nor on pages the adapter does not check', async () => {
    const left = loadPage(fixture('x/status.html'), status);
    const bg = fakeBackground();
    const router = routerOn(left, bg);
    await router.start();
    router.stop();
    const off = fakeBackground({ capture: false, actions: [] });
    const offRouter = routerOn(loadPage(fixture('x/status.html'), status), off);
    await offRouter.start();
    const other = fakeBackground();
    const settings = routerOn(loadPage(fixture('x/timeline.html'), 'https://x.com/settings'), other);
    await settings.start();
    await sleep(150);
    expect([...bg.sent('content:page-check'), ...off.sent('content:page-check'), ...other.sent('content:page-check')]).toEqual([]);
    offRouter.stop();
    settings.stop();
  });
});

describe('outbox', () => {
  it('keeps order: a retraction waits for the event it undoes', async () => {
    const order: string[] = [];
    let release: () => void = () => undefined;
    const outbox = createOutbox({
      send: async (type) => {
        if (type === 'capture:event') await new Promise<void>((resolve) => (release = resolve));
        order.push(type);
        return undefined as never;
      },
      alive: () => true,
      onDead: () => undefined,
      ...noWait,
    });
    outbox.push('capture:event', xLike());
    outbox.push('capture:retract', { site: 'x', action: 'like', targetId: xLike().target.id, at: 1 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(order).toEqual([]);
    release();
    await outbox.idle();
    expect(order).toEqual(['capture:event', 'capture:retract']);
  });

  it('a retraction cancels its event still waiting, and is still sent', async () => {
    const bg = fakeBackground();
    const outbox = createOutbox({ send: bg.send, alive: () => true, onDead: () => undefined, ...noWait });
    const other = xLike({ target: { ...xLike().target, id: '1' } });
    outbox.push('capture:event', other); // in flight
    outbox.push('capture:event', xLike()); // waiting
    outbox.push('capture:retract', { site: 'x', action: 'like', targetId: xLike().target.id, at: 1 });
    await outbox.idle();
    expect(bg.calls.map((c) => [c.type, (c.payload as { target?: { id: string } }).target?.id])).toEqual([
      ['capture:event', '1'],
      ['capture:retract', undefined],
    ]);
  });

  it('retries while the background restarts, drops refused messages, and stays bounded', async () => {
    const bg = fakeBackground();
    bg.failures.push(new Error('Could not establish connection. Receiving end does not exist.'));
    const outbox = createOutbox({ send: bg.send, alive: () => true, onDead: () => undefined, maxSize: 3, ...noWait });
    outbox.push('capture:event', xLike()); // fails once, then sent
    await outbox.idle();
    bg.failures.push(new MessageError('invalid', 'bad'));
    outbox.push('capture:event', xLike({ action: 'repost' })); // refused: dropped without retry
    await outbox.idle();
    expect(bg.sent('capture:event').map((c) => (c.payload as { action: string }).action)).toEqual(['like']);
    expect(outbox.dropped()).toBe(0);

    let releaseAll: () => void = () => undefined;
    const blocked = createOutbox({
      send: () => new Promise<never>((_, reject) => (releaseAll = () => reject(new MessageError('invalid', 'stop')))),
      alive: () => true,
      onDead: () => undefined,
      maxSize: 3,
      ...noWait,
    });
    for (let i = 0; i < 10; i += 1) blocked.push('capture:event', xLike({ at: i }));
    expect(blocked.size()).toBe(3);
    expect(blocked.dropped()).toBe(7);
    releaseAll();
  });

  it('gives up after the last retry', async () => {
    const bg = fakeBackground();
    for (let i = 0; i < 4; i += 1) bg.failures.push(new Error('Receiving end does not exist.'));
    const outbox = createOutbox({ send: bg.send, alive: () => true, onDead: () => undefined, ...noWait });
    outbox.push('capture:event', xLike());
    await outbox.idle();
    expect(bg.calls).toEqual([]);
    expect(outbox.dropped()).toBe(1);
  });
});
