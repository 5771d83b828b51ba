// The redline as Markdown with CriticMarkup: {++inserted++}, {--deleted--},
// {~~old~>new~~} for a replacement, {>>comments<<} for moves and formatting.
// Section headings keep their `{#id}`, so the file reads like the document.
// Pure string building from the redline JSON; Markdown syntax in the text is
// escaped so that nothing in a document can break out of its markup.
import { formatChangeText, imageOf, moveText, resolveMeta, runsOf, sectionStatusText, shapeText } from './render-common';
import { languageFrontMatter } from '../language';
import type { Redline, RedlineBlock, RedlineMeta, RedlineOp, RedlineRun, RedlineSection } from './types';

/**
 * Backslash-escape the ASCII punctuation Markdown or CriticMarkup could read
 * as syntax (braces and tildes are enough to keep CriticMarkup delimiters out
 * of the text); a hard break becomes a backslash line end.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]{}<>#|~]/g, '\\$&').replace(/\n/g, '\\\n');
}

/** A block whose text starts like a list marker would become a list: escape the marker. */
function escapeLineStart(text: string): string {
  if (/^[-+](\s|$)/.test(text)) return `\\${text}`;
  return text.replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
}

/** Inline code: backslashes do not escape inside it, so the fence is longer than any backtick run in the text (in a table cell, GFM still reads `\|` as a pipe). */
function codeSpan(text: string, inTable: boolean): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^`|`$/.test(text) || /^ .* $/.test(text) ? ' ' : '';
  const code = text.replace(/\n/g, ' ');
  return `${fence}${pad}${inTable ? code.replace(/\|/g, '\\|') : code}${pad}${fence}`;
}

function runMarkdown(run: RedlineRun, inTable = false): string {
  const image = imageOf(run);
  if (image) {
    const one = `![${escapeMarkdown(image.title ?? '')}](<${(image.href ?? '').replace(/[<>\s]/g, encodeURIComponent)}>)`;
    return run.text.replace(/[\uE000-\uF8FF]/g, one);
  }
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(run.text)!;
  const [, lead, core, trail] = match as unknown as [string, string, string, string];
  if (!core) return escapeMarkdown(run.text);
  let md = run.marks.some((m) => m.type === 'code') ? codeSpan(core, inTable) : escapeMarkdown(core);
  for (const mark of run.marks) {
    if (mark.type === 'em') md = `*${md}*`;
    else if (mark.type === 'strong') md = `**${md}**`;
    else if (mark.type === 'link') md = `[${md}](<${(mark.href ?? '').replace(/[<>\s]/g, encodeURIComponent)}>)`;
  }
  return `${escapeMarkdown(lead)}${md}${escapeMarkdown(trail)}`;
}

const body = (op: RedlineOp, inTable = false) => runsOf(op).map((run) => runMarkdown(run, inTable)).join('');

function opsMarkdown(ops: readonly RedlineOp[], inTable = false): string {
  let out = '';
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const next = ops[i + 1];
    if (op.op === 'delete' && next?.op === 'insert' && !op.moveId && !next.moveId) {
      out += `{~~${body(op, inTable)}~>${body(next, inTable)}~~}`;
      i++;
    } else if (op.op === 'delete') out += `{--${body(op, inTable)}--}`;
    else if (op.op === 'insert') out += `{++${body(op, inTable)}++}`;
    else if (op.fromRuns) out += `{~~${op.fromRuns.map((run) => runMarkdown(run, inTable)).join('')}~>${body(op, inTable)}~~}{>>${formatChangeText(op)}<<}`;
    else out += body(op, inTable);
  }
  return out;
}

function movedOpsMarkdown(ops: readonly RedlineOp[]): string {
  return ops.map((op) => (op.op === 'delete' ? `{>>deleted while moving: ${body(op)}<<}` : `{++${body(op)}++}`)).join('');
}

function prefixOf(block: RedlineBlock): { first: string; rest: string } {
  const quote = '> '.repeat(block.quote ?? 0);
  const indent = '   '.repeat(Math.max(0, (block.depth ?? 0) - (block.type === 'list_item' ? 1 : 0)));
  if (block.type === 'heading') return { first: `${quote}${'#'.repeat(Math.min(6, block.level ?? 3))} `, rest: quote };
  if (block.type === 'list_item') {
    const marker = block.list === 'ordered' ? `${block.number ?? 1}. ` : '- ';
    return { first: `${quote}${indent}${marker}`, rest: `${quote}${indent}${' '.repeat(marker.length)}` };
  }
  return { first: `${quote}${indent}`, rest: `${quote}${indent}` };
}

/**
 * A table as a GFM table, CriticMarkup inside its cells; an inserted or
 * deleted row (or table) says so in a comment in its first cell. The first
 * row is GFM's header row. Resolving the marks leaves a row that is on the
 * other side only as a row of empty cells.
 */
function tableMarkdown(block: RedlineBlock): string {
  const rows = block.rows ?? [];
  const width = Math.max(1, ...rows.map((r) => r.cells.length));
  const whole = block.status === 'inserted' || block.status === 'deleted';
  const lines = rows.map((row, r) => {
    const cells = Array.from({ length: width }, (_, i) => {
      const cell = row.cells[i];
      // A hard break cannot live in a GFM cell: a space stands for it.
      let md = cell ? opsMarkdown(cell.ops, true).replace(/\\\n/g, ' ') : '';
      if (cell?.fromHeader !== undefined) md += `{>>was a ${cell.fromHeader ? 'header' : 'body'} cell<<}`;
      if (i === 0 && r === 0 && whole) md = `{>>table ${block.status}<<}${md}`;
      else if (i === 0 && !whole && (row.status === 'inserted' || row.status === 'deleted')) md = `{>>row ${row.status}<<}${md}`;
      return md;
    });
    return `| ${cells.join(' | ')} |`.replace(/ {2,}\|/g, ' |');
  });
  lines.splice(1, 0, `|${' --- |'.repeat(width)}`);
  return lines.join('\n');
}

function blockMarkdown(block: RedlineBlock, section: RedlineSection, all: readonly RedlineSection[]): string {
  if (block.rows) return prefixOf(block).first + tableMarkdown(block).replace(/\n/g, `\n${prefixOf(block).rest}`);
  // Moved text changed on the way: all of it is inserted here (rejecting removes it, the old text stays at the source); what the move deleted is a comment.
  let text = block.status === 'moved-to' && block.moveOps ? movedOpsMarkdown(block.moveOps) : opsMarkdown(block.ops);
  if (block.moveId) text += `{>>${moveText(block, all, section)} (${block.moveId})${block.moveOps ? '; the changes made while moving are marked' : ''}<<}`;
  if (block.shapeFrom) text += `{>>was a ${shapeText(block.shapeFrom)}<<}`;
  const { first, rest } = prefixOf(block);
  if (block.sectionHeading) return `## ${text} {#${section.id}}`;
  return first + escapeLineStart(text).replace(/\n/g, `\n${rest}`);
}

function sectionMarkdown(section: RedlineSection, all: readonly RedlineSection[]): string {
  const parts: string[] = [];
  let previous: RedlineBlock | undefined;
  for (const block of section.blocks) {
    const md = blockMarkdown(block, section, all);
    if (previous?.paragraphBreak) parts.push(previous.paragraphBreak === 'inserted' ? '{++\n\n++}' : '{--\n\n--}');
    else if (previous) parts.push(previous.type === 'list_item' && block.type === 'list_item' ? '\n' : '\n\n');
    parts.push(md);
    if (block.sectionHeading && section.status !== 'unchanged') parts.push(`\n\n{>>Section: ${sectionStatusText(section)}<<}`);
    previous = block;
  }
  return parts.join('');
}

function cell(text: string | undefined): string {
  return text ? escapeMarkdown(text) : '—';
}

export function renderRedlineMarkdown(r: Redline, meta?: Partial<RedlineMeta>): string {
  const m = resolveMeta(r, meta);
  const lines: string[] = [];
  lines.push(`# Redline: ${escapeMarkdown(m.documentTitle)}`, '');
  lines.push('| | From | To |', '|---|---|---|');
  lines.push(`| Version | ${cell(m.from.label)} | ${cell(m.to.label)} |`);
  lines.push(`| Date | ${cell(m.from.date)} | ${cell(m.to.date)} |`);
  lines.push(`| Content hash | ${m.from.contentHash ? `\`${m.from.contentHash}\`` : '—'} | ${m.to.contentHash ? `\`${m.to.contentHash}\`` : '—'} |`);
  if (m.from.fileDigest || m.to.fileDigest) lines.push(`| File digest (SHA-256) | ${m.from.fileDigest ? `\`${m.from.fileDigest}\`` : '—'} | ${m.to.fileDigest ? `\`${m.to.fileDigest}\`` : '—'} |`);
  lines.push('');
  if (m.generatedAt || m.documentId) lines.push([m.generatedAt ? `Generated ${escapeMarkdown(m.generatedAt)}` : '', m.documentId ? `document \`${m.documentId}\`` : ''].filter(Boolean).join(' · '), '');
  if (m.checkpoint) lines.push('Log checkpoint:', '', '```text', m.checkpoint.replace(/`{3,}/g, (f) => f.split('').join('\u200b')).trimEnd(), '```', '');
  else lines.push('No log checkpoint given.', '');
  lines.push('Marks: {++inserted++} {--deleted--} {~~old~>new~~} {>>comment<<}', '');
  lines.push('## Summary of changes', '');
  lines.push('| Section | Status | Words inserted | Words deleted | Words moved | Formatting changes |', '|---|---|--:|--:|--:|--:|');
  for (const s of r.sections) {
    lines.push(`| ${cell(s.title || s.id)} | ${sectionStatusText(s)} | ${s.stats.wordsInserted} | ${s.stats.wordsDeleted} | ${s.stats.wordsMoved} | ${s.stats.formatChanges} |`);
  }
  const t = r.stats;
  lines.push(`| **Total** | ${t.sectionsChanged} changed, ${t.sectionsAdded} added, ${t.sectionsRemoved} removed, ${t.sectionsMoved} moved | ${t.wordsInserted} | ${t.wordsDeleted} | ${t.wordsMoved} | ${t.formatChanges} |`, '');
  lines.push('---', '');
  const sections = r.sections.map((s) => sectionMarkdown(s, r.sections));
  return `${languageFrontMatter(m.language)}${lines.join('\n')}\n${sections.join('\n\n')}\n`;
}
