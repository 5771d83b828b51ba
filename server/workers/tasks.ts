// The work that must not run on the event loop that relays keystrokes:
// folding stored updates into a snapshot, and rendering redlines and clean
// exports (DOCX and PDF of a large document take tens of milliseconds or
// more). Pure functions of their inputs; `runTask` is called in a worker
// thread (see pool.ts) or, where no pool exists, in the caller's thread.
import { redline as computeRedline, type RedlineMeta } from '../../core/redline/index';
import type { VersionRef } from '../../core/redline/types';
import { DEFAULT_LANGUAGE } from '../../core/language';
import { renderRedlineHtml } from '../../core/redline/render-html';
import { renderRedlineMarkdown } from '../../core/redline/render-markdown';
import type { PMJSON } from '../../core/schema';
import { foldUpdates } from '../store/fold';
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
  /** The text, or its JSON text (the live side: parsed here, in the worker, never on the event loop). */
  doc: PMJSON | string;
}

const parsedSide = (side: RedlineSide) => ({ ...side, doc: typeof side.doc === 'string' ? (JSON.parse(side.doc) as PMJSON) : side.doc });

/** A bundle's input with each version's content as its stored JSON text, parsed here (log/bundle.ts builds it). */
export type BundleSource = Omit<BundleInput, 'versions'> & { versions: (Omit<BundleInput['versions'][number], 'content'> & { content: string })[] };

export type Task =
  | { kind: 'fold'; snapshot: Uint8Array | null; updates: Uint8Array[] }
  | { kind: 'view'; summary: DocumentSummary; parts: Uint8Array[] }
  /** The amendment compilation (amendments/compilation.ts). */
  | { kind: 'compilation'; input: CompilationInput; format: CompilationFormat }
  /** A verification bundle's JSON text (log/bundle.ts). */
  | { kind: 'bundle'; source: BundleSource; pretty: boolean }
  /** A new document from Markdown: its first Yjs state and its view (documents/service.ts create). */
  | { kind: 'import'; id: string; title: string; /** The caller's; else the Markdown's front matter's; else English. */ language: string | undefined; markdown: string }
  | { kind: 'redline'; from: RedlineSide; to: RedlineSide; meta: RedlineMeta; format: 'json' | 'html' | 'md' | 'docx' | 'pdf' }
  | { kind: 'clean'; title: string; /** Or its JSON text, parsed here. */ content: PMJSON | string; info: { label: string; date: string; contentHash: string; language: string }; format: 'html' | 'md' | 'docx' | 'pdf' };

/**
 * What an import returns: the title (the argument, else the Markdown's), the
 * first state and its rendered view; or why the Markdown cannot be a document
 * (a MarkdownError does not survive the thread boundary as itself).
 */
export type ImportedDocument = { ok: true; title: string; language: string; state: Uint8Array; view: string } | { ok: false; reason: string; line: number };

/** What a rendering returns: bytes, or text. */
export type RenderResult = Uint8Array | string;
/** What any task returns. */
export type TaskResult = RenderResult | ImportedDocument | BuiltBundle;
/** What a task of this kind returns. */
export type ResultOf<T extends Task> = T extends { kind: 'import' } ? ImportedDocument : T extends { kind: 'bundle' } ? BuiltBundle : T extends { kind: 'fold' } ? Uint8Array : T extends { kind: 'view' } ? string : RenderResult;

/** A bundle's JSON text, or which item of the stored history does not match the log (BundleBuildError, which does not cross threads). */
export type BuiltBundle = { ok: true; json: string } | { ok: false; item: string; message: string };
/** The tasks that render (and whose results the render caches keep). */
export type RenderTask = Exclude<Task, { kind: 'import' | 'fold' | 'bundle' }>;

/** Runs a task in this thread; typed by its kind (the switch below is what makes the cast true). */
export function runTask<T extends Task>(task: T): Promise<ResultOf<T>> {
  return run(task) as Promise<ResultOf<T>>;
}

async function run(task: Task): Promise<TaskResult> {
  switch (task.kind) {
    case 'fold':
      return foldUpdates(task.snapshot, task.updates);
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
    case 'redline': {
      const r = computeRedline(parsedSide(task.from), parsedSide(task.to));
      switch (task.format) {
        case 'json':
          return JSON.stringify(r);
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
