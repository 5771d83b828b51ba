// Verifies a document's history bundle in the browser with the same verifier
// the CLI uses (core/bundle.ts), loaded lazily so the signature and hashing
// code is only fetched when someone asks for a check. Remembers the last
// checkpoint it verified for this server, and next time requires the log to
// extend it: a server that shows this browser a forked history is caught.
import { api } from '../api';

export interface VerifyOutcome {
  ok: boolean;
  /** In plain words: what was checked and what it means. */
  message: string;
  /** For those who want them: key, checkpoint size, the verifier's own words. */
  technical?: string;
}

const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "4 versions, 6 amendment decisions and 12 endorsements" (a version is any frozen text, of a meeting or not). */
export function historyInWords(versions: number, decisions: number, endorsements: number): string {
  const parts = [count(versions, 'version'), count(decisions, 'amendment decision'), count(endorsements, 'endorsement')];
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** What a verifier's failure ("version 2 (Draft): content hash mismatch: …") means, in words. */
export function failureInWords(error: string): string {
  const [item, ...rest] = error.split(': ');
  const problem = rest.join(': ');
  const what = /^version \d+/.test(item ?? '') ? `The text of ${item}` : /^(entry|endorsement)/.test(item ?? '') ? `The record of ${item}` : item === 'checkpoint' || item?.startsWith('key') ? "The server's signature" : 'The history';
  if (/hash mismatch|do not hash|no longer matches/.test(problem)) return `${what} is not the text that was signed: it was changed after it was recorded.`;
  if (/missing|out of order|not after/.test(problem)) return `${what} is missing or out of order: the history shown is not the complete signed one.`;
  if (/signature|key/.test(problem)) return `${what} does not check against the server's published key: this is not the record the server signed.`;
  if (/proof|root|leaf/.test(problem)) return `${what} is not part of the signed record: it was altered or added afterwards.`;
  return `${what} does not match the signed record.`;
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
  let bundle: unknown;
  let verifierKey: string | undefined;
  try {
    [bundle, verifierKey] = await Promise.all([api.bundle(docId), api.logKey().catch(() => undefined)]);
  } catch (error) {
    // The server names the failing item ("version 2 fails: the stored text … no longer matches …").
    const text = error instanceof Error ? error.message : String(error);
    const named = /^(version \d+|entry \d+|endorsement [^ ]+) fails: (.*)$/s.exec(text);
    return named
      ? { ok: false, message: `Not verified: ${named[1]} fails. ${named[2]!.charAt(0).toUpperCase()}${named[2]!.slice(1)}`, technical: text }
      : { ok: false, message: `Not verified: the history could not be fetched (${text}).` };
  }
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
    return { ok: false, message: `Not verified: ${failureInWords(result.error)} (${result.error.split(': ')[0]})`, technical: result.error };
  }
  const { summary } = result;
  remember({ checkpoint: (bundle as { checkpoint: string }).checkpoint, treeSize: summary.treeSize, verifiedAt: new Date().toISOString() });
  const newest = summary.versions.at(-1)?.createdAt;
  const published = newest ? ` published on ${new Date(newest).toLocaleDateString(undefined, { dateStyle: 'long' })}` : '';
  const since = summary.extends ? ' It continues the record this browser checked before: nothing was rewritten since.' : '';
  const keyHash = keyHashOf(summary.key);
  return {
    ok: true,
    message: `Verified: ${historyInWords(summary.versions.length, summary.amendmentDecisions, summary.endorsements.length)} match the signed record${published}. Nothing was altered, removed or reordered.${since}`,
    technical: `Log checkpoint of ${summary.treeSize} entries${keyHash ? `, signed by the key with hash ${keyHash}` : ''}${summary.extends ? `; extends the checkpoint of size ${summary.extends.treeSize}` : ''}.`,
  };
}
