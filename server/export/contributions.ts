// The contributions report as Markdown, for the meeting package: who wrote
// how much of the version (words by stakeholder group and, when names are
// shown, by organisation), per section, and the amendments of its round.
import { stakeholderGroupName, type AmendmentCounts, type ContributionsReport, type SharesView } from '../../core/api';

function share(n: number, of: number): string {
  return of === 0 ? '0%' : `${Math.round((100 * n) / of)}%`;
}

function sharesTable(s: SharesView, names: boolean): string[] {
  const rows = ['| Stakeholder group | Words | Share |', '| --- | ---: | ---: |'];
  for (const [g, n] of Object.entries(s.byGroup).sort((a, b) => b[1] - a[1])) rows.push(`| ${g === 'unattributed' ? 'Not attributed' : stakeholderGroupName(g)} | ${n} | ${share(n, s.words)} |`);
  if (!names) return rows;
  rows.push('', '| Organisation | Words | Share |', '| --- | ---: | ---: |');
  for (const [o, n] of Object.entries(s.byOrganization).sort((a, b) => b[1] - a[1])) rows.push(`| ${cell(o === 'unattributed' ? 'Not attributed' : o)} | ${n} | ${share(n, s.words)} |`);
  return rows;
}

function amendmentsTable(counts: Record<string, AmendmentCounts>): string[] {
  const entries = Object.entries(counts);
  if (entries.length === 0) return ['No amendments were proposed in this round.'];
  const rows = ['| Stakeholder group | Proposed | Accepted | Rejected |', '| --- | ---: | ---: | ---: |'];
  for (const [g, c] of entries) rows.push(`| ${stakeholderGroupName(g)} | ${c.proposed} | ${c.accepted} | ${c.rejected} |`);
  return rows;
}

/** Table cells hold no pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/[|\n\r]/g, ' ');
}

export function contributionsMarkdown(report: ContributionsReport, v: { title: string; number: number; label: string }): string {
  const names = !report.namesHidden;
  const out = [`# Contributions: ${cell(v.title)}`, '', `Version ${v.number}: ${cell(v.label)}. ${report.total.words} words.`, ''];
  out.push('## The whole text', '', ...sharesTable(report.total, names), '', '### Amendments in this round', '', ...amendmentsTable(report.amendments), '');
  for (const s of report.sections) {
    out.push(`## ${cell(s.title || s.id)}`, '', `${s.words} words.`, '', ...sharesTable(s, names), '', ...amendmentsTable(s.amendments), '');
  }
  return out.join('\n');
}
