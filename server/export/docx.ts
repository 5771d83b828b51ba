// Redline -> DOCX with real tracked changes: insertions and deletions are
// w:ins / w:del runs (author and date), inserted and deleted paragraphs carry
// a tracked paragraph mark, formatting changes are w:rPrChange, so a chair can
// accept or reject each change in Word or LibreOffice. Also the clean DOCX of
// one version. Renders from the redline JSON only; no HTTP, no files.
import JSZip from 'jszip';
import { DEFAULT_LANGUAGE, directionOf, directionOfText } from '../../core/language';
import {
  AlignmentType,
  BorderStyle,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  ExternalHyperlink,
  Footer,
  HeadingLevel,
  InsertedTextRun,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ICommentOptions,
  type IParagraphOptions,
  type ParagraphChild,
} from 'docx';
import { blockText, redline } from '../../core/redline/index';
import { exportText, formatChangeText, moveText, plainRunText, resolveMeta, runsOf, sectionStatusText, shapeText, totalsText, type ExportText } from '../../core/redline/render-common';
import { exportLocale } from '../../core/i18n/messages/exports';
import type { Locale } from '../../core/i18n/locales';
import { authorsLabel, authorsTime } from '../../core/redline/authors';
import type { BlockShape, Redline, RedlineBlock, RedlineMark, RedlineMeta, RedlineOp, RedlineRow, RedlineRun, RedlineSection } from '../../core/redline/types';
import { isSafeHref, type PMJSON } from '../../core/schema';
import { stripForbiddenCharacters, stripForbiddenDeep } from '../../core/text-safety';

const ORDERED = 'accord-ordered';
/** Numbering instances of old lists (in tracked paragraph-format changes) start here, apart from the new lists'. */
const OLD_LISTS = 10_000;
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];

/** Word wants whole seconds. */
function wordDate(iso: string | undefined): string {
  const d = iso ? new Date(iso) : new Date();
  return (Number.isNaN(d.getTime()) ? new Date() : d).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface RunStyle {
  bold?: boolean;
  italics?: boolean;
  underline?: Record<string, never>;
  color?: string;
  font?: string;
}

function styleOf(marks: readonly RedlineMark[]): RunStyle {
  const style: RunStyle = {};
  for (const m of marks) {
    if (m.type === 'strong') style.bold = true;
    else if (m.type === 'em') style.italics = true;
    else if (m.type === 'code') style.font = 'Courier New';
    else if (m.type === 'link') {
      style.underline = {};
      style.color = '1F4E9E';
    }
  }
  return style;
}

/** Text split at hard breaks: every piece after the first starts on a new line. */
function pieces(text: string): { text: string; break?: number }[] {
  return text.split('\n').map((t, i) => (i === 0 ? { text: t } : { text: t, break: 1 }));
}

/** Builds paragraphs; counts revision and comment ids, which must be unique in the document. */
class DocxBuilder {
  private revision = 0;
  private listInstance = 0;
  private inOrderedList = false;
  private oldListInstance = 0;
  private inOldOrderedList = false;
  readonly comments: ICommentOptions[] = [];

  constructor(
    private readonly author: string,
    readonly date: string,
    private readonly tracked: boolean,
    /** The direction of the document's language: a paragraph without strong letters takes it. */
    private readonly direction: 'ltr' | 'rtl' = 'ltr',
    /** The export's own texts (comments on changes). */
    private readonly t: ExportText = exportText('en'),
  ) {}

  /** A tracked change's id, author and time: who inserted or deleted it, and when, where known (core/redline/authors.ts). */
  private change(op?: RedlineOp) {
    // An insertion is by who wrote it; a deletion by who deleted it, where the server recorded that.
    const people = op?.op === 'insert' ? op.authors : op?.op === 'delete' ? op.deletedBy : undefined;
    const by = authorsLabel(people);
    const at = authorsTime(people);
    return { id: ++this.revision, author: by ?? this.author, date: at ? wordDate(at) : this.date };
  }

  private comment(text: string): number {
    const id = this.comments.length;
    this.comments.push({ id, author: this.author, date: new Date(this.date), children: [new Paragraph({ text })] });
    return id;
  }

  /** The runs of one op. */
  opRuns(op: RedlineOp, extra: { highlight?: 'yellow'; bold?: true } = {}): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    if (op.op === 'insert' || op.op === 'delete') {
      for (const run of runsOf(op)) {
        const link = run.marks.find((m) => m.type === 'link');
        const runs = pieces(plainRunText(run)).map((piece) => {
          const options = { ...this.change(op), ...styleOf(run.marks), ...extra, ...piece };
          return op.op === 'insert' ? new InsertedTextRun(options) : new DeletedTextRun(options);
        });
        // w:hyperlink may hold w:ins / w:del (not the other way round): an inserted or deleted link keeps its URL.
        if (link && isSafeHref(link.href ?? '')) out.push(new ExternalHyperlink({ link: link.href!, children: runs }));
        else out.push(...runs);
      }
      return out;
    }
    let offset = 0;
    for (const run of runsOf(op)) {
      const previous = op.fromRuns && this.tracked ? styleAt(op.fromRuns, offset) : undefined;
      offset += run.text.length;
      const runs = pieces(plainRunText(run)).map(
        (piece) =>
          new TextRun({
            ...styleOf(run.marks),
            ...(extra.bold ? { bold: true } : {}),
            ...piece,
            ...(run.marks.some((m) => m.type === 'link') ? { style: 'Hyperlink' } : {}),
            ...(previous ? { revision: { ...this.change(), ...previous, ...(extra.bold ? { bold: true } : {}) } } : {}),
          }),
      );
      const link = run.marks.find((m) => m.type === 'link');
      if (link && isSafeHref(link.href ?? '')) out.push(new ExternalHyperlink({ link: link.href!, children: runs }));
      else out.push(...runs);
    }
    return out;
  }

  /**
   * A moved paragraph whose words changed on the way: all of it is inserted
   * here (Reject All removes it; the old text stays where it was), and the
   * words the move inserted are highlighted. What it deleted cannot be shown
   * here as deleted text (LibreOffice reads no deletion inside an insertion),
   * so the comment names each change.
   */
  movedRuns(moveOps: readonly RedlineOp[]): ParagraphChild[] {
    return moveOps.flatMap((op) => (op.op === 'delete' ? [] : this.opRuns({ ...op, op: 'insert' }, op.op === 'insert' ? { highlight: 'yellow' } : {})));
  }

  blockParagraph(block: RedlineBlock, section: RedlineSection, all: readonly RedlineSection[], first: boolean, mark: ParagraphMark = markOfOwn(block)): Paragraph {
    const ops = block.ops;
    let children = block.status === 'moved-to' && block.moveOps && this.tracked ? this.movedRuns(block.moveOps) : ops.flatMap((op) => this.opRuns(op));
    const notes: string[] = [];
    const t = this.t;
    if (block.moveId) notes.push(`${moveText(t, block, all, section)} (${block.moveId})${block.moveOps ? `. ${t.t('note.changedWhileMoving', { changes: movedChanges(block.moveOps, t) })}` : ''}`);
    if (block.shapeFrom) notes.push(t.t('note.wasASentence', { shape: shapeText(t, block.shapeFrom) }));
    if (block.sectionHeading && section.status !== 'unchanged' && section.status !== 'changed') notes.push(t.t('note.section', { status: sectionStatusText(t, section) }));
    for (const op of ops) if (op.fromRuns) notes.push(formatChangeText(t, op));
    if (notes.length && this.tracked) {
      const id = this.comment(notes.join('\n'));
      children = [new CommentRangeStart(id), ...children, new CommentRangeEnd(id), new TextRun({ children: [new CommentReference(id)] })];
    }
    const props: { -readonly [K in keyof IParagraphOptions]: IParagraphOptions[K] } = { children };
    // Each paragraph runs the way its first strong letter does (HTML's dir="auto"), else the document's way.
    if ((directionOfText(blockText(block, 'to') || blockText(block, 'from')) ?? this.direction) === 'rtl') props.bidirectional = true;
    if (block.type === 'heading') props.heading = HEADINGS[Math.min(5, Math.max(0, (block.level ?? 3) - 2))];
    if (block.sectionHeading && first) props.pageBreakBefore = true;
    const depth = block.depth ?? 0;
    if (block.type === 'list_item' && block.list === 'bullet') props.bullet = { level: Math.min(8, depth - 1) };
    const ordered = block.type === 'list_item' && block.list === 'ordered';
    if (ordered) {
      // A new ordered list starts numbering at 1; items nested in it do not end it.
      if (!this.inOrderedList) this.listInstance++;
      props.numbering = { reference: ORDERED, level: Math.min(8, depth - 1), instance: this.listInstance };
    }
    this.inOrderedList = ordered || (depth > 0 && this.inOrderedList);
    if (block.type !== 'list_item' && (depth || block.quote)) props.indent = { left: 720 * (depth + (block.quote ?? 0)) };
    if (block.quote) props.border = { left: { style: BorderStyle.SINGLE, size: 12, color: 'BBBBBB', space: 8 } };
    // The old list numbering: consecutive items that were numbered are one old list (instances apart from the new lists').
    const oldShape = block.shapeFrom ?? block;
    const oldOrdered = oldShape.type === 'list_item' && oldShape.list === 'ordered';
    if (oldOrdered && !this.inOldOrderedList) this.oldListInstance++;
    this.inOldOrderedList = oldOrdered || ((oldShape.depth ?? 0) > 0 && this.inOldOrderedList);
    if (this.tracked && block.shapeFrom) props.revision = { ...this.change(), ...shapeProps(block.shapeFrom, this.oldListInstance) };
    if (this.tracked && mark === 'inserted') props.run = { insertion: this.change() };
    if (this.tracked && mark === 'deleted') props.run = { deletion: this.change() };
    return new Paragraph(props);
  }

  sectionParagraphs(section: RedlineSection, all: readonly RedlineSection[], first: boolean): (Paragraph | Table)[] {
    return section.blocks.map((b, i) => (b.rows ? this.blockTable(b) : this.blockParagraph(b, section, all, first && i === 0)));
  }

  /** Every section's paragraphs and tables, with paragraph marks tracked by `paragraphMarks`. */
  bodyParagraphs(r: Redline): (Paragraph | Table)[] {
    const blocks = sectionsInPlace(r.sections).flatMap((section, s) => section.blocks.map((block, i) => ({ block, section, first: s === 0 && i === 0 })));
    const marks = paragraphMarks(blocks.map((b) => b.block));
    return blocks.map(({ block, section, first }, i) => (block.rows ? this.blockTable(block) : this.blockParagraph(block, section, r.sections, first, marks[i])));
  }

  /**
   * A table: each cell's words as tracked runs; a row inserted or deleted
   * (every row of a table inserted or deleted) is also a tracked row
   * (w:trPr/w:ins, w:del), so Accept All and Reject All add or remove the row
   * itself, not just empty its cells. The header row repeats on each page.
   */
  blockTable(block: RedlineBlock): Table {
    const rows = block.rows ?? [];
    const columns = Math.max(1, ...rows.map((r) => r.cells.length));
    const width = Math.round(9000 / columns);
    const headerRows = rows[0]?.cells.length && rows[0].cells.every((c) => c.header) ? 1 : 0;
    return new Table({
      width: { size: 9000, type: WidthType.DXA },
      columnWidths: Array.from({ length: columns }, () => width),
      ...(block.depth || block.quote ? { indent: { size: 720 * ((block.depth ?? 0) + (block.quote ?? 0)), type: WidthType.DXA } } : {}),
      rows: rows.map((row, r) => {
        const cells = row.cells.length ? row.cells : [{ status: row.status, ops: [] }];
        return new TableRow({
          tableHeader: r < headerRows,
          ...(this.tracked && row.status === 'inserted' ? { insertion: this.change() } : {}),
          ...(this.tracked && row.status === 'deleted' ? { deletion: this.change() } : {}),
          children: cells.map((cell) => {
            const paragraph = new Paragraph({
              // A header cell's text is bold, on both sides (so it is no formatting change).
              children: cell.ops.flatMap((op) => this.opRuns(op, cell.header ? { bold: true } : {})),
              ...((directionOfText(cell.ops.map((op) => op.text).join('')) ?? this.direction) === 'rtl' ? { bidirectional: true } : {}),
            });
            return new TableCell({
              width: { size: width, type: WidthType.DXA },
              children: [paragraph],
              ...(cell.header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'EEEEEE' } } : {}),
            });
          }),
        });
      }),
    });
  }
}

/** The runs of a block's text on one side (formatting of that side). */
function sideRuns(block: RedlineBlock, side: 'from' | 'to'): RedlineOp {
  const skip = side === 'from' ? 'insert' : 'delete';
  const runs: RedlineRun[] = [];
  for (const op of block.ops) if (op.op !== skip) runs.push(...(side === 'from' && op.fromRuns ? op.fromRuns : runsOf(op)));
  const text = runs.map((run) => run.text).join('');
  return { op: side === 'from' ? 'delete' : 'insert', text, runs };
}

/**
 * The sections as a DOCX shows them: a moved section is deleted where it was
 * and inserted where it is now (its text as of each side), so Reject All puts
 * it back and Accept All keeps the new order. A DOCX reader has no other way
 * to undo a move; the edits made inside a moved section show as the new text
 * inserted (HTML, PDF and Markdown mark them word by word).
 */
export function sectionsInPlace(sections: readonly RedlineSection[]): RedlineSection[] {
  const moved = sections.filter((s) => s.status === 'moved' && s.fromIndex !== null);
  if (!moved.length) return [...sections];
  const out: RedlineSection[] = sections.map((s) => (s.status === 'moved' ? movedTo(s) : s));
  const placed = new Map<number, RedlineSection>();
  for (const s of out) if (s.fromIndex !== null && s.status !== 'moved') placed.set(s.fromIndex, s);
  for (const s of [...moved].sort((a, b) => a.fromIndex! - b.fromIndex!)) {
    const ghost = movedFrom(s);
    const before = s.fromIndex! > 0 ? placed.get(s.fromIndex! - 1) : undefined;
    out.splice(before ? out.indexOf(before) + 1 : 0, 0, ghost);
    placed.set(s.fromIndex!, ghost);
  }
  return out;
}

function movedFrom(s: RedlineSection): RedlineSection {
  const blocks = s.blocks
    .filter((b) => b.status !== 'inserted' && b.status !== 'moved-to')
    .map((b): RedlineBlock => ({ ...b, ...(b.shapeFrom ?? {}), status: 'moved-from', ops: [sideRuns(b, 'from')], ...sideTable(b, 'from'), shapeFrom: undefined, moveId: undefined, moveOps: undefined, formatChanges: undefined }));
  return { ...s, title: s.fromTitle ?? s.title, status: 'removed', blocks };
}

function movedTo(s: RedlineSection): RedlineSection {
  const blocks = s.blocks
    .filter((b) => b.status !== 'deleted' && b.status !== 'moved-from')
    .map((b): RedlineBlock => ({ ...b, status: 'moved-to', ops: [sideRuns(b, 'to')], ...sideTable(b, 'to'), shapeFrom: undefined, moveId: undefined, moveOps: undefined, formatChanges: undefined }));
  return { ...s, blocks };
}

/** A table of a moved section as one side has it: every row and cell of that side, all deleted (`from`) or inserted (`to`). */
function sideTable(block: RedlineBlock, side: 'from' | 'to'): { rows?: RedlineRow[] } {
  if (!block.rows) return {};
  const gone = side === 'from' ? 'inserted' : 'deleted';
  const status = side === 'from' ? 'deleted' : 'inserted';
  const rows = block.rows
    .filter((row) => row.status !== gone)
    .map((row): RedlineRow => ({
      status,
      cells: row.cells.filter((c) => c.status !== gone).map((c) => ({ status, ...((side === 'from' ? (c.fromHeader ?? c.header) : c.header) ? { header: true as const } : {}), ops: [sideRuns({ ...block, ops: c.ops }, side)] })),
    }));
  return { rows };
}

/** “should” → “need not”, “old” deleted, “new” inserted: the word changes of a move, for its comment. */
export function movedChanges(ops: readonly RedlineOp[], t: ExportText = exportText('en')): string {
  const quote = (text: string) => `“${text.trim()}”`;
  const out: string[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const next = ops[i + 1];
    if (op.op === 'delete' && next?.op === 'insert') {
      out.push(`${quote(op.text)} → ${quote(next.text)}`);
      i++;
    } else if (op.op === 'delete') out.push(`${quote(op.text)} ${t.t('legend.deleted')}`);
    else if (op.op === 'insert') out.push(`${quote(op.text)} ${t.t('legend.inserted')}`);
  }
  return out.join('; ');
}

/** Whether a paragraph mark is tracked as inserted, deleted, or not at all. */
export type ParagraphMark = 'inserted' | 'deleted' | 'kept';

function markOfOwn(block: RedlineBlock): ParagraphMark {
  if (block.status === 'inserted' || block.status === 'moved-to') return 'inserted';
  if (block.status === 'deleted' || block.status === 'moved-from') return 'deleted';
  return 'kept';
}

/**
 * Which paragraph marks are tracked, so that Accept All gives exactly the new
 * paragraphs and Reject All the old ones in Word and LibreOffice alike. The
 * mark before a paragraph is the one that separates it from the text above:
 * an inserted (deleted) paragraph after a kept one tracks the mark of the
 * paragraph before it, and the last of a run of changed paragraphs keeps its
 * own mark untracked, as LibreOffice records typing Enter at the end of a
 * paragraph. Tracking the new paragraph's own mark instead made LibreOffice
 * join the paragraph above with the one below on Reject All whenever the
 * paragraph above ended with an insertion (it merges the adjacent changes).
 * Changed paragraphs at the very start, with no kept paragraph above, track
 * their own marks.
 */
export function paragraphMarks(blocks: readonly RedlineBlock[]): ParagraphMark[] {
  // A table has no paragraph mark of its own: its rows are tracked (w:trPr), so the paragraphs around it keep theirs.
  const own = blocks.map((b) => (b.rows ? 'kept' : markOfOwn(b)));
  const marks = [...own];
  let keptAbove = false;
  for (let i = 0; i < blocks.length; i++) {
    if (own[i] === 'kept') keptAbove = true;
    if (!keptAbove) continue;
    const next = own[i + 1];
    marks[i] = next !== undefined && next !== 'kept' ? next : 'kept';
  }
  // A split paragraph's new break is an inserted paragraph mark; a merge's old one a deleted mark.
  blocks.forEach((b, i) => {
    if (b.paragraphBreak) marks[i] = b.paragraphBreak;
  });
  return marks;
}

/** Paragraph properties of an old block shape, for a tracked paragraph-format change (w:pPrChange). */
function shapeProps(
  shape: BlockShape,
  oldListInstance: number,
): { heading?: (typeof HEADINGS)[number]; bullet?: { level: number }; numbering?: { reference: string; level: number; instance: number }; indent?: { left: number } } {
  if (shape.type === 'heading') return { heading: HEADINGS[Math.min(5, Math.max(0, (shape.level ?? 3) - 2))]! };
  const level = Math.min(8, (shape.depth ?? 1) - 1);
  // Rejecting a numbered -> bulleted change must bring the numbers back, not bullets.
  if (shape.type === 'list_item' && shape.list === 'ordered') return { numbering: { reference: ORDERED, level, instance: OLD_LISTS + oldListInstance } };
  if (shape.type === 'list_item') return { bullet: { level } };
  if (shape.depth || shape.quote) return { indent: { left: 720 * ((shape.depth ?? 0) + (shape.quote ?? 0)) } };
  return {};
}

/** The formatting of the old text at a character offset, as run properties (all of them, so removed ones show). */
function styleAt(runs: readonly RedlineRun[], offset: number): RunStyle {
  let at = 0;
  for (const run of runs) {
    at += run.text.length;
    if (offset < at) return { bold: false, italics: false, ...styleOf(run.marks) };
  }
  return { bold: false, italics: false, ...styleOf(runs[runs.length - 1]?.marks ?? []) };
}

function cellParagraph(text: string, options: { bold?: boolean; mono?: boolean } = {}): Paragraph {
  return new Paragraph({ children: [new TextRun({ text, bold: options.bold, ...(options.mono ? { font: 'Courier New', size: 16 } : {}) })] });
}

/** A simple table; `widths` are relative column widths. */
function table(rows: string[][], widths: number[], options: { header?: boolean; monoRows?: number[] } = {}): Table {
  const total = widths.reduce((a, b) => a + b, 0);
  const columnWidths = widths.map((w) => Math.round((9000 * w) / total));
  return new Table({
    width: { size: 9000, type: WidthType.DXA },
    columnWidths,
    rows: rows.map(
      (cells, r) =>
        new TableRow({
          tableHeader: options.header && r === 0,
          children: cells.map(
            (text, c) =>
              new TableCell({
                width: { size: columnWidths[c]!, type: WidthType.DXA },
                children: [cellParagraph(text, { bold: (options.header && r === 0) || c === 0, mono: options.monoRows?.includes(r) && c > 0 })],
                ...(options.header && r === 0 ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'EEEEEE' } } : {}),
              }),
          ),
        }),
    ),
  });
}

function headerContent(r: Redline, m: RedlineMeta, t: ExportText): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(t.t('redline.title', { title: m.documentTitle }))] }),
    table(
      [
        ['', t.t('head.from'), t.t('head.to')],
        [t.t('head.version'), m.from.label, m.to.label],
        [t.t('head.date'), m.from.date ?? '—', m.to.date ?? '—'],
        [t.t('head.contentHash'), m.from.contentHash ?? '—', m.to.contentHash ?? '—'],
        ...(m.from.fileDigest || m.to.fileDigest ? [[t.t('head.fileDigest'), m.from.fileDigest ?? '—', m.to.fileDigest ?? '—']] : []),
      ],
      [2, 5, 5],
      { header: true, monoRows: [3, 4] },
    ),
  ];
  const generated = [m.generatedAt ? t.t('head.generated', { when: m.generatedAt }) : '', m.documentId ? t.t('head.document', { id: m.documentId }) : ''].filter(Boolean).join(' · ');
  if (generated) out.push(new Paragraph({ spacing: { before: 120 }, children: [new TextRun({ text: generated, size: 18, color: '555555' })] }));
  out.push(new Paragraph({ spacing: { before: 240 }, children: [new TextRun({ text: t.t('head.checkpoint'), bold: true })] }));
  const lines = (m.checkpoint ?? t.t('head.noCheckpoint')).replace(/\n$/, '').split('\n');
  out.push(new Paragraph({ children: lines.map((line, i) => new TextRun({ text: line, font: 'Courier New', size: 16, ...(i ? { break: 1 } : {}) })) }));
  out.push(
    new Paragraph({
      spacing: { before: 240 },
      children: [new TextRun({ text: t.t('head.tracked'), italics: true, size: 18, color: '555555' })],
    }),
  );
  out.push(new Paragraph({ spacing: { before: 240 }, children: [new TextRun({ text: t.t('summary.title'), bold: true, size: 26 })] }));
  const s = r.stats;
  out.push(
    table(
      [
        [t.t('summary.section'), t.t('summary.status'), t.t('summary.inserted'), t.t('summary.deleted'), t.t('summary.moved'), t.t('summary.formatting')],
        ...r.sections.map((x) => [x.title || x.id, sectionStatusText(t, x), String(x.stats.wordsInserted), String(x.stats.wordsDeleted), String(x.stats.wordsMoved), String(x.stats.formatChanges)]),
        [t.t('summary.total'), totalsText(t, r), String(s.wordsInserted), String(s.wordsDeleted), String(s.wordsMoved), String(s.formatChanges)],
      ],
      [6, 5, 2.2, 2.2, 2.2, 2.4],
      { header: true },
    ),
  );
  return out;
}

/** "<label> · Page i of n" in the export's language, the numbers as Word's page fields wherever the language puts them. */
function footer(text: string, t: ExportText): Footer {
  const style = { size: 16, color: '666666' };
  const parts = t.t('footer.page', { label: text, page: '\u0000P\u0000', pages: '\u0000N\u0000' }).split('\u0000');
  const children = parts.filter(Boolean).map((part) =>
    part === 'P' ? new TextRun({ children: [PageNumber.CURRENT], ...style }) : part === 'N' ? new TextRun({ children: [PageNumber.TOTAL_PAGES], ...style }) : new TextRun({ text: part, ...style }),
  );
  return new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children })] });
}

const NUMBERING = {
  config: [
    {
      reference: ORDERED,
      levels: Array.from({ length: 9 }, (_, level) => ({
        level,
        format: LevelFormat.DECIMAL,
        text: `%${level + 1}.`,
        alignment: AlignmentType.START,
        style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
      })),
    },
  ],
};

/** Calibri, and the text's language (w:lang; also as the complex-script or East Asian language where it is one). */
function stylesFor(language: string) {
  const lang = { value: language, ...(directionOf(language) === 'rtl' ? { bidirectional: language } : {}), ...(/^(zh|ja|ko)\b/.test(language) ? { eastAsia: language } : {}) };
  return { default: { document: { run: { font: 'Calibri', size: 22, language: lang }, paragraph: { spacing: { after: 120 } } } } };
}

/** The redline as a DOCX with tracked changes (author `meta.author`, default "Accord"; date the `to` side's, else now). */
export async function redlineDocx(unsafe: Redline, unsafeMeta?: Partial<RedlineMeta>): Promise<Buffer> {
  // XML cannot hold control characters; text from the CRDT or old rows may (core/text-safety.ts).
  const r = stripForbiddenDeep(unsafe);
  const m = resolveMeta(r, stripForbiddenDeep(unsafeMeta));
  const t = exportText(m.locale);
  const author = m.author ?? 'Accord';
  const language = m.language ?? DEFAULT_LANGUAGE;
  const builder = new DocxBuilder(author, wordDate(m.to.date ?? m.generatedAt), true, directionOf(language), t);
  const body = builder.bodyParagraphs(r);
  const doc = new Document({
    creator: author,
    title: t.t('redline.title', { title: m.documentTitle }),
    description: t.t('redline.description', { from: m.from.label, to: m.to.label }),
    features: { trackRevisions: true },
    styles: stylesFor(language),
    numbering: NUMBERING,
    comments: { children: builder.comments },
    sections: [{ footers: { default: footer(t.t('redline.footer', { from: m.from.label, to: m.to.label }), t) }, children: endWithParagraph([...headerContent(r, m, t), ...body]) }],
  });
  return fixedTimes(await Packer.toBuffer(doc), builder.date);
}

/** Word wants the body to end with a paragraph: a text that ends with a table gets an empty one after it. */
function endWithParagraph(children: (Paragraph | Table)[]): (Paragraph | Table)[] {
  return children[children.length - 1] instanceof Table ? [...children, new Paragraph({})] : children;
}

/** One version as a plain DOCX (no tracked changes). */
export async function cleanDocx(unsafeTitle: string, unsafeDoc: PMJSON, unsafeMeta?: { label?: string; date?: string; contentHash?: string; language?: string; locale?: Locale }): Promise<Buffer> {
  const title = stripForbiddenCharacters(unsafeTitle);
  const doc = stripForbiddenDeep(unsafeDoc);
  const meta = stripForbiddenDeep(unsafeMeta);
  const r = redline({ ref: 'clean', title, doc }, { ref: 'clean', title, doc });
  const language = meta?.language ?? DEFAULT_LANGUAGE;
  const t = exportText(exportLocale(language, meta?.locale));
  const builder = new DocxBuilder('Accord', wordDate(meta?.date), false, directionOf(language), t);
  const info = [meta?.label, meta?.date, meta?.contentHash ? t.t('clean.contentHash', { hash: meta.contentHash }) : ''].filter(Boolean).join(' · ');
  const head: Paragraph[] = [new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(title || t.t('untitled'))] })];
  if (info) head.push(new Paragraph({ children: [new TextRun({ text: info, size: 18, color: '555555' })] }));
  const document = new Document({
    creator: 'Accord',
    title,
    styles: stylesFor(language),
    numbering: NUMBERING,
    sections: [{ footers: { default: footer(title || t.t('document'), t) }, children: endWithParagraph([...head, ...r.sections.flatMap((s) => builder.sectionParagraphs(s, r.sections, false))]) }],
  });
  return fixedTimes(await Packer.toBuffer(document), builder.date);
}

/**
 * The docx library stamps the package with the time of rendering (core.xml
 * and every zip entry); stamp it with the text's time instead, so one text
 * renders to one byte string (a meeting package never changes).
 */
async function fixedTimes(docx: Buffer, isoSeconds: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(docx);
  const d = new Date(isoSeconds);
  // DOS times are local: read the UTC wall-clock time as local, so the bytes do not depend on the server's zone.
  const date = new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
  const core = zip.file('docProps/core.xml');
  if (core) {
    const xml = (await core.async('string')).replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:)/g, `$1${isoSeconds}$2`);
    zip.file('docProps/core.xml', xml);
  }
  for (const file of Object.values(zip.files)) file.date = date;
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
}
