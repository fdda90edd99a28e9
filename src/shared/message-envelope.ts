/**
 * The envelope every Reelflow message travels in, and errors as data. Kept apart from the
 * request schemas in messages.ts so extension pages, which only send, do not load valibot:
 * the background validates (STYLE.md section 4). It imports nothing: messages.ts ties each type
 * to its payload, and re-exports what callers need.
 */
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

/** The envelope every Reelflow message travels in; messages.ts ties each type to its payload. */
export interface Envelope<T extends string = string, P = unknown> {
  reelflow: 1;
  type: T;
  payload: P;
}

/** Builds an envelope; `send` (shared/browser.ts) types the payload by the protocol. */
export function envelope<T extends string, P>(type: T, payload: P): Envelope<T, P> {
  return { reelflow: 1, type, payload };
}
