// Exports of the supporters of a document: CSV (every confirmed endorsement,
// one row each) and a printable HTML list (one row per organisation, with
// counts). Public data only: built from PublicEndorsement, which has no
// contact fields to leak. The CSV's columns are machine-readable names and stay
// English; the printable list is in the reader's language.
import type { SupportersData } from '../../core/endorsements';
import { csvField } from '../export/csv';
import { html, page } from './html';
import { countryNamer, countsSection, groupName, supporterRows, type EndorseText } from './page';

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

export function supportersHtml(data: SupportersData, t: EndorseText, generatedAt = new Date().toISOString()): string {
  const { rows, all, onOpen } = supporterRows(data);
  const open = data.open;
  const country = countryNamer(t);
  const versionsOf = (org: string) =>
    data.confirmed
      .filter((e) => e.organization.toLowerCase() === org.toLowerCase())
      .map((e) => e.version)
      .sort((a, b) => b - a);
  const when = t.date(generatedAt, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const count = t.t('print.count', { count: rows.length, when, bundle: '\u0000' }).split('\u0000');
  const body = html`<main>
  <p class="eyebrow">${t.t('print.eyebrow')}</p>
  <h1 dir="auto">${data.document.title}</h1>
  ${
    open
      ? html`<p>${t.t('print.open')} <strong>${t.t('version.nameLabel', { number: open.version, label: open.label })}</strong><br>${t.t('check.contentHash')} <code class="hash">${open.contentHash}</code></p>`
      : null
  }
  <p class="muted small">${count[0]}<code>/api/documents/${data.document.id}/bundle</code>${count[1]}</p>
  <table id="print-supporters">
    <thead><tr><th>#</th><th>${t.t('supporters.organisation')}</th><th>${t.t('supporters.group')}</th><th>${t.t('supporters.country')}</th><th>${t.t('supporters.date')}</th><th>${t.t('supporters.version')}</th><th>${t.t('print.logEntry')}</th></tr></thead>
    <tbody>${rows.map((r, i) => {
      const others = versionsOf(r.organization).filter((v) => v !== r.version);
      return html`<tr><td class="num">${t.number(i + 1)}</td><td>${r.organization}</td><td>${groupName(t, r.stakeholderGroup)}</td><td>${country(r.country, r.countryName)}</td><td>${t.date(r.confirmedAt, { dateStyle: 'medium', timeZone: 'UTC' })}</td><td>${r.version}${others.length ? html` <span class="muted">${t.t('print.also', { versions: t.list(others.map(String)) })}</span>` : null}</td><td class="num">${r.logIndex}</td></tr>`;
    })}</tbody>
  </table>
  ${countsSection(t, all, onOpen, open?.version ?? null)}
  <h3>${t.t('print.checkpoint')}</h3>
  <pre>${data.checkpoint}</pre>
</main>`;
  return page(t.t('print.title', { title: data.document.title }), body, { css: PRINT_CSS, locale: t.locale });
}
