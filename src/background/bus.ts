import type { Settings } from '../shared/settings.ts';

/** What changed about the events: removals make the learner discard the old model before retraining. */
export type EventsChange = 'added' | 'removed';

/** The background's events and the arguments each one carries. */
export interface BackgroundEvents {
  /** Events were stored, re-linked or deleted. */
  'events-changed': [change: EventsChange];
  /** Feedback was added or undone (onboarding picks included). */
  'feedback-changed': [];
  /** The settings changed, from any message; site access follows them. */
  'settings-changed': [previous: Settings, next: Settings];
  /** Another catalog was installed: the titles the popup shows may differ. */
  'titles-changed': [];
  /** The learner wrote or dropped the cached ranking. */
  'ranking-changed': [];
}

type Listener<A extends unknown[]> = (...args: A) => unknown;

/** A typed event bus: `emit` calls every listener in order and settles when all of them have. */
export interface Bus<E extends { [K in keyof E]: unknown[] }> {
  /** Adds a listener; returns the function that removes it. */
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void;
  /** Tells every listener; rejects if one of them throws or rejects (after all were called). */
  emit<K extends keyof E>(event: K, ...args: E[K]): Promise<void>;
}

/** Creates a bus; the background has one, made in index.ts (or by createBackground in tests). */
export function createBus<E extends { [K in keyof E]: unknown[] }>(): Bus<E> {
  const listeners: { [K in keyof E]?: Set<Listener<E[K]>> } = {};
  return {
    on(event, listener) {
      const set = listeners[event] ?? new Set<Listener<E[typeof event]>>();
      listeners[event] = set;
      set.add(listener);
      return () => set.delete(listener);
    },
    async emit(event, ...args) {
      const called = [...(listeners[event] ?? [])].map(async (listener) => listener(...args));
      await Promise.all(called);
    },
  };
}
