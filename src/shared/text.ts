/**
 * Cutting post text to a length, for storage (events.ts) and for display (Your data, the popup).
 * No imports: the popup's one classic script takes this without the event schemas.
 */

/** The first `max` code units of text, one fewer where the last would be half a surrogate pair. */
export function cutText(text: string, max: number): string {
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** Ends a post's text that a page shows shortened (Your data, the popup's "Why this?"). */
export const DISPLAY_MARK = '…';

/**
 * Post text shortened for display: whole when it has at most `max` code units, else its first
 * `max` (never half a surrogate pair) and DISPLAY_MARK, so a shortened post never reads as whole.
 */
export function displayText(text: string, max: number): string {
  return text.length <= max ? text : cutText(text, max) + DISPLAY_MARK;
}
