// The core's SHA-256 port: node:crypto's implementation, installed by every
// Node.js entry point, gives exactly the pure one's digests, and a function
// that is not SHA-256 is refused.
import { sha256 as pureSha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256, useSha256 } from '../core/sha256';
import { useNodeSha256 } from '../server/node-sha256';

describe('core sha256 port', () => {
  afterAll(() => useSha256(pureSha256));

  it('node:crypto and @noble/hashes agree on every input', () => {
    useNodeSha256();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(Buffer.from(sha256(bytes)).toString('hex')).toBe(Buffer.from(pureSha256(bytes)).toString('hex'));
      }),
    );
  });

  it('refuses an implementation that is not SHA-256', () => {
    expect(() => useSha256((bytes) => pureSha256(bytes.subarray(1)))).toThrow(/does not compute SHA-256/);
    // The refused one was not installed.
    expect(Buffer.from(sha256(new Uint8Array([0x61, 0x62, 0x63]))).toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
