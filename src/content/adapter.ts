import type { ActionKind, CapturedEvent, Retraction } from '../shared/events.ts';
import type { HealthElement } from '../shared/health.ts';
import type { SiteId } from '../shared/sites.ts';

/** What an adapter gets when it starts: where to send, and the signal that ends it. */
export interface AdapterContext {
  signal: AbortSignal;
  document: Document;
  /** Actions the user allows on this site. */
  actions: ReadonlySet<ActionKind>;
  emit(event: CapturedEvent): void;
  retract(retraction: Retraction): void;
  /** Counts a selector that found nothing (site health); never throws. */
  miss(selector: string): void;
  now(): number;
}

export interface SiteAdapter {
  id: SiteId;
  /** Named selectors, each with alternatives from most to least stable (STYLE.md section 3). */
  selectors: Readonly<Record<string, readonly string[]>>;
  /** Registers listeners (all taking ctx.signal); must not throw into the page. */
  start(ctx: AdapterContext): void;
  /**
   * What a page at this URL must show for capture to work (site health), or undefined on pages the
   * adapter does not capture on. Each element is found when any of its named selectors matches.
   */
  expects?(url: URL): PageExpectation | undefined;
}

/**
 * The elements one kind of page must show, each as the ways to find it, any of which will do: a
 * selector name, or a test of the page for what the adapter also reads outside the DOM (the
 * server's own JSON of the post, which a page keeps while it renders).
 */
export interface PageExpectation {
  /** A short lower-case name of the kind of page ("status", "watch", "subject"). */
  page: string;
  elements: Readonly<Partial<Record<HealthElement, readonly (string | ((doc: Document) => boolean))[]>>>;
}

/** Identity helper so adapters are typed without repeating the interface. */
export function defineSiteAdapter(adapter: SiteAdapter): SiteAdapter {
  return adapter;
}

/** The first element matching one of the alternatives, most stable first. */
export function queryFirst(root: ParentNode, alternatives: readonly string[]): Element | null {
  for (const selector of alternatives) {
    const found = root.querySelector(selector);
    if (found) return found;
  }
  return null;
}

/** The closest ancestor (or self) matching one of the alternatives. */
export function closestFirst(element: Element, alternatives: readonly string[]): Element | null {
  for (const selector of alternatives) {
    const found = element.closest(selector);
    if (found) return found;
  }
  return null;
}

/**
 * Site tests (vitest + jsdom) dispatch their clicks from script, so none is trusted; only there are
 * untrusted events accepted. In a build the mode is the browser's ("chrome", "firefox"), so this is
 * false and the bundler drops the branch (test/e2e/capture.test.ts checks the built files).
 */
const ACCEPT_UNTRUSTED = import.meta.env.MODE === 'test';

/**
 * Registers one capture-phase listener at the document, ended by ctx.signal. The handler runs
 * before the page's own handlers (so it sees the pre-click state, e.g. X's `like` vs `unlike`)
 * and its errors are swallowed: an adapter bug must never break the page. Only the user's own
 * input counts: an event a script made (`el.click()`, `dispatchEvent`) is not trusted and is ignored,
 * so no page can write the user's taste.
 */
export function listen<K extends keyof DocumentEventMap>(
  ctx: AdapterContext,
  type: K,
  handler: (event: DocumentEventMap[K]) => void,
): void {
  ctx.document.addEventListener(
    type,
    (event) => {
      if (!event.isTrusted && !ACCEPT_UNTRUSTED) return;
      try {
        handler(event);
      } catch (error) {
        console.debug('Reelflow: capture handler failed', error);
      }
    },
    { capture: true, passive: true, signal: ctx.signal },
  );
}
