import { createHash, createPrivateKey, createPublicKey, randomBytes, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatCheckpoint, parseCheckpoint } from '../core/tlog/checkpoint';
import { MemoryHashStore } from '../core/tlog/merkle';
import { makeSignerKey, makeVerifierKey, parseSignerKey, parseVerifierKey, signNote, signNoteWith, splitNote, verifyNote } from '../core/tlog/note';
import { logKeyOf } from '../server/transparency/key';

interface NoteVectors {
  verifierKey: string;
  signerKey: string;
  signedNote: string;
  treeSize: number;
  rootHashBase64: string;
  mustReject: Record<'alteredText' | 'otherName' | 'truncatedSignature', string>;
}
const vectors = JSON.parse(readFileSync(new URL('./vectors/signed-note.json', import.meta.url), 'utf8')) as NoteVectors;
const rfcLeaves = (JSON.parse(readFileSync(new URL('./vectors/rfc6962.json', import.meta.url), 'utf8')) as { leaves: string[] }).leaves;

describe('signed-note vectors (made by Go)', () => {
  const signer = parseSignerKey(vectors.signerKey);

  it('reproduces the signed note byte for byte from the signer key', () => {
    const { text } = splitNote(vectors.signedNote);
    expect(signNote(text, signer)).toBe(vectors.signedNote);
  });

  it('the server\'s node:crypto signer (server/transparency/key.ts) writes the same note through the one formatter', () => {
    const { text } = splitNote(vectors.signedNote);
    const key = logKeyOf(vectors.signerKey, signer.name);
    const { size, rootHash } = parseCheckpoint(text);
    expect(key.signCheckpoint(size, rootHash)).toBe(vectors.signedNote);
    expect(() => signNoteWith(text, signer, new Uint8Array(63))).toThrow(/64 bytes/);
  });

  it('derives the same verifier and signer key strings as Go', () => {
    expect(makeVerifierKey(signer.name, signer.publicKey)).toBe(vectors.verifierKey);
    expect(makeSignerKey(signer.name, signer.seed)).toBe(vectors.signerKey);
    expect(parseVerifierKey(vectors.verifierKey)).toEqual({ name: signer.name, keyHash: signer.keyHash, publicKey: signer.publicKey });
  });

  it('signs a checkpoint of the first 6 RFC 6962 leaves identically', () => {
    const store = MemoryHashStore.fromLeaves(rfcLeaves.slice(0, 6).map((h) => Uint8Array.from(Buffer.from(h, 'hex'))));
    const body = formatCheckpoint({ origin: signer.name, size: 6, rootHash: store.root(), extensions: [] });
    expect(signNote(body, signer)).toBe(vectors.signedNote);
    const parsed = parseCheckpoint(verifyNote(vectors.signedNote, vectors.verifierKey).text);
    expect(parsed.size).toBe(vectors.treeSize);
    expect(Buffer.from(parsed.rootHash).toString('base64')).toBe(vectors.rootHashBase64);
  });

  it('verifies the signed note', () => {
    const verified = verifyNote(vectors.signedNote, vectors.verifierKey);
    expect(verified.text).toBe('example.org/accord-test-log\n6\nduZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=\n');
    expect(verified.name).toBe('example.org/accord-test-log');
  });

  it('rejects altered text', () => {
    expect(() => verifyNote(vectors.mustReject.alteredText, vectors.verifierKey)).toThrow(/does not verify/);
  });
  it('rejects a signature under another name', () => {
    expect(() => verifyNote(vectors.mustReject.otherName, vectors.verifierKey)).toThrow(
      /no signature by example\.org\/accord-test-log\+99815372 \(signed by: example\.org\/other-log\+99815372\)/,
    );
  });
  it('rejects a truncated signature', () => {
    expect(() => verifyNote(vectors.mustReject.truncatedSignature, vectors.verifierKey)).toThrow(/not valid base64 \(truncated\?\)/);
    // Cut on a base64 boundary instead: well-formed, but too short to be an Ed25519 signature.
    const line = vectors.signedNote.split('\n').at(-2)!;
    const short = Buffer.from(line.split(' ').at(-1)!, 'base64').subarray(0, 40).toString('base64');
    const cut = vectors.signedNote.replace(line, `${line.split(' ').slice(0, -1).join(' ')} ${short}`);
    expect(() => verifyNote(cut, vectors.verifierKey)).toThrow(/is 36 bytes, an Ed25519 signature is 64/);
  });
});

describe('note verification rejects', () => {
  const signer = parseSignerKey(vectors.signerKey);
  const other = parseSignerKey(makeSignerKey(signer.name, new Uint8Array(32).fill(9)));
  const good = vectors.signedNote;

  it('a note without signature lines', () => {
    expect(() => verifyNote(splitNote(good).text, vectors.verifierKey)).toThrow(/no blank line|no signature lines/);
    expect(() => verifyNote(`${splitNote(good).text}\n`, vectors.verifierKey)).toThrow(/no signature lines/);
  });
  it('a bad signature (one byte changed, still valid base64)', () => {
    const line = good.split('\n').at(-2)!;
    const sig = Buffer.from(line.split(' ').at(-1)!, 'base64');
    sig[10] = sig[10]! ^ 1;
    const bad = good.replace(line, `${line.split(' ').slice(0, -1).join(' ')} ${sig.toString('base64')}`);
    expect(() => verifyNote(bad, vectors.verifierKey)).toThrow(/does not verify/);
  });
  it('a note by another key with the same name', () => {
    const forged = signNote(splitNote(good).text, other);
    expect(() => verifyNote(forged, vectors.verifierKey)).toThrow(/no signature by example\.org\/accord-test-log\+99815372/);
  });
  it('control characters and a wrong separator', () => {
    expect(() => verifyNote(good.replace('\n6\n', '\n6\r\n'), vectors.verifierKey)).toThrow(/control character/);
    expect(() => verifyNote(good.replace('\u2014 ', '- '), vectors.verifierKey)).toThrow(/signature line/);
  });
  it('accepts (ignores) unknown extra signatures next to a good one', () => {
    const cosigned = good + signNote(splitNote(good).text, other).split('\n\n')[1]!;
    expect(verifyNote(cosigned, vectors.verifierKey).unknownSignatures).toHaveLength(1);
  });
  it('malformed keys', () => {
    expect(() => parseVerifierKey(vectors.verifierKey.replace('+99815372+', '+99815373+'))).toThrow(/key hash/);
    expect(() => parseVerifierKey('name+99815372')).toThrow(/verifier key/);
    expect(() => parseVerifierKey('na me+99815372+AepKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs')).toThrow(/key name/);
    expect(() => parseSignerKey(vectors.signerKey.replace('PRIVATE+KEY', 'PUBLIC+KEY'))).toThrow(/signer key/);
  });
});

describe('a second implementation: node:crypto and the spec, written independently', () => {
  // DER prefixes that wrap raw Ed25519 keys (RFC 8410): SPKI for public, PKCS#8 for private.
  const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
  const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

  it('checks a note our signer made', () => {
    const seed = randomBytes(32);
    const name = 'accord.example/log';
    const signer = parseSignerKey(makeSignerKey(name, seed));
    const text = 'accord.example/log\n42\nq83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=\n';
    const note = signNote(text, signer);

    // Pull the note apart by hand, per c2sp.org/signed-note.
    const split = note.lastIndexOf('\n\n');
    const signedText = note.slice(0, split + 1);
    const sigLine = note.slice(split + 2);
    expect(signedText).toBe(text);
    const match = /^\u2014 (\S+) (\S+)\n$/.exec(sigLine);
    expect(match?.[1]).toBe(name);
    const blob = Buffer.from(match![2]!, 'base64');
    expect(blob.length).toBe(68);

    // Public key from the seed by node:crypto, not by our code.
    const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
    const publicKey = Buffer.from(jwk.x!, 'base64url');

    // Key ID = SHA-256(name || 0x0A || 0x01 || pubkey)[:4].
    const keyId = createHash('sha256').update(Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0x0a, 0x01]), publicKey])).digest().subarray(0, 4);
    expect(blob.subarray(0, 4).equals(keyId)).toBe(true);

    const nodeKey = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    expect(nodeVerify(null, Buffer.from(signedText, 'utf8'), nodeKey, blob.subarray(4))).toBe(true);
    expect(nodeVerify(null, Buffer.from(signedText.replace('42', '43'), 'utf8'), nodeKey, blob.subarray(4))).toBe(false);

    // And the other way round: node's signature is byte-identical (Ed25519 is deterministic).
    expect(nodeSign(null, Buffer.from(text, 'utf8'), privateKey).equals(blob.subarray(4))).toBe(true);

    // The verifier key string, assembled by hand.
    const verifierKey = `${name}+${keyId.toString('hex')}+${Buffer.concat([Buffer.from([1]), publicKey]).toString('base64')}`;
    expect(verifyNote(note, verifierKey).text).toBe(text);
  });
});
