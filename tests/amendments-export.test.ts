// The amendment compilation (HTML, CSV, DOCX four-column table): one row per
// amendment with section, original and proposed text, justification,
// proposer, group, supporters by group, status and decision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import type { Amendment } from '../core/api';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';

let server: TestServer;
let chair: TestUser;
let sam: TestUser;
let gov: TestUser;
let tech: TestUser;
const ids = {} as Record<'security' | 'scope' | 'deleted' | 'withdrawn', Amendment>;

const MARKDOWN = `# Export paper

## Scope {#scope}

This paper covers connected devices in homes.

## Security {#security}

Vendors must patch known flaws promptly, and "promptly" means days.
`;

async function post(path: string, token: string, body: unknown): Promise<any> {
  const res = await server.api(path, { method: 'POST', token, body });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** RFC 4180 parser, enough for the test: quoted fields, doubled quotes, CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

beforeAll(async () => {
  server = await startTestServer();
  chair = await server.createUser('chair', 'Chiara Chair', 'intergovernmental');
  sam = await server.createUser('stakeholder', 'Sam Stake', 'civil-society');
  gov = await server.createUser('stakeholder', 'Greta Gov', 'government');
  tech = await server.createUser('stakeholder', 'Tariq Tech', 'technical-community');
  await post('/api/documents', chair.token, { id: 'exp', title: 'Export paper', markdown: MARKDOWN });
  const base = '/api/documents/exp/amendments';
  // Proposed in this order so the numbering differs from the document order of sections.
  ids.security = await post(base, sam.token, { section: 'security', quote: 'promptly, and "promptly" means days', proposed: 'within 14 days', justification: 'Measurable, "testable" & <clear>.' });
  ids.scope = await post(base, gov.token, { section: 'scope', quote: 'in homes', proposed: 'in homes and workplaces', justification: '=HYPERLINK("http://evil.example")' });
  ids.deleted = await post(base, tech.token, { section: 'scope', quote: 'connected ', proposed: '', justification: 'Redundant.' });
  ids.withdrawn = await post(base, tech.token, { section: 'security', quote: 'Vendors', proposed: 'Manufacturers', justification: 'Term.' });
  await post(`${base}/${ids.security.id}/support`, gov.token, {});
  await post(`${base}/${ids.security.id}/support`, tech.token, {});
  await post(`${base}/${ids.security.id}/support`, chair.token, {});
  await post(`${base}/${ids.security.id}/decision`, chair.token, { decision: 'accept', reason: 'Consensus in Oslo.' });
  await post(`${base}/${ids.deleted.id}/decision`, chair.token, { decision: 'reject', reason: 'Not redundant.' });
  await post(`${base}/${ids.withdrawn.id}/withdraw`, tech.token, {});
});
afterAll(() => server.close());

const get = (format: string) => server.api(`/api/documents/exp/amendments/export?format=${format}`, { token: sam.token });

describe('amendment compilation', () => {
  it('CSV: a header and one row per amendment, in document order, every column filled', async () => {
    const res = await get('csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="?exp-amendments\.csv"?/);
    const rows = parseCsv(await res.text());
    expect(rows[0]).toEqual(['No.', 'Section', 'Original text', 'Proposed text', 'Justification', 'Proposer', 'Organisation', 'Stakeholder group', 'Supporters by group', 'Status', 'Decision']);
    expect(rows).toHaveLength(5);
    const byNumber = new Map(rows.slice(1).map((r) => [Number(r[0]), r]));
    // Scope (section 1) before Security (section 2); within a section by number.
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual([2, 3, 1, 4]);
    const accepted = byNumber.get(1)!;
    expect(accepted.slice(1, 8)).toEqual(['Security (security)', 'promptly, and "promptly" means days', 'within 14 days', 'Measurable, "testable" & <clear>.', 'Sam Stake', sam.organization, 'Civil society']);
    expect(accepted[8]).toBe(`Government (1): Greta Gov (${gov.organization}); Technical community (1): Tariq Tech (${tech.organization}); Intergovernmental (1): Chiara Chair (${chair.organization})`);
    expect(accepted[9]).toBe('Accepted');
    expect(accepted[10]).toMatch(/^Accepted by Chiara Chair \(.+\) on \d{4}-\d\d-\d\d: Consensus in Oslo\. \[log #\d+\]$/);
    expect(byNumber.get(2)![4]).toBe(`'=HYPERLINK("http://evil.example")`); // never a live formula
    expect(byNumber.get(2)![9]).toBe('Open');
    expect(byNumber.get(3)!.slice(2, 4)).toEqual(['connected ', '']);
    expect(byNumber.get(3)![9]).toBe('Rejected');
    expect(byNumber.get(4)![9]).toBe('Withdrawn');
    expect(byNumber.get(4)![10]).toMatch(/^Withdrawn by the proposer on /);
  });

  it('HTML: a table row per amendment, text escaped, changes marked', async () => {
    const res = await get('html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<h1>Compilation of amendments</h1>');
    expect(html.match(/<tr data-amendment-id=/g)).toHaveLength(4);
    for (const a of Object.values(ids)) expect(html).toContain(`data-amendment-id="${a.id}"`);
    expect(html).toContain('Measurable, &quot;testable&quot; &amp; &lt;clear&gt;.');
    expect(html).not.toContain('<clear>');
    // Only what changes is marked: the shared last word stays plain.
    expect(html).toContain('<del>promptly, and &quot;promptly&quot; means</del> days');
    expect(html).toContain('<ins>within 14</ins> days');
    expect(html).toContain('in homes<ins> and workplaces</ins>');
    expect(html).toContain('Civil society');
    expect(html).toContain('data-status="withdrawn"');
    // What the reader sees, tags stripped: each row's original and proposed text whole.
    const text = html.replace(/<[^>]+>/g, '');
    expect(text).toContain('in homes and workplaces');
    expect(text).toContain('Consensus in Oslo.');
  });

  it('DOCX: a landscape four-column table, a header row and one row per amendment', async () => {
    const res = await get('docx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toMatch(/w:orient="landscape"/);
    expect(xml.match(/<w:gridCol /g)).toHaveLength(4);
    const rows = xml.split('<w:tr>').slice(1);
    expect(rows).toHaveLength(5);
    expect(xml).toContain('<w:tblHeader/>');
    const unescape = (t: string) => t.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const cellTexts = (row: string) => row.split('<w:tc>').slice(1).map((cell) => unescape([...cell.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('')));
    expect(cellTexts(rows[0]!)).toEqual(['Section', 'Original text', 'Proposed text', 'Proposer, justification, support and decision']);
    const acceptedRow = rows.find((r) => cellTexts(r)[2] === 'within 14 days')!;
    const accepted = cellTexts(acceptedRow);
    expect(accepted[0]).toBe('No. 1Security (security)');
    expect(accepted[1]).toBe('promptly, and "promptly" means days');
    expect(accepted[2]).toBe('within 14 days');
    expect(accepted[3]).toContain('Proposed by: Sam Stake');
    expect(accepted[3]).toContain('Justification: Measurable');
    expect(accepted[3]).toContain('Supporters by group: Government (1)');
    expect(accepted[3]).toContain('Status: Accepted');
    expect(accepted[3]).toContain('Decision: Accepted by Chiara Chair');
    // The removed words are struck through, the added ones underlined.
    expect(acceptedRow).toMatch(/<w:strike\/>/);
    expect(acceptedRow).toMatch(/<w:u w:val="single"\/>/);
    // Rows in document order: Scope's amendments (2, 3) before Security's (1, 4).
    expect(rows.slice(1).map((r) => cellTexts(r)[0]!.match(/^No\. (\d+)/)![1])).toEqual(['2', '3', '1', '4']);
  });

  it('422 for an unknown format, 404 for an unknown document', async () => {
    expect((await get('pdf')).status).toBe(422);
    expect((await server.api('/api/documents/nope/amendments/export?format=csv')).status).toBe(404);
    const empty = await server.api('/api/documents/gpp/amendments/export?format=csv');
    expect(empty.status).toBe(200);
    expect(parseCsv(await empty.text())).toHaveLength(1);
  });
});
