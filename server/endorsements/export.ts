// Exports of the supporters of a document: CSV (every confirmed endorsement,
// one row each) and a printable HTML list (one row per organisation, with
// counts). Public data only: built from PublicEndorsement, which has no
// contact fields to leak.
import type { SupportersData } from '../../core/endorsements';
import { stakeholderGroupName } from '../../core/api';
import { csvField } from '../export/csv';
import { html, page } from './html';
import { countsSection, supporterRows } from './page';

const CSV_COLUMNS = [
  'organization',
  'stakeholder_group',
  'country',
  'country_name',
  'region',
  'version',
  'version_label',
  'content_hash',
  'confirmed_at',
  'log_index',
  'endorsement_id',
  'reaffirms',
  'statement',
] as const;


export function supportersCsv(data: SupportersData): string {
  const label = (n: number) => data.versions.find((v) => v.number === n)?.label ?? '';
  const lines = [CSV_COLUMNS.join(',')];
  for (const e of data.confirmed) {
    lines.push(
      [
        e.organization,
        e.stakeholderGroup,
        e.country,
        e.countryName,
        e.region,
        e.version,
        label(e.version),
        e.contentHash,
        e.confirmedAt,
        e.logIndex,
        e.id,
        e.reaffirms,
        e.statement,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

const PRINT_CSS = `
  body { background: #fff; }
  main { max-width: none; padding: 18mm 16mm; }
  .card { border: none; padding: 0; }
  table { font-size: 12.5px; }
  .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; margin-top: 18px; }
  @media print { a { color: inherit; text-decoration: none; } tr { break-inside: avoid; } }
`;

export function supportersHtml(data: SupportersData, generatedAt = new Date().toISOString()): string {
  const { rows, all, onOpen } = supporterRows(data);
  const open = data.open;
  const versionsOf = (org: string) =>
    data.confirmed
      .filter((e) => e.organization.toLowerCase() === org.toLowerCase())
      .map((e) => e.version)
      .sort((a, b) => b - a);
  const body = html`<main>
  <p class="eyebrow">Call for commitment — supporting organisations</p>
  <h1>${data.document.title}</h1>
  ${
    open
      ? html`<p>Version open for endorsement: <strong>version ${open.version} — ${open.label}</strong><br>Content hash <code class="hash">${open.contentHash}</code></p>`
      : null
  }
  <p class="muted small">${rows.length} ${rows.length === 1 ? 'organisation' : 'organisations'}. List generated ${generatedAt.slice(0, 16).replace('T', ' ')} UTC from the signed log; verify with the document's bundle (<code>/api/documents/${data.document.id}/bundle</code>).</p>
  <table id="print-supporters">
    <thead><tr><th>#</th><th>Organisation</th><th>Stakeholder group</th><th>Country</th><th>Date</th><th>Version endorsed</th><th>Log entry</th></tr></thead>
    <tbody>${rows.map((r, i) => {
      const others = versionsOf(r.organization).filter((v) => v !== r.version);
      return html`<tr><td class="num">${i + 1}</td><td>${r.organization}</td><td>${stakeholderGroupName(r.stakeholderGroup)}</td><td>${r.countryName}</td><td>${r.confirmedAt.slice(0, 10)}</td><td>${r.version}${others.length ? html` <span class="muted">(also ${others.join(', ')})</span>` : null}</td><td class="num">${r.logIndex}</td></tr>`;
    })}</tbody>
  </table>
  ${countsSection(all, onOpen, open?.version ?? null)}
  <h3>Log checkpoint</h3>
  <pre>${data.checkpoint}</pre>
</main>`;
  return page(`Supporters: ${data.document.title}`, body, { css: PRINT_CSS });
}
