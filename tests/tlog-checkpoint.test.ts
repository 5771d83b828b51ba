import { describe, expect, it } from 'vitest';
import { formatCheckpoint, parseCheckpoint } from '../core/tlog/checkpoint';
import { EMPTY_TREE_ROOT } from '../core/tlog/merkle';

const root = 'duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=';

describe('checkpoint', () => {
  it('round-trips byte for byte, extension lines included', () => {
    for (const text of [`example.org/log\n6\n${root}\n`, `example.org/log\n0\n${root}\next one\next two\n`]) {
      expect(formatCheckpoint(parseCheckpoint(text))).toBe(text);
    }
    expect(formatCheckpoint({ origin: 'o', size: 0, rootHash: EMPTY_TREE_ROOT, extensions: [] })).toBe('o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n');
  });

  it.each([
    ['no final newline', `o\n6\n${root}`, /newline/],
    ['missing root line', 'o\n6\n', /needs origin/],
    ['empty origin', `\n6\n${root}\n`, /origin is empty/],
    ['leading zero', `o\n06\n${root}\n`, /malformed tree size/],
    ['sign', `o\n+6\n${root}\n`, /malformed tree size/],
    ['too large', `o\n99999999999999999999\n${root}\n`, /too large/],
    ['short hash', 'o\n6\nAAAA\n', /3 bytes/],
    ['bad base64', 'o\n6\nnot base64\n', /base64/],
    ['empty extension line', `o\n6\n${root}\n\nx\n`, /empty extension/],
  ])('rejects %s', (_name, text, error) => {
    expect(() => parseCheckpoint(text)).toThrow(error);
  });
});
