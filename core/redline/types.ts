// The redline JSON (contract "Redlines") and the shapes it is built from.
// Every rendering (HTML, Markdown, DOCX, PDF) reads only these types, never
// the documents themselves. Pure data: no functions, no I/O.
import type { Locale } from '../i18n/locales';

/** A version number, `'live'`, or any other name the caller gives a side (a file name in the CLI). */
export type VersionRef = number | string;

export type OpKind = 'equal' | 'insert' | 'delete';

/**
 * An inline mark as in core/schema.ts: `em`, `strong`, `code`, `link` (with
 * `href`); and `image` on the private-use character that stands for an image
 * (`href` its src, `title` its alt text; see blocks.ts `imageChar`).
 */
export interface RedlineMark {
  type: string;
  href?: string;
  title?: string | null;
}

/** A stretch of an op's text with one set of marks. */
export interface RedlineRun {
  text: string;
  marks: RedlineMark[];
}

export interface RedlineOp {
  op: OpKind;
  /** Exact text, whitespace included; op boundaries always fall on whitespace, so no word is ever split. */
  text: string;
  /** The text split by formatting, present only when some of it carries marks (new side for equal/insert, old for delete). */
  runs?: RedlineRun[];
  /** On an `equal` op whose formatting changed: the old formatting (then `runs` is the new one, possibly unmarked). */
  fromRuns?: RedlineRun[];
  /** On every op of a moved block: the move it belongs to (`m1`, `m2`, ...). */
  moveId?: string;
  /**
   * Who wrote the op's words (insert: on the new side; delete: on the old
   * side), when the server knows (core/redline/authors.ts adds them; absent
   * for text written before attribution existed).
   */
  authors?: RedlineAuthor[];
  /** On a delete op: who deleted its words and when (`at`), where the server recorded it as the deletion arrived. */
  deletedBy?: RedlineAuthor[];
}

/** An author of an inserted or deleted run (core/attribution.ts). */
export interface RedlineAuthor {
  id: string;
  name: string;
  organization: string;
  stakeholderGroup: string;
  /** When the author's client began writing in the document: the nearest time known for this change. */
  at?: string;
}

export type BlockType = 'heading' | 'paragraph' | 'list_item' | 'table';

/** Where a block sits: its kind and its nesting in lists and quotes. */
export interface BlockShape {
  type: BlockType;
  /** Heading level (2 = the section's own heading). */
  level?: number;
  /** For list items: the kind of list. */
  list?: 'bullet' | 'ordered';
  /** For ordered list items: the item's number. */
  number?: number;
  /** List nesting depth (1 = top-level list); absent outside lists. */
  depth?: number;
  /** Blockquote nesting depth; absent outside quotes. */
  quote?: number;
}

export type BlockStatus = 'unchanged' | 'changed' | 'inserted' | 'deleted' | 'moved-from' | 'moved-to';

export interface RedlineBlock extends BlockShape {
  status: BlockStatus;
  ops: RedlineOp[];
  /** True on the section's own heading (always the first block). */
  sectionHeading?: true;
  /** Moved blocks: the move's id, shared by the `moved-from` and the `moved-to` block. */
  moveId?: string;
  /** Moved blocks: the section at the other end of the move. */
  moveSection?: string;
  /** On a `moved-to` block whose words also changed: the word diff from its old text (renderers show it; not part of the word property). */
  moveOps?: RedlineOp[];
  /** When the block's kind changed (paragraph to list item, heading level, ...): its old shape. */
  shapeFrom?: BlockShape;
  /** Number of formatting-only changes in this block (format-changed equal ops plus a shape change). */
  formatChanges?: number;
  /**
   * The paragraph break after this block: `inserted` when one old paragraph
   * was split here into this block and the next, `deleted` when this block and
   * the next were two paragraphs merged into one. The two blocks' ops meet at
   * the break: on the side without it, their texts are one paragraph.
   */
  paragraphBreak?: 'inserted' | 'deleted';
  /**
   * Tables (`type: 'table'`): the rows, each cell with its own ops. The
   * block's `ops` are the cells' ops in reading order (a line break apart),
   * so the words of a table read like those of any block.
   */
  rows?: RedlineRow[];
}

/** A table row or cell: there on both sides (unchanged or changed), or on one only. */
export type TablePartStatus = 'unchanged' | 'changed' | 'inserted' | 'deleted';

export interface RedlineRow {
  status: TablePartStatus;
  cells: RedlineCell[];
}

export interface RedlineCell {
  status: TablePartStatus;
  /** A header cell (on the new side; the old side for a deleted cell). */
  header?: true;
  /** When the cell turned from header to body cell or back: whether it was a header. */
  fromHeader?: boolean;
  ops: RedlineOp[];
  formatChanges?: number;
}

export type SectionStatus = 'unchanged' | 'changed' | 'added' | 'removed' | 'moved';

export interface SectionStats {
  wordsInserted: number;
  wordsDeleted: number;
  /** Words of the blocks moved into this section (counted once, at the destination). */
  wordsMoved: number;
  wordsUnchanged: number;
  formatChanges: number;
  blocksInserted: number;
  blocksDeleted: number;
  blocksChanged: number;
  blocksMoved: number;
}

export interface RedlineSection {
  id: string;
  /** The section's title in the `to` version (in `from` when removed). */
  title: string;
  /** The old title when it changed. */
  fromTitle?: string;
  status: SectionStatus;
  /** Whether the section's content differs (lets a `moved` section also say it changed). */
  changed: boolean;
  /** Position among the sections of each side; null when absent there. */
  fromIndex: number | null;
  toIndex: number | null;
  blocks: RedlineBlock[];
  stats: SectionStats;
}

export interface RedlineStats extends SectionStats {
  sectionsAdded: number;
  sectionsRemoved: number;
  sectionsMoved: number;
  sectionsChanged: number;
  sectionsUnchanged: number;
}

export interface RedlineSide {
  ref: VersionRef;
  label?: string;
  title: string;
}

export interface Redline {
  from: VersionRef;
  to: VersionRef;
  /** Labels and document titles of both sides. */
  versions: { from: RedlineSide; to: RedlineSide };
  sections: RedlineSection[];
  stats: RedlineStats;
}

/** Header data for renderings, filled by the caller (server or CLI). All optional but the title. */
export interface RedlineMetaSide {
  label: string;
  date?: string;
  /** The canonical content hash of the text (core/canonical.ts: SHA-256 of the canonical JSON of { title, content }), as the server and the log give it. */
  contentHash?: string;
  /** SHA-256 of the bytes of the file the side was read from (`accord diff`): not a content hash, the same text in another file differs. */
  fileDigest?: string;
}

export interface RedlineMeta {
  documentTitle: string;
  documentId?: string;
  from: RedlineMetaSide;
  to: RedlineMetaSide;
  /** The transparency log checkpoint (signed note text) the versions are covered by. */
  checkpoint?: string;
  /** When the redline was produced (ISO 8601). */
  generatedAt?: string;
  /** Author written on DOCX tracked changes. */
  author?: string;
  /** The language the text is written in (BCP 47); English when absent. */
  language?: string;
  /** The language of the export's own texts (headers, notes, footers): from `language` when it is one of the six UN languages, else English, unless given. */
  locale?: Locale;
}
