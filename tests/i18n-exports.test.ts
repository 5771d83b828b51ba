// Exports' own texts in the document's language (one of the six UN
// languages, else English; ?lang= overrides): a French document's redline in
// HTML, Markdown, DOCX (header, summary, page footer) and PDF (pdftotext finds
// the headers and "Page 1 sur n"), the meeting package's README, and an Arabic
// document's redline page right to left with Arabic headers.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportMessages } from '../core/i18n/messages/exports';
import { checkCatalogues } from './helpers/i18n';
import { startTestServer, type TestServer, type TestUser } from './helpers/server';

const hasPdftotext = spawnSync('sh', ['-c', 'command -v pdftotext']).status === 0;

const FRENCH = `# Charte des objets connectés

## Vie privée {#privacy}

Les appareils protègent la vie privée des utilisateurs par défaut.

## Sécurité {#security}

Les mises à jour sont signées.
`;

const ARABIC = `# ورقة الممارسات الجيدة

## الخصوصية {#privacy}

يجب أن تحمي الأجهزة خصوصية المستخدمين بشكل افتراضي.
`;

let server: TestServer;
let chair: TestUser;

async function freeze(id: string, label: string): Promise<void> {
  const res = await server.api(`/api/documents/${id}/versions`, { method: 'POST', token: chair.token, body: { label, meeting: 'IGF 2026' } });
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  server = await startTestServer();
  chair = await server.createUser('chair', 'Chiara');
  for (const [id, markdown, language] of [
    ['fr-paper', FRENCH, 'fr-FR'],
    ['ar-paper', ARABIC, 'ar'],
    ['de-paper', '# Papier\n\n## Eins {#one}\n\nText.\n', 'de'],
  ] as const) {
    const made = await server.api('/api/documents', { method: 'POST', token: chair.token, body: { id, title: markdown.split('\n')[0]!.slice(2), markdown, language } });
    expect(made.status).toBe(201);
    await freeze(id, 'Projet initial');
  }
});
afterAll(() => server.close());

const get = (path: string) => server.api(path);

describe('exports in the document\'s language', () => {
  it('the catalogue is complete and translated in all six', () => {
    checkCatalogues(exportMessages, {
      fr: ['document', 'side.version', 'head.version', 'head.date', 'head.document', 'summary.section', 'summary.total', 'mark.code', 'mark.image', 'col.section', 'col.justification', 'col.organisation'],
      es: ['summary.total'],
      // "№" is how Russian numbers a row.
      ru: ['col.no', 'compilation.number'],
    });
  });

  it('a French document: the HTML and Markdown redlines and the clean HTML speak French', async () => {
    const html = await (await get('/api/documents/fr-paper/redline?from=1&to=live&format=html')).text();
    expect(html).toContain('<html lang="fr" dir="ltr">');
    expect(html).toContain('<p class="kicker">Version révisée</p>');
    expect(html).toContain('<th scope="col">De</th><th scope="col">À</th>');
    expect(html).toContain('<th scope="row">Empreinte du contenu</th>');
    expect(html).toContain('<h2 id="rl-summary-title">Résumé des modifications</h2>');
    expect(html).toContain('Version 1 : Projet initial');
    expect(html).toContain('Texte en cours');
    expect(html).toContain('<h2>Point de contrôle du journal</h2>');
    expect(html).toContain('<main class="redline" lang="fr-FR" dir="ltr">');
    const md = await (await get('/api/documents/fr-paper/redline?from=1&to=live&format=md')).text();
    expect(md).toContain('# Version révisée : Charte des objets connectés');
    expect(md).toContain('## Résumé des modifications');
    const clean = await (await get('/api/documents/fr-paper/export?version=1&format=html&view')).text();
    expect(clean).toContain('<html lang="fr" dir="ltr">');
    expect(clean).toContain('Version 1 : Projet initial (IGF 2026)');
    expect(clean).toContain('empreinte du contenu sha256:');
  });

  it('?lang= overrides the document\'s language and is validated; a language outside the six gives English', async () => {
    const es = await (await get('/api/documents/fr-paper/redline?from=1&to=live&format=html&lang=es')).text();
    expect(es).toContain('<p class="kicker">Control de cambios</p>');
    expect(es).toContain('<main class="redline" lang="fr-FR" dir="ltr">');
    const bad = await get('/api/documents/fr-paper/redline?from=1&to=live&format=html&lang=de');
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('unprocessable');
    const german = await (await get('/api/documents/de-paper/redline?from=1&to=live&format=html')).text();
    expect(german).toContain('<p class="kicker">Redline</p>');
  });

  it('a French DOCX redline: title, header table, summary and the page footer with Word\'s page fields', async () => {
    const res = await get('/api/documents/fr-paper/redline?from=1&to=live&format=docx');
    expect(res.status).toBe(200);
    const zip = await JSZip.loadAsync(await res.arrayBuffer());
    const document = await zip.file('word/document.xml')!.async('string');
    const text = document.replace(/<[^>]+>/g, ' ');
    for (const phrase of ['Version révisée : Charte des objets connectés', 'Empreinte du contenu', 'Résumé des modifications', 'Les modifications sont suivies', 'Point de contrôle du journal']) expect(text).toContain(phrase);
    const footers = await Promise.all(Object.keys(zip.files).filter((n) => /^word\/footer\d*\.xml$/.test(n)).map((n) => zip.file(n)!.async('string')));
    const footer = footers.join('');
    expect(footer).toContain('Version révisée Version 1 : Projet initial → Texte en cours · Page ');
    expect(footer).toContain(' sur ');
    expect(footer).toMatch(/PAGE[\s\S]*NUMPAGES/);
  });

  it.skipIf(!hasPdftotext)('a French PDF redline: pdftotext finds the headers and "Page 1 sur n" on its pages', async () => {
    const res = await get('/api/documents/fr-paper/redline?from=1&to=live&format=pdf');
    expect(res.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'accord-i18n-pdf-'));
    try {
      const file = join(dir, 'fr.pdf');
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
      for (const phrase of ['VERSION RÉVISÉE', 'Texte en cours', 'Résumé des modifications', 'Légende', 'Point de contrôle du journal']) expect(text).toContain(phrase);
      const pages = text.split('\f').filter((p) => p.trim());
      expect(pages.length).toBeGreaterThanOrEqual(2);
      // The total is drawn apart (filled in once the last page is known): pdftotext may not see the space before it.
      pages.forEach((page, i) => expect(page).toMatch(new RegExp(`Version révisée de Version 1 : Projet initial à Texte en cours · Page ${i + 1} sur ?${pages.length}\\b`)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the meeting package of a French document: README and files in French', async () => {
    const res = await get('/api/documents/fr-paper/export?version=1&format=zip');
    expect(res.status).toBe(200);
    const zip = await JSZip.loadAsync(await res.arrayBuffer());
    const readme = await zip.file('README.txt')!.async('string');
    expect(readme).toContain('Version 1 : Projet initial (IGF 2026)');
    expect(readme).toContain('ouvrez verify.html dans un navigateur Web');
    expect(readme).toMatch(/node accord-verify\.mjs fr-paper-bundle\.json --key "[^"]+"/);
    expect(readme).toContain("Ajoutez --since <fichier>");
  });

  it('the amendment compilation of a French document: CSV headers, statuses and the DOCX four columns in French', async () => {
    const stakeholder = await server.createUser('stakeholder', 'Samir');
    const proposed = await server.api('/api/documents/fr-paper/amendments', { method: 'POST', token: stakeholder.token, body: { section: 'privacy', quote: 'par défaut', proposed: 'dès la conception', justification: 'Plus précis.' } });
    expect(proposed.status).toBe(201);
    const csv = await (await get('/api/documents/fr-paper/amendments/export?format=csv')).text();
    expect(csv.split('\r\n')[0]).toBe('N°,Section,Texte original,Texte proposé,Justification,Auteur,Organisation,Groupe de parties prenantes,Appuis par groupe,État,Décision');
    expect(csv).toContain(',Ouvert,');
    const html = await (await get('/api/documents/fr-paper/amendments/export?format=html')).text();
    expect(html).toContain('<html lang="fr" dir="ltr">');
    expect(html).toContain('<h1>Compilation des amendements</h1>');
    expect(html).toContain('1 amendement · établie le');
    const english = await (await get('/api/documents/fr-paper/amendments/export?format=csv&lang=en')).text();
    expect(english.split('\r\n')[0]).toBe('No.,Section,Original text,Proposed text,Justification,Proposer,Organisation,Stakeholder group,Supporters by group,Status,Decision');
    expect((await get('/api/documents/fr-paper/amendments/export?format=csv&lang=xx')).status).toBe(422);
    const docx = await JSZip.loadAsync(await (await get('/api/documents/fr-paper/amendments/export?format=docx')).arrayBuffer());
    const text = (await docx.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
    for (const phrase of ['Compilation des amendements', 'Auteur, justification, appuis et décision', 'N° 1', 'Proposé par: ', 'aucun pour l’instant']) expect(text).toContain(phrase);
  });

  it('an Arabic document: the redline page runs right to left with Arabic headers; the PDF renders with an Arabic footer', async () => {
    const html = await (await get('/api/documents/ar-paper/redline?from=1&to=live&format=html')).text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('<p class="kicker">مقارنة التعديلات</p>');
    expect(html).toContain('<h2 id="rl-summary-title">ملخص التغييرات</h2>');
    const pdf = await get('/api/documents/ar-paper/redline?from=1&to=live&format=pdf');
    expect(pdf.status).toBe(200);
    const zh = await get('/api/documents/ar-paper/redline?from=1&to=live&format=pdf&lang=zh');
    expect(zh.status).toBe(200);
    if (hasPdftotext) {
      const dir = mkdtempSync(join(tmpdir(), 'accord-i18n-pdf-'));
      try {
        writeFileSync(join(dir, 'zh.pdf'), Buffer.from(await zh.arrayBuffer()));
        const text = execFileSync('pdftotext', [join(dir, 'zh.pdf'), '-']).toString();
        expect(text).toContain('修改摘要');
        expect(text.replace(/\s+/g, '')).toMatch(/第1页，共\d+页/);
        writeFileSync(join(dir, 'ar.pdf'), Buffer.from(await pdf.arrayBuffer()));
        execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', join(dir, 'ar.pdf'), '/tmp/i18n-export-ar']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
