// The offline verifier's words: what a verification result means, in plain
// sentences for someone who received a meeting package. Pure.
import type { VerifyResult } from '../../core/bundle';

export interface Verdict {
  ok: boolean;
  headline: string;
  lines: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function describeResult(result: VerifyResult): Verdict {
  if (!result.ok) {
    return {
      ok: false,
      headline: 'Not verified: this history was altered, is incomplete, or is not the one signed.',
      lines: [`What failed: ${result.error}`],
    };
  }
  const s = result.summary;
  const lines = [
    `“${s.title}” (document ${s.document}): its complete history in the first ${plural(s.treeSize, 'entry', 'entries')} of the log ${s.origin}, as signed by the key ${s.key}${s.keySource === 'argument' ? ' you gave' : ' named in the bundle'}.`,
    `It holds ${plural(s.versions.length, 'version')}, ${plural(s.amendmentDecisions, 'amendment decision')}, ${plural(s.amendmentWithdrawals, 'withdrawal')} and ${plural(s.endorsements.length, 'confirmed endorsement')}; none was altered, removed or reordered.`,
    ...s.versions.map((v) => `Version ${v.number}: ${v.label}${v.meeting ? ` (${v.meeting})` : ''}, frozen ${v.createdAt}, content hash ${v.contentHash}.`),
    ...s.endorsements.map((e) => `Endorsement of version ${e.version} by ${e.organization} (${e.stakeholderGroup}, ${e.country}).`),
  ];
  if (s.extends) lines.push(`The log extends the earlier checkpoint you gave (entry ${s.extends.treeSize}): no fork.`);
  if (s.keySource === 'bundle') {
    lines.push("Note: the signature was checked with the key named in the bundle itself. Paste the server's verifier key, from a source you trust, to rule out a forged bundle.");
  }
  for (const warning of s.warnings.filter((w) => !w.includes('key inside the bundle'))) lines.push(`Note: ${warning}.`);
  return { ok: true, headline: `Verified: ${plural(s.versions.length, 'version')} of “${s.title}”, complete and unaltered.`, lines };
}
