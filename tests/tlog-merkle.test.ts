import { readFileSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_TREE_ROOT,
  MemoryHashStore,
  consistencyProof,
  consistencyProofIndexes,
  inclusionProof,
  inclusionProofRanges,
  rangeHash,
  inclusionProofIndexes,
  leafHash,
  prefetchedReader,
  rootFromLeafHashes,
  storedHashCount,
  storedHashIndex,
  treeHash,
  verifyConsistency,
  verifyInclusion,
  type Hash,
  type HashReader,
} from '../core/tlog/merkle';

interface Vectors {
  emptyTreeRoot: string;
  leaves: string[];
  leafHashes: string[];
  roots: Record<string, string>;
  inclusion: { index: number; size: number; proof: string[] }[];
  consistency: { from: number; to: number; proof: string[] }[];
}
const vectors = JSON.parse(readFileSync(new URL('./vectors/rfc6962.json', import.meta.url), 'utf8')) as Vectors;
const leaves = vectors.leaves.map(hexToBytes);
const store = MemoryHashStore.fromLeaves(leaves);
const hexes = (hashes: Hash[]) => hashes.map(bytesToHex);

/** Counts reads, to hold the O(log n) promise. */
function countingReader(inner: HashReader): HashReader & { reads: number; calls: number } {
  const r = {
    reads: 0,
    calls: 0,
    readHashes(indexes: readonly number[]) {
      r.reads += indexes.length;
      r.calls++;
      return inner.readHashes(indexes);
    },
  };
  return r;
}

function flipBit(hash: Hash, bit: number): Hash {
  const copy = Uint8Array.from(hash);
  copy[bit >> 3] = copy[bit >> 3]! ^ (1 << (bit & 7));
  return copy;
}

describe('RFC 6962 vectors', () => {
  it('empty tree root', () => {
    expect(bytesToHex(EMPTY_TREE_ROOT)).toBe(vectors.emptyTreeRoot);
    expect(bytesToHex(treeHash(0, store))).toBe(vectors.emptyTreeRoot);
    expect(bytesToHex(rootFromLeafHashes([]))).toBe(vectors.emptyTreeRoot);
  });

  it('leaf hashes', () => {
    expect(leaves.map((l) => bytesToHex(leafHash(l)))).toEqual(vectors.leafHashes);
  });

  it('roots for every size, from storage and from the definition', () => {
    for (const [size, root] of Object.entries(vectors.roots)) {
      const n = Number(size);
      expect(bytesToHex(treeHash(n, store)), `size ${n}`).toBe(root);
      expect(bytesToHex(rootFromLeafHashes(leaves.slice(0, n).map(leafHash)))).toBe(root);
    }
  });

  it.each(vectors.inclusion)('inclusion proof of $index in $size', ({ index, size, proof }) => {
    expect(hexes(inclusionProof(index, size, store))).toEqual(proof);
    const root = hexToBytes(vectors.roots[String(size)]!);
    expect(verifyInclusion(index, size, leafHash(leaves[index]!), proof.map(hexToBytes), root)).toBe(true);
  });

  it.each(vectors.consistency)('consistency proof from $from to $to', ({ from, to, proof }) => {
    expect(hexes(consistencyProof(from, to, store))).toEqual(proof);
    const oldRoot = hexToBytes(vectors.roots[String(from)]!);
    const newRoot = hexToBytes(vectors.roots[String(to)]!);
    expect(verifyConsistency(from, to, proof.map(hexToBytes), oldRoot, newRoot)).toBe(true);
  });
});

describe('stored hash layout', () => {
  it('matches Go: indexes of the first records and the count', () => {
    // Go: StoredHashIndex(0,0)=0, (0,1)=1, (1,0)=2, (0,2)=3, (0,3)=4, (1,1)=5, (2,0)=6.
    expect([storedHashIndex(0, 0), storedHashIndex(0, 1), storedHashIndex(1, 0), storedHashIndex(0, 2)]).toEqual([0, 1, 2, 3]);
    expect([storedHashIndex(0, 3), storedHashIndex(1, 1), storedHashIndex(2, 0)]).toEqual([4, 5, 6]);
    expect([1, 2, 3, 4, 5, 8].map(storedHashCount)).toEqual([1, 3, 4, 7, 8, 15]);
  });

  it('appends, tree hashes and proofs read O(log n) hashes in one batch', () => {
    const big = MemoryHashStore.fromLeaves(Array.from({ length: 5000 }, (_, i) => new TextEncoder().encode(`leaf ${i}`)));
    const reader = countingReader(big);
    const bound = 2 * Math.ceil(Math.log2(5000)) + 2;
    for (const [op, run] of [
      ['treeHash', () => treeHash(4999, reader)],
      ['inclusionProof', () => inclusionProof(1234, 4999, reader)],
      ['consistencyProof', () => consistencyProof(1234, 4999, reader)],
    ] as const) {
      reader.reads = 0;
      reader.calls = 0;
      run();
      expect(reader.reads, op).toBeLessThanOrEqual(bound);
      expect(reader.calls, op).toBe(1);
    }
  });

  it('an asynchronous store can prefetch exactly the hashes an operation needs', () => {
    const indexes = inclusionProofIndexes(3, 7);
    expect(hexes(inclusionProof(3, 7, prefetchedReader(indexes, store.readHashes(indexes))))).toEqual(
      vectors.inclusion.find((p) => p.index === 3 && p.size === 7)!.proof,
    );
    const cIndexes = consistencyProofIndexes(3, 7);
    expect(consistencyProof(3, 7, prefetchedReader(cIndexes, store.readHashes(cIndexes)))).toHaveLength(
      vectors.consistency.find((p) => p.from === 3 && p.to === 7)!.proof.length,
    );
  });

  it('refuses proofs that cannot exist', () => {
    expect(() => inclusionProof(8, 8, store)).toThrow(RangeError);
    expect(() => consistencyProof(0, 8, store)).toThrow(RangeError);
    expect(() => consistencyProof(5, 4, store)).toThrow(RangeError);
  });
});

describe('properties (random trees up to 200 leaves)', () => {
  const trees = new Map<number, { store: MemoryHashStore; leaves: Uint8Array[]; roots: Hash[] }>();
  function tree(n: number) {
    let t = trees.get(n);
    if (!t) {
      const ls = Array.from({ length: n }, (_, i) => Uint8Array.of(i & 255, i >> 8, n & 255));
      const s = MemoryHashStore.fromLeaves(ls);
      t = { store: s, leaves: ls, roots: Array.from({ length: n + 1 }, (_, k) => treeHash(k, s)) };
      trees.set(n, t);
    }
    return t;
  }

  it('stored root equals the RFC definition', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), (n) => {
        const t = tree(n);
        expect(bytesToHex(t.roots[n]!)).toBe(bytesToHex(rootFromLeafHashes(t.leaves.map(leafHash))));
      }),
      { numRuns: 60 },
    );
  });

  it('every inclusion proof verifies; any flipped bit in proof, root or leaf fails', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }).chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 }))),
        fc.nat(),
        ([size, index], seed) => {
          const t = tree(size);
          const proof = inclusionProof(index, size, t.store);
          const leaf = leafHash(t.leaves[index]!);
          const root = t.roots[size]!;
          expect(verifyInclusion(index, size, leaf, proof, root)).toBe(true);
          const bit = seed % 256;
          for (let i = 0; i < proof.length; i++) {
            const bad = proof.map((h, j) => (j === i ? flipBit(h, bit) : h));
            expect(verifyInclusion(index, size, leaf, bad, root)).toBe(false);
          }
          expect(verifyInclusion(index, size, leaf, proof, flipBit(root, bit))).toBe(false);
          expect(verifyInclusion(index, size, flipBit(leaf, bit), proof, root)).toBe(false);
          // Wrong position, wrong size, missing or extra hashes.
          if (size > 1) expect(verifyInclusion((index + 1) % size, size, leaf, proof, root)).toBe(false);
          expect(verifyInclusion(index, size, leaf, [...proof, root], root)).toBe(false);
          if (proof.length > 0) expect(verifyInclusion(index, size, leaf, proof.slice(1), root)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('every consistency proof verifies; any flipped bit in proof or either root fails', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }).chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n))),
        fc.nat(),
        ([m, n], seed) => {
          const t = tree(n);
          const proof = consistencyProof(m, n, t.store);
          const oldRoot = t.roots[m]!;
          const newRoot = t.roots[n]!;
          expect(verifyConsistency(m, n, proof, oldRoot, newRoot)).toBe(true);
          const bit = seed % 256;
          for (let i = 0; i < proof.length; i++) {
            const bad = proof.map((h, j) => (j === i ? flipBit(h, bit) : h));
            expect(verifyConsistency(m, n, bad, oldRoot, newRoot)).toBe(false);
          }
          expect(verifyConsistency(m, n, proof, flipBit(oldRoot, bit), newRoot)).toBe(false);
          expect(verifyConsistency(m, n, proof, oldRoot, flipBit(newRoot, bit))).toBe(false);
          expect(verifyConsistency(m, n, [...proof, oldRoot], oldRoot, newRoot)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('inclusion proof ranges (the bundle verifier compares proofs with its own tree)', () => {
  it('the hashes of inclusionProofRanges are exactly inclusionProof, and a range of one leaf is its leaf hash', () => {
    const leaves = Array.from({ length: 37 }, (_, i) => new TextEncoder().encode(`leaf ${i}`));
    const store = MemoryHashStore.fromLeaves(leaves);
    for (let size = 1; size <= leaves.length; size++) {
      for (let index = 0; index < size; index++) {
        const fromRanges = inclusionProofRanges(index, size).map(([lo, hi]) => bytesToHex(rangeHash(lo, hi, store)));
        expect(fromRanges).toEqual(inclusionProof(index, size, store).map(bytesToHex));
      }
    }
    expect(bytesToHex(rangeHash(5, 6, store))).toBe(bytesToHex(leafHash(leaves[5]!)));
    expect(() => inclusionProofRanges(3, 3)).toThrow(RangeError);
  });
});
