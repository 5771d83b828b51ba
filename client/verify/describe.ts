// The offline verifier's words: what a verification result means, in plain
// sentences (in the interface language) for someone who received a meeting
// package. Pure apart from the current language.
import type { VerifyResult } from '../../core/bundle';
import { formatDate, stakeholderGroupLabel, t } from '../i18n';

export interface VerdictLine {
  text: string;
  /** A caveat rather than a finding. */
  warning: boolean;
}

export interface Verdict {
  ok: boolean;
  headline: string;
  lines: VerdictLine[];
}

const finding = (text: string): VerdictLine => ({ text, warning: false });
const note = (text: string): VerdictLine => ({ text, warning: true });

export function describeResult(result: VerifyResult): Verdict {
  if (!result.ok) {
    return { ok: false, headline: t('verifier.notVerified'), lines: [finding(t('verifier.whatFailed', { error: result.error }))] };
  }
  const s = result.summary;
  const where = { title: s.title, document: s.document, size: s.treeSize, origin: s.origin, key: s.key };
  const lines = [
    finding(s.keySource === 'argument' ? t('verifier.summaryGivenKey', where) : t('verifier.summaryBundleKey', where)),
    finding(t('verifier.holds', { versions: s.versions.length, decisions: s.amendmentDecisions, withdrawals: s.amendmentWithdrawals, endorsements: s.endorsements.length })),
    ...s.versions.map((v) =>
      finding(
        v.meeting
          ? t('verifier.versionMeeting', { number: v.number, label: v.label, meeting: v.meeting, when: formatDate(v.createdAt), hash: v.contentHash })
          : t('verifier.version', { number: v.number, label: v.label, when: formatDate(v.createdAt), hash: v.contentHash }),
      ),
    ),
    ...s.endorsements.map((e) => finding(t('verifier.endorsement', { version: e.version, organization: e.organization, group: stakeholderGroupLabel(e.stakeholderGroup), country: e.country }))),
  ];
  if (s.extends) lines.push(finding(t('verifier.extends', { size: s.extends.treeSize })));
  if (s.keySource === 'bundle') lines.push(note(t('verifier.bundleKeyNote')));
  for (const warning of s.warnings.filter((w) => !w.includes('key inside the bundle'))) lines.push(note(t('verifier.note', { warning })));
  return { ok: true, headline: t('verifier.verified', { count: s.versions.length, title: s.title }), lines };
}
