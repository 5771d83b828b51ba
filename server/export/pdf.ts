// Redline -> PDF, server-side without a browser (pdfkit): the same header,
// summary and colours as the HTML page (green underlined insertions, red
// struck-out deletions, blue moves), with page numbers. Also the clean PDF of
// one version. Renders from the redline JSON only; no HTTP, no files.
import PDFDocument from 'pdfkit';
import { directionOfText } from '../../core/language';
import { PdfFonts, standardFontsSuffice, type FontKey, type FontStyle, type PdfFontObject } from './pdf-fonts';
import { DEFAULT_LANGUAGE } from '../../core/language';
import { redline } from '../../core/redline/index';
import { exportText, formatChangeText, moveText, plainRunText, resolveMeta, runsOf, sectionStatusText, shapeText, totalsText, type ExportText } from '../../core/redline/render-common';
import { exportLocale } from '../../core/i18n/messages/exports';
import { localeDirection, type Locale } from '../../core/i18n/locales';
import type { Redline, RedlineBlock, RedlineMark, RedlineMeta, RedlineOp, RedlineSection } from '../../core/redline/types';
import { isSafeHref, type PMJSON } from '../../core/schema';

export const PDF_COLORS = { text: '#1b1b1b', ins: '#0a6b2a', del: '#b3261e', move: '#1a4fa0', fmt: '#8a5a00', muted: '#555555', rule: '#bbbbbb' };

const MARGIN = 56;
const LINE_GAP = 2;

/** Text as the PDF prints it: every character in its own font (pdf-fonts.ts); a tab is a space. */
function pdfText(text: string): string {
  return text.includes('\t') ? text.replace(/\t/g, ' ') : text;
}

function fontFor(marks: readonly RedlineMark[], heading = false): FontStyle {
  if (marks.some((m) => m.type === 'code')) return heading ? 'mono-bold' : 'mono';
  const bold = heading || marks.some((m) => m.type === 'strong');
  const italic = marks.some((m) => m.type === 'em');
  return bold && italic ? 'sans-bolditalic' : bold ? 'sans-bold' : italic ? 'sans-italic' : 'sans';
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
  font: FontStyle;
  /** The font that prints this text, where it is not the style's own (a fallback: Arabic, Chinese, emoji). */
  key?: FontKey;
  color: string;
  underline?: boolean;
  strike?: boolean;
  link?: string;
  size?: number;
}


/**
 * "<label> · Page i of n" (in the export's language) at the foot of every page, written as each page
 * opens. The total n is one form XObject that every footer draws and that is
 * filled in when the last page is known, so pages are written out as they
 * fill instead of all staying in memory until the end (pdfkit's bufferPages):
 * a 2,000-page export spent a third of its time collecting that garbage.
 * Raw operators inside q/Q leave the text being laid out its font and colour.
 * Each run of the footer is set in the font its script needs (Noto Sans SC
 * for Chinese, Noto Sans Arabic for Arabic); a right-to-left footer is set
 * word by word from the right margin, the total at its left end.
 */
class PageFooters {
  private pages = 0;
  private readonly total: PDFKit.PDFKitReference;
  private readonly size = 8;
  /** pdfkit's object of each font the footer uses, fetched before any text is laid out (fetching selects a font). */
  private readonly objects = new Map<string, PdfFontObject>();
  private readonly rtl: boolean;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly label: string,
    private readonly fonts: PdfFonts,
    private readonly t: ExportText,
  ) {
    this.rtl = localeDirection(t.locale) === 'rtl';
    // Every run a footer can hold: the texts around the numbers, and digits.
    for (const run of [...this.runs(this.parts(1).before), ...this.runs(this.parts(1).after), ...this.runs('0123456789')]) this.fontOf(run.font);
    const resources = Object.fromEntries([...this.objects.values()].map((o) => [o.id, o.ref()]));
    this.total = doc.ref({ Type: 'XObject', Subtype: 'Form', BBox: [-400, 0, 400, 20], Resources: { Font: resources } });
    doc.on('pageAdded', () => this.draw());
    this.draw();
  }

  /** The footer before the total (page number filled in) and after it; the total follows the page number in every language. */
  private parts(page: number): { before: string; after: string } {
    const [before = '', after = ''] = this.t.t('footer.page', { label: this.label, page, pages: '\u0000' }).split('\u0000');
    return { before: pdfText(before), after: pdfText(after) };
  }

  private runs(text: string): { text: string; font: string }[] {
    return this.fonts.runs(text, 'sans').filter((r) => r.text.length > 0);
  }

  private fontOf(key: string): PdfFontObject {
    let o = this.objects.get(key);
    if (!o) this.objects.set(key, (o = this.fonts.object(key as FontKey)));
    return o;
  }

  /** Text operators for `text` from x (its left end), run by run; returns them and the width. */
  private ops(text: string, x: number, baseline: number): { ops: string[]; width: number } {
    const ops: string[] = [];
    let at = x;
    for (const run of this.runs(text)) {
      const font = this.fontOf(run.font);
      const hex = font.encode(run.text)[0].map((code) => code.padStart(2, '0')).join('');
      ops.push(`BT /${font.id} ${this.size} Tf 1 0 0 1 ${at.toFixed(3)} ${baseline} Tm <${hex}> Tj ET`);
      at += font.widthOfString(run.text, this.size);
    }
    return { ops, width: at - x };
  }

  private draw(): void {
    const doc = this.doc;
    this.pages++;
    const { before } = this.parts(this.pages);
    const baseline = MARGIN / 2 - 2; // from the bottom edge, in PDF's own upward coordinates
    const ops: string[] = [];
    let totalAt: number;
    if (this.rtl) {
      // Word by word from the right margin (fontkit shapes one word at a time); the total ends the line, at its left.
      let right = doc.page.width - MARGIN;
      for (const word of before.split(/(\s+)/).filter(Boolean)) {
        const width = this.ops(word, 0, baseline).width;
        right -= width;
        if (!/^\s+$/.test(word)) ops.push(...this.ops(word, right, baseline).ops);
      }
      totalAt = right;
    } else {
      const drawn = this.ops(before, MARGIN, baseline);
      ops.push(...drawn.ops);
      totalAt = MARGIN + drawn.width;
    }
    for (const o of this.objects.values()) doc.page.fonts[o.id] = o.ref();
    doc.page.xobjects.AccordPages = this.total;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(PDF_COLORS.muted.slice(i, i + 2), 16) / 255);
    doc.addContent(
      [
        'q',
        `1 0 0 -1 0 ${doc.page.height} cm`, // undo pdfkit's flipped page coordinates
        `${r} ${g} ${b} rg`,
        ...ops,
        `1 0 0 1 ${totalAt.toFixed(3)} ${baseline} cm /AccordPages Do`,
        'Q',
      ].join('\n'),
    );
  }

  /** Writes the total (and what follows it) into the shared XObject; call once, after the last page. Right to left, it ends where it is drawn. */
  finish(): void {
    const text = `${this.pages}${this.parts(this.pages).after}`;
    const width = this.ops(text, 0, 0).width;
    this.total.end(this.ops(text, this.rtl ? -width : 0, 0).ops.join('\n'));
  }
}

class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  private readonly width: number;
  private readonly footers: PageFooters;
  private readonly fonts: PdfFonts;

  /**
   * `date` (ISO) is the text's: as the creation date it also fixes the file ID, so one text renders to one byte string.
   * `footer` labels every page's number.
   */
  /** `text`: every string the document will print, to choose its fonts (pdf-fonts.ts). */
  constructor(title: string, author: string, date: string | undefined, footer: string, language: string, text: string, readonly t: ExportText = exportText('en')) {
    const created = date === undefined ? new Date() : new Date(date);
    const info = { Title: title, Author: author, Creator: 'Accord', CreationDate: Number.isNaN(created.getTime()) ? new Date() : created };
    // `lang` is the catalog's /Lang: screen readers and text extraction read the text in its language.
    this.doc = new PDFDocument({ size: 'A4', margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN }, info, lang: language });
    this.width = this.doc.page.width - 2 * MARGIN;
    this.fonts = new PdfFonts(this.doc, !standardFontsSuffice(`${title}\n${t.t('footer.page', { label: footer, page: 0, pages: 0 })}\n${text}`));
    this.footers = new PageFooters(this.doc, footer, this.fonts, t);
  }

  /** One paragraph made of differently styled segments, wrapped within [x, x + width]. */
  paragraph(segments: Segment[], options: { indent?: number; size?: number; gap?: number; x?: number; width?: number } = {}): void {
    const doc = this.doc;
    const size = options.size ?? 10.5;
    const x = options.x ?? MARGIN + (options.indent ?? 0);
    const width = options.width ?? this.width - (options.indent ?? 0);
    // Each segment cut into runs of one font (a Chinese word in English text, an emoji).
    const cut = segments.flatMap(unbrokenSplit).filter((s) => s.text.length > 0);
    const parts: Segment[] = this.fonts.embedded ? cut.flatMap((s) => this.fonts.runs(pdfText(s.text), s.font).map((run) => ({ ...s, text: run.text, key: run.font }))) : cut;
    if (parts.length === 0) parts.push({ text: ' ', font: 'sans', color: PDF_COLORS.text });
    // A paragraph whose first strong letter is right-to-left is set flush right (HTML's dir="auto");
    // text the standard fonts can print holds no right-to-left letter.
    const align = this.fonts.embedded && directionOfText(segments.map((s) => s.text).join('')) === 'rtl' ? 'right' : 'left';
    if (doc.y + size * 1.4 > doc.page.height - MARGIN) doc.addPage();
    if (align === 'right') {
      this.rightToLeft(parts, x, width, size);
      doc.moveDown(options.gap ?? 0.45);
      return;
    }
    if (parts.length === 1 && this.oneLine(parts[0]!, x, width, size, align)) {
      doc.moveDown(options.gap ?? 0.45);
      return;
    }
    parts.forEach((s, i) => {
      this.fonts.use(s.key ?? s.font).fontSize(s.size ?? size).fillColor(s.color);
      const opts: PDFKit.Mixins.TextOptions = { continued: i < parts.length - 1, underline: !!s.underline, strike: !!s.strike, lineGap: LINE_GAP };
      if (s.link) opts.link = s.link;
      if (i === 0) doc.text(pdfText(s.text), x, doc.y, { ...opts, width, align });
      else doc.text(pdfText(s.text), opts);
    });
    doc.moveDown(options.gap ?? 0.45);
  }

  /**
   * A one-segment paragraph that fits on its line is written without pdfkit's
   * line wrapper (Unicode line breaking, word by word): most headings and
   * short paragraphs, and a third of the time of a long export. Returns false,
   * writing nothing, when the text does not fit.
   */
  private oneLine(s: Segment, x: number, width: number, size: number, align: 'left' | 'right'): boolean {
    const doc = this.doc;
    const text = pdfText(s.text);
    this.fonts.use(s.key ?? s.font).fontSize(s.size ?? size);
    const textWidth = text.includes('\n') ? Infinity : doc.widthOfString(text);
    if (textWidth > width) return false;
    const opts: PDFKit.Mixins.TextOptions = { lineBreak: false, underline: !!s.underline, strike: !!s.strike };
    if (s.link) opts.link = s.link;
    doc.fillColor(s.color).text(text, align === 'right' ? x + width - textWidth : x, doc.y, opts);
    doc.x = MARGIN;
    doc.y += doc.currentLineHeight(true) + LINE_GAP;
    return true;
  }

  /**
   * A right-to-left paragraph, laid out here rather than by pdfkit's wrapper
   * (which places runs left to right): lines are filled word by word in
   * reading order, then each line's words are placed from the right edge. Each
   * word is shaped by fontkit (Arabic joined, its glyphs in visual order), and
   * a right-to-left word is marked with its logical text (/ActualText), so
   * copying or extracting the text gives the words as written. A left-to-right
   * phrase of several words inside such a paragraph keeps each word's letters
   * in order and its words in their order (see bidiUnits).
   */
  private rightToLeft(parts: Segment[], x: number, width: number, size: number): void {
    const doc = this.doc;
    type Piece = { part: Segment; text: string; space: boolean; width: number };
    const measure = (part: Segment, text: string) => this.fonts.use(part.key ?? part.font).fontSize(part.size ?? size).widthOfString(text);
    const pieces: Piece[] = parts.flatMap((part) =>
      (part.text.match(/\s+|\S+/g) ?? []).map((text) => ({ part, text, space: /^\s/.test(text), width: measure(part, text) })),
    );
    const lines: Piece[][] = [];
    let line: Piece[] = [];
    let used = 0;
    for (const piece of pieces) {
      if (piece.space && line.length === 0) continue;
      if (!piece.space && line.length > 0 && used + piece.width > width) {
        lines.push(line);
        line = [];
        used = 0;
      }
      line.push(piece);
      used += piece.width;
    }
    if (line.length > 0) lines.push(line);
    for (const pieces of lines) {
      while (pieces.length > 0 && pieces[pieces.length - 1]!.space) pieces.pop();
      const height = Math.max(...pieces.map((p) => this.fonts.use(p.part.key ?? p.part.font).fontSize(p.part.size ?? size).currentLineHeight(true))) + LINE_GAP;
      if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
      const y = doc.y;
      // Word by word from the right edge: fontkit shapes one word at a time (given several, it misplaces
      // the spaces between them), and the order of the words is ours. A left-to-right phrase (words with
      // left-to-right letters and the spaces between them) is one unit, placed from the right like a
      // word and written left to right inside (the bidi algorithm's level runs, for the two levels a
      // paragraph of one right-to-left language needs). A space is drawn only when it is underlined or
      // struck through, so the mark runs on across it.
      const draw = (piece: Piece, left: number): void => {
        const { part } = piece;
        if (piece.space && !part.underline && !part.strike) return;
        const rtl = directionOfText(piece.text) === 'rtl';
        if (rtl) doc.markContent('Span', { actual: piece.text });
        const opts: PDFKit.Mixins.TextOptions = { lineBreak: false, underline: !!part.underline, strike: !!part.strike };
        if (part.link) opts.link = part.link;
        this.fonts.use(part.key ?? part.font).fontSize(part.size ?? size);
        doc.fillColor(part.color).text(piece.text, left, y, opts);
        if (rtl) doc.endMarkedContent();
      };
      let right = x + width;
      for (const unit of bidiUnits(pieces)) {
        right -= unit.reduce((sum, p) => sum + p.width, 0);
        let left = right;
        for (const piece of unit) {
          draw(piece, left);
          left += piece.width;
        }
      }
      doc.x = MARGIN;
      doc.y = y + height;
    }
  }

  /**
   * A table of the text: bordered cells, each a paragraph of styled segments
   * (its insertions and deletions coloured); a row inserted or deleted has a
   * bar of that colour at its left edge. A row taller than what is left of
   * the page starts a new page; a cell taller than a page runs on to the next
   * (nothing is cut).
   */
  textTable(rows: { cells: { segments: Segment[]; header?: boolean }[]; bar?: string }[], indent: number): void {
    const doc = this.doc;
    const size = 9.5;
    const pad = 4;
    const columns = Math.max(1, ...rows.map((r) => r.cells.length));
    const left = MARGIN + indent;
    const colWidth = (this.width - indent) / columns;
    const usable = doc.page.height - 2 * MARGIN;
    for (const row of rows) {
      // Measured in the plain font without wrapping (pdfkit's wrapper is slow), with room to spare for bold, code and word breaks.
      this.fonts.use('sans').fontSize(size);
      const lineHeight = doc.currentLineHeight(true) + LINE_GAP;
      const linesOf = (text: string) => text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil((1.2 * doc.widthOfString(pdfText(line))) / (colWidth - 2 * pad))), 0);
      const estimate = Math.max(size * 1.4, ...row.cells.map((c) => linesOf(c.segments.map((s) => s.text).join('')) * lineHeight)) + 2 * pad;
      if (estimate > usable) {
        // A row taller than a page: its cells one under the other, full width, so nothing overlaps or is cut.
        this.stackedRow(row.cells, left);
        continue;
      }
      if (doc.y + estimate > doc.page.height - MARGIN) doc.addPage();
      const top = doc.y;
      const page = doc.page;
      let bottom = top + size * 1.4 + 2 * pad;
      let spilled = -1;
      row.cells.forEach((cell, c) => {
        if (spilled >= 0) return;
        doc.y = top + pad;
        this.paragraph(cell.segments, { x: left + c * colWidth + pad, width: colWidth - 2 * pad, size, gap: 0 });
        if (doc.page === page) bottom = Math.max(bottom, doc.y + pad);
        else spilled = c;
      });
      if (spilled >= 0) {
        // The measure was short and a cell ran on to the next page: the rest of the row follows it there, stacked.
        this.stackedRow(row.cells.slice(spilled + 1), left);
        continue;
      }
      // Header cells are shaded: a light translucent grey over the cell, its text still black on grey.
      row.cells.forEach((cell, c) => {
        if (cell.header) doc.save().fillOpacity(0.07).rect(left + c * colWidth, top, colWidth, bottom - top).fillColor('#000000').fill().restore();
      });
      for (let c = 0; c < columns; c++) doc.rect(left + c * colWidth, top, colWidth, bottom - top).lineWidth(0.5).strokeColor(PDF_COLORS.rule).stroke();
      if (row.bar) doc.rect(left, top, 2.5, bottom - top).fillColor(row.bar).fill();
      doc.y = bottom;
      doc.x = MARGIN;
    }
    doc.moveDown(0.6);
  }

  /** Cells as paragraphs one under the other, a rule above each. */
  private stackedRow(cells: { segments: Segment[] }[], left: number): void {
    const doc = this.doc;
    for (const cell of cells) {
      if (doc.y + 20 > doc.page.height - MARGIN) doc.addPage();
      doc.moveTo(left, doc.y).lineTo(MARGIN + this.width, doc.y).lineWidth(0.5).strokeColor(PDF_COLORS.rule).stroke();
      doc.y += 4;
      this.paragraph(cell.segments, { x: left + 4, width: MARGIN + this.width - left - 8, size: 9.5, gap: 0.3 });
    }
    doc.x = MARGIN;
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
      const styleOf = (c: number): FontStyle => (options.mono?.(r, c) ? 'mono' : r === 0 || c === 0 ? 'sans-bold' : 'sans');
      // A cell is one text call: it takes the font of its longest run (a title in Arabic, in Chinese).
      const fontOf = (c: number): FontKey => {
        const runs = this.fonts.runs(pdfText(cells[c] ?? ''), styleOf(c));
        return runs.reduce((best, run) => (run.text.length > best.text.length ? run : best), runs[0] ?? { text: '', font: styleOf(c) }).font;
      };
      const sizeOf = (c: number) => (options.mono?.(r, c) ? 7.5 : 8.5);
      const height =
        Math.max(...cells.map((text, c) => this.fonts.use(fontOf(c)).fontSize(sizeOf(c)).heightOfString(pdfText(text), { width: cols[c]! - 2 * pad }))) + 2 * pad;
      if (doc.y + height > doc.page.height - MARGIN) {
        doc.addPage();
        if (r > 0) drawRow(rows[0]!, 0);
      }
      const y = doc.y;
      let x = MARGIN;
      cells.forEach((text, c) => {
        if (r === 0) doc.rect(x, y, cols[c]!, height).fillColor('#eeeeee').fill();
        doc.rect(x, y, cols[c]!, height).lineWidth(0.5).strokeColor(PDF_COLORS.rule).stroke();
        if (this.fonts.embedded && directionOfText(text) === 'rtl') {
          // Right to left, word by word from the cell's right edge, each run in its script's font (as paragraphs are set).
          const parts = this.fonts.runs(pdfText(text), styleOf(c)).map((run) => ({ text: run.text, font: styleOf(c), key: run.font, color: PDF_COLORS.text, size: sizeOf(c) }));
          doc.y = y + pad;
          this.rightToLeft(parts, x + pad, cols[c]! - 2 * pad, sizeOf(c));
        } else {
          this.fonts.use(fontOf(c)).fontSize(sizeOf(c)).fillColor(PDF_COLORS.text).text(pdfText(text), x + pad, y + pad, { width: cols[c]! - 2 * pad, align: r > 0 ? (options.align?.(c) ?? 'left') : 'left' });
        }
        x += cols[c]!;
      });
      doc.x = MARGIN;
      doc.y = y + height;
    };
    rows.forEach(drawRow);
    doc.moveDown(0.8);
  }

  finish(): Promise<Buffer> {
    const doc = this.doc;
    this.footers.finish();
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
  return { text: `  [${text}]`, font: 'sans-italic', color: PDF_COLORS.muted, size: 8 };
}

function blockSegments(t: ExportText, block: RedlineBlock, section: RedlineSection, all: readonly RedlineSection[], tracked: boolean): Segment[] {
  const heading = block.type === 'heading';
  const ops = block.status === 'moved-to' && block.moveOps ? block.moveOps : block.ops;
  const segments: Segment[] = [];
  if (block.type === 'list_item') segments.push({ text: block.list === 'ordered' ? `${block.number ?? 1}.  ` : '•  ', font: 'sans', color: PDF_COLORS.text });
  for (const op of ops) {
    const segs = opSegments(op, heading);
    // Moved text shown with its edits stays blue where it is unchanged.
    if (block.status === 'moved-to' && block.moveOps && op.op === 'equal') for (const s of segs) Object.assign(s, { color: PDF_COLORS.move, underline: true });
    segments.push(...segs);
  }
  if (block.paragraphBreak && tracked) segments.push({ text: ' ¶', font: 'sans', color: block.paragraphBreak === 'inserted' ? PDF_COLORS.ins : PDF_COLORS.del, underline: block.paragraphBreak === 'inserted', strike: block.paragraphBreak === 'deleted' });
  if (!tracked) return segments;
  if (block.moveId) segments.push(note(`${moveText(t, block, all, section)} (${block.moveId})`));
  if (block.shapeFrom) segments.push(note(t.t('note.wasA', { shape: shapeText(t, block.shapeFrom) })));
  for (const op of ops) if (op.fromRuns) segments.push(note(formatChangeText(t, op)));
  return segments;
}

/** A table block: its rows of cells as segments; a table on one side only is announced first. */
function writeTable(w: PdfWriter, block: RedlineBlock, tracked: boolean): void {
  const whole = block.status === 'inserted' || block.status === 'deleted';
  if (tracked && whole) w.paragraph([note(w.t.t(block.status === 'inserted' ? 'table.inserted' : 'table.deleted'))], { gap: 0.1, indent: 16 * ((block.depth ?? 0) + (block.quote ?? 0)) });
  const rows = (block.rows ?? []).map((row) => ({
    ...(tracked && row.status === 'inserted' ? { bar: PDF_COLORS.ins } : tracked && row.status === 'deleted' ? { bar: PDF_COLORS.del } : {}),
    cells: row.cells.map((cell) => {
      const segments = cell.ops.flatMap((op) => opSegments(op, cell.header === true));
      if (tracked && cell.fromHeader !== undefined) segments.push(note(w.t.t(cell.fromHeader ? 'cell.wasHeader' : 'cell.wasBody')));
      if (tracked) for (const op of cell.ops) if (op.fromRuns) segments.push(note(formatChangeText(w.t, op)));
      return { segments, header: cell.header === true };
    }),
  }));
  w.textTable(rows, 16 * ((block.depth ?? 0) + (block.quote ?? 0)));
}

function writeSections(w: PdfWriter, r: Redline, tracked: boolean): void {
  for (const section of r.sections) {
    if (tracked) w.rule();
    if (tracked && section.status !== 'unchanged') {
      const color = section.status === 'added' ? PDF_COLORS.ins : section.status === 'removed' ? PDF_COLORS.del : section.status === 'moved' ? PDF_COLORS.move : PDF_COLORS.muted;
      w.paragraph([{ text: sectionStatusText(w.t, section).toLocaleUpperCase(w.t.locale), font: 'sans-bold', color, size: 7.5 }], { gap: 0.2 });
    }
    for (const block of section.blocks) {
      if (block.rows) {
        writeTable(w, block, tracked);
        continue;
      }
      const size = block.type === 'heading' ? Math.max(11, 17 - 2 * ((block.level ?? 3) - 2)) : 10.5;
      const indent = 16 * ((block.depth ?? 0) + (block.quote ?? 0));
      w.paragraph(blockSegments(w.t, block, section, r.sections, tracked), { size, indent, gap: block.type === 'heading' ? 0.3 : 0.45 });
    }
  }
}

/** The redline as a PDF: header, summary, then the text with the changes coloured. */
export async function redlinePdf(r: Redline, meta?: Partial<RedlineMeta>): Promise<Buffer> {
  const m = resolveMeta(r, meta);
  const t = exportText(m.locale);
  const w = new PdfWriter(t.t('redline.title', { title: m.documentTitle }), m.author ?? 'Accord', m.to.date ?? m.generatedAt, t.t('redline.footerPlain', { from: m.from.label, to: m.to.label }), m.language ?? DEFAULT_LANGUAGE, JSON.stringify([r, m]), t);
  const doc = w.doc;
  w.paragraph([{ text: t.t('redline.kicker').toLocaleUpperCase(m.locale), font: 'sans-bold', color: PDF_COLORS.muted, size: 8 }], { gap: 0.2 });
  w.paragraph([{ text: m.documentTitle, font: 'sans-bold', color: PDF_COLORS.text, size: 20 }], { gap: 0.5 });
  w.table(
    [
      ['', t.t('head.from'), t.t('head.to')],
      [t.t('head.version'), m.from.label, m.to.label],
      [t.t('head.date'), m.from.date ?? '—', m.to.date ?? '—'],
      [t.t('head.contentHash'), m.from.contentHash ?? '—', m.to.contentHash ?? '—'],
      ...(m.from.fileDigest || m.to.fileDigest ? [[t.t('head.fileDigest'), m.from.fileDigest ?? '—', m.to.fileDigest ?? '—']] : []),
    ],
    [2, 5, 5],
    { mono: (row, c) => row >= 3 && c > 0 },
  );
  const generated = [m.generatedAt ? t.t('head.generated', { when: m.generatedAt }) : '', m.documentId ? t.t('head.document', { id: m.documentId }) : ''].filter(Boolean).join(' · ');
  if (generated) w.paragraph([{ text: generated, font: 'sans', color: PDF_COLORS.muted, size: 8.5 }]);
  w.paragraph([{ text: t.t('head.checkpoint'), font: 'sans-bold', color: PDF_COLORS.text, size: 11 }], { gap: 0.2 });
  w.paragraph([{ text: (m.checkpoint ?? t.t('head.noCheckpoint')).replace(/\n$/, ''), font: 'mono', color: PDF_COLORS.text, size: 7.5 }]);
  w.paragraph([
    { text: `${t.t('legend.label')} `, font: 'sans', color: PDF_COLORS.muted, size: 8.5 },
    { text: t.t('legend.inserted'), font: 'sans', color: PDF_COLORS.ins, underline: true, size: 8.5 },
    { text: '  ', font: 'sans', color: PDF_COLORS.muted, size: 8.5 },
    { text: t.t('legend.deleted'), font: 'sans', color: PDF_COLORS.del, strike: true, size: 8.5 },
    { text: '  ', font: 'sans', color: PDF_COLORS.muted, size: 8.5 },
    { text: t.t('legend.moved'), font: 'sans', color: PDF_COLORS.move, underline: true, size: 8.5 },
    { text: '  ', font: 'sans', color: PDF_COLORS.muted, size: 8.5 },
    { text: t.t('legend.formatting'), font: 'sans', color: PDF_COLORS.fmt, underline: true, size: 8.5 },
  ]);
  w.paragraph([{ text: t.t('summary.title'), font: 'sans-bold', color: PDF_COLORS.text, size: 13 }], { gap: 0.3 });
  const s = r.stats;
  w.table(
    [
      [t.t('summary.section'), t.t('summary.status'), t.t('summary.inserted'), t.t('summary.deleted'), t.t('summary.moved'), t.t('summary.formatting')],
      ...r.sections.map((x) => [x.title || x.id, sectionStatusText(t, x), String(x.stats.wordsInserted), String(x.stats.wordsDeleted), String(x.stats.wordsMoved), String(x.stats.formatChanges)]),
      [t.t('summary.total'), totalsText(t, r), String(s.wordsInserted), String(s.wordsDeleted), String(s.wordsMoved), String(s.formatChanges)],
    ],
    [6, 5, 2.2, 2.2, 2.2, 2.4],
    { align: (c) => (c >= 2 ? 'right' : 'left') },
  );
  doc.addPage();
  writeSections(w, r, true);
  return w.finish();
}

/** One version as a plain PDF. */
export async function cleanPdf(title: string, doc: PMJSON, meta?: { label?: string; date?: string; contentHash?: string; language?: string; locale?: Locale }): Promise<Buffer> {
  const r = redline({ ref: 'clean', title, doc }, { ref: 'clean', title, doc });
  const t = exportText(exportLocale(meta?.language, meta?.locale));
  const w = new PdfWriter(title, 'Accord', meta?.date, title || t.t('document'), meta?.language ?? DEFAULT_LANGUAGE, JSON.stringify([doc, meta ?? {}]), t);
  w.paragraph([{ text: title || t.t('untitled'), font: 'sans-bold', color: PDF_COLORS.text, size: 20 }], { gap: 0.3 });
  const info = [meta?.label, meta?.date, meta?.contentHash ? t.t('clean.contentHash', { hash: meta.contentHash }) : ''].filter(Boolean).join(' · ');
  if (info) w.paragraph([{ text: info, font: 'sans', color: PDF_COLORS.muted, size: 8.5 }]);
  writeSections(w, r, false);
  return w.finish();
}

/**
 * A right-to-left line's pieces (words and spaces, in reading order) cut into
 * the units placed from the right: each right-to-left or neutral piece alone,
 * and each left-to-right phrase (pieces with left-to-right letters, with the
 * spaces between them) as one unit kept in its order.
 */
export function bidiUnits<P extends { text: string; space: boolean }>(pieces: readonly P[]): P[][] {
  const units: P[][] = [];
  let phrase: P[] = [];
  let spaces: P[] = [];
  const flush = (): void => {
    if (phrase.length > 0) units.push(phrase);
    for (const space of spaces) units.push([space]);
    phrase = [];
    spaces = [];
  };
  for (const piece of pieces) {
    if (piece.space) {
      if (phrase.length > 0) spaces.push(piece);
      else units.push([piece]);
    } else if (directionOfText(piece.text) === 'ltr') {
      phrase.push(...spaces, piece);
      spaces = [];
    } else {
      flush();
      units.push([piece]);
    }
  }
  flush();
  return units;
}
