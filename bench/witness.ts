// Benchmark of the witnesses: verifying a 10,000-entry bundle whose checkpoint
// carries 3 cosignatures, with a quorum of 3 (target <= 0.5 s), and one
// witness answering add-checkpoint over HTTP, keep-alive, with a consistency
// proof and a durable store (target: median <= 5 ms).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { buildBundle, verifyBundle } from '../core/bundle';
import { formatCheckpoint } from '../core/tlog/checkpoint';
import { appendSignatureLines, makeCosignerVerifierKey, signCosignature } from '../core/tlog/cosignature';
import { MemoryHashStore, consistencyProof, treeHash } from '../core/tlog/merkle';
import { makeSignerKey, makeVerifierKey, parseSignerKey, signNote, type SignerKey } from '../core/tlog/note';
import { formatAddCheckpoint } from '../core/tlog/witness-request';
import { startWitness } from '../server/witness/http';
import { documentLogOf10k, leafBytes, ORIGIN } from './log-fixture';
import { median, quantile, round } from './stats';

export async function benchWitness(): Promise<Record<string, number | string>> {
  const signer = parseSignerKey(makeSignerKey(ORIGIN, new Uint8Array(32).fill(7)));
  return { ...cosignedBundleOf10k(signer), ...(await addCheckpointLatency(signer)) };
}

function cosignedBundleOf10k(signer: SignerKey): Record<string, number> {
  const { store, title, versions, leaves } = documentLogOf10k();
  const body = formatCheckpoint({ origin: ORIGIN, size: store.size, rootHash: treeHash(store.size, store), extensions: [] });
  const witnesses = ['government', 'civil-society', 'academia'].map((group, i) => {
    const seed = new Uint8Array(32).fill(20 + i);
    const name = `witness.example/${group}`;
    return { vkey: makeCosignerVerifierKey(name, ed25519.getPublicKey(seed)), line: signCosignature(body, 1764374400 + i, name, seed) };
  });
  const checkpoint = appendSignatureLines(signNote(body, signer), witnesses.map((w) => w.line));
  const verifierKey = makeVerifierKey(ORIGIN, signer.publicKey);
  const json = JSON.stringify(buildBundle({ verifierKey, checkpoint, document: { id: 'gpp', title }, versions, leaves }));
  // Interleaved with the same bundle verified without witnesses, so the difference is the witnesses' cost even on a busy machine.
  const times: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < 3; i++) {
    let start = performance.now();
    const result = verifyBundle(JSON.parse(json), { verifierKey, witnesses: witnesses.map((w) => w.vkey), quorum: 3 });
    times.push(performance.now() - start);
    if (!result.ok || result.summary.witnesses?.length !== 3) throw new Error(`bench bundle did not verify with its witnesses: ${result.ok ? 'quorum' : result.error}`);
    start = performance.now();
    if (!verifyBundle(JSON.parse(json), { verifierKey }).ok) throw new Error('bench bundle did not verify');
    baseline.push(performance.now() - start);
  }
  return {
    'bundle10k.cosigned3.verifyMs': round(median(times), 3),
    'bundle10k.noWitnesses.verifyMs': round(median(baseline), 3),
    'bundle10k.cosigned3.bytes': json.length,
  };
}

/** One witness process's HTTP answer to add-checkpoint, each request one entry larger than the last. */
async function addCheckpointLatency(signer: SignerKey): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-bench-witness-'));
  const witness = await startWitness({ dataDir: dir, port: 0, logs: [makeVerifierKey(ORIGIN, signer.publicKey)], name: 'witness.example/bench' });
  try {
    const store = new MemoryHashStore();
    for (let i = 0; i < 10_000; i++) store.append(leafBytes(i));
    let cosigned = 0;
    const times: number[] = [];
    for (let i = 0; i < 400; i++) {
      store.append(leafBytes(store.size));
      const size = store.size;
      const note = signNote(formatCheckpoint({ origin: ORIGIN, size, rootHash: treeHash(size, store), extensions: [] }), signer);
      const body = formatAddCheckpoint({ oldSize: cosigned, proof: cosigned === 0 ? [] : consistencyProof(cosigned, size, store), note });
      const start = performance.now();
      const res = await fetch(`${witness.url}/add-checkpoint`, { method: 'POST', body });
      const text = await res.text();
      const elapsed = performance.now() - start;
      if (res.status !== 200) throw new Error(`witness answered ${res.status}: ${text}`);
      cosigned = size;
      if (i >= 20) times.push(elapsed); // after warm-up
    }
    return { 'witness.addCheckpoint.medianMs': round(median(times), 3), 'witness.addCheckpoint.p99Ms': round(quantile(times, 0.99), 3) };
  } finally {
    await witness.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
