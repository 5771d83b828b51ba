// Clean (unmarked) exports of one version as HTML and Markdown, next to the
// DOCX and PDF ones in docx.ts and pdf.ts. No HTTP here: the routes call these.
import { serializeMarkdown } from '../../core/markdown';
import { renderCleanHtml } from '../../core/redline/render-html';
import { docFromJSON, type PMJSON } from '../../core/schema';
import type { Locale } from '../../core/i18n/locales';

export interface CleanInfo {
  label?: string;
  date?: string;
  contentHash?: string;
  /** The text's language (BCP 47). */
  language?: string;
  /** The language of the page's own texts; from `language` when it is one of the six, else English, by default. */
  locale?: Locale;
}

/** A printable HTML page of one version. */
export function cleanHtml(title: string, doc: PMJSON, info?: CleanInfo): string {
  return renderCleanHtml(title, doc, info);
}

/** The canonical Markdown of one version (what `parseMarkdown` reads back). */
export function cleanMarkdown(title: string, doc: PMJSON, language?: string): string {
  return serializeMarkdown(title, docFromJSON(doc), language);
}
