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
    `“${s.title}” (document ${s.document}): the complete signed history up to entry ${s.treeSize} of the log ${s.origin}, signed by the key ${s.key}${s.keySource === 'argument' ? ' you gave' : ' named in the bundle'}.`,
    `It holds ${plural(s.versions.length, 'version')}, ${plural(s.amendmentDecisions, 'amendment decision')}, ${plural(s.amendmentWithdrawals, 'withdrawal')} and ${plural(s.endorsements.length, 'confirmed endorsement')}; none was altered, removed or reordered.`,
    ...s.versions.map((v) => `Version ${v.number}: ${v.label}${v.meeting ? ` (${v.meeting})` : ''}, frozen ${v.createdAt}, content hash ${v.contentHash}.`),
    ...s.endorsements.map((e) => `Endorsement of version ${e.version} by ${e.organization} (${e.stakeholderGroup}, ${e.country}).`),
  ];
  if (s.extends) lines.push(`The log extends the earlier checkpoint you gave (entry ${s.extends.treeSize}): no fork.`);
  for (const warning of s.warnings) lines.push(`Note: ${warning}.`);
  return { ok: true, headline: `Verified: ${plural(s.versions.length, 'version')} of “${s.title}”, complete and unaltered.`, lines };
}
