// Benchmark of the signed log's pure core: what one append costs (leaf,
// stored hashes, new root, signed checkpoint), how long a large bundle takes to
// build and verify (target: verify 10,000 entries in <= 0.5 s), and how proofs grow.
import { buildBundle, verifyBundle } from '../core/bundle';
import { formatCheckpoint } from '../core/tlog/checkpoint';
import { MemoryHashStore, consistencyProof, inclusionProof, treeHash } from '../core/tlog/merkle';
import { makeSignerKey, makeVerifierKey, parseSignerKey, signNote, type SignerKey } from '../core/tlog/note';
import { documentLogOf10k, leafBytes, ORIGIN } from './log-fixture';
import { median, quantile, round } from './stats';

export async function benchTlog(): Promise<Record<string, number | string>> {
  const signer = parseSignerKey(makeSignerKey(ORIGIN, new Uint8Array(32).fill(7)));
  const results: Record<string, number | string> = {};
  Object.assign(results, appendAndSign(signer));
  Object.assign(results, bundleOf10k(signer));
  Object.assign(results, proofSizes());
  return results;
}

/** Median of one append + new root + signed checkpoint, on a tree already 100,000 leaves deep. */
function appendAndSign(signer: SignerKey): Record<string, number> {
  const store = new MemoryHashStore();
  for (let i = 0; i < 100_000; i++) store.append(leafBytes(i));
  const times: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const start = performance.now();
    store.append(leafBytes(store.size));
    const note = signNote(formatCheckpoint({ origin: ORIGIN, size: store.size, rootHash: treeHash(store.size, store), extensions: [] }), signer);
    times.push(performance.now() - start);
    if (note.length === 0) throw new Error('unreachable');
  }
  return { 'tlog.appendAndSign.medianMs': round(median(times), 3), 'tlog.appendAndSign.p99Ms': round(quantile(times, 0.99), 3) };
}

/** One document with 20 versions and 9,980 endorsements: a bundle of 10,000 log entries. */
function bundleOf10k(signer: SignerKey): Record<string, number> {
  const { store, title, versions, leaves } = documentLogOf10k();
  const checkpoint = signNote(formatCheckpoint({ origin: ORIGIN, size: store.size, rootHash: treeHash(store.size, store), extensions: [] }), signer);
  const verifierKey = makeVerifierKey(ORIGIN, signer.publicKey);

  let start = performance.now();
  const bundle = buildBundle({ verifierKey, checkpoint, document: { id: 'gpp', title }, versions, leaves });
  const buildMs = performance.now() - start;
  const json = JSON.stringify(bundle);
  start = performance.now();
  const result = verifyBundle(JSON.parse(json), { verifierKey });
  const verifyMs = performance.now() - start;
  if (!result.ok) throw new Error(`bench bundle did not verify: ${result.error}`);
  return {
    'bundle10k.buildMs': round(buildMs, 3),
    'bundle10k.verifyMs': round(verifyMs, 3),
    'bundle10k.bytes': json.length,
  };
}

/** Inclusion (middle leaf) and consistency (half to full) proof lengths in hashes, against log2 n. */
function proofSizes(): Record<string, number> {
  const out: Record<string, number> = {};
  const store = new MemoryHashStore();
  for (const n of [10, 1000, 100_000]) {
    while (store.size < n) store.append(leafBytes(store.size));
    out[`proof.n${n}.log2n`] = round(Math.log2(n), 3);
    const inclusionHashes = inclusionProof(Math.floor(n / 2), n, store).length;
    out[`proof.n${n}.inclusionHashes`] = inclusionHashes;
    out[`proof.n${n}.inclusionBytes`] = 32 * inclusionHashes;
    out[`proof.n${n}.consistencyHashes`] = consistencyProof(Math.floor(n / 2), n, store).length;
  }
  return out;
}
