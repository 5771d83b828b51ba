// Redline -> PDF, server-side without a browser (pdfkit): the same header,
// summary and colours as the HTML page (green underlined insertions, red
// struck-out deletions, blue moves), with page numbers. Also the clean PDF of
// one version. Renders from the redline JSON only; no HTTP, no files.
import PDFDocument from 'pdfkit';
import { redline } from '../../core/redline/index';
import { formatChangeText, moveText, plainRunText, resolveMeta, runsOf, sectionStatusText, shapeText } from '../../core/redline/render-common';
import type { Redline, RedlineBlock, RedlineMark, RedlineMeta, RedlineOp, RedlineSection } from '../../core/redline/types';
import { isSafeHref, type PMJSON } from '../../core/schema';

export const PDF_COLORS = { text: '#1b1b1b', ins: '#0a6b2a', del: '#b3261e', move: '#1a4fa0', fmt: '#8a5a00', muted: '#555555', rule: '#bbbbbb' };

const MARGIN = 56;

// The standard PDF fonts speak WinAnsi (Latin-1 plus typographic punctuation);
// anything else would print as garbage, so it is replaced visibly.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
function pdfText(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    out += c === 10 || (c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch) ? ch : c === 9 ? ' ' : '?';
  }
  return out;
}

function fontFor(marks: readonly RedlineMark[], heading = false): string {
  if (marks.some((m) => m.type === 'code')) return heading ? 'Courier-Bold' : 'Courier';
  const bold = heading || marks.some((m) => m.type === 'strong');
  const italic = marks.some((m) => m.type === 'em');
  return bold && italic ? 'Helvetica-BoldOblique' : bold ? 'Helvetica-Bold' : italic ? 'Helvetica-Oblique' : 'Helvetica';
}

/**
 * pdfkit measures the whole rest of a word for every line it breaks off an
 * over-long word, which is quadratic: an 80 KB token took 16 s. Runs of more
 * than UNBROKEN characters without a space are cut into pieces of that length,
 * each its own segment (pdfkit may break between segments), so each line
 * costs only its own characters.
 */
const UNBROKEN = 48;
const MAX_CELL = 300;
const LONG_RUN = new RegExp(`\\S{${UNBROKEN}}(?=\\S)`, 'g');

function unbrokenSplit(segment: Segment): Segment[] {
  if (segment.text.length <= UNBROKEN || !LONG_RUN.test(segment.text)) return [segment];
  const out: Segment[] = [];
  let start = 0;
  LONG_RUN.lastIndex = 0;
  for (let m = LONG_RUN.exec(segment.text); m; m = LONG_RUN.exec(segment.text)) {
    const end = m.index + m[0].length;
    out.push({ ...segment, text: segment.text.slice(start, end) });
    start = end;
  }
  out.push({ ...segment, text: segment.text.slice(start) });
  return out;
}

interface Segment {
  text: string;
  font: string;
  color: string;
  underline?: boolean;
  strike?: boolean;
  link?: string;
  size?: number;
}

class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  private readonly width: number;

  /** `date` (ISO) is the text's: as the creation date it also fixes the file ID, so one text renders to one byte string. */
  constructor(title: string, author: string, date?: string) {
    const created = date === undefined ? new Date() : new Date(date);
    const info = { Title: title, Author: author, Creator: 'Accord', CreationDate: Number.isNaN(created.getTime()) ? new Date() : created };
    this.doc = new PDFDocument({ size: 'A4', margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN }, bufferPages: true, info });
    this.width = this.doc.page.width - 2 * MARGIN;
  }

  /** One paragraph made of differently styled segments, wrapped within [x, x + width]. */
  paragraph(segments: Segment[], options: { indent?: number; size?: number; gap?: number } = {}): void {
    const doc = this.doc;
    const size = options.size ?? 10.5;
    const x = MARGIN + (options.indent ?? 0);
    const width = this.width - (options.indent ?? 0);
    const parts = segments.flatMap(unbrokenSplit).filter((s) => s.text.length > 0);
    if (parts.length === 0) parts.push({ text: ' ', font: 'Helvetica', color: PDF_COLORS.text });
    if (doc.y + size * 1.4 > doc.page.height - MARGIN) doc.addPage();
    parts.forEach((s, i) => {
      doc.font(s.font).fontSize(s.size ?? size).fillColor(s.color);
      const opts: PDFKit.Mixins.TextOptions = { continued: i < parts.length - 1, underline: !!s.underline, strike: !!s.strike, lineGap: 2 };
      if (s.link) opts.link = s.link;
      if (i === 0) doc.text(pdfText(s.text), x, doc.y, { ...opts, width });
      else doc.text(pdfText(s.text), opts);
    });
    doc.moveDown(options.gap ?? 0.45);
  }

  rule(): void {
    const doc = this.doc;
    doc.moveTo(MARGIN, doc.y).lineTo(MARGIN + this.width, doc.y).lineWidth(0.5).strokeColor(PDF_COLORS.rule).stroke();
    doc.moveDown(0.5);
  }

  /** A bordered table; `widths` are relative. The header row repeats after a page break. */
  table(rows: string[][], widths: number[], options: { mono?: (r: number, c: number) => boolean; align?: (c: number) => 'left' | 'right' } = {}): void {
    const doc = this.doc;
    const total = widths.reduce((a, b) => a + b, 0);
    const cols = widths.map((w) => (w / total) * this.width);
    // A table is a summary: an over-long cell (a pathological title) is cut, as pdfkit wraps it in quadratic time.
    rows = rows.map((row) => row.map((cell) => (cell.length > MAX_CELL ? `${cell.slice(0, MAX_CELL)}…` : cell)));
    const pad = 4;
    const drawRow = (cells: string[], r: number) => {
      const fontOf = (c: number) => (options.mono?.(r, c) ? 'Courier' : r === 0 || c === 0 ? 'Helvetica-Bold' : 'Helvetica');
      const sizeOf = (c: number) => (options.mono?.(r, c) ? 7.5 : 8.5);
      const height =
        Math.max(...cells.map((text, c) => doc.font(fontOf(c)).fontSize(sizeOf(c)).heightOfString(pdfText(text), { width: cols[c]! - 2 * pad }))) + 2 * pad;
      if (doc.y + height > doc.page.height - MARGIN) {
        doc.addPage();
        if (r > 0) drawRow(rows[0]!, 0);
      }
      const y = doc.y;
      let x = MARGIN;
      cells.forEach((text, c) => {
        if (r === 0) doc.rect(x, y, cols[c]!, height).fillColor('#eeeeee').fill();
        doc.rect(x, y, cols[c]!, height).lineWidth(0.5).strokeColor(PDF_COLORS.rule).stroke();
        doc.font(fontOf(c)).fontSize(sizeOf(c)).fillColor(PDF_COLORS.text).text(pdfText(text), x + pad, y + pad, { width: cols[c]! - 2 * pad, align: r > 0 ? (options.align?.(c) ?? 'left') : 'left' });
        x += cols[c]!;
      });
      doc.x = MARGIN;
      doc.y = y + height;
    };
    rows.forEach(drawRow);
    doc.moveDown(0.8);
  }

  /** "Page i of n" (and a label) at the foot of every page. */
  pageNumbers(label: string): void {
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc.font('Helvetica').fontSize(8).fillColor(PDF_COLORS.muted).text(pdfText(`${label} · Page ${i + 1 - range.start} of ${range.count}`), MARGIN, doc.page.height - MARGIN / 2 - 4, { width: this.width, align: 'center', lineBreak: false });
      doc.page.margins.bottom = bottom;
    }
  }

  finish(): Promise<Buffer> {
    const doc = this.doc;
    const chunks: Buffer[] = [];
    return new Promise((resolve, reject) => {
      doc.on('data', (c: Buffer) => chunks.push(c));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
      doc.end();
    });
  }
}

function opSegments(op: RedlineOp, heading: boolean): Segment[] {
  const moved = op.moveId !== undefined;
  return runsOf(op).map((run) => {
    const link = run.marks.find((m) => m.type === 'link')?.href;
    const seg: Segment = { text: plainRunText(run), font: fontFor(run.marks, heading), color: PDF_COLORS.text };
    if (link && isSafeHref(link) && op.op !== 'delete') seg.link = link;
    if (op.op === 'insert') Object.assign(seg, { color: moved ? PDF_COLORS.move : PDF_COLORS.ins, underline: true });
    else if (op.op === 'delete') Object.assign(seg, { color: moved ? PDF_COLORS.move : PDF_COLORS.del, strike: true });
    else if (op.fromRuns) Object.assign(seg, { color: PDF_COLORS.fmt, underline: true });
    else if (link) seg.underline = true;
    return seg;
  });
}

function note(text: string): Segment {
  return { text: `  [${text}]`, font: 'Helvetica-Oblique', color: PDF_COLORS.muted, size: 8 };
}

function blockSegments(block: RedlineBlock, section: RedlineSection, all: readonly RedlineSection[], tracked: boolean): Segment[] {
  const heading = block.type === 'heading';
  const ops = block.status === 'moved-to' && block.moveOps ? block.moveOps : block.ops;
  const segments: Segment[] = [];
  if (block.type === 'list_item') segments.push({ text: block.list === 'ordered' ? `${block.number ?? 1}.  ` : '•  ', font: 'Helvetica', color: PDF_COLORS.text });
  for (const op of ops) {
    const segs = opSegments(op, heading);
    // Moved text shown with its edits stays blue where it is unchanged.
    if (block.status === 'moved-to' && block.moveOps && op.op === 'equal') for (const s of segs) Object.assign(s, { color: PDF_COLORS.move, underline: true });
    segments.push(...segs);
  }
  if (block.paragraphBreak && tracked) segments.push({ text: ' ¶', font: 'Helvetica', color: block.paragraphBreak === 'inserted' ? PDF_COLORS.ins : PDF_COLORS.del, underline: block.paragraphBreak === 'inserted', strike: block.paragraphBreak === 'deleted' });
  if (!tracked) return segments;
  if (block.moveId) segments.push(note(`${moveText(block, all, section)} (${block.moveId})`));
  if (block.shapeFrom) segments.push(note(`was a ${shapeText(block.shapeFrom)}`));
  for (const op of ops) if (op.fromRuns) segments.push(note(formatChangeText(op)));
  return segments;
}

function writeSections(w: PdfWriter, r: Redline, tracked: boolean): void {
  for (const section of r.sections) {
    if (tracked) w.rule();
    if (tracked && section.status !== 'unchanged') {
      const color = section.status === 'added' ? PDF_COLORS.ins : section.status === 'removed' ? PDF_COLORS.del : section.status === 'moved' ? PDF_COLORS.move : PDF_COLORS.muted;
      w.paragraph([{ text: sectionStatusText(section).toUpperCase(), font: 'Helvetica-Bold', color, size: 7.5 }], { gap: 0.2 });
    }
    for (const block of section.blocks) {
      const size = block.type === 'heading' ? Math.max(11, 17 - 2 * ((block.level ?? 3) - 2)) : 10.5;
      const indent = 16 * ((block.depth ?? 0) + (block.quote ?? 0));
      w.paragraph(blockSegments(block, section, r.sections, tracked), { size, indent, gap: block.type === 'heading' ? 0.3 : 0.45 });
    }
  }
}

/** The redline as a PDF: header, summary, then the text with the changes coloured. */
export async function redlinePdf(r: Redline, meta?: Partial<RedlineMeta>): Promise<Buffer> {
  const m = resolveMeta(r, meta);
  const w = new PdfWriter(`Redline: ${m.documentTitle}`, m.author ?? 'Accord', m.to.date ?? m.generatedAt);
  const doc = w.doc;
  w.paragraph([{ text: 'REDLINE', font: 'Helvetica-Bold', color: PDF_COLORS.muted, size: 8 }], { gap: 0.2 });
  w.paragraph([{ text: m.documentTitle, font: 'Helvetica-Bold', color: PDF_COLORS.text, size: 20 }], { gap: 0.5 });
  w.table(
    [
      ['', 'From', 'To'],
      ['Version', m.from.label, m.to.label],
      ['Date', m.from.date ?? '—', m.to.date ?? '—'],
      ['Content hash', m.from.contentHash ?? '—', m.to.contentHash ?? '—'],
      ...(m.from.fileDigest || m.to.fileDigest ? [['File digest (SHA-256)', m.from.fileDigest ?? '—', m.to.fileDigest ?? '—']] : []),
    ],
    [2, 5, 5],
    { mono: (row, c) => row >= 3 && c > 0 },
  );
  const generated = [m.generatedAt ? `Generated ${m.generatedAt}` : '', m.documentId ? `document ${m.documentId}` : ''].filter(Boolean).join(' · ');
  if (generated) w.paragraph([{ text: generated, font: 'Helvetica', color: PDF_COLORS.muted, size: 8.5 }]);
  w.paragraph([{ text: 'Log checkpoint', font: 'Helvetica-Bold', color: PDF_COLORS.text, size: 11 }], { gap: 0.2 });
  w.paragraph([{ text: (m.checkpoint ?? 'No log checkpoint given.').replace(/\n$/, ''), font: 'Courier', color: PDF_COLORS.text, size: 7.5 }]);
  w.paragraph([
    { text: 'Legend: ', font: 'Helvetica', color: PDF_COLORS.muted, size: 8.5 },
    { text: 'inserted', font: 'Helvetica', color: PDF_COLORS.ins, underline: true, size: 8.5 },
    { text: '  ', font: 'Helvetica', color: PDF_COLORS.muted, size: 8.5 },
    { text: 'deleted', font: 'Helvetica', color: PDF_COLORS.del, strike: true, size: 8.5 },
    { text: '  ', font: 'Helvetica', color: PDF_COLORS.muted, size: 8.5 },
    { text: 'moved', font: 'Helvetica', color: PDF_COLORS.move, underline: true, size: 8.5 },
    { text: '  ', font: 'Helvetica', color: PDF_COLORS.muted, size: 8.5 },
    { text: 'formatting changed', font: 'Helvetica', color: PDF_COLORS.fmt, underline: true, size: 8.5 },
  ]);
  w.paragraph([{ text: 'Summary of changes', font: 'Helvetica-Bold', color: PDF_COLORS.text, size: 13 }], { gap: 0.3 });
  const t = r.stats;
  w.table(
    [
      ['Section', 'Status', 'Inserted', 'Deleted', 'Moved', 'Formatting'],
      ...r.sections.map((s) => [s.title || s.id, sectionStatusText(s), String(s.stats.wordsInserted), String(s.stats.wordsDeleted), String(s.stats.wordsMoved), String(s.stats.formatChanges)]),
      ['Total', `${t.sectionsChanged} changed, ${t.sectionsAdded} added, ${t.sectionsRemoved} removed, ${t.sectionsMoved} moved`, String(t.wordsInserted), String(t.wordsDeleted), String(t.wordsMoved), String(t.formatChanges)],
    ],
    [6, 5, 2.2, 2.2, 2.2, 2.4],
    { align: (c) => (c >= 2 ? 'right' : 'left') },
  );
  doc.addPage();
  writeSections(w, r, true);
  w.pageNumbers(`Redline ${m.from.label} to ${m.to.label}`);
  return w.finish();
}

/** One version as a plain PDF. */
export async function cleanPdf(title: string, doc: PMJSON, meta?: { label?: string; date?: string; contentHash?: string }): Promise<Buffer> {
  const r = redline({ ref: 'clean', title, doc }, { ref: 'clean', title, doc });
  const w = new PdfWriter(title, 'Accord', meta?.date);
  w.paragraph([{ text: title || 'Untitled document', font: 'Helvetica-Bold', color: PDF_COLORS.text, size: 20 }], { gap: 0.3 });
  const info = [meta?.label, meta?.date, meta?.contentHash ? `content hash ${meta.contentHash}` : ''].filter(Boolean).join(' · ');
  if (info) w.paragraph([{ text: info, font: 'Helvetica', color: PDF_COLORS.muted, size: 8.5 }]);
  writeSections(w, r, false);
  w.pageNumbers(title || 'Document');
  return w.finish();
}
