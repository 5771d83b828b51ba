// Texts prepared for the redline (core/redline/prepared.ts), kept where the
// redline runs (the worker thread): in memory, least recently used first out,
// and on disk in DATA_DIR/redline/<engine>/<content hash>, so a restarted
// server does not parse and tokenise again. Keyed by the canonical content
// hash, which fixes the text; the directory is named after the engine's own
// source (flattening and tokenising), so a changed engine never reads a form
// an older one wrote. A cache only: a missing, unreadable or foreign file is a
// miss, and the caller sends the text.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePrepared, encodePrepared, prepareText, type PreparedText } from '../../core/redline/prepared';
import type { PMJSON } from '../../core/schema';

/** Memory held by prepared texts in one thread (about twenty 100,000-word versions). */
const MAX_BYTES = 64 * 1024 * 1024;

const memory = new Map<string, PreparedText>();
let held = 0;

/** Content hashes are `sha256:` and hex (core/canonical.ts); anything else never names a file. */
function fileOf(dir: string, hash: string): string | null {
  const hex = /^sha256:([0-9a-f]{64})$/.exec(hash)?.[1];
  return hex ? join(dir, `${hex}.prep`) : null;
}

function remember(hash: string, text: PreparedText): PreparedText {
  const old = memory.get(hash);
  if (old) held -= old.bytes;
  memory.delete(hash);
  memory.set(hash, text);
  held += text.bytes;
  for (const [key, value] of memory) {
    if (held <= MAX_BYTES || memory.size <= 2) break;
    memory.delete(key);
    held -= value.bytes;
  }
  return text;
}

/** The prepared text with this content hash, from memory or `dir`; null when neither has it. */
export function findPrepared(hash: string, dir: string | null): PreparedText | null {
  const hit = memory.get(hash);
  if (hit) return remember(hash, hit);
  const file = dir ? fileOf(dir, hash) : null;
  if (!file) return null;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    return null;
  }
  const text = decodePrepared(bytes);
  return text ? remember(hash, text) : null;
}

/**
 * Prepares `doc` (or its JSON text), keeps it under `hash` in memory and, with
 * a `dir`, on disk (written to a temporary name, then renamed: a reader never
 * sees half a file), now or right after the current task. A failed write
 * costs only a later preparation.
 */
export function prepareAndKeep(hash: string, doc: PMJSON | string, dir: string | null, write: 'now' | 'after' = 'after'): PreparedText {
  const text = prepareText(typeof doc === 'string' ? (JSON.parse(doc) as PMJSON) : doc);
  remember(hash, text);
  const file = dir ? fileOf(dir, hash) : null;
  // For a redline waiting on it, encoded and written once that task has answered (this thread does one task at a time).
  if (dir && file) {
    if (write === 'now') writePrepared(dir, file, text);
    else setImmediate(() => writePrepared(dir, file, text));
  }
  return text;
}

function writePrepared(dir: string, file: string, text: PreparedText): void {
  try {
    // Every time: another process sharing DATA_DIR may have removed it (it runs another engine).
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temporary, encodePrepared(text), { mode: 0o600 });
    renameSync(temporary, file);
  } catch {
    // A cache: the text is kept in memory, and prepared again after a restart.
  }
}

/**
 * The directory for this engine under `root` (DATA_DIR/redline): named after
 * a digest of core/redline's source, so forms written by another version of
 * the flattening or the tokeniser are never read. Other engines' directories
 * are removed.
 */
export function preparedDir(root: string): string {
  const source = new URL('../../core/redline/', import.meta.url);
  const digest = createHash('sha256');
  try {
    for (const name of readdirSync(source).filter((n) => n.endsWith('.ts')).sort()) {
      digest.update(name).update('\u0000').update(readFileSync(new URL(name, source))).update('\u0000');
    }
  } catch {
    // No sources beside the server (a bundle): the prepared format's own version still separates formats.
    digest.update('no-source');
  }
  const name = `engine-${digest.digest('hex').slice(0, 16)}`;
  try {
    for (const other of readdirSync(root)) if (other !== name && other.startsWith('engine-')) rmSync(join(root, other), { recursive: true, force: true });
  } catch {
    // Nothing there yet.
  }
  return join(root, name);
}

/** Forgets every prepared text held in memory (tests). */
export function forgetPrepared(): void {
  memory.clear();
  held = 0;
}
