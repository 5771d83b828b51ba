// The work that must not run on the event loop that relays keystrokes:
// folding stored updates into a snapshot, and rendering redlines and clean
// exports (DOCX and PDF of a large document take tens of milliseconds or
// more). Pure functions of their inputs, but for one cache: the texts
// prepared for redlines, kept by content hash in this thread's memory and in
// the directory a task names (export/prepared-texts.ts). `runTask` is called
// in a worker thread (see pool.ts) or, where no pool exists, in the caller's thread.
import { redlineFlat, type FlatInput, type RedlineMeta } from '../../core/redline/index';
import type { VersionRef } from '../../core/redline/types';
import { flattenDocument, type FlatSection } from '../../core/redline/blocks';
import { findPrepared, prepareAndKeep } from '../export/prepared-texts';
import { DEFAULT_LANGUAGE } from '../../core/language';
import { renderRedlineHtml } from '../../core/redline/render-html';
import type { Locale } from '../../core/i18n/locales';
import { annotateAuthors } from '../../core/redline/authors';
import { wordsOfState, type ClientAuthorship, type DeletedRange } from '../../core/attribution';
import { renderRedlineMarkdown } from '../../core/redline/render-markdown';
import type { PMJSON } from '../../core/schema';
import { foldUpdates } from '../store/fold';
import { mergeUpdates } from '../history/delta';
import { cleanDocx, redlineDocx } from '../export/docx';
import { cleanPdf, redlinePdf } from '../export/pdf';
import { cleanHtml, cleanMarkdown } from '../export/html-clean';
import { renderView } from '../documents/view';
import { buildBundle, BundleBuildError, type BundleInput } from '../../core/bundle';
import { renderCompilation, type CompilationFormat, type CompilationInput } from '../amendments/compilation';
import { initialState } from '../documents/state';
import { MarkdownError, parseMarkdown, type ParsedDocument } from '../../core/markdown';
import type { DocumentSummary } from '../../core/api';

export interface RedlineSide {
  /** A version's number, 'live', or another name the redline JSON carries (a history point: `p3`). */
  ref: VersionRef;
  label: string;
  title: string;
  /**
   * The text, or its JSON text (parsed here, in the worker, never on the event
   * loop). May be left out when `prepared` names a text this thread holds.
   */
  doc?: PMJSON | string;
  /**
   * The text's content hash, under which its prepared form is looked up and
   * kept (export/prepared-texts.ts), and the directory that keeps it on disk
   * (null: memory only, as for the live text).
   */
  prepared?: { hash: string; dir: string | null };
}

/** A redline whose sides were named only by their hashes, and this thread holds neither form of these: send their texts. */
export interface MissingTexts {
  missing: ('from' | 'to')[];
}

/** The worker's answer that it lacks a text (only when a side was named by its hash alone). */
export function isMissing(result: unknown): result is MissingTexts {
  return typeof result === 'object' && result !== null && !(result instanceof Uint8Array) && 'missing' in result;
}

/** The flattened side of a redline: prepared (kept by hash), or flattened from its text here. */
function flatSide(side: RedlineSide): FlatInput | null {
  const { ref, label, title, doc, prepared } = side;
  let sections: FlatSection[] | undefined;
  if (prepared) {
    const text = findPrepared(prepared.hash, prepared.dir) ?? (doc !== undefined ? prepareAndKeep(prepared.hash, doc, prepared.dir) : null);
    if (!text) return null;
    sections = text.sections;
  } else if (doc !== undefined) {
    sections = flattenDocument(typeof doc === 'string' ? (JSON.parse(doc) as PMJSON) : doc);
  }
  return sections ? { ref, label, title, sections } : null;
}

/** A text's Yjs state and the owners of its client ids: what the worker attributes a redline side from. */
export interface AuthorSource {
  state: Uint8Array;
  owners: [number, ClientAuthorship][];
  /** Who deleted which items (for the old side's deleted words). */
  deletions: DeletedRange[];
}

const authoredText = (source: AuthorSource | null) => (source ? { sections: wordsOfState(source.state, new Map(source.owners), source.deletions) } : null);

/** A bundle's input with each version's content as its stored JSON text, parsed here (log/bundle.ts builds it). */
export type BundleSource = Omit<BundleInput, 'versions'> & { versions: (Omit<BundleInput['versions'][number], 'content'> & { content: string })[] };

export type Task =
  | { kind: 'fold'; snapshot: Uint8Array | null; updates: Uint8Array[] }
  /** Yjs updates merged into one (a history point's changes, history/recorder.ts). */
  | { kind: 'merge'; updates: Uint8Array[] }
  | { kind: 'view'; summary: DocumentSummary; parts: Uint8Array[] }
  /** The amendment compilation (amendments/compilation.ts). */
  | { kind: 'compilation'; input: CompilationInput; format: CompilationFormat }
  /** A verification bundle's JSON text (log/bundle.ts). */
  | { kind: 'bundle'; source: BundleSource; pretty: boolean }
  /** A new document from Markdown: its first Yjs state and its view (documents/service.ts create). */
  | { kind: 'import'; id: string; title: string; /** The caller's; else the Markdown's front matter's; else English. */ language: string | undefined; markdown: string }
  | { kind: 'redline'; from: RedlineSide; to: RedlineSide; meta: RedlineMeta; format: 'json' | 'html' | 'md' | 'docx' | 'pdf'; /** Who wrote each side (attribution/service.ts), when shown: the changes name their authors. */ authors?: { from: AuthorSource | null; to: AuthorSource | null } }
  /** A version's text prepared for redlines when it is frozen, kept under its content hash (export/prepared-texts.ts). */
  | { kind: 'prepare'; hash: string; content: string; dir: string | null }
  | { kind: 'clean'; title: string; /** Or its JSON text, parsed here. */ content: PMJSON | string; info: { label: string; date: string; contentHash: string; language: string; locale?: Locale }; format: 'html' | 'md' | 'docx' | 'pdf' };

/**
 * What an import returns: the title (the argument, else the Markdown's), the
 * first state and its rendered view; or why the Markdown cannot be a document
 * (a MarkdownError does not survive the thread boundary as itself).
 */
export type ImportedDocument = { ok: true; title: string; language: string; state: Uint8Array; view: string } | { ok: false; reason: string; line: number };

/** What a rendering returns: bytes, or text. */
export type RenderResult = Uint8Array | string;
/** What any task returns. */
export type TaskResult = RenderResult | ImportedDocument | BuiltBundle | MissingTexts | PreparedInfo;
/** What a task of this kind returns. */
export type ResultOf<T extends Task> = T extends { kind: 'import' }
  ? ImportedDocument
  : T extends { kind: 'bundle' }
    ? BuiltBundle
    : T extends { kind: 'fold' | 'merge' }
      ? Uint8Array
      : T extends { kind: 'view' }
        ? string
        : T extends { kind: 'prepare' }
          ? PreparedInfo
          : T extends { kind: 'redline' }
            ? RenderResult | MissingTexts
            : RenderResult;

/** What preparing a text cost, for the record (the benchmark reports it). */
export interface PreparedInfo {
  ms: number;
}

/** A bundle's JSON text, or which item of the stored history does not match the log (BundleBuildError, which does not cross threads). */
export type BuiltBundle = { ok: true; json: string } | { ok: false; item: string; message: string };
/** The tasks that render (and whose results the render caches keep). */
export type RenderTask = Exclude<Task, { kind: 'import' | 'fold' | 'merge' | 'bundle' | 'prepare' }>;

/** Runs a task in this thread; typed by its kind (the switch below is what makes the cast true). */
export function runTask<T extends Task>(task: T): Promise<ResultOf<T>> {
  return run(task) as Promise<ResultOf<T>>;
}

async function run(task: Task): Promise<TaskResult> {
  switch (task.kind) {
    case 'fold':
      return foldUpdates(task.snapshot, task.updates);
    case 'merge':
      return mergeUpdates(task.updates);
    case 'view':
      return renderView(task.summary, task.parts);
    case 'compilation': {
      const { body } = await renderCompilation(task.input, task.format);
      return typeof body === 'string' ? body : bytes(body);
    }
    case 'bundle': {
      const { source } = task;
      try {
        const bundle = buildBundle({ ...source, versions: source.versions.map((v) => ({ ...v, content: JSON.parse(v.content) as PMJSON })) });
        return { ok: true, json: task.pretty ? JSON.stringify(bundle, null, 2) : JSON.stringify(bundle) };
      } catch (err) {
        if (err instanceof BundleBuildError) return { ok: false, item: err.item, message: err.message };
        throw err;
      }
    }
    case 'import': {
      let parsed: ParsedDocument;
      try {
        parsed = parseMarkdown(task.markdown);
      } catch (err) {
        if (err instanceof MarkdownError) return { ok: false, reason: err.reason, line: err.line };
        throw err;
      }
      const title = task.title || parsed.title;
      const state = initialState(parsed.doc);
      // Rendered from the state, exactly as a later read would be, so the first read finds it ready.
      const language = task.language ?? parsed.language ?? DEFAULT_LANGUAGE;
      return { ok: true, title, language, state, view: renderView({ id: task.id, title, language }, [state]) };
    }
    case 'prepare': {
      const start = performance.now();
      // When a version is recorded nobody waits: its file is written within this task, and timed with it.
      prepareAndKeep(task.hash, task.content, task.dir, 'now');
      return { ms: performance.now() - start };
    }
    case 'redline': {
      const from = flatSide(task.from);
      const to = flatSide(task.to);
      if (!from || !to) return { missing: [...(from ? [] : ['from' as const]), ...(to ? [] : ['to' as const])] };
      const r = redlineFlat(from, to);
      if (task.authors) annotateAuthors(r, authoredText(task.authors.from), authoredText(task.authors.to));
      switch (task.format) {
        case 'json':
          // Bytes, handed over to the event loop without a copy (worker.ts transfers them) and sent as they are.
          return new TextEncoder().encode(JSON.stringify(r));
        case 'html':
          return renderRedlineHtml(r, task.meta);
        case 'md':
          return renderRedlineMarkdown(r, task.meta);
        case 'docx':
          return bytes(await redlineDocx(r, task.meta));
        case 'pdf':
          return bytes(await redlinePdf(r, task.meta));
      }
      break;
    }
    case 'clean': {
      const content = typeof task.content === 'string' ? (JSON.parse(task.content) as PMJSON) : task.content;
      switch (task.format) {
        case 'html':
          return cleanHtml(task.title, content, task.info);
        case 'md':
          return cleanMarkdown(task.title, content, task.info.language);
        case 'docx':
          return bytes(await cleanDocx(task.title, content, task.info));
        case 'pdf':
          return bytes(await cleanPdf(task.title, content, task.info));
      }
      break;
    }
  }
  throw new Error('unknown task');
}

function bytes(b: Buffer | Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
