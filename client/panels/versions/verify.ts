// Verifies a document's history bundle in the browser with the same verifier
// the CLI uses (core/bundle.ts), loaded lazily so the signature and hashing
// code is only fetched when someone asks for a check. Remembers the last
// checkpoint it verified for this server, and next time requires the log to
// extend it: a server that shows this browser a forked history is caught.
import { api } from '../../api';
import { formatDate, t } from '../../i18n';

export interface VerifyOutcome {
  ok: boolean;
  /** In plain words: what was checked and what it means. */
  message: string;
  /** For those who want them: key, checkpoint size, the verifier's own words. */
  technical?: string;
}

/** "4 versions, 6 amendment decisions and 12 endorsements" (a version is any frozen text, of a meeting or not). */
export function historyInWords(versions: number, decisions: number, endorsements: number): string {
  return t('verify.history', { versions, decisions, endorsements });
}

/** What a verifier's failure ("version 2 (Draft): content hash mismatch: …") means, in words. */
export function failureInWords(error: string): string {
  const [item = '', ...rest] = error.split(': ');
  const problem = rest.join(': ');
  const what = /^version \d+/.test(item)
    ? t('verify.whatText', { item })
    : /^(entry|endorsement)/.test(item)
      ? t('verify.whatRecord', { item })
      : item === 'checkpoint' || item.startsWith('key')
        ? t('verify.whatSignature')
        : t('verify.whatHistory');
  if (/hash mismatch|do not hash|no longer matches/.test(problem)) return t('verify.problemAltered', { what });
  if (/missing|out of order|not after/.test(problem)) return t('verify.problemMissing', { what });
  if (/signature|key/.test(problem)) return t('verify.problemKey', { what });
  if (/proof|root|leaf/.test(problem)) return t('verify.problemProof', { what });
  return t('verify.problemOther', { what });
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
  const { verifyBundle } = await import('../../../core/bundle');
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
      ? { ok: false, message: t('verify.itemFails', { item: named[1]!, detail: `${named[2]!.charAt(0).toUpperCase()}${named[2]!.slice(1)}` }), technical: text }
      : { ok: false, message: t('verify.fetchFailed', { reason: text }) };
  }
  const earlier = remembered();
  const result = verifyBundle(bundle, { ...(verifierKey ? { verifierKey } : {}), ...(earlier ? { since: earlier.checkpoint } : {}) });
  if (!result.ok) {
    if (earlier && result.error.startsWith('fork: ')) {
      return {
        ok: false,
        message: t('verify.fork', { when: formatDate(earlier.verifiedAt), size: earlier.treeSize, error: result.error }),
      };
    }
    if (earlier && result.error.startsWith('earlier checkpoint (--since): ')) {
      return {
        ok: false,
        message: t('verify.earlierFails', { when: formatDate(earlier.verifiedAt), error: result.error.slice('earlier checkpoint (--since): '.length) }),
      };
    }
    return { ok: false, message: t('verify.failed', { meaning: failureInWords(result.error), item: result.error.split(': ')[0] ?? '' }), technical: result.error };
  }
  const { summary } = result;
  remember({ checkpoint: (bundle as { checkpoint: string }).checkpoint, treeSize: summary.treeSize, verifiedAt: new Date().toISOString() });
  const newest = summary.versions.at(-1)?.createdAt;
  const history = historyInWords(summary.versions.length, summary.amendmentDecisions, summary.endorsements.length);
  const verified = newest ? t('verify.okPublished', { history, date: formatDate(newest, { dateStyle: 'long' }) }) : t('verify.ok', { history });
  const keyHash = keyHashOf(summary.key);
  return {
    ok: true,
    message: summary.extends ? `${verified} ${t('verify.continues')}` : verified,
    technical: [
      t('verify.checkpointSize', { size: summary.treeSize }),
      keyHash ? t('verify.signedByKey', { hash: keyHash }) : null,
      summary.extends ? t('verify.extendsSize', { size: summary.extends.treeSize }) : null,
    ]
      .filter(Boolean)
      .join(' · '),
  };
}
