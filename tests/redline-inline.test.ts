// Inline code and links in every rendering of a redline (issue #16): the text
// of `code` is never dropped, and a link keeps its URL even when it is inserted
// or deleted (DOCX: the w:hyperlink holds the tracked runs).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMarkdown, serializeMarkdown } from '../core/markdown';
import { redline, type Redline } from '../core/redline/index';
import { renderRedlineHtml } from '../core/redline/render-html';
import { renderRedlineMarkdown } from '../core/redline/render-markdown';
import type { PMJSON } from '../core/schema';
import { redlineDocx } from '../server/export/docx';
import { redlinePdf } from '../server/export/pdf';

const work = mkdtempSync(join(tmpdir(), 'accord-inline-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function diffMd(a: string, b: string): Redline {
  const pa = parseMarkdown(a);
  const pb = parseMarkdown(b);
  return redline({ ref: 1, title: pa.title, doc: pa.doc.toJSON() as PMJSON }, { ref: 2, title: pb.title, doc: pb.doc.toJSON() as PMJSON });
}

const OLD_CODE = '# T\n\n## Transport {#transport}\n\nConnections use `TLS 1.3` or newer.\n';
const NEW_CODE = '# T\n\n## Transport {#transport}\n\nConnections use `TLS 1.2` or newer.\n';

describe('inline code', () => {
  it('is kept by the Markdown parser and written back', () => {
    const parsed = parseMarkdown(OLD_CODE);
    expect(parsed.doc.textContent).toContain('TLS 1.3');
    expect(serializeMarkdown(parsed.title, parsed.doc)).toBe(OLD_CODE);
  });

  it('a change inside code is a change of the redline, in every text format', () => {
    const r = diffMd(OLD_CODE, NEW_CODE);
    expect(r.stats.wordsInserted).toBe(1);
    expect(r.stats.wordsDeleted).toBe(1);
    const ops = r.sections[0]!.blocks[1]!.ops;
    expect(ops.find((o) => o.op === 'delete')?.runs?.[0]?.marks).toEqual([{ type: 'code' }]);
    const html = renderRedlineHtml(r);
    expect(html).toContain('<del><code>1.3</code></del>');
    expect(html).toContain('<ins><code>1.2</code></ins>');
    const md = renderRedlineMarkdown(r);
    expect(md).toContain('{~~`1.3`~>`1.2`~~}');
  });

  it('is monospace in the DOCX and the PDF', async () => {
    const r = diffMd(OLD_CODE, NEW_CODE);
    const xml = await (await JSZip.loadAsync(await redlineDocx(r))).file('word/document.xml')!.async('string');
    expect(xml).toMatch(/<w:ins [^>]*><w:r><w:rPr><w:rFonts w:ascii="Courier New"[^>]*\/><\/w:rPr><w:t[^>]*>1\.2<\/w:t>/);
    const pdf = await redlinePdf(r);
    expect(pdf.toString('latin1')).toContain('/BaseFont /Courier');
  });
});

const OLD_LINK = '# T\n\n## Links {#links}\n\nSee the guidance.\n';
const NEW_LINK = '# T\n\n## Links {#links}\n\nSee the [ENISA guidance](https://www.enisa.europa.eu/iot).\n';

describe('links', () => {
  const r = diffMd(OLD_LINK, NEW_LINK);

  it('an inserted link keeps its URL in HTML and Markdown', () => {
    expect(renderRedlineHtml(r)).toContain('href="https://www.enisa.europa.eu/iot"');
    expect(renderRedlineMarkdown(r)).toContain('(<https://www.enisa.europa.eu/iot>)');
  });

  it('an inserted link keeps its URL in the DOCX: a w:hyperlink around the tracked insertion', async () => {
    const zip = await JSZip.loadAsync(await redlineDocx(r));
    const xml = await zip.file('word/document.xml')!.async('string');
    const rels = await zip.file('word/_rels/document.xml.rels')!.async('string');
    const link = /<w:hyperlink [^>]*r:id="([^"]+)"[^>]*>((?:(?!<\/w:hyperlink>).)*)<\/w:hyperlink>/.exec(xml);
    expect(link, 'a hyperlink in the redline').not.toBeNull();
    expect(link![2]).toMatch(/<w:ins [^>]*>/);
    expect(link![2]).toContain('ENISA');
    expect(rels).toMatch(new RegExp(`Id="${link![1]}"[^>]*Target="https://www.enisa.europa.eu/iot"|Target="https://www.enisa.europa.eu/iot"[^>]*Id="${link![1]}"`));
  });

  it('a deleted link keeps its URL in the DOCX', async () => {
    const back = diffMd(NEW_LINK, OLD_LINK);
    const xml = await (await JSZip.loadAsync(await redlineDocx(back))).file('word/document.xml')!.async('string');
    expect(xml).toMatch(/<w:hyperlink [^>]*>(?:(?!<\/w:hyperlink>).)*<w:del [^>]*>/);
  });

  it.runIf(spawnSync('sh', ['-c', 'command -v pdftotext']).status === 0)('an inserted link is a link annotation in the PDF', async () => {
    const pdf = await redlinePdf(r);
    const file = join(work, 'link.pdf');
    writeFileSync(file, pdf);
    expect(pdf.toString('latin1')).toContain('(https://www.enisa.europa.eu/iot)');
    expect(execFileSync('pdftotext', [file, '-']).toString()).toContain('ENISA guidance');
  });
});

describe('a paragraph moved and edited on the way, in the DOCX', () => {
  const OLD = '# T\n\n## Scope {#scope}\n\nThe paper covers devices.\n\nUsers should take action to secure their devices before first use.\n\n## Security {#security}\n\nDevices must be secure by design.\n';
  const NEW = '# T\n\n## Scope {#scope}\n\nThe paper covers devices.\n\n## Security {#security}\n\nDevices must be secure by design.\n\nUsers need not take action to secure their devices before first use.\n';

  it('shows the words changed while moving: highlighted where inserted, named in the comment', async () => {
    const zip = await JSZip.loadAsync(await redlineDocx(diffMd(OLD, NEW)));
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toMatch(/<w:ins [^>]*><w:r><w:rPr><w:highlight w:val="yellow"\/><\/w:rPr><w:t[^>]*>need not<\/w:t>/);
    // The destination holds the new text only: Reject All removes it whole, the old text stays at the source.
    expect(xml).not.toMatch(/<w:delText[^>]*>should<\/w:delText>/);
    const comments = await zip.file('word/comments.xml')!.async('string');
    expect(comments).toContain('Changed while moving: “should” → “need not”.');
  });
});
