// Verifies a document's history bundle in the browser with the same verifier
// the CLI uses (core/bundle.ts). It is loaded lazily through a glob import so
// the client builds even before core/bundle.ts exists; then it reports that
// verification is unavailable instead of failing.
import { api } from '../api';

export type VerifyResult =
  | { ok: true; summary: { treeSize?: number; keyHash?: string; versions?: number | unknown[]; [key: string]: unknown } }
  | { ok: false; error: string };

type Verifier = (bundle: unknown, opts: { verifierKey?: string }) => VerifyResult | Promise<VerifyResult>;

const bundleModules = import.meta.glob<{ verifyBundle?: Verifier }>('../../core/bundle.ts');

export async function loadVerifier(): Promise<Verifier | null> {
  const load = Object.values(bundleModules)[0];
  if (!load) return null;
  const module = await load();
  return typeof module.verifyBundle === 'function' ? module.verifyBundle : null;
}

export interface VerifyOutcome {
  ok: boolean;
  message: string;
}

function countOf(value: number | unknown[] | undefined): number | undefined {
  if (Array.isArray(value)) return value.length;
  return typeof value === 'number' ? value : undefined;
}

export async function verifyDocumentHistory(docId: string): Promise<VerifyOutcome> {
  const verify = await loadVerifier();
  if (!verify) return { ok: false, message: 'Verification is not available in this build (the bundle verifier is missing).' };
  // The key is fetched separately from the bundle so a bundle cannot vouch for itself.
  const [bundle, verifierKey] = await Promise.all([api.bundle(docId), api.logKey().catch(() => undefined)]);
  let result: VerifyResult;
  try {
    result = await verify(bundle, { verifierKey });
  } catch (error) {
    return { ok: false, message: `Not verified: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!result.ok) return { ok: false, message: `Not verified: ${result.error}` };
  const { summary } = result;
  const versions = countOf(summary.versions);
  const parts = [
    versions === undefined ? null : `${versions} ${versions === 1 ? 'version' : 'versions'}`,
    summary.treeSize === undefined ? null : `checkpoint size ${summary.treeSize}`,
    summary.keyHash ? `key hash ${summary.keyHash}` : null,
  ].filter(Boolean);
  return { ok: true, message: `Verified: ${parts.join(', ')}` };
}
