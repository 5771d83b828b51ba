// The amendment compilation a chair circulates before a meeting: one row per
// amendment (section, original text, proposed text, justification, proposer,
// group, supporters by group, status and decision) as HTML, CSV, and DOCX in
// the style of a "four-column document". Renders from Amendment views only:
// no HTTP, no store, no live document. Its own texts (column headers, statuses,
// decisions) are in `input.locale` (the document's language when it is one of
// the six UN languages, else English).
import { stripForbiddenDeep } from '../../core/text-safety';
import { csvField } from '../export/csv';
import { AlignmentType, Document, Packer, PageOrientation, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { STAKEHOLDER_GROUPS, stakeholderGroupName, type Amendment, type AmendmentStatus, type Participant } from '../../core/api';
import { redlineParts } from '../../core/amendment-text';
import { escapeHtml } from '../../core/redline/render-html';
import { localeDirection, type Locale } from '../../core/i18n/locales';
import { exportText, type ExportKey, type ExportText } from '../../core/i18n/messages/exports';

export const COMPILATION_FORMATS = ['html', 'docx', 'csv'] as const;
export type CompilationFormat = (typeof COMPILATION_FORMATS)[number];

export interface CompilationInput {
  documentTitle: string;
  /** Section ids in document order, with their titles. */
  sections: { id: string; title: string }[];
  amendments: Amendment[];
  generatedAt: string;
  /** The language of the compilation's own texts; English when absent. */
  locale?: Locale;
}

export interface RenderedCompilation {
  body: Buffer | string;
  contentType: string;
  extension: string;
}

const statusLabel = (t: ExportText, status: AmendmentStatus): string => t.t(`amendment.${status}`);
const groupLabel = (t: ExportText, group: string): string => ((STAKEHOLDER_GROUPS as readonly string[]).includes(group) ? t.t(`group.${group}` as ExportKey) : stakeholderGroupName(group));
const textsOf = (input: CompilationInput): ExportText => exportText(input.locale ?? 'en');


/** The row a compilation shows for one amendment; every format renders these. */
interface Row {
  number: number;
  section: string;
  original: string;
  proposed: string;
  justification: string;
  proposer: string;
  organization: string;
  group: string;
  supporters: string;
  status: string;
  decision: string;
  amendment: Amendment;
}

/** "Civil society (2): Org A, Org B; Government (1): Org C", in the order of the contract's groups. */
export function supportersByGroup(supporters: readonly Participant[], t: ExportText = exportText('en')): string {
  const byGroup = new Map<string, string[]>();
  for (const s of supporters) byGroup.set(s.stakeholderGroup, [...(byGroup.get(s.stakeholderGroup) ?? []), `${s.name} (${s.organization})`]);
  const order: string[] = [...STAKEHOLDER_GROUPS];
  return [...byGroup.entries()]
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([group, names]) => `${groupLabel(t, group)} (${names.length}): ${names.join(', ')}`)
    .join('; ');
}

function decisionText(t: ExportText, a: Amendment): string {
  const day = (iso: string) => iso.slice(0, 10);
  if (a.decision) {
    const who = `${a.decision.decidedBy.name} (${a.decision.decidedBy.organization})`;
    return `${t.t('compilation.decided', { verdict: a.decision.decision, who, day: day(a.decision.decidedAt) })}${a.decision.reason ? `: ${a.decision.reason}` : ''} [log #${a.decision.logIndex}]`;
  }
  if (a.withdrawal) return `${t.t('compilation.withdrawn', { day: day(a.withdrawal.withdrawnAt) })} [log #${a.withdrawal.logIndex}]`;
  return '';
}

function rowsOf(input: CompilationInput): Row[] {
  const t = textsOf(input);
  const order = new Map(input.sections.map((s, i) => [s.id, i]));
  const titles = new Map(input.sections.map((s) => [s.id, s.title]));
  return [...input.amendments]
    .sort((a, b) => (order.get(a.section) ?? Infinity) - (order.get(b.section) ?? Infinity) || a.number - b.number)
    .map((a) => ({
      number: a.number,
      section: titles.get(a.section) ? `${titles.get(a.section)} (${a.section})` : a.section,
      original: a.quote,
      proposed: a.proposed,
      justification: a.justification,
      proposer: a.proposer.name,
      organization: a.proposer.organization,
      group: groupLabel(t, a.proposer.stakeholderGroup),
      supporters: supportersByGroup(a.supporters, t),
      status: statusLabel(t, a.status),
      decision: decisionText(t, a),
      amendment: a,
    }));
}

// ---------- CSV ----------

const COLUMNS = ['col.no', 'col.section', 'col.original', 'col.proposed', 'col.justification', 'col.proposer', 'col.organisation', 'col.group', 'col.supporters', 'col.status', 'col.decision'] as const;
const csvHeader = (t: ExportText): string[] => COLUMNS.map((key) => t.t(key));


export function compilationCsv(input: CompilationInput): string {
  const lines = [csvHeader(textsOf(input)), ...rowsOf(input).map((r) => [r.number, r.section, r.original, r.proposed, r.justification, r.proposer, r.organization, r.group, r.supporters, r.status, r.decision])];
  return lines.map((cells) => cells.map(csvField).join(',')).join('\r\n') + '\r\n';
}

// ---------- HTML ----------

const HTML_STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; color: #1f2328; margin: 2rem; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
p.meta { color: #5b6470; margin: 0 0 1.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #c4c9d1; padding: 6px 8px; vertical-align: top; text-align: start; }
th { background: #eef0f3; font-size: 13px; }
td.text { font-family: Georgia, serif; }
del { color: #b42318; } ins { color: #067647; text-decoration: underline; }
tr[data-status=accepted] td.status { color: #067647; font-weight: 600; }
tr[data-status=rejected] td.status, tr[data-status=withdrawn] td.status { color: #5b6470; }
tr[data-status=outdated] td.status { color: #a15c07; }
@media print { body { margin: 0; } th { background: none; } }
`;

export function compilationHtml(input: CompilationInput): string {
  const e = escapeHtml;
  const t = textsOf(input);
  const rows = rowsOf(input)
    .map((r) => {
      const parts = redlineParts(r.original, r.proposed);
      return `<tr data-amendment-id="${e(r.amendment.id)}" data-status="${r.amendment.status}">
<td>${r.number}</td><td>${e(r.section)}</td>
<td class="text">${e(parts.before)}${parts.removed ? `<del>${e(parts.removed)}</del>` : ''}${e(parts.after)}</td>
<td class="text">${e(parts.before)}${parts.inserted ? `<ins>${e(parts.inserted)}</ins>` : ''}${e(parts.after)}</td>
<td>${e(r.justification)}</td><td>${e(r.proposer)}</td><td>${e(r.organization)}</td><td>${e(r.group)}</td>
<td>${e(r.supporters)}</td><td class="status">${e(r.status)}</td><td>${e(r.decision)}</td>
</tr>`;
    })
    .join('\n');
  const count = input.amendments.length;
  return `<!doctype html>
<html lang="${t.locale}" dir="${localeDirection(t.locale)}">
<head><meta charset="utf-8"><title>${e(t.t('compilation.pageTitle', { title: input.documentTitle }))}</title><style>${HTML_STYLE}</style></head>
<body>
<h1>${e(t.t('compilation.title'))}</h1>
<p class="meta">${e(t.t('compilation.meta', { title: input.documentTitle, count, when: input.generatedAt }))}</p>
<table>
<thead><tr>${csvHeader(t).map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}

// ---------- DOCX: the four-column document ----------

const DOCX_COLUMNS = ['col.section', 'col.original', 'col.proposed', 'col.notes'] as const;
const COLUMN_WIDTHS = [2000, 4100, 4100, 3800]; // twentieths of a point; landscape A4 text width ≈ 14,000

const run = (text: string, options: { bold?: boolean; strike?: boolean; underline?: boolean; italics?: boolean; color?: string } = {}) =>
  new TextRun({
    text,
    bold: options.bold,
    strike: options.strike,
    italics: options.italics,
    color: options.color,
    ...(options.underline ? { underline: {} } : {}),
  });

function cell(children: Paragraph[], width: number, header = false): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    children,
    ...(header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'E7EAEE' } } : {}),
  });
}

function labelled(label: string, text: string): Paragraph {
  return new Paragraph({ spacing: { after: 80 }, children: [run(`${label}: `, { bold: true }), run(text)] });
}

function amendmentRow(t: ExportText, r: Row): TableRow {
  const parts = redlineParts(r.original, r.proposed);
  const original = new Paragraph({
    children: [run(parts.before), ...(parts.removed ? [run(parts.removed, { strike: true, color: 'B42318' })] : []), run(parts.after)],
  });
  const proposed = new Paragraph({
    children: [run(parts.before), ...(parts.inserted ? [run(parts.inserted, { bold: true, underline: true, color: '067647' })] : []), run(parts.after)],
  });
  const notes = [
    labelled(t.t('col.proposedBy'), `${r.proposer} (${r.organization}; ${r.group})`),
    labelled(t.t('col.justification'), r.justification),
    labelled(t.t('col.supporters'), r.supporters || t.t('compilation.noSupporters')),
    labelled(t.t('col.status'), r.status),
    ...(r.decision ? [labelled(t.t('col.decision'), r.decision)] : []),
  ];
  return new TableRow({
    cantSplit: false,
    children: [
      cell([new Paragraph({ children: [run(t.t('compilation.number', { number: r.number }), { bold: true })] }), new Paragraph({ children: [run(r.section)] })], COLUMN_WIDTHS[0]!),
      cell([original], COLUMN_WIDTHS[1]!),
      cell([proposed], COLUMN_WIDTHS[2]!),
      cell(notes, COLUMN_WIDTHS[3]!),
    ],
  });
}

export async function compilationDocx(unsafe: CompilationInput): Promise<Buffer> {
  // XML cannot hold control characters; rows stored before the edge refused them may (core/text-safety.ts).
  const input = stripForbiddenDeep(unsafe);
  const t = textsOf(input);
  const header = new TableRow({
    tableHeader: true,
    children: DOCX_COLUMNS.map((key, i) => cell([new Paragraph({ children: [run(t.t(key), { bold: true })] })], COLUMN_WIDTHS[i]!, true)),
  });
  const rows = rowsOf(input);
  const table = new Table({
    width: { size: COLUMN_WIDTHS.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: COLUMN_WIDTHS,
    rows: [header, ...rows.map((row) => amendmentRow(t, row))],
  });
  const count = rows.length;
  const doc = new Document({
    creator: 'Accord',
    title: t.t('compilation.docTitle', { title: input.documentTitle }),
    sections: [
      {
        properties: { page: { size: { orientation: PageOrientation.LANDSCAPE }, margin: { top: 1000, bottom: 1000, left: 1000, right: 1000 } } },
        children: [
          new Paragraph({ alignment: AlignmentType.LEFT, spacing: { after: 120 }, children: [run(t.t('compilation.title'), { bold: true })] }),
          new Paragraph({
            spacing: { after: 240 },
            children: [run(t.t('compilation.meta', { title: input.documentTitle, count, when: input.generatedAt }), { italics: true })],
          }),
          table,
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export const COMPILATION_TYPES: Record<CompilationFormat, { contentType: string; extension: string }> = {
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  html: { contentType: 'text/html; charset=utf-8', extension: 'html' },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' },
};

export async function renderCompilation(input: CompilationInput, format: CompilationFormat): Promise<RenderedCompilation> {
  switch (format) {
    case 'csv':
      return { body: compilationCsv(input), ...COMPILATION_TYPES.csv };
    case 'html':
      return { body: compilationHtml(input), ...COMPILATION_TYPES.html };
    case 'docx':
      return { body: await compilationDocx(input), ...COMPILATION_TYPES.docx };
  }
}
