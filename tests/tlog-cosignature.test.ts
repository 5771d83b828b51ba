import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  appendSignatureLines,
  checkCosignatureQuorum,
  cosignedMessage,
  cosignerKeyId,
  cosignerNames,
  findCosignature,
  makeCosignerVerifierKey,
  parseCosignerVerifierKey,
  signCosignature,
} from '../core/tlog/cosignature';
import { ed25519 } from '@noble/curves/ed25519.js';
import { makeSignerKey, parseSignerKey, signNote, splitNote } from '../core/tlog/note';
import { formatAddCheckpoint, parseAddCheckpoint, WitnessRequestError } from '../core/tlog/witness-request';
import { witnessKeyFromSeed } from '../server/witness/key';

interface CosignatureVector {
  seedHex: string;
  witnessVerifierKey: string;
  checkpointBody: string;
  timestamp: number;
  signedMessage: string;
  signatureLine: string;
}
const vector = JSON.parse(readFileSync(new URL('./vectors/cosignature-v1.json', import.meta.url), 'utf8')) as CosignatureVector;
const seed = Uint8Array.from(Buffer.from(vector.seedHex, 'hex'));
const witnessName = vector.witnessVerifierKey.split('+')[0]!;

describe('cosignature/v1 vector', () => {
  it('derives the witness verifier key (type 0x04) from the seed', () => {
    expect(makeCosignerVerifierKey(witnessName, ed25519.getPublicKey(seed))).toBe(vector.witnessVerifierKey);
    const parsed = parseCosignerVerifierKey(vector.witnessVerifierKey);
    expect(parsed.name).toBe(witnessName);
    expect(parsed.keyId.toString(16).padStart(8, '0')).toBe(vector.witnessVerifierKey.split('+')[1]);
  });

  it('builds the signed message and the signature line byte for byte (core and the witness key)', () => {
    expect(cosignedMessage(vector.checkpointBody, vector.timestamp)).toBe(vector.signedMessage);
    expect(signCosignature(vector.checkpointBody, vector.timestamp, witnessName, seed)).toBe(`${vector.signatureLine}\n`);
    // The witness signs with node:crypto: the same line.
    expect(witnessKeyFromSeed(witnessName, seed).cosign(vector.checkpointBody, vector.timestamp)).toBe(`${vector.signatureLine}\n`);
  });

  it('key ID is SHA-256(name || "\\n" || 0x04 || key)[:4] (computed here with node:crypto)', () => {
    const publicKey = Buffer.from(ed25519.getPublicKey(seed));
    const digest = createHash('sha256').update(Buffer.concat([Buffer.from(`${witnessName}\n`), Buffer.from([0x04]), publicKey])).digest();
    expect(cosignerKeyId(witnessName, publicKey)).toBe(digest.readUInt32BE(0));
    expect(Buffer.from(vector.signatureLine.split(' ')[2]!, 'base64').subarray(0, 4)).toEqual(digest.subarray(0, 4));
  });

  it('finds and verifies the vector cosignature; rejects it on a different body or timestamp', () => {
    const key = parseCosignerVerifierKey(vector.witnessVerifierKey);
    expect(findCosignature(vector.checkpointBody, [vector.signatureLine], key)).toEqual({ name: witnessName, keyId: key.keyId, timestamp: vector.timestamp });
    expect(() => findCosignature(vector.checkpointBody.replace('\n5\n', '\n6\n'), [vector.signatureLine], key)).toThrow(/does not verify/);
    const raw = Buffer.from(vector.signatureLine.split(' ')[2]!, 'base64');
    raw[11] = raw[11]! ^ 1; // the timestamp is signed too
    expect(() => findCosignature(vector.checkpointBody, [`— ${witnessName} ${raw.toString('base64')}`], key)).toThrow(/does not verify/);
    // Independently, with node:crypto alone.
    const sig = Buffer.from(vector.signatureLine.split(' ')[2]!, 'base64').subarray(12);
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(ed25519.getPublicKey(seed))]);
    expect(nodeVerify(null, Buffer.from(vector.signedMessage), createPublicKey({ key: spki, format: 'der', type: 'spki' }), sig)).toBe(true);
  });

  it('refuses a log key (type 0x01) as a witness key, and a wrong key ID', () => {
    const logKey = makeSignerKey('example.org/log', seed);
    expect(() => parseCosignerVerifierKey(logKey.replace('PRIVATE+KEY+', ''))).toThrow(/cosignature\/v1/);
    const [, name, id, key] = /^([^+]+)\+([^+]+)\+(.*)$/.exec(vector.witnessVerifierKey) as unknown as [string, string, string, string];
    expect(() => parseCosignerVerifierKey(`${name}+${id === '00000000' ? '00000001' : '00000000'}+${key}`)).toThrow(/does not match/);
  });
});

describe('witness quorum over a cosigned note', () => {
  const log = parseSignerKey(makeSignerKey('example.org/accord', new Uint8Array(32).fill(9)));
  const note = signNote(vector.checkpointBody, log);
  const seeds = [1, 2, 3].map((n) => new Uint8Array(32).fill(n));
  const names = ['w.example/government', 'w.example/academia', 'w.example/civil-society'];
  const vkeys = seeds.map((s, i) => makeCosignerVerifierKey(names[i]!, ed25519.getPublicKey(s)));
  const lines = seeds.map((s, i) => signCosignature(vector.checkpointBody, 1764374400 + i, names[i]!, s));
  const cosigned = appendSignatureLines(note, lines.slice(0, 2));

  it('counts valid cosignatures by the given witnesses only', () => {
    expect(checkCosignatureQuorum(cosigned, vkeys, 2).ok).toBe(true);
    const three = checkCosignatureQuorum(cosigned, vkeys, 3);
    expect(three.ok).toBe(false);
    expect(three.cosigned.map((c) => c.name)).toEqual(names.slice(0, 2));
    expect(three.missing).toEqual([expect.stringMatching(/^w\.example\/civil-society\+[0-9a-f]{8}: no cosignature$/)]);
    expect(checkCosignatureQuorum(cosigned, [vkeys[0]!, vkeys[0]!], 1).cosigned).toHaveLength(1);
    expect(() => checkCosignatureQuorum(cosigned, [vkeys[0]!, vkeys[0]!], 2)).toThrow(/more than the 1 distinct/);
  });

  it('a tampered cosignature does not count', () => {
    const [dash, name, encoded] = lines[1]!.trim().split(' ') as [string, string, string];
    const raw = Buffer.from(encoded, 'base64');
    raw[40] = raw[40]! ^ 1; // inside the Ed25519 signature
    const bad = `${dash} ${name} ${raw.toString('base64')}\n`;
    const result = checkCosignatureQuorum(appendSignatureLines(note, [lines[0]!, bad]), vkeys, 2);
    expect(result.ok).toBe(false);
    expect(result.missing[0]).toMatch(/does not verify/);
  });

  it('a cosignature of another checkpoint does not count', () => {
    const other = signCosignature(vector.checkpointBody.replace('\n5\n', '\n4\n'), 1764374400, names[0]!, seeds[0]!);
    expect(checkCosignatureQuorum(appendSignatureLines(note, [other]), vkeys.slice(0, 1), 1).ok).toBe(false);
  });

  it('lists the cosigner names of a note after the log\'s own signature', () => {
    expect(cosignerNames(cosigned)).toEqual(names.slice(0, 2));
    expect(cosignerNames(note)).toEqual([]);
    expect(splitNote(cosigned).text).toBe(vector.checkpointBody);
  });
});

describe('add-checkpoint request body', () => {
  it('round-trips and parses the C2SP example shape', () => {
    const proof = [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)];
    const body = formatAddCheckpoint({ oldSize: 3, proof, note: 'o\n5\nroot\n\n— o sig\n' });
    expect(body).toBe(`old 3\n${Buffer.from(proof[0]!).toString('base64')}\n${Buffer.from(proof[1]!).toString('base64')}\n\no\n5\nroot\n\n— o sig\n`);
    expect(parseAddCheckpoint(body)).toEqual({ oldSize: 3, proof, note: 'o\n5\nroot\n\n— o sig\n' });
    expect(parseAddCheckpoint('old 0\n\nx\n')).toEqual({ oldSize: 0, proof: [], note: 'x\n' });
  });

  it.each([
    ['no old line', 'x\n\nnote\n'],
    ['leading zero', 'old 01\n\nnote\n'],
    ['no blank line', 'old 1\n'],
    ['a short hash', `old 1\n${Buffer.alloc(31).toString('base64')}\n\nnote\n`],
    ['too many proof lines', `old 1\n${`${Buffer.alloc(32).toString('base64')}\n`.repeat(64)}\nnote\n`],
    ['no checkpoint', 'old 1\n\n'],
  ])('refuses %s', (_name, body) => {
    expect(() => parseAddCheckpoint(body)).toThrow(WitnessRequestError);
  });
});
