// Verifies a document's history bundle in the browser with the same verifier
// the CLI uses (core/bundle.ts), loaded lazily so the signature and hashing
// code is only fetched when someone asks for a check.
import { api } from '../api';

export interface VerifyOutcome {
  ok: boolean;
  message: string;
}

/** `<name>+<hex key hash>` -> the hash part. */
function keyHashOf(key: string | undefined): string | undefined {
  if (!key) return undefined;
  const parts = key.split('+');
  return parts.length >= 2 ? parts[1] : key;
}

export async function verifyDocumentHistory(docId: string): Promise<VerifyOutcome> {
  const { verifyBundle } = await import('../../core/bundle');
  // The key comes from its own endpoint, so the bundle does not vouch for itself.
  const [bundle, verifierKey] = await Promise.all([api.bundle(docId), api.logKey().catch(() => undefined)]);
  const result = verifyBundle(bundle, verifierKey ? { verifierKey } : {});
  if (!result.ok) return { ok: false, message: `Not verified: ${result.error}` };
  const { summary } = result;
  const count = summary.versions.length;
  const parts = [`${count} ${count === 1 ? 'version' : 'versions'}`, `checkpoint size ${summary.treeSize}`];
  const keyHash = keyHashOf(summary.key);
  if (keyHash) parts.push(`key hash ${keyHash}`);
  const endorsements = summary.endorsements.length;
  if (endorsements) parts.push(`${endorsements} confirmed ${endorsements === 1 ? 'endorsement' : 'endorsements'}`);
  return { ok: true, message: `Verified: ${parts.join(', ')}` };
}
