// The redline as one printable HTML page: header (document, versions, dates,
// content hashes, log checkpoint), a change summary per section, then the
// text with <ins>/<del>. Pure string building from the redline JSON; every
// piece of text and every attribute is escaped, and links keep only safe hrefs.
import { isSafeHref, type PMJSON } from '../schema';
import { DEFAULT_LANGUAGE, directionOf } from '../language';
import { redline } from './index';
import { exportText, formatChangeText, moveText, plainRunText, resolveMeta, runsOf, sectionStatusText, shapeText, totalsText, type ExportText } from './render-common';
import { exportLocale } from '../i18n/messages/exports';
import { localeDirection, type Locale } from '../i18n/locales';
import { authorsLabel, authorsTime } from './authors';
import type { Redline, RedlineBlock, RedlineCell, RedlineMeta, RedlineOp, RedlineRow, RedlineRun, RedlineSection } from './types';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function textHtml(text: string): string {
  return escapeHtml(text).replace(/\n/g, '<br>');
}

function runHtml(run: RedlineRun): string {
  // Images are shown by their label: a redline page loads nothing from elsewhere.
  let html = textHtml(plainRunText(run));
  for (const mark of run.marks) {
    if (mark.type === 'code') html = `<code>${html}</code>`;
    else if (mark.type === 'em') html = `<em>${html}</em>`;
    else if (mark.type === 'strong') html = `<strong>${html}</strong>`;
    else if (mark.type === 'link') {
      const href = mark.href ?? '';
      html = isSafeHref(href) ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">${html}</a>` : `<span class="link">${html}</span>`;
    }
  }
  return html;
}

const minute = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** ` title="…"` naming who inserted or deleted an op and who wrote it, when known; empty otherwise. */
function changeTitle(t: ExportText, op: RedlineOp): string {
  const parts: string[] = [];
  const deleters = authorsLabel(op.deletedBy);
  if (op.op === 'delete' && deleters) {
    const at = authorsTime(op.deletedBy);
    parts.push(at ? t.t('author.deletedByAt', { who: deleters, when: minute(at) }) : t.t('author.deletedBy', { who: deleters }));
  }
  const writers = authorsLabel(op.authors);
  if (writers) {
    const since = authorsTime(op.authors);
    const inserted = op.op === 'insert';
    if (since) parts.push(t.t(inserted ? 'author.insertedSince' : 'author.writtenSince', { who: writers, when: minute(since) }));
    else parts.push(t.t(inserted ? 'author.inserted' : 'author.written', { who: writers }));
  }
  return parts.length === 0 ? '' : ` title="${escapeHtml(parts.join('; '))}"`;
}

function opHtml(t: ExportText, op: RedlineOp): string {
  const body = runsOf(op).map(runHtml).join('');
  const move = op.moveId ? ` class="move" data-move="${escapeHtml(op.moveId)}"` : '';
  // Who wrote (and who deleted) the change shows on hover.
  const title = op.op === 'insert' || op.op === 'delete' ? changeTitle(t, op) : '';
  if (op.op === 'insert') return `<ins${move}${title}>${body}</ins>`;
  if (op.op === 'delete') return `<del${move}${title}>${body}</del>`;
  if (op.fromRuns) return `<span class="fmt" title="${escapeHtml(formatChangeText(t, op))}">${body}</span>`;
  return body;
}


/**
 * A table as a real table: header cells are <th> (a header row in <thead>
 * with scope="col", a header cell in a body row scope="row"), the cells' text
 * with <ins>/<del>; a row inserted or deleted is marked on the row and
 * announced in its first cell.
 */
function tableHtml(t: ExportText, block: RedlineBlock): string {
  const rows = block.rows ?? [];
  const headerRows = rows.length > 1 && rows[0]!.cells.length > 0 && rows[0]!.cells.every((c) => c.header) ? 1 : 0;
  const rowHtml = (row: RedlineRow, inHead: boolean) => {
    const cells = row.cells.map((cell: RedlineCell, i) => {
      const tag = cell.header ? 'th' : 'td';
      const scope = cell.header ? ` scope="${inHead ? 'col' : 'row'}"` : '';
      const note = i === 0 && (row.status === 'inserted' || row.status === 'deleted') && block.status !== 'inserted' && block.status !== 'deleted' ? `<span class="note">${escapeHtml(t.t(`row.${row.status}`))}</span> ` : '';
      const was = cell.fromHeader !== undefined ? ` <span class="note">${escapeHtml(t.t(cell.fromHeader ? 'cell.wasHeader' : 'cell.wasBody'))}</span>` : '';
      return `<${tag}${scope} dir="auto">${note}${cell.ops.map((o) => opHtml(t, o)).join('')}${was}</${tag}>`;
    });
    return `<tr class="r-${row.status}">${cells.join('')}</tr>`;
  };
  const head = headerRows ? `<thead>${rowHtml(rows[0]!, true)}</thead>` : '';
  const body = rows.slice(headerRows).map((r) => rowHtml(r, false)).join('\n');
  const status = block.status === 'inserted' || block.status === 'deleted' ? `<caption class="note">${escapeHtml(t.t(`table.${block.status}`))}</caption>` : '';
  let html = `<table class="rl-table b-${block.status}">${status}${head}\n<tbody>\n${body}\n</tbody></table>`;
  for (let q = 0; q < (block.quote ?? 0); q++) html = `<blockquote>${html}</blockquote>`;
  return block.depth ? `<div style="margin-left:${1.5 * block.depth}em">${html}</div>` : html;
}

function blockHtml(t: ExportText, block: RedlineBlock, section: RedlineSection, all: readonly RedlineSection[]): string {
  if (block.rows) return tableHtml(t, block);
  const op = (o: RedlineOp) => opHtml(t, o);
  const ops = block.status === 'moved-to' && block.moveOps ? `<ins class="move" data-move="${escapeHtml(block.moveId ?? '')}">${block.moveOps.map(op).join('')}</ins>` : block.ops.map(op).join('');
  const notes: string[] = [];
  if (block.moveId) notes.push(`${moveText(t, block, all, section)} (${block.moveId})`);
  if (block.shapeFrom) notes.push(t.t('note.wasA', { shape: shapeText(t, block.shapeFrom) }));
  const note = notes.map((n) => ` <span class="note">${escapeHtml(n)}</span>`).join('');
  const mark =
    block.paragraphBreak === 'inserted'
      ? `<ins class="para" title="${escapeHtml(t.t('para.inserted'))}">¶</ins>`
      : block.paragraphBreak === 'deleted'
        ? `<del class="para" title="${escapeHtml(t.t('para.deleted'))}">¶</del>`
        : '';
  const marker = block.type === 'list_item' ? `<span class="marker">${block.list === 'ordered' ? `${block.number ?? 1}.` : '•'}</span> ` : '';
  const classes = [`b-${block.status}`, block.type === 'list_item' ? 'li' : ''].filter(Boolean).join(' ');
  const indent = block.depth ? ` style="margin-left:${1.5 * block.depth}em"` : '';
  const anchor = block.moveId ? ` id="${escapeHtml(`${block.moveId}-${block.status === 'moved-from' ? 'from' : 'to'}`)}"` : '';
  const tag = block.type === 'heading' ? `h${Math.min(6, Math.max(2, block.level ?? 3))}` : 'p';
  // dir="auto": a paragraph in another script than the document's runs its own way.
  let html = `<${tag} class="${classes}" dir="auto"${indent}${anchor}>${marker}${ops || '&#8203;'}${mark}${note}</${tag}>`;
  for (let q = 0; q < (block.quote ?? 0); q++) html = `<blockquote>${html}</blockquote>`;
  return html;
}

/** The text's language and direction on the element that holds it (the page around it is in the export's locale). */
function textLanguage(language: string | undefined): string {
  const lang = language ?? DEFAULT_LANGUAGE;
  return ` lang="${escapeHtml(lang)}" dir="${directionOf(lang)}"`;
}

function sectionHtml(t: ExportText, section: RedlineSection, all: readonly RedlineSection[]): string {
  const status = section.status === 'unchanged' ? '' : `<p class="section-status s-${section.status}">${escapeHtml(sectionStatusText(t, section))}</p>\n`;
  const blocks = section.blocks.map((b) => blockHtml(t, b, section, all)).join('\n');
  return `<section class="rl-section s-${section.status}" id="s-${escapeHtml(section.id)}" data-section-id="${escapeHtml(section.id)}">\n${status}${blocks}\n</section>`;
}

function summaryHtml(tr: ExportText, r: Redline): string {
  const row = (cells: string[], head = false) => `<tr>${cells.map((c, i) => (head || i === 0 ? `<th${head ? '' : ' scope="row"'}>${c}</th>` : `<td>${c}</td>`)).join('')}</tr>`;
  const rows = r.sections.map((s) =>
    row([
      `<a href="#s-${escapeHtml(s.id)}">${escapeHtml(s.title || s.id)}</a>`,
      `<span class="badge s-${s.status}">${escapeHtml(sectionStatusText(tr, s))}</span>`,
      String(s.stats.wordsInserted),
      String(s.stats.wordsDeleted),
      String(s.stats.wordsMoved),
      String(s.stats.formatChanges),
    ]),
  );
  const t = r.stats;
  return `<table class="summary">
<thead>${row([tr.t('summary.section'), tr.t('summary.status'), tr.t('summary.wordsInserted'), tr.t('summary.wordsDeleted'), tr.t('summary.wordsMoved'), tr.t('summary.formatChanges')].map(escapeHtml), true)}</thead>
<tbody>
${rows.join('\n')}
</tbody>
<tfoot>${row([escapeHtml(tr.t('summary.total')), escapeHtml(totalsText(tr, r)), String(t.wordsInserted), String(t.wordsDeleted), String(t.wordsMoved), String(t.formatChanges)])}</tfoot>
</table>`;
}

const STYLE = `
:root { --ins: #0a6b2a; --ins-bg: #e3f4e8; --del: #b3261e; --del-bg: #fbe9e7; --move: #1a4fa0; --move-bg: #e6eefb; --fmt: #8a5a00; }
body { font: 11pt/1.55 Georgia, 'Times New Roman', serif; color: #1b1b1b; max-width: 46em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.7em; margin: 0.2em 0 0.6em; }
.kicker { text-transform: uppercase; letter-spacing: 0.12em; font: 600 0.8em/1 system-ui, sans-serif; color: #555; margin: 0; }
table { border-collapse: collapse; font: 0.85em/1.4 system-ui, sans-serif; margin: 0.5em 0 1.2em; width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.5em; text-align: start; vertical-align: top; }
thead th, thead td { background: #f2f2f2; }
table.summary td { text-align: end; }
table.summary td:nth-child(2) { text-align: start; }
p.li { margin: 0.25em 0; }
code { font: 0.9em/1.3 ui-monospace, Menlo, Consolas, monospace; word-break: break-all; }
pre.checkpoint { font: 0.8em/1.35 ui-monospace, Menlo, Consolas, monospace; background: #f6f6f6; border: 1px solid #ddd; padding: 0.6em; white-space: pre-wrap; word-break: break-all; }
.meta-line, .legend { font: 0.85em/1.4 system-ui, sans-serif; color: #444; }
ins { color: var(--ins); background: var(--ins-bg); text-decoration: underline; }
del { color: var(--del); background: var(--del-bg); text-decoration: line-through; }
ins.move, del.move { color: var(--move); background: var(--move-bg); }
ins.move { text-decoration: underline double; }
.fmt { border-bottom: 2px dotted var(--fmt); }
ins::before, ins::after, del::before, del::after { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
ins::before { content: " [inserted: "; } del::before { content: " [deleted: "; }
ins.move::before { content: " [moved here: "; } del.move::before { content: " [moved away: "; }
ins::after, del::after { content: "] "; }
.legend ins::before, .legend ins::after, .legend del::before, .legend del::after { content: none; }
.note { font: italic 0.75em/1 system-ui, sans-serif; color: #555; background: #f3f3f3; padding: 0 0.3em; border-radius: 0.2em; }
.section-status, .badge { font: 600 0.75em/1.2 system-ui, sans-serif; text-transform: uppercase; letter-spacing: 0.05em; }
.section-status { margin: 1.6em 0 -0.8em; color: #555; }
.s-added .section-status, .badge.s-added { color: var(--ins); }
.s-removed .section-status, .badge.s-removed { color: var(--del); }
.s-moved .section-status, .badge.s-moved { color: var(--move); }
.rl-section { border-top: 1px solid #e2e2e2; margin-top: 1.2em; }
.b-inserted { border-inline-start: 3px solid var(--ins); padding-inline-start: 0.5em; }
.b-deleted { border-inline-start: 3px solid var(--del); padding-inline-start: 0.5em; }
.b-moved-from, .b-moved-to { border-inline-start: 3px solid var(--move); padding-inline-start: 0.5em; }
.li .marker { display: inline-block; min-width: 1.2em; }
table.rl-table { font: inherit; width: auto; min-width: 50%; }
table.rl-table caption { text-align: start; caption-side: top; }
table.rl-table td, table.rl-table th { height: 1.5em; }
tr.r-inserted { box-shadow: inset 3px 0 0 var(--ins); }
tr.r-deleted { box-shadow: inset 3px 0 0 var(--del); }
blockquote { margin-block: 0.5em; margin-inline: 1em 0; padding-inline-start: 0.8em; border-inline-start: 3px solid #ccc; color: #333; }
@page { margin: 2cm 1.8cm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  a { color: inherit; }
  ins, del, .fmt, .note { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2, h3, h4 { break-after: avoid; }
  table.summary, .rl-section h2 { break-inside: avoid; }
}
`;

/** The style sheet every redline page carries, for the hash in the app's Content-Security-Policy (the history panel shows it in a srcdoc frame). */
export const REDLINE_STYLE = STYLE;

/** One version as a plain printable page (no change markup): the clean HTML export. */
export function renderCleanHtml(title: string, doc: PMJSON, info?: { label?: string; date?: string; contentHash?: string; language?: string; locale?: Locale }): string {
  const r = redline({ ref: 'clean', title, doc }, { ref: 'clean', title, doc });
  const locale = exportLocale(info?.language, info?.locale);
  const t = exportText(locale);
  const line = [info?.label, info?.date, info?.contentHash ? t.t('clean.contentHash', { hash: info.contentHash }) : ''].filter(Boolean).map((x) => escapeHtml(x!)).join(' · ');
  return `<!doctype html>
<html lang="${locale}" dir="${localeDirection(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title || t.t('untitled'))}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1 dir="auto">${escapeHtml(title || t.t('untitled'))}</h1>
${line ? `<p class="meta-line">${line}</p>\n` : ''}</header>
<main${textLanguage(info?.language)}>
${r.sections.map((s) => sectionHtml(t, s, r.sections)).join('\n')}
</main>
</body>
</html>
`;
}

/** The whole page. `meta` fills the header; what it leaves out is taken from the redline. */
export function renderRedlineHtml(r: Redline, meta?: Partial<RedlineMeta>): string {
  const m = resolveMeta(r, meta);
  const t = exportText(m.locale);
  const cell = (v: string | undefined, code = false) => (v ? (code ? `<code>${escapeHtml(v)}</code>` : escapeHtml(v)) : '<span class="meta-line">—</span>');
  const [docBefore, docAfter] = t.t('head.document', { id: '\u0000' }).split('\u0000');
  const generated = [m.generatedAt ? escapeHtml(t.t('head.generated', { when: m.generatedAt })) : '', m.documentId ? `${escapeHtml(docBefore ?? '')}<code>${escapeHtml(m.documentId)}</code>${escapeHtml(docAfter ?? '')}` : ''].filter(Boolean).join(' · ');
  const checkpoint = m.checkpoint ? `<pre class="checkpoint">${escapeHtml(m.checkpoint)}</pre>` : `<p class="meta-line">${escapeHtml(t.t('head.noCheckpoint'))}</p>`;
  const h = (key: Parameters<ExportText['t']>[0]) => escapeHtml(t.t(key));
  return `<!doctype html>
<html lang="${m.locale}" dir="${localeDirection(m.locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.t('redline.pageTitle', { title: m.documentTitle, from: m.from.label, to: m.to.label }))}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="rl-header">
<p class="kicker">${h('redline.kicker')}</p>
<h1 dir="auto">${escapeHtml(m.documentTitle)}</h1>
<table class="versions">
<thead><tr><td></td><th scope="col">${h('head.from')}</th><th scope="col">${h('head.to')}</th></tr></thead>
<tbody>
<tr><th scope="row">${h('head.version')}</th><td>${cell(m.from.label)}</td><td>${cell(m.to.label)}</td></tr>
<tr><th scope="row">${h('head.date')}</th><td>${cell(m.from.date)}</td><td>${cell(m.to.date)}</td></tr>
<tr><th scope="row">${h('head.contentHash')}</th><td>${cell(m.from.contentHash, true)}</td><td>${cell(m.to.contentHash, true)}</td></tr>
${m.from.fileDigest || m.to.fileDigest ? `<tr><th scope="row">${h('head.fileDigest')}</th><td>${cell(m.from.fileDigest, true)}</td><td>${cell(m.to.fileDigest, true)}</td></tr>\n` : ''}</tbody>
</table>
${generated ? `<p class="meta-line">${generated}</p>\n` : ''}<h2>${h('head.checkpoint')}</h2>
${checkpoint}
<p class="legend"><ins>${h('legend.inserted')}</ins> <del>${h('legend.deleted')}</del> <ins class="move">${h('legend.movedHere')}</ins> <del class="move">${h('legend.movedAway')}</del> <span class="fmt">${h('legend.formatting')}</span></p>
</header>
<section class="rl-summary" aria-labelledby="rl-summary-title">
<h2 id="rl-summary-title">${h('summary.title')}</h2>
${summaryHtml(t, r)}
</section>
<main class="redline"${textLanguage(m.language)}>
${r.sections.map((s) => sectionHtml(t, s, r.sections)).join('\n')}
</main>
</body>
</html>
`;
}
