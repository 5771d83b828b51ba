// The log's Ed25519 signing key: generated on first start with node:crypto,
// kept in DATA_DIR (mode 0600) in Go's note signer-key form, used to sign
// every checkpoint. The key never leaves this module except as its public half.
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeBase64 } from '../../core/tlog/base64';
import { formatCheckpoint } from '../../core/tlog/checkpoint';
import { keyHash, makeSignerKey, makeVerifierKey, parseSignerKey } from '../../core/tlog/note';

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
  const file = join(dataDir, KEY_FILE);
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
    writeFileSync(file, `${makeSignerKey(origin, seed)}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  const signer = parseSignerKey(readFileSync(file, 'utf8').trim());
  if (signer.name !== origin) log(`the log key in ${file} is for origin "${signer.name}"; keeping it (the origin of a log never changes)`);
  const privateKey: KeyObject = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, signer.seed]), format: 'der', type: 'pkcs8' });
  const hashBytes = Buffer.alloc(4);
  hashBytes.writeUInt32BE(keyHash(signer.name, signer.publicKey));
  return {
    origin: signer.name,
    verifierKey: makeVerifierKey(signer.name, signer.publicKey),
    keyHash: signer.keyHash,
    signCheckpoint(treeSize, rootHash) {
      const text = formatCheckpoint({ origin: signer.name, size: treeSize, rootHash, extensions: [] });
      const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
      return `${text}\n\u2014 ${signer.name} ${encodeBase64(Buffer.concat([hashBytes, signature]))}\n`;
    },
  };
}
