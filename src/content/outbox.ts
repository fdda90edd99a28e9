import { eventKey, type CapturedEvent, type Retraction } from '../shared/events.ts';
import { MessageError, type MessageType, type RequestOf, type ResponseOf } from '../shared/messages.ts';

/** What the outbox sends: the content script's fire-and-forget messages. */
export type OutboxType = Extract<MessageType, 'capture:event' | 'capture:retract' | 'content:selector-miss' | 'content:page-check'>;
type Item = { [T in OutboxType]: { type: T; payload: RequestOf<T>; attempts: number } }[OutboxType];

export interface OutboxOptions {
  send<T extends OutboxType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>>;
  /** False once the extension was reloaded or removed; the outbox then empties and calls onDead. */
  alive(): boolean;
  onDead(): void;
  /** Most messages held; the oldest waiting one is dropped beyond it (memory only, never persisted). */
  maxSize?: number;
  /** Waits before each retry while the background worker (re)starts; one retry per entry. */
  retryDelays?: readonly number[];
  wait?(ms: number): Promise<void>;
}

export interface Outbox {
  push<T extends OutboxType>(type: T, payload: RequestOf<T>): void;
  /** Messages waiting or in flight. */
  size(): number;
  /** Messages dropped because the outbox was full or retries ran out. */
  dropped(): number;
  /** Resolves when everything queued so far was sent or dropped (tests). */
  idle(): Promise<void>;
}

/** Errors that a retry cannot fix: the background understood and refused the message. */
function isFinal(error: unknown): boolean {
  return error instanceof MessageError && (error.code === 'invalid' || error.code === 'unknown-type');
}

const keyOf = (item: Item): string | undefined =>
  item.type === 'capture:event'
    ? eventKey(item.payload.site, item.payload.action, (item.payload as CapturedEvent).target.id)
    : item.type === 'capture:retract'
      ? eventKey(item.payload.site, item.payload.action, (item.payload as Retraction).targetId)
      : undefined;

/**
 * A small, ordered, in-memory retry queue between the adapters and the background. Messages go
 * one at a time, so a retraction can never overtake the event it undoes. When the background
 * worker is restarting, sendMessage fails ("Receiving end does not exist"): the message is retried
 * after a short wait instead of lost. A retraction queued while its event is still waiting cancels
 * that event (a like then unlike within the same moment sends no like); the retraction itself is
 * still sent, because an older copy of the event may already be stored.
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const maxSize = options.maxSize ?? 50;
  const delays = options.retryDelays ?? [250, 1000, 4000];
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const queue: Item[] = [];
  let running: Promise<void> | undefined;
  let droppedCount = 0;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const item = queue[0] as Item;
      if (!options.alive()) {
        queue.length = 0;
        options.onDead();
        return;
      }
      try {
        await options.send(item.type, item.payload as never);
        queue.shift();
      } catch (error) {
        if (!options.alive()) continue; // handled at the top of the loop
        if (isFinal(error) || item.attempts >= delays.length) {
          if (!isFinal(error)) droppedCount += 1;
          queue.shift();
          continue;
        }
        await wait(delays[item.attempts] ?? 0);
        item.attempts += 1;
      }
    }
  }

  function kick(): void {
    running ??= drain().finally(() => {
      running = undefined;
      if (queue.length > 0) kick();
    });
  }

  return {
    push(type, payload) {
      const item = { type, payload, attempts: 0 } as Item;
      if (item.type === 'capture:retract') {
        const key = keyOf(item);
        // Index 0 may be in flight already; only events still waiting behind it are cancelled.
        const index = queue.findIndex((queued, i) => i > 0 && queued.type === 'capture:event' && keyOf(queued) === key);
        if (index > 0) queue.splice(index, 1);
      }
      if (queue.length >= maxSize) {
        queue.splice(queue.length > 1 ? 1 : 0, 1);
        droppedCount += 1;
      }
      queue.push(item);
      kick();
    },
    size: () => queue.length,
    dropped: () => droppedCount,
    async idle() {
      while (running) await running;
    },
  };
}
