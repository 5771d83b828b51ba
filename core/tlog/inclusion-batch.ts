// Verifies many inclusion proofs against one tree head, as a bundle does. The
// nodes a verified proof passes through are authentic, so later proofs stop
// hashing where they meet one and only compare the rest of their hashes with
// it: the same answer as verifyInclusion for every proof, at a fraction of
// the hashing. Must never accept a proof verifyInclusion would refuse.
import { equalHashes, HASH_SIZE, largestPowerOfTwoBelow, nodeHash, type Hash } from './merkle';

interface PathStep {
  /** Key of the subtree on the leaf's path at this height, and of its sibling. */
  node: string;
  sibling: string;
  /** Whether the path node is the left child of its parent. */
  nodeIsLeft: boolean;
}

export class InclusionBatchVerifier {
  /** Subtree "lo:hi" -> its hash, for subtrees proven part of this tree. */
  private readonly authentic = new Map<string, Hash>();

  constructor(
    readonly size: number,
    readonly root: Hash,
  ) {
    this.authentic.set(`0:${size}`, root);
  }

  /** Same contract as verifyInclusion(index, this.size, leaf, proof, this.root). */
  verify(index: number, leaf: Hash, proof: readonly Hash[]): boolean {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) return false;
    if (leaf.length !== HASH_SIZE || !proof.every((h) => h instanceof Uint8Array && h.length === HASH_SIZE)) return false;
    const path = pathOf(index, this.size); // bottom-up: path[i] pairs with proof[i]
    if (path.length !== proof.length) return false;
    let h = leaf;
    const computed: [string, Hash][] = [];
    for (let i = 0; i < path.length; i++) {
      const step = path[i]!;
      const known = this.authentic.get(step.node);
      if (known && path.slice(i).every((s) => this.authentic.has(s.sibling))) {
        // Met a proven node: the rest of the proof must be exactly the proven siblings above it.
        const ok = equalHashes(known, h) && path.slice(i).every((s, j) => equalHashes(this.authentic.get(s.sibling)!, proof[i + j]!));
        if (ok) this.remember(computed, path.slice(0, i), proof);
        return ok;
      }
      computed.push([step.node, h]);
      h = step.nodeIsLeft ? nodeHash(h, proof[i]!) : nodeHash(proof[i]!, h);
    }
    if (!equalHashes(h, this.root)) return false;
    this.remember(computed, path, proof);
    return true;
  }

  private remember(nodes: [string, Hash][], steps: PathStep[], proof: readonly Hash[]): void {
    for (const [key, hash] of nodes) this.authentic.set(key, hash);
    steps.forEach((step, i) => this.authentic.set(step.sibling, proof[i]!));
  }
}

function pathOf(index: number, size: number): PathStep[] {
  const topDown: PathStep[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = largestPowerOfTwoBelow(hi - lo).size;
    if (index < lo + k) {
      topDown.push({ node: `${lo}:${lo + k}`, sibling: `${lo + k}:${hi}`, nodeIsLeft: true });
      hi = lo + k;
    } else {
      topDown.push({ node: `${lo + k}:${hi}`, sibling: `${lo}:${lo + k}`, nodeIsLeft: false });
      lo += k;
    }
  }
  return topDown.reverse();
}
