import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InclusionBatchVerifier } from '../core/tlog/inclusion-batch';
import { MemoryHashStore, inclusionProof, leafHash, treeHash, verifyInclusion, type Hash } from '../core/tlog/merkle';

function flipBit(hash: Hash, bit: number): Hash {
  const copy = Uint8Array.from(hash);
  copy[bit >> 3] = copy[bit >> 3]! ^ (1 << (bit & 7));
  return copy;
}

describe('InclusionBatchVerifier', () => {
  it('answers exactly as verifyInclusion, for good and tampered proofs in any order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 150 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 4 })), { minLength: 1, maxLength: 60 }),
        (size, checks) => {
          const leaves = Array.from({ length: size }, (_, i) => Uint8Array.of(i & 255, i >> 8));
          const store = MemoryHashStore.fromLeaves(leaves);
          const root = treeHash(size, store);
          const batch = new InclusionBatchVerifier(size, root);
          for (const [rawIndex, bit, tamper] of checks) {
            const index = rawIndex % size;
            let leaf = leafHash(leaves[index]!);
            let proof = inclusionProof(index, size, store);
            let at = index;
            // 0: honest; 1: flip a proof bit; 2: flip the leaf; 3: drop a hash; 4: claim another position.
            if (tamper === 1 && proof.length > 0) proof = proof.map((h, j) => (j === bit % proof.length ? flipBit(h, bit % 256) : h));
            if (tamper === 2) leaf = flipBit(leaf, bit % 256);
            if (tamper === 3) proof = proof.slice(1);
            if (tamper === 4) at = (index + 1 + (bit % size)) % size;
            expect(batch.verify(at, leaf, proof)).toBe(verifyInclusion(at, size, leaf, proof, root));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a proof whose upper hashes were altered, even after the path is known', () => {
    const leaves = Array.from({ length: 100 }, (_, i) => Uint8Array.of(i));
    const store = MemoryHashStore.fromLeaves(leaves);
    const batch = new InclusionBatchVerifier(100, treeHash(100, store));
    expect(batch.verify(10, leafHash(leaves[10]!), inclusionProof(10, 100, store))).toBe(true);
    const proof = inclusionProof(11, 100, store);
    proof[proof.length - 1] = flipBit(proof[proof.length - 1]!, 3);
    expect(batch.verify(11, leafHash(leaves[11]!), proof)).toBe(false);
    expect(batch.verify(11, leafHash(leaves[11]!), inclusionProof(11, 100, store))).toBe(true);
  });
});
