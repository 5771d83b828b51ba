// SHA-256 for the whole core: the log's Merkle tree, note key ids and content
// hashes all call this one function. It is the pure-JavaScript implementation
// of @noble/hashes unless a Node.js entry point installs node:crypto's with
// useSha256() (server/node-sha256.ts): the same bytes, about 2× faster on
// the tree's 65-byte nodes and 10× on a version's text, which is most of what
// verifying a 10,000-entry bundle costs. The browser keeps the default.
import { sha256 as pureSha256 } from '@noble/hashes/sha2.js';

export type Sha256 = (bytes: Uint8Array) => Uint8Array;

let current: Sha256 = pureSha256;

export function sha256(bytes: Uint8Array): Uint8Array {
  return current(bytes);
}

/** SHA-256("abc"), FIPS 180-2 appendix B.1: a replacement must give it. */
const ABC_DIGEST = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

/** Replaces the implementation; refuses one that does not compute SHA-256. */
export function useSha256(implementation: Sha256): void {
  const digest = implementation(new Uint8Array([0x61, 0x62, 0x63]));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  if (hex !== ABC_DIGEST) throw new Error('useSha256: the implementation does not compute SHA-256');
  current = implementation;
}
