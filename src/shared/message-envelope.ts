/**
 * The envelope every Reelflow message travels in, and errors as data. Kept apart from the
 * request schemas in messages.ts so extension pages, which only send, do not load valibot:
 * the background validates (STYLE.md section 4). messages.ts re-exports all of this.
 */
import type { Envelope, MessageType, RequestOf } from './messages.ts';

export type ErrorCode = 'invalid' | 'unknown-type' | 'storage' | 'quota' | 'internal';

/** Errors cross the boundary as data; `send` re-throws them as MessageError. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };

/** An error answered by the background, re-thrown on the caller's side. */
export class MessageError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MessageError';
  }
}

/** True for anything that claims to be a Reelflow message, valid or not. */
export function isEnvelope(message: unknown): message is { reelflow: 1; type: unknown; payload: unknown } {
  return typeof message === 'object' && message !== null && (message as { reelflow?: unknown }).reelflow === 1;
}

/** Builds an envelope; used by `send` in every context. */
export function envelope<T extends MessageType>(type: T, payload: RequestOf<T>): Envelope<T> {
  return { reelflow: 1, type, payload };
}
