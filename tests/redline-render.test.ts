// The renderings of one redline: golden HTML and Markdown, DOCX with real
// tracked changes (checked in the XML and, when LibreOffice is installed, by
// LibreOffice itself), and a PDF whose pages show the colours.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMarkdown } from '../core/markdown';
import { redline, type Redline } from '../core/redline/index';
import { renderRedlineHtml } from '../core/redline/render-html';
import { renderRedlineMarkdown } from '../core/redline/render-markdown';
import type { RedlineMeta } from '../core/redline/types';
import type { PMJSON } from '../core/schema';
import { cleanDocx, redlineDocx } from '../server/export/docx';
import { cleanHtml, cleanMarkdown } from '../server/export/html-clean';
import { cleanPdf, redlinePdf } from '../server/export/pdf';

const load = (name: string) => parseMarkdown(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const oldDoc = load('redline-old.md');
const newDoc = load('redline-new.md');
const r: Redline = redline(
  { ref: 4, label: 'Draft 4', title: oldDoc.title, doc: oldDoc.doc.toJSON() as PMJSON },
  { ref: 'live', label: 'Live text', title: newDoc.title, doc: newDoc.doc.toJSON() as PMJSON },
);
const META: RedlineMeta = {
  documentTitle: 'Charter for Connected Devices',
  documentId: 'charter',
  from: { label: 'Version 4 (Draft 4)', date: '2024-03-01T09:00:00Z', contentHash: 'sha256:3f1a9c0d5e7b2a4c6e8f0a1b3c5d7e9f1a2b3c4d5e6f708192a3b4c5d6e7f809' },
  to: { label: 'Live text', date: '2024-03-14T16:30:00Z', contentHash: 'sha256:9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d' },
  checkpoint: 'accord.example/log\n42\nq8jv1Ptu0/gUoVZJh1Z8zXm1Y4e2Y3Jp0xJjJ4w6W0Q=\n\n— accord.example/log Az3grlgk8Dj0Tg3ndVJxGRLpSBpJvmNUbp0ZYr7ATh4C\n',
  generatedAt: '2024-03-14T16:31:00Z',
  author: 'Chair <chair@example.org>',
};

const work = mkdtempSync(join(tmpdir(), 'accord-redline-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}
const soffice = ['soffice', 'libreoffice'].find(onPath);
const requireTools = process.env.CI === 'true';

describe('HTML rendering', () => {
  const html = renderRedlineHtml(r, META);

  it('matches the golden page', async () => {
    await expect(html).toMatchFileSnapshot('./golden/redline.html');
  });

  it('has the header, the summary and the redline', () => {
    expect(html).toMatch(/^<!doctype html>/);
    for (const text of [META.from.label, META.to.label, META.from.date!, META.to.contentHash!, 'accord.example/log', 'Summary of changes']) expect(html).toContain(text);
    expect(html).toContain('<ins>or leased </ins>');
    expect(html).toContain('<del>Complaints go to the national regulator.</del>');
    expect(html).toContain('class="move" data-move="m1"');
    expect(html).toContain('class="fmt"');
    expect(html).toMatch(/@media print/);
  });

  it('escapes document text', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;, &amp; and {++braces++}');
  });
});

describe('Markdown (CriticMarkup) rendering', () => {
  const md = renderRedlineMarkdown(r, META);

  it('matches the golden file', async () => {
    await expect(md).toMatchFileSnapshot('./golden/redline.md');
  });

  it('uses CriticMarkup for insertions, deletions, substitutions and comments', () => {
    expect(md).toContain('sold {++or leased ++}in the region');
    expect(md).toContain('{~~five~>ten~~}');
    expect(md).toContain('{--Complaints go to the national regulator.--}');
    expect(md).toContain('{>>Moved here from section “Scope” (m3)<<}');
    expect(md).toContain('## {++Enforcement++} {#enforcement}');
    expect(md).toContain('\\<script\\>, & and \\{++braces++\\}');
  });
});

describe('DOCX rendering', async () => {
  const buffer = await redlineDocx(r, META);
  const zip = await JSZip.loadAsync(buffer);
  const xml = await zip.file('word/document.xml')!.async('string');

  it('holds real tracked changes with author and date', async () => {
    expect(buffer.subarray(0, 2).toString()).toBe('PK');
    const ins = xml.match(/<w:ins [^>]*>/g) ?? [];
    const del = xml.match(/<w:del [^>]*>/g) ?? [];
    expect(ins.length).toBeGreaterThan(5);
    expect(del.length).toBeGreaterThan(5);
    for (const tag of [...ins, ...del]) {
      expect(tag).toMatch(/w:author="Chair &lt;chair@example.org&gt;"/);
      expect(tag).toMatch(/w:date="2024-03-14T16:30:00Z"/);
      expect(tag).toMatch(/w:id="\d+"/);
    }
    const ids = [...xml.matchAll(/<w:(?:ins|del|rPrChange|pPrChange) w:id="(\d+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(xml).toMatch(/<w:delText[^>]*>Complaints go to the national regulator.<\/w:delText>/);
    expect(xml).toMatch(/<w:ins [^>]*><w:r>(?:<w:rPr>.*?<\/w:rPr>)?<w:t[^>]*>or leased <\/w:t>/);
    // Whole paragraphs: their paragraph marks are tracked too, so rejecting removes the paragraph.
    expect(xml).toMatch(/<w:pPr>(?:(?!<\/w:pPr>).)*<w:rPr><w:ins /);
    expect(xml).toMatch(/<w:pPr>(?:(?!<\/w:pPr>).)*<w:rPr><w:del /);
    // Formatting changes are tracked as such.
    expect(xml.includes('<w:rPrChange')).toBe(true);
    // A moved section is deleted where it was and inserted where it is (Reject All puts it back).
    expect(xml).toMatch(/<w:delText[^>]*>Terms in italics are defined here.<\/w:delText>/);
    expect(xml).toMatch(/<w:ins [^>]*><w:r>(?:<w:rPr>.*?<\/w:rPr>)?<w:t[^>]*>Terms in italics are defined here.<\/w:t>/);
    const settings = await zip.file('word/settings.xml')!.async('string');
    expect(settings).toContain('<w:trackRevisions/>');
    const comments = await zip.file('word/comments.xml')!.async('string');
    expect(comments).toContain('Moved here from section “Scope” (m3)');
  });

  it('styles headings and shows the header', () => {
    expect(xml).toContain('<w:pStyle w:val="Heading1"/>');
    expect(xml).toContain('<w:pStyle w:val="Heading2"/>');
    expect(xml).toContain('<w:pStyle w:val="Title"/>');
    expect(xml).toContain(META.to.contentHash);
    expect(xml).toContain('accord.example/log');
  });

  it.runIf(soffice !== undefined || requireTools)('is read by LibreOffice as tracked insertions and deletions', () => {
    expect(soffice, 'LibreOffice (soffice) must be installed when CI=true').toBeDefined();
    const input = join(work, 'redline.docx');
    writeFileSync(input, buffer);
    const profile = `file://${join(work, 'lo-profile')}`;
    execFileSync(soffice!, [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'fodt', '--outdir', work, input], { stdio: 'pipe', timeout: 120_000 });
    const fodt = readFileSync(join(work, 'redline.fodt'), 'utf8');
    const regions = [...fodt.matchAll(/<text:changed-region[^>]*text:id="([^"]+)"[^>]*>([\s\S]*?)<\/text:changed-region>/g)].map((m) => ({ id: m[1]!, body: m[2]! }));
    const kind = (k: string) => regions.filter((x) => x.body.includes(`<text:${k}>`));
    expect(kind('insertion').length).toBeGreaterThan(5);
    expect(kind('deletion').length).toBeGreaterThan(5);
    expect(kind('format-change').length).toBeGreaterThan(0);
    for (const x of regions) expect(x.body).toContain('<dc:creator>Chair &lt;chair@example.org&gt;</dc:creator>');
    // The text each change covers sits in the body between its start and end marks.
    const span = (id: string) => {
      const start = fodt.indexOf(`<text:change-start text:change-id="${id}"/>`);
      const end = fodt.indexOf(`<text:change-end text:change-id="${id}"/>`, start);
      return start < 0 || end < 0 ? '' : fodt.slice(start, end).replace(/<[^>]+>/g, '');
    };
    expect(kind('insertion').map((x) => span(x.id))).toContain('or leased ');
    expect(kind('deletion').some((x) => span(x.id).includes('Complaints go to the national regulator.'))).toBe(true);
  }, 180_000);
});

/** Pixels of page `page` of a PDF, via pdftoppm's PPM output. */
function pagePixels(pdf: Buffer, page: number): { width: number; height: number; rgb: Buffer } {
  const file = join(work, `page-${page}.pdf`);
  writeFileSync(file, pdf);
  const ppm = execFileSync('pdftoppm', ['-r', '50', '-f', String(page), '-l', String(page), file], { maxBuffer: 64 << 20 });
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  return { width: Number(header[1]), height: Number(header[2]), rgb: ppm.subarray(header[0].length) };
}

describe('PDF rendering', async () => {
  const pdf = await redlinePdf(r, META);

  it('is a PDF', () => {
    expect(pdf.length).toBeGreaterThan(2000);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it.runIf(onPath('pdftoppm') || requireTools)('shows insertions in green and deletions in red', () => {
    const { rgb } = pagePixels(pdf, 2);
    let red = 0;
    let green = 0;
    let blue = 0;
    for (let i = 0; i + 2 < rgb.length; i += 3) {
      const [rr, g, b] = [rgb[i]!, rgb[i + 1]!, rgb[i + 2]!];
      if (rr > 140 && g < 100 && b < 100) red++;
      if (g > 80 && rr < 80 && b < 90 && g > rr + 30) green++;
      if (b > 120 && rr < 80 && g < 120) blue++;
    }
    expect(red).toBeGreaterThan(20);
    expect(green).toBeGreaterThan(20);
    expect(blue).toBeGreaterThan(10);
  });

  it.runIf(onPath('pdftotext') || requireTools)('has the header and page numbers', () => {
    const file = join(work, 'redline.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain('Charter for Connected Devices');
    expect(text).toContain(META.from.contentHash!.slice(0, 30));
    expect(text).toContain('accord.example/log');
    expect(text).toMatch(/Page 1 of \d+/);
    expect(text).toMatch(/Page 2 of \d+/);
  });
});

describe('clean exports', () => {
  it('DOCX and PDF of one version have no tracked changes', async () => {
    const doc = newDoc.doc.toJSON() as PMJSON;
    const docx = await cleanDocx(newDoc.title, doc, { label: 'Version 5' });
    const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
    expect(xml).not.toMatch(/<w:(ins|del) /);
    expect(xml).toContain('Each regulator publishes an annual report on complaints.');
    const pdf = await cleanPdf(newDoc.title, doc, { label: 'Version 5' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('HTML and Markdown of one version', () => {
    const doc = newDoc.doc.toJSON() as PMJSON;
    const html = cleanHtml(newDoc.title, doc, { label: 'Version 5' });
    expect(html).not.toMatch(/<(ins|del)\b/);
    expect(html).toContain('<strong>device</strong>');
    expect(html).toContain('&lt;script&gt;');
    const md = cleanMarkdown(newDoc.title, doc);
    expect(parseMarkdown(md).doc.toJSON()).toEqual(doc);
  });
});
