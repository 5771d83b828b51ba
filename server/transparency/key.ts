// The log's Ed25519 signing key: generated on first start with node:crypto,
// kept in DATA_DIR (mode 0600) in Go's note signer-key form, used to sign
// every checkpoint. Several processes share one key: a file they all name
// (ACCORD_LOG_KEY_FILE), created once by whichever finds it missing first, or
// the database's key table (ACCORD_LOG_KEY=database). The key never leaves
// this module except as its public half.
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatCheckpoint } from '../../core/tlog/checkpoint';
import { makeSignerKey, makeVerifierKey, parseSignerKey, signNoteWith } from '../../core/tlog/note';

export const KEY_FILE = 'log-signing-key';

export interface LogKey {
  origin: string;
  verifierKey: string;
  keyHash: number;
  signCheckpoint(treeSize: number, rootHash: Uint8Array): string;
}

// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows it.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function loadOrCreateLogKey(dataDir: string, origin: string, log: (m: string) => void = () => {}): LogKey {
  return loadOrCreateLogKeyFile(join(dataDir, KEY_FILE), origin, log);
}

/** A new signer key (Go's note form) for `origin`. */
export function generateSignerKey(origin: string): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  return makeSignerKey(origin, seed);
}

/**
 * The key in `file`, created (mode 0600) when missing. Never overwritten: a
 * new key is written beside it and hard-linked into place, which fails if
 * another process created the file first; then that one's key is used.
 */
export function loadOrCreateLogKeyFile(file: string, origin: string, log: (m: string) => void = () => {}): LogKey {
  if (!existsSync(file)) {
    const temporary = join(dirname(file), `.${KEY_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`);
    writeFileSync(temporary, `${generateSignerKey(origin)}\n`, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(temporary, file);
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(temporary);
    }
  }
  chmodSync(file, 0o600);
  return logKeyOf(readFileSync(file, 'utf8').trim(), origin, (m) => log(`${m} (in ${file})`));
}

/** The log key of a signer key in Go's note form. */
export function logKeyOf(signerKey: string, origin: string, log: (m: string) => void = () => {}): LogKey {
  const signer = parseSignerKey(signerKey);
  if (signer.name !== origin) log(`the log key is for origin "${signer.name}"; keeping it (the origin of a log never changes)`);
  const privateKey: KeyObject = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, signer.seed]), format: 'der', type: 'pkcs8' });
  return {
    origin: signer.name,
    verifierKey: makeVerifierKey(signer.name, signer.publicKey),
    keyHash: signer.keyHash,
    signCheckpoint(treeSize, rootHash) {
      const text = formatCheckpoint({ origin: signer.name, size: treeSize, rootHash, extensions: [] });
      return signNoteWith(text, signer, sign(null, Buffer.from(text, 'utf8'), privateKey));
    },
  };
}
