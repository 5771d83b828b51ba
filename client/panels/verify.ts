// Verifies a document's history bundle in the browser with the same verifier
// the CLI uses (core/bundle.ts), loaded lazily so the signature and hashing
// code is only fetched when someone asks for a check. Remembers the last
// checkpoint it verified for this server, and next time requires the log to
// extend it: a server that shows this browser a forked history is caught.
import { api } from '../api';

export interface VerifyOutcome {
  ok: boolean;
  message: string;
}

interface Remembered {
  checkpoint: string;
  treeSize: number;
  verifiedAt: string;
}

/** One log per server: the key is the server's address. */
const storageKey = (): string => `accord.verifiedCheckpoint:${location.origin}`;

function remembered(): Remembered | null {
  try {
    const value = JSON.parse(localStorage.getItem(storageKey()) ?? 'null') as Partial<Remembered> | null;
    return value && typeof value.checkpoint === 'string' && typeof value.treeSize === 'number' && typeof value.verifiedAt === 'string' ? (value as Remembered) : null;
  } catch {
    return null; // storage unavailable or unreadable: verify without the fork check
  }
}

function remember(value: Remembered): void {
  try {
    localStorage.setItem(storageKey(), JSON.stringify(value));
  } catch {
    // private mode or quota: the next check simply has nothing to compare with
  }
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
  const earlier = remembered();
  const result = verifyBundle(bundle, { ...(verifierKey ? { verifierKey } : {}), ...(earlier ? { since: earlier.checkpoint } : {}) });
  if (!result.ok) {
    if (earlier && result.error.startsWith('fork: ')) {
      return {
        ok: false,
        message:
          `Fork detected: this server now shows a history that does not extend the one this browser verified on ${earlier.verifiedAt} ` +
          `(log size ${earlier.treeSize}). Someone rewrote or split the record; keep both bundles and tell the other stakeholders. (${result.error})`,
      };
    }
    if (earlier && result.error.startsWith('earlier checkpoint (--since): ')) {
      return {
        ok: false,
        message: `Not verified: the checkpoint this browser verified on ${earlier.verifiedAt} does not check against this server's key or log (${result.error.slice('earlier checkpoint (--since): '.length)}); the server's key or log changed.`,
      };
    }
    return { ok: false, message: `Not verified: ${result.error}` };
  }
  const { summary } = result;
  remember({ checkpoint: (bundle as { checkpoint: string }).checkpoint, treeSize: summary.treeSize, verifiedAt: new Date().toISOString() });
  const count = summary.versions.length;
  const parts = [`${count} ${count === 1 ? 'version' : 'versions'}`, `checkpoint size ${summary.treeSize}`];
  const keyHash = keyHashOf(summary.key);
  if (keyHash) parts.push(`key hash ${keyHash}`);
  const endorsements = summary.endorsements.length;
  if (endorsements) parts.push(`${endorsements} confirmed ${endorsements === 1 ? 'endorsement' : 'endorsements'}`);
  const since = summary.extends ? `; the log extends the checkpoint this browser verified before (size ${summary.extends.treeSize})` : '';
  return { ok: true, message: `Verified: ${parts.join(', ')}, complete${since}` };
}
