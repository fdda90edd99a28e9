import { HEALTH_ELEMENTS, type HealthElement } from '../shared/health.ts';
import type { SiteAdapter } from './adapter.ts';
import { deepQueryFirst } from './extract.ts';

/**
 * Site health that sees the page: the elements an adapter needs on this kind of page, looked for
 * once the page has settled. Only reads; the page is never changed.
 */

export interface PageCheckResult {
  page: string;
  missing: HealthElement[];
}

/** The expected elements of this page that none of their selectors finds (open shadow roots included). */
export function missingElements(adapter: SiteAdapter, doc: Document): PageCheckResult | undefined {
  let url: URL;
  try {
    url = new URL(doc.URL);
  } catch {
    return undefined;
  }
  const expectation = adapter.expects?.(url);
  if (!expectation) return undefined;
  const missing = HEALTH_ELEMENTS.filter((element) => {
    const names = expectation.elements[element];
    if (!names) return false;
    return !names.some((name) => {
      if (typeof name === 'function') return name(doc);
      const alternatives = adapter.selectors[name];
      return alternatives !== undefined && deepQueryFirst(doc, alternatives) !== null;
    });
  });
  return { page: expectation.page, missing };
}

export interface PageCheckTiming {
  /** The page counts as settled after this long without a DOM change. */
  quietMs: number;
  /** …or after this long in any case (a page with a ticking clock never goes quiet). */
  maxWaitMs: number;
  /** A page that misses something is looked at once more after this long (late renders). */
  recheckMs: number;
}

export const PAGE_CHECK_TIMING: PageCheckTiming = { quietMs: 1500, maxWaitMs: 15_000, recheckMs: 5000 };

/** Resolves once the document has had no DOM change for quietMs (or maxWaitMs passed); never if aborted. */
function settled(doc: Document, timing: PageCheckTiming, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const view = doc.defaultView;
    const Observer = view?.MutationObserver ?? globalThis.MutationObserver;
    let quiet: ReturnType<typeof setTimeout> | undefined;
    const done = (): void => {
      if (quiet !== undefined) clearTimeout(quiet);
      clearTimeout(cap);
      observer?.disconnect();
      if (!signal.aborted) resolve();
    };
    const cap = setTimeout(done, timing.maxWaitMs);
    const restart = (): void => {
      if (quiet !== undefined) clearTimeout(quiet);
      quiet = setTimeout(done, timing.quietMs);
    };
    const observer = Observer ? new Observer(restart) : undefined;
    observer?.observe(doc, { childList: true, subtree: true });
    signal.addEventListener('abort', done, { once: true });
    restart();
  });
}

/**
 * Checks the page once it settles, and once more a little later if something was missing (the
 * site may still be rendering); calls report with what is missing then. Nothing is reported when
 * the signal aborts first, or when the adapter does not check this kind of page.
 */
export function checkPageWhenSettled(
  adapter: SiteAdapter,
  doc: Document,
  signal: AbortSignal,
  report: (result: PageCheckResult) => void,
  timing: PageCheckTiming = PAGE_CHECK_TIMING,
): void {
  if (!adapter.expects) return;
  void settled(doc, timing, signal).then(() => {
    const first = missingElements(adapter, doc);
    if (!first) return;
    if (first.missing.length === 0) return report(first);
    const again = setTimeout(() => {
      if (signal.aborted) return;
      const second = missingElements(adapter, doc);
      if (second) report(second);
    }, timing.recheckMs);
    signal.addEventListener('abort', () => clearTimeout(again), { once: true });
  });
}
