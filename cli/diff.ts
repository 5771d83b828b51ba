// `accord diff <old.md> <new.md> [--format json|html|md|docx|pdf] [-o file]`:
// the redline of two Markdown files, in any of its renderings. JSON goes to
// standard output by default; DOCX and PDF need -o (or a non-terminal stdout).
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { contentHash } from '../core/canonical';
import { parseMarkdown } from '../core/markdown';
import { redline } from '../core/redline/index';
import { renderRedlineHtml } from '../core/redline/render-html';
import { renderRedlineMarkdown } from '../core/redline/render-markdown';
import type { RedlineMeta } from '../core/redline/types';
import type { PMJSON } from '../core/schema';
import { redlineDocx } from '../server/export/docx';
import { redlinePdf } from '../server/export/pdf';
import { parseArgs, UsageError } from './args';

export const DIFF_USAGE = 'accord diff <old.md> <new.md> [--format json|html|md|docx|pdf] [-o file] [--author name]';

const FORMATS = ['json', 'html', 'md', 'docx', 'pdf'] as const;
type Format = (typeof FORMATS)[number];

export interface DiffIO {
  stdout: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown };
}

interface Side {
  path: string;
  title: string;
  doc: PMJSON;
  meta: RedlineMeta['from'];
}

function readSide(path: string): Side {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  let parsed;
  try {
    parsed = parseMarkdown(bytes.toString('utf8'));
  } catch (err) {
    throw new Error(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return {
    path,
    title: parsed.title,
    doc: parsed.doc.toJSON() as PMJSON,
    meta: {
      label: basename(path),
      date: statSync(path).mtime.toISOString(),
      // One meaning of "content hash" everywhere: the canonical hash the server and the log give this text.
      contentHash: contentHash(parsed.title, parsed.doc.toJSON() as PMJSON),
      fileDigest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    },
  };
}

/** Runs the command; returns the exit code (0 done, 1 failed, 2 usage). */
export async function diffCommand(args: string[], io: DiffIO = process): Promise<number> {
  try {
    const { positional, flags } = parseArgs(args, ['format', 'o', 'output', 'author']);
    if (positional.length !== 2) throw new UsageError(`usage: ${DIFF_USAGE}`);
    const format = (flags.get('format') ?? 'json') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`unknown format "${format}" (one of ${FORMATS.join(', ')})\nusage: ${DIFF_USAGE}`);
    const output = flags.get('o') ?? flags.get('output');
    const binary = format === 'docx' || format === 'pdf';
    if (binary && !output && io.stdout.isTTY) throw new UsageError(`--format ${format} writes binary: give -o <file> or redirect the output`);

    const from = readSide(positional[0]!);
    const to = readSide(positional[1]!);
    const r = redline({ ref: from.meta.label, label: from.meta.label, title: from.title, doc: from.doc }, { ref: to.meta.label, label: to.meta.label, title: to.title, doc: to.doc });
    const meta: RedlineMeta = {
      documentTitle: to.title || from.title || basename(to.path),
      from: from.meta,
      to: to.meta,
      generatedAt: new Date().toISOString(),
      author: flags.get('author') ?? 'accord diff',
    };
    let out: string | Uint8Array;
    switch (format) {
      case 'json':
        out = `${JSON.stringify(r, null, 2)}\n`;
        break;
      case 'html':
        out = renderRedlineHtml(r, meta);
        break;
      case 'md':
        out = renderRedlineMarkdown(r, meta);
        break;
      case 'docx':
        out = await redlineDocx(r, meta);
        break;
      case 'pdf':
        out = await redlinePdf(r, meta);
        break;
    }
    if (output) {
      writeFileSync(output, out);
      const s = r.stats;
      io.stderr.write(`wrote ${output}: ${s.wordsInserted} words inserted, ${s.wordsDeleted} deleted, ${s.wordsMoved} moved in ${r.sections.length} sections\n`);
    } else {
      io.stdout.write(out);
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${err.message}\n`);
      return 2;
    }
    io.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
