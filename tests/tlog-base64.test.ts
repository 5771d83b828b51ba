import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from '../core/tlog/base64';

describe('base64', () => {
  it('agrees with Buffer both ways', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = Buffer.from(bytes).toString('base64');
        expect(encodeBase64(bytes)).toBe(text);
        expect([...decodeBase64(text)]).toEqual([...bytes]);
      }),
    );
  });

  it.each(['A', 'AA', 'AA=', 'AAA', 'A===', 'AB==', 'AAB=', 'AA==AA==', ' AA==', 'AA-_', 'AA==\n'])('refuses non-canonical %j', (text) => {
    expect(() => decodeBase64(text)).toThrow(/canonical base64/);
  });
});
