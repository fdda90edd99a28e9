import { ACTION_KINDS, type ActionKind, type CapturedEvent } from '../shared/events.ts';
import type { MessageType, RequestOf, ResponseOf } from '../shared/messages.ts';
import type { SiteId } from '../shared/sites.ts';
import type { AdapterContext, SiteAdapter } from './adapter.ts';
import { createOutbox, type Outbox, type OutboxOptions } from './outbox.ts';
import { checkPageWhenSettled, type PageCheckTiming } from './page-check.ts';

export interface RouterOptions {
  site: SiteId;
  adapter: SiteAdapter;
  document: Document;
  send<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>>;
  /** False once the extension context is invalidated (reloaded, updated, removed). */
  alive(): boolean;
  now?(): number;
  /** Outbox tuning (tests). */
  outbox?: Partial<Pick<OutboxOptions, 'retryDelays' | 'wait' | 'maxSize'>>;
  /** Quiet period after a navigation signal before the adapter restarts. */
  restartDelayMs?: number;
  /** When a page counts as settled for its health check (tests). */
  pageCheck?: PageCheckTiming;
}

export interface Router {
  /** Asks the background whether to capture here, then (re)starts the adapter. */
  start(): Promise<void>;
  /** Stops the adapter and the router's own listeners for good. */
  stop(): void;
  /** True while an adapter is listening. */
  capturing(): boolean;
  outbox: Outbox;
}

/** Actions held while the background has not answered yet: a burst's worth, no more. */
const MAX_HELD = 50;

/** Events the sites fire on their own client-side navigations (STYLE.md: listen, do not patch history). */
const NAVIGATION_EVENTS = ['yt-navigate-finish', 'popstate'] as const;

/**
 * The content-script lifecycle: `content:hello` decides whether to capture (site enabled, not
 * paused, not a private window) and which actions; the adapter gets a context whose emit drops
 * actions switched off; everything goes through the outbox. On the site's own navigation events
 * (and when the tab becomes visible again, settings may have changed) the adapter is aborted and
 * restarted; when the extension context dies, everything stops and the old script retires.
 */
export function createRouter(options: RouterOptions): Router {
  const { site, adapter, document: doc } = options;
  const now = options.now ?? Date.now;
  // Signals from the document's own realm (jsdom in tests checks it; the same object in a browser).
  const Controller = doc.defaultView?.AbortController ?? AbortController;
  const life = new Controller();
  let controller: AbortController | undefined;
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function stopAdapter(): void {
    controller?.abort();
    controller = undefined;
  }

  function stop(): void {
    stopAdapter();
    life.abort();
    if (timer !== undefined) clearTimeout(timer);
  }

  const outbox = createOutbox({
    send: (type, payload) => options.send(type, payload),
    alive: options.alive,
    onDead: stop,
    ...options.outbox,
  });

  // What the user did before the background answered (a worker waking up or busy training can
  // take a second): held in the page, sent once the answer says capture, dropped otherwise.
  type Held = { type: 'event'; event: CapturedEvent } | { type: 'retract'; retraction: RequestOf<'capture:retract'> };
  let held: Held[] = [];
  let confirmed: ReadonlySet<ActionKind> | undefined;
  let reported = new Set<string>();

  function send(item: Held, actions: ReadonlySet<ActionKind>): void {
    if (item.type === 'event') {
      if (actions.has(item.event.action)) outbox.push('capture:event', item.event);
    } else outbox.push('capture:retract', item.retraction); // undo is always allowed: it only removes what was stored before
  }

  function deliver(item: Held): void {
    if (confirmed) send(item, confirmed);
    else if (held.length < MAX_HELD) held.push(item);
  }

  // The page whose health check is done or under way: each page is checked once, however often
  // the adapter restarts on it; a check cut short by a restart is started again.
  let checkedPage: string | undefined;
  const pageOf = (url: string): string => url.split('#')[0] ?? url;

  function checkPage(): void {
    const page = pageOf(doc.URL);
    if (!controller || checkedPage === page) return;
    checkedPage = page;
    const signal = controller.signal;
    let sent = false;
    signal.addEventListener('abort', () => {
      if (!sent && checkedPage === page) checkedPage = undefined;
    });
    checkPageWhenSettled(
      adapter,
      doc,
      signal,
      (result) => {
        sent = true;
        if (pageOf(doc.URL) === page) outbox.push('content:page-check', { site, ...result });
      },
      options.pageCheck,
    );
  }

  function startAdapter(): void {
    stopAdapter();
    controller = new Controller();
    reported = new Set();
    const ctx: AdapterContext = {
      signal: controller.signal,
      document: doc,
      // Until the answer, every action of the site is listened for; what is switched off is dropped when it comes.
      actions: new Set(confirmed ?? ACTION_KINDS),
      emit: (event) => deliver({ type: 'event', event }),
      retract: (retraction) => deliver({ type: 'retract', retraction }),
      // One report per selector per page view: health needs the fact, not a flood.
      miss: (selector) => {
        if (reported.has(selector)) return;
        reported.add(selector);
        outbox.push('content:selector-miss', { site, selector: selector.slice(0, 128) });
      },
      now,
    };
    try {
      adapter.start(ctx);
    } catch (error) {
      console.debug('Reelflow: adapter failed to start', error);
    }
  }

  async function start(): Promise<void> {
    if (life.signal.aborted) return;
    if (!options.alive()) return stop();
    const mine = (generation += 1);
    // Listening starts now, held until the answer; a restart keeps what the last answer allowed.
    const provisional = controller === undefined;
    if (provisional) {
      confirmed = undefined;
      startAdapter();
    }
    let answer: ResponseOf<'content:hello'>;
    try {
      answer = await options.send('content:hello', { site });
    } catch (error) {
      if (!options.alive()) stop();
      else console.debug('Reelflow: hello failed', error);
      if (mine === generation) {
        held = [];
        confirmed = undefined;
        stopAdapter();
      }
      return;
    }
    if (mine !== generation || life.signal.aborted) return; // a newer start won
    const waiting = held;
    held = [];
    if (!answer.capture) {
      confirmed = undefined;
      stopAdapter();
      return;
    }
    const actions = new Set(answer.actions.filter((a): a is ActionKind => (ACTION_KINDS as readonly string[]).includes(a)));
    confirmed = actions;
    // A restart runs a new adapter with the allowed actions; a first start keeps the one listening since.
    if (!provisional) startAdapter();
    for (const item of waiting) send(item, actions);
    checkPage();
  }

  function scheduleRestart(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void start();
    }, options.restartDelayMs ?? 300);
  }

  const view = doc.defaultView;
  for (const type of NAVIGATION_EVENTS) {
    (type === 'popstate' ? view : doc)?.addEventListener(type, scheduleRestart, { signal: life.signal });
  }
  // The Navigation API (Chromium; Firefox from 147) reports every same-document navigation.
  const navigation = (view as (Window & { navigation?: EventTarget }) | null)?.navigation;
  navigation?.addEventListener('navigatesuccess', scheduleRestart, { signal: life.signal });
  doc.addEventListener(
    'visibilitychange',
    () => {
      if (doc.visibilityState === 'visible') scheduleRestart();
    },
    { signal: life.signal },
  );

  return { start, stop, capturing: () => confirmed !== undefined && controller !== undefined && !controller.signal.aborted, outbox };
}
