// RFC 6962 / RFC 9162 Merkle tree hashing and proofs, in the shape of Go's
// golang.org/x/mod/sumdb/tlog: pure functions over hashes, with storage passed
// in as a tiny HashReader so the server can keep the tree in SQLite.
// Never does I/O itself and never knows what a leaf means: leaves are bytes.
//
// Storage layout (Go's "stored hashes", without tiles): when record n is
// appended, its leaf hash and the root of every complete subtree it closes are
// appended to one flat array. storedHashIndex(level, k) says where the hash of
// the k-th complete subtree of height `level` lives. An append reads and writes
// O(log n) hashes; a tree hash or a proof reads O(log n) hashes, in one batch.
//
// Sizes and indexes are plain numbers: exact up to 2^53, far beyond any log here.
// Arithmetic avoids bit operators, which would truncate to 32 bits.
import { sha256 } from '../sha256';

/** A SHA-256 hash: 32 bytes. */
export type Hash = Uint8Array;
export const HASH_SIZE = 32;

/** Reads stored hashes by their storage index (see storedHashIndex), in the order asked. */
export interface HashReader {
  readHashes(indexes: readonly number[]): Hash[];
}

/** Root of the empty tree: SHA-256 of nothing (RFC 6962 §2.1). */
export const EMPTY_TREE_ROOT: Hash = sha256(new Uint8Array(0));

/** RFC 6962 leaf hash: SHA-256(0x00 || data). The prefix keeps leaves and nodes apart. */
export function leafHash(data: Uint8Array): Hash {
  const input = new Uint8Array(1 + data.length);
  input[0] = 0x00;
  input.set(data, 1);
  return sha256(input);
}

/** RFC 6962 interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Hash, right: Hash): Hash {
  const input = new Uint8Array(1 + 2 * HASH_SIZE);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 1 + HASH_SIZE);
  return sha256(input);
}

/** The root of a tree given all its leaf hashes, straight from RFC 6962's definition. O(n). */
export function rootFromLeafHashes(leafHashes: readonly Hash[]): Hash {
  if (leafHashes.length === 0) return EMPTY_TREE_ROOT;
  if (leafHashes.length === 1) return leafHashes[0]!;
  const { size: k } = largestPowerOfTwoBelow(leafHashes.length);
  return nodeHash(rootFromLeafHashes(leafHashes.slice(0, k)), rootFromLeafHashes(leafHashes.slice(k)));
}

// ---- Stored hash layout -------------------------------------------------

/** Storage index of the hash of the n-th complete subtree of height `level` (level 0: leaves). */
export function storedHashIndex(level: number, n: number): number {
  // Convert to the index of that subtree's last leaf (in a level-0 sense), then
  // count every hash stored before it: records 0..n-1 store sum(n >> l) hashes.
  for (let l = level; l > 0; l--) n = 2 * n + 1;
  let index = 0;
  for (; n > 0; n = Math.floor(n / 2)) index += n;
  return index + level;
}

/** How many hashes are stored for a tree of n records. */
export function storedHashCount(n: number): number {
  if (n === 0) return 0;
  let count = storedHashIndex(0, n - 1) + 1;
  for (let i = n - 1; i % 2 === 1; i = Math.floor(i / 2)) count++;
  return count;
}

/** Indexes storedHashesForLeafHash(n, …) reads: the left siblings record n completes. */
export function appendIndexes(n: number): number[] {
  const closed = trailingOnes(n);
  const indexes: number[] = [];
  for (let level = closed - 1; level >= 0; level--) {
    indexes.push(storedHashIndex(level, Math.floor(n / 2 ** level) - 1));
  }
  return indexes;
}

/**
 * The hashes to append to storage when record n (0-based, so the tree had n
 * records) is added: its leaf hash, then each subtree root it completes.
 */
export function storedHashesForRecord(n: number, data: Uint8Array, reader: HashReader): Hash[] {
  return storedHashesForLeafHash(n, leafHash(data), reader);
}

export function storedHashesForLeafHash(n: number, leaf: Hash, reader: HashReader): Hash[] {
  const indexes = appendIndexes(n);
  const leftSiblings = readChecked(reader, indexes);
  const hashes = [leaf];
  let h = leaf;
  for (let i = leftSiblings.length - 1; i >= 0; i--) {
    h = nodeHash(leftSiblings[i]!, h);
    hashes.push(h);
  }
  return hashes;
}

// ---- Tree hash ------------------------------------------------------------

/** Indexes treeHash(n, …) reads: the roots of the complete subtrees that make up [0, n). */
export function treeHashIndexes(n: number): number[] {
  return subtreeIndexes(0, n, []);
}

/** The root hash of the first n records. */
export function treeHash(n: number, reader: HashReader): Hash {
  if (n === 0) return EMPTY_TREE_ROOT;
  const hashes = readChecked(reader, treeHashIndexes(n));
  return subtreeHash(0, n, new HashCursor(hashes));
}

// ---- Inclusion proofs -----------------------------------------------------

/** Indexes inclusionProof(index, size, …) reads. */
export function inclusionProofIndexes(index: number, size: number): number[] {
  checkInclusionArgs(index, size);
  return leafProofIndexes(0, size, index, []);
}

/** The RFC 9162 inclusion proof (audit path) of leaf `index` in the tree of `size` leaves. */
export function inclusionProof(index: number, size: number, reader: HashReader): Hash[] {
  const hashes = readChecked(reader, inclusionProofIndexes(index, size));
  return leafProof(0, size, index, new HashCursor(hashes));
}

/** True when `proof` shows the leaf with hash `leaf` at `index` in the tree of `size` leaves with `root`. */
export function verifyInclusion(index: number, size: number, leaf: Hash, proof: readonly Hash[], root: Hash): boolean {
  if (!isCount(index) || !isCount(size) || index >= size) return false;
  if (!isHash(leaf) || !isHash(root) || !proof.every(isHash)) return false;
  const computed = runLeafProof(proof, proof.length, 0, size, index, leaf);
  return computed !== null && equalHashes(computed, root);
}

/**
 * The ranges [lo, hi) of leaves whose subtree hashes make up the inclusion
 * proof of leaf `index` in a tree of `size`, in proof order (bottom-up).
 */
export function inclusionProofRanges(index: number, size: number): [number, number][] {
  checkInclusionArgs(index, size);
  const topDown: [number, number][] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = largestPowerOfTwoBelow(hi - lo).size;
    if (index < lo + k) {
      topDown.push([lo + k, hi]);
      hi = lo + k;
    } else {
      topDown.push([lo, lo + k]);
      lo += k;
    }
  }
  return topDown.reverse();
}

/** The hash of the subtree over leaves [lo, hi) as RFC 6962 defines it (lo must start a range the tree splits at). */
export function rangeHash(lo: number, hi: number, reader: HashReader): Hash {
  return subtreeHash(lo, hi, new HashCursor(readChecked(reader, subtreeIndexes(lo, hi, []))));
}

// ---- Consistency proofs ---------------------------------------------------

/** Indexes consistencyProof(oldSize, newSize, …) reads. */
export function consistencyProofIndexes(oldSize: number, newSize: number): number[] {
  checkConsistencyArgs(oldSize, newSize);
  return treeProofIndexes(0, newSize, oldSize, []);
}

/** The RFC 9162 consistency proof that the tree of `oldSize` is a prefix of the tree of `newSize`. */
export function consistencyProof(oldSize: number, newSize: number, reader: HashReader): Hash[] {
  const hashes = readChecked(reader, consistencyProofIndexes(oldSize, newSize));
  return treeProof(0, newSize, oldSize, new HashCursor(hashes));
}

/** True when `proof` shows the tree (oldSize, oldRoot) is a prefix of the tree (newSize, newRoot). */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  proof: readonly Hash[],
  oldRoot: Hash,
  newRoot: Hash,
): boolean {
  if (!isCount(oldSize) || !isCount(newSize) || oldSize < 1 || oldSize > newSize) return false;
  if (!isHash(oldRoot) || !isHash(newRoot) || !proof.every(isHash)) return false;
  const computed = runTreeProof(proof, proof.length, 0, newSize, oldSize, oldRoot);
  return computed !== null && equalHashes(computed.old, oldRoot) && equalHashes(computed.new, newRoot);
}

// ---- Async stores -----------------------------------------------------------

/**
 * A HashReader over hashes already fetched, for stores that answer
 * asynchronously: `inclusionProof(i, n, prefetchedReader(idx, await read(idx)))`
 * with `idx = inclusionProofIndexes(i, n)`. Every operation reads exactly the
 * indexes its `…Indexes` function names, in one call.
 */
export function prefetchedReader(indexes: readonly number[], hashes: readonly Hash[]): HashReader {
  const byIndex = new Map(indexes.map((index, i) => [index, hashes[i]!]));
  return {
    readHashes: (wanted) =>
      wanted.map((index) => {
        const h = byIndex.get(index);
        if (!h) throw new Error(`stored hash ${index} was not prefetched`);
        return h;
      }),
  };
}

// ---- In-memory storage ------------------------------------------------------

/** The stored-hash array in memory: for tests, the benchmark and the offline verifier. */
export class MemoryHashStore implements HashReader {
  private readonly hashes: Hash[] = [];
  private records = 0;

  static fromLeaves(leaves: readonly Uint8Array[]): MemoryHashStore {
    const store = new MemoryHashStore();
    for (const leaf of leaves) store.append(leaf);
    return store;
  }

  /** Number of records (leaves) in the tree. */
  get size(): number {
    return this.records;
  }

  readHashes(indexes: readonly number[]): Hash[] {
    return indexes.map((index) => {
      const h = this.hashes[index];
      if (!h) throw new Error(`no stored hash at index ${index}`);
      return h;
    });
  }

  /** Appends one record; returns its leaf index. */
  append(data: Uint8Array): number {
    return this.appendLeafHash(leafHash(data));
  }

  /** Appends one record given its leaf hash (a verifier that has hashed the leaf already). */
  appendLeafHash(leaf: Hash): number {
    const index = this.records;
    this.hashes.push(...storedHashesForLeafHash(index, leaf, this));
    this.records++;
    return index;
  }

  root(): Hash {
    return treeHash(this.records, this);
  }
}

// ---- Internals (follow Go's tlog.go closely) ---------------------------------

/** The largest power of two strictly below n (n >= 2), and its log2: RFC 9162's split point k. */
export function largestPowerOfTwoBelow(n: number): { size: number; level: number } {
  let size = 1;
  let level = 0;
  while (size * 2 < n) {
    size *= 2;
    level++;
  }
  return { size, level };
}

function trailingOnes(n: number): number {
  let count = 0;
  for (; n % 2 === 1; n = Math.floor(n / 2)) count++;
  return count;
}

/** Appends the storage indexes of the complete subtrees that cover [lo, hi), left to right. */
function subtreeIndexes(lo: number, hi: number, need: number[]): number[] {
  while (lo < hi) {
    const { size, level } = largestPowerOfTwoBelow(hi - lo + 1);
    need.push(storedHashIndex(level, lo / size));
    lo += size;
  }
  return need;
}

/** Consumes the hashes subtreeIndexes(lo, hi) named and folds them, right to left, into one. */
function subtreeHash(lo: number, hi: number, cursor: HashCursor): Hash {
  const parts: Hash[] = [];
  while (lo < hi) {
    lo += largestPowerOfTwoBelow(hi - lo + 1).size;
    parts.push(cursor.next());
  }
  let h = parts[parts.length - 1]!;
  for (let i = parts.length - 2; i >= 0; i--) h = nodeHash(parts[i]!, h);
  return h;
}

function leafProofIndexes(lo: number, hi: number, n: number, need: number[]): number[] {
  if (lo + 1 === hi) return need;
  const k = largestPowerOfTwoBelow(hi - lo).size;
  if (n < lo + k) {
    leafProofIndexes(lo, lo + k, n, need);
    subtreeIndexes(lo + k, hi, need);
  } else {
    subtreeIndexes(lo, lo + k, need);
    leafProofIndexes(lo + k, hi, n, need);
  }
  return need;
}

function leafProof(lo: number, hi: number, n: number, cursor: HashCursor): Hash[] {
  if (lo + 1 === hi) return [];
  const k = largestPowerOfTwoBelow(hi - lo).size;
  let proof: Hash[];
  let sibling: Hash;
  if (n < lo + k) {
    proof = leafProof(lo, lo + k, n, cursor);
    sibling = subtreeHash(lo + k, hi, cursor);
  } else {
    sibling = subtreeHash(lo, lo + k, cursor);
    proof = leafProof(lo + k, hi, n, cursor);
  }
  proof.push(sibling);
  return proof;
}

/** Recomputes the root of [lo, hi) from proof[0..end) and the leaf; null when the proof has the wrong length. */
function runLeafProof(proof: readonly Hash[], end: number, lo: number, hi: number, n: number, leaf: Hash): Hash | null {
  if (lo + 1 === hi) return end === 0 ? leaf : null;
  if (end === 0) return null;
  const k = largestPowerOfTwoBelow(hi - lo).size;
  const sibling = proof[end - 1]!;
  if (n < lo + k) {
    const left = runLeafProof(proof, end - 1, lo, lo + k, n, leaf);
    return left && nodeHash(left, sibling);
  }
  const right = runLeafProof(proof, end - 1, lo + k, hi, n, leaf);
  return right && nodeHash(sibling, right);
}

function treeProofIndexes(lo: number, hi: number, n: number, need: number[]): number[] {
  if (n === hi) return lo === 0 ? need : subtreeIndexes(lo, hi, need);
  const k = largestPowerOfTwoBelow(hi - lo).size;
  if (n <= lo + k) {
    treeProofIndexes(lo, lo + k, n, need);
    subtreeIndexes(lo + k, hi, need);
  } else {
    subtreeIndexes(lo, lo + k, need);
    treeProofIndexes(lo + k, hi, n, need);
  }
  return need;
}

function treeProof(lo: number, hi: number, n: number, cursor: HashCursor): Hash[] {
  if (n === hi) return lo === 0 ? [] : [subtreeHash(lo, hi, cursor)];
  const k = largestPowerOfTwoBelow(hi - lo).size;
  let proof: Hash[];
  let sibling: Hash;
  if (n <= lo + k) {
    proof = treeProof(lo, lo + k, n, cursor);
    sibling = subtreeHash(lo + k, hi, cursor);
  } else {
    sibling = subtreeHash(lo, lo + k, cursor);
    proof = treeProof(lo + k, hi, n, cursor);
  }
  proof.push(sibling);
  return proof;
}

/**
 * Recomputes, from proof[0..end), both the root of the old tree [0, n) and of
 * [lo, hi) in the new tree; null when the proof has the wrong length.
 */
function runTreeProof(
  proof: readonly Hash[],
  end: number,
  lo: number,
  hi: number,
  n: number,
  oldRoot: Hash,
): { old: Hash; new: Hash } | null {
  if (n === hi) {
    // The old tree is [0, n) itself (its root is given), or a complete subtree the proof supplies.
    if (lo === 0) return end === 0 ? { old: oldRoot, new: oldRoot } : null;
    return end === 1 ? { old: proof[0]!, new: proof[0]! } : null;
  }
  if (end === 0) return null;
  const k = largestPowerOfTwoBelow(hi - lo).size;
  const sibling = proof[end - 1]!;
  if (n <= lo + k) {
    const inner = runTreeProof(proof, end - 1, lo, lo + k, n, oldRoot);
    return inner && { old: inner.old, new: nodeHash(inner.new, sibling) };
  }
  const inner = runTreeProof(proof, end - 1, lo + k, hi, n, oldRoot);
  return inner && { old: nodeHash(sibling, inner.old), new: nodeHash(sibling, inner.new) };
}

/** Hands out read hashes in order, so the proof builders mirror the index builders. */
class HashCursor {
  private position = 0;
  constructor(private readonly hashes: readonly Hash[]) {}
  next(): Hash {
    const h = this.hashes[this.position++];
    if (!h) throw new Error('internal error: fewer stored hashes than indexes');
    return h;
  }
}

function readChecked(reader: HashReader, indexes: number[]): Hash[] {
  if (indexes.length === 0) return [];
  const hashes = reader.readHashes(indexes);
  if (hashes.length !== indexes.length || !hashes.every(isHash)) {
    throw new Error(`hash store returned ${hashes.length} hashes for ${indexes.length} indexes, or a malformed hash`);
  }
  return hashes;
}

function checkInclusionArgs(index: number, size: number): void {
  if (!isCount(index) || !isCount(size) || index >= size) {
    throw new RangeError(`no inclusion proof for leaf ${index} in a tree of size ${size}`);
  }
}

function checkConsistencyArgs(oldSize: number, newSize: number): void {
  if (!isCount(oldSize) || !isCount(newSize) || oldSize < 1 || oldSize > newSize) {
    throw new RangeError(`no consistency proof from size ${oldSize} to size ${newSize}`);
  }
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function isHash(h: unknown): h is Hash {
  return h instanceof Uint8Array && h.length === HASH_SIZE;
}

export function equalHashes(a: Hash, b: Hash): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
