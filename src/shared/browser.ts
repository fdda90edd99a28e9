/**
 * The only module that imports webextension-polyfill (STYLE.md section 1): everything else takes
 * `browser` from here, so tests can swap in a fake and the promise API is the same in Chrome and Firefox.
 */
import browser from 'webextension-polyfill';
import { MessageError, envelope, type Reply } from './message-envelope.ts';
import type { MessageType, RequestOf, ResponseOf } from './messages.ts';

export { browser };
export type { Runtime, Tabs } from 'webextension-polyfill';

/** Sends a typed request to the background and returns its typed response, re-throwing its errors. */
export async function send<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
  const reply = (await browser.runtime.sendMessage(envelope(type, payload))) as Reply<ResponseOf<T>> | undefined;
  if (reply === undefined || reply === null) throw new MessageError('internal', `${type}: no reply from the background`);
  if (!reply.ok) throw new MessageError(reply.error.code, reply.error.message);
  return reply.value;
}

/** A localised string from _locales, or the key itself when it is missing (so gaps are visible). */
export function t(key: string, substitutions?: string | string[]): string {
  return browser.i18n.getMessage(key, substitutions) || key;
}
