// A witness's Ed25519 cosigning key: generated on first start with node:crypto,
// kept in its data directory (mode 0600) as
// `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x04 || seed)>` (Go's note
// signer-key form with the cosignature/v1 type byte), used to cosign
// checkpoints. Only the public half ever leaves this module.
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { decodeBase64, encodeBase64 } from '../../core/tlog/base64';
import { ALG_COSIGNATURE_V1, cosignedMessage, cosignerKeyId, formatCosignatureLine, makeCosignerVerifierKey } from '../../core/tlog/cosignature';
import { isValidKeyName } from '../../core/tlog/note';

export const WITNESS_KEY_FILE = 'witness-key';

export interface WitnessKey {
  name: string;
  keyId: number;
  /** `<name>+<hex key ID>+<base64(0x04 || public key)>`. */
  verifierKey: string;
  /** The cosignature/v1 signature line over `checkpointBody` at `timestamp` (POSIX seconds). */
  cosign(checkpointBody: string, timestamp: number): string;
}

// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows it.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Reads the key in `dataDir`, or creates it under `name` when there is none (the name of an existing key never changes). */
export function loadOrCreateWitnessKey(dataDir: string, name: string): WitnessKey {
  const file = join(dataDir, WITNESS_KEY_FILE);
  if (!existsSync(file)) {
    if (!isValidKeyName(name)) throw new Error(`invalid witness name ${JSON.stringify(name)}: no spaces or "+"`);
    const { privateKey } = generateKeyPairSync('ed25519');
    const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
    writeFileSync(file, `${formatWitnessSecret(name, seed)}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  const { name: keyName, seed } = parseWitnessSecret(readFileSync(file, 'utf8').trim());
  return witnessKeyFromSeed(keyName, seed);
}

export function witnessKeyFromSeed(name: string, seed: Uint8Array): WitnessKey {
  const privateKey: KeyObject = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = ed25519.getPublicKey(seed);
  const key = { name, keyId: cosignerKeyId(name, publicKey) };
  return {
    ...key,
    verifierKey: makeCosignerVerifierKey(name, publicKey),
    cosign(checkpointBody, timestamp) {
      const signature = sign(null, Buffer.from(cosignedMessage(checkpointBody, timestamp), 'utf8'), privateKey);
      return formatCosignatureLine(key, timestamp, signature);
    },
  };
}

function formatWitnessSecret(name: string, seed: Uint8Array): string {
  const id = cosignerKeyId(name, ed25519.getPublicKey(seed)).toString(16).padStart(8, '0');
  return `PRIVATE+KEY+${name}+${id}+${encodeBase64(Buffer.concat([Buffer.from([ALG_COSIGNATURE_V1]), seed]))}`;
}

function parseWitnessSecret(text: string): { name: string; seed: Uint8Array } {
  const match = /^PRIVATE\+KEY\+([^+\s]+)\+([0-9a-f]{8})\+(\S+)$/.exec(text);
  if (!match) throw new Error(`${WITNESS_KEY_FILE} is not a witness key (PRIVATE+KEY+<name>+<key ID>+<key>)`);
  const bytes = decodeBase64(match[3]!);
  if (bytes.length !== 33 || bytes[0] !== ALG_COSIGNATURE_V1) throw new Error(`${WITNESS_KEY_FILE} does not hold an Ed25519 cosignature/v1 seed`);
  const seed = bytes.subarray(1);
  if (cosignerKeyId(match[1]!, ed25519.getPublicKey(seed)).toString(16).padStart(8, '0') !== match[2]) {
    throw new Error(`${WITNESS_KEY_FILE}: the key ID does not match the key`);
  }
  return { name: match[1]!, seed };
}
