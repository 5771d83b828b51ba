// The witness's add-checkpoint rules, in process and fast: every answer of
// C2SP tlog-witness, the order of checks, no roll-back, fork evidence kept.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { findCosignature, parseCosignerVerifierKey } from '../core/tlog/cosignature';
import { formatCheckpoint } from '../core/tlog/checkpoint';
import { MemoryHashStore, consistencyProof, treeHash } from '../core/tlog/merkle';
import { makeSignerKey, makeVerifierKey, parseSignerKey, signNote, splitNote } from '../core/tlog/note';
import { formatAddCheckpoint } from '../core/tlog/witness-request';
import { witnessKeyFromSeed } from '../server/witness/key';
import { Witness } from '../server/witness/service';
import { openWitnessState, WITNESS_DB_FILE } from '../server/witness/state';
import { parseWitnessList } from '../server/witness/submitter';

const ORIGIN = 'example.org/accord';
const log = parseSignerKey(makeSignerKey(ORIGIN, new Uint8Array(32).fill(1)));
const dir = mkdtempSync(join(tmpdir(), 'accord-witness-svc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tree(n: number, salt = ''): MemoryHashStore {
  const store = new MemoryHashStore();
  for (let i = 0; i < n; i++) store.append(new TextEncoder().encode(`${salt}leaf ${i}`));
  return store;
}
const noteOf = (store: MemoryHashStore, size = store.size) => signNote(formatCheckpoint({ origin: ORIGIN, size, rootHash: treeHash(size, store), extensions: [] }), log);
const request = (oldSize: number, store: MemoryHashStore, size = store.size, proof = oldSize > 0 && oldSize < size ? consistencyProof(oldSize, size, store) : []) =>
  formatAddCheckpoint({ oldSize, proof, note: noteOf(store, size) });

function newWitness(name: string): { witness: Witness; db: string } {
  const dataDir = mkdtempSync(join(dir, `${name}-`));
  const key = witnessKeyFromSeed('witness.example/test', new Uint8Array(32).fill(2));
  return { witness: new Witness(key, openWitnessState(dataDir), [makeVerifierKey(ORIGIN, log.publicKey)], () => 1764374400), db: join(dataDir, WITNESS_DB_FILE) };
}

describe('Witness.addCheckpoint', () => {
  it('cosigns a first checkpoint from old 0, then only consistent growth', () => {
    const { witness } = newWitness('grow');
    const store = tree(10);
    const first = witness.addCheckpoint(request(0, store, 5));
    expect(first.status).toBe(200);
    const key = parseCosignerVerifierKey(witness.key.verifierKey);
    expect(findCosignature(splitNote(noteOf(store, 5)).text, [first.body.trimEnd()], key)).toEqual({ name: key.name, keyId: key.keyId, timestamp: 1764374400 });
    expect(witness.addCheckpoint(request(5, store, 10)).status).toBe(200);
    // The same checkpoint again, at its own size with an empty proof: cosigned again.
    expect(witness.addCheckpoint(request(10, store, 10)).status).toBe(200);
  });

  it('never rolls back: a late request from an older size gets 409 and the cosigned size', () => {
    const { witness } = newWitness('rollback');
    const store = tree(9);
    expect(witness.addCheckpoint(request(0, store, 4)).status).toBe(200);
    expect(witness.addCheckpoint(request(4, store, 9)).status).toBe(200);
    expect(witness.addCheckpoint(request(4, store, 6))).toEqual({ status: 409, contentType: 'text/x.tlog.size', body: '9\n' });
    expect(witness.addCheckpoint(request(0, store, 9))).toEqual({ status: 409, contentType: 'text/x.tlog.size', body: '9\n' });
  });

  it('refuses a fork: 409 at the same size with another root, 422 for a proof from another tree; both kept as evidence', () => {
    const { witness, db } = newWitness('fork');
    const honest = tree(8);
    const forked = tree(8, 'x');
    for (let i = 0; i < 4; i++) forked.append(new Uint8Array([i])); // a different tree of 12
    expect(witness.addCheckpoint(request(0, honest, 8)).status).toBe(200);
    expect(witness.addCheckpoint(request(8, forked, 8))).toMatchObject({ status: 409, body: '8\n' });
    const bad = witness.addCheckpoint(request(8, forked, 12));
    expect(bad.status).toBe(422);
    expect(JSON.parse(bad.body)).toMatchObject({ error: { code: 'bad_proof' } });
    // A proof with a hash flipped is refused too; the honest proof still passes afterwards.
    honest.append(new Uint8Array([9]));
    const proof = consistencyProof(8, 9, honest);
    proof[0] = proof[0]!.map((b, i) => (i === 0 ? b ^ 1 : b));
    expect(witness.addCheckpoint(request(8, honest, 9, proof)).status).toBe(422);
    expect(witness.addCheckpoint(request(8, honest, 9, [...proof.slice(1)])).status).toBe(422);
    expect(witness.addCheckpoint(request(8, honest, 9)).status).toBe(200);
    const evidence = new Database(db, { readonly: true }).prepare('SELECT reason FROM evidence ORDER BY id').all() as { reason: string }[];
    expect(evidence.map((e) => e.reason)).toEqual([
      'different root hash at size 8',
      'inconsistent with the cosigned tree of size 8',
      'inconsistent with the cosigned tree of size 8',
      'inconsistent with the cosigned tree of size 8',
    ]);
  });

  it('answers 404 before 403, 403 before 400/409, and 400 for malformed bodies', () => {
    const { witness } = newWitness('errors');
    const store = tree(3);
    const other = parseSignerKey(makeSignerKey('other.example/log', new Uint8Array(32).fill(5)));
    const unknown = signNote(formatCheckpoint({ origin: 'other.example/log', size: 3, rootHash: treeHash(3, store), extensions: [] }), other);
    expect(witness.addCheckpoint(`old 9\n\n${unknown}`).status).toBe(404);
    const impostor = parseSignerKey(makeSignerKey(ORIGIN, new Uint8Array(32).fill(6)));
    const forged = signNote(splitNote(noteOf(store)).text, impostor);
    expect(witness.addCheckpoint(`old 9\n\n${forged}`).status).toBe(403);
    // A valid signature among unknown ones is enough; a note with only unknown signatures is not.
    expect(witness.addCheckpoint(`old 0\n\n${noteOf(store)}${splitNote(forged).signatureLines[0]}\n`).status).toBe(200);
    expect(witness.addCheckpoint(`old 4\n\n${noteOf(store)}`).status).toBe(400); // old > size
    expect(witness.addCheckpoint(formatAddCheckpoint({ oldSize: 0, proof: [new Uint8Array(32)], note: noteOf(store) })).status).toBe(400);
    expect(witness.addCheckpoint(formatAddCheckpoint({ oldSize: 3, proof: [new Uint8Array(32)], note: noteOf(store) })).status).toBe(422);
    for (const body of ['', 'old 0\n', 'old x\n\nnote', `old 0\n\n${splitNote(noteOf(store)).text}`, 'old 0\n\nnot a checkpoint\n\n— x y\n']) {
      expect(witness.addCheckpoint(body).status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('ACCORD_WITNESSES', () => {
  const vkey = witnessKeyFromSeed('witness.example/test', new Uint8Array(32).fill(2)).verifierKey;
  it('reads comma-separated "<url> <witness verifier key>" pairs', () => {
    expect(parseWitnessList('')).toEqual([]);
    expect(parseWitnessList(` http://w1.example:4100/ ${vkey} , https://w2.example/sub ${vkey}`)).toEqual([
      { url: 'http://w1.example:4100', verifierKey: vkey },
      { url: 'https://w2.example/sub', verifierKey: vkey },
    ]);
  });
  it('refuses a pair without a key, a non-http URL, and a log key (type 0x01) in place of a witness key', () => {
    expect(() => parseWitnessList('http://w1.example')).toThrow(/is not "<url> <witness verifier key>"/);
    expect(() => parseWitnessList(`ftp://w1.example ${vkey}`)).toThrow(/not an http\(s\) URL/);
    expect(() => parseWitnessList(`http://w1.example ${makeVerifierKey(ORIGIN, log.publicKey)}`)).toThrow(/cosignature\/v1/);
  });
});
