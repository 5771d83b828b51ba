// `accord backup` / `accord restore`: the embedded store's backup. A backup is
// a directory with a consistent copy of the SQLite database, taken with
// SQLite's online backup API while the server runs, and the log's signing key
// (without it a restored server could not extend its own log). A restore
// refuses to overwrite a DATA_DIR that holds a database, and checks the copy
// before it is put in place: SQLite's integrity check, and the log's leaves
// against its latest signed checkpoint. PostgreSQL: pg_dump (README).
import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configFromEnv } from '../server/config';
import { KEY_FILE, loadOrCreateLogKeyFile } from '../server/transparency/key';
import { MemoryHashStore, equalHashes } from '../core/tlog/merkle';
import { parseCheckpoint } from '../core/tlog/checkpoint';
import { verifyNote } from '../core/tlog/note';
import { parseArgs, UsageError } from './args';

export const BACKUP_USAGE = `accord backup <backup-dir> [--data-dir DIR]     (online: the server may keep running)
accord restore <backup-dir> [--data-dir DIR]    (into a DATA_DIR without a database; checks the copy first)`;

const DATABASE = 'accord.sqlite';

export async function backupCommand(args: string[]): Promise<number> {
  const { positional, flags } = parseArgs(args, ['data-dir']);
  if (positional.length !== 1) throw new UsageError(`usage: ${BACKUP_USAGE}`);
  const dataDir = flags.has('data-dir') ? resolve(flags.get('data-dir')!) : configFromEnv().dataDir;
  const out = resolve(positional[0]!);
  const source = join(dataDir, DATABASE);
  if (!existsSync(source)) throw new Error(`no database in ${dataDir}`);
  if (existsSync(out) && readdirSync(out).length > 0) throw new Error(`${out} is not empty: choose a new directory`);
  mkdirSync(out, { recursive: true, mode: 0o700 });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(join(out, DATABASE));
  } finally {
    db.close();
  }
  chmodSync(join(out, DATABASE), 0o600);
  if (existsSync(join(dataDir, KEY_FILE))) {
    copyFileSync(join(dataDir, KEY_FILE), join(out, KEY_FILE));
    chmodSync(join(out, KEY_FILE), 0o600);
  }
  const summary = checkBackup(out);
  console.log(`backed up ${dataDir} to ${out}: ${summary}`);
  return 0;
}

export async function restoreCommand(args: string[]): Promise<number> {
  const { positional, flags } = parseArgs(args, ['data-dir']);
  if (positional.length !== 1) throw new UsageError(`usage: ${BACKUP_USAGE}`);
  const dataDir = flags.has('data-dir') ? resolve(flags.get('data-dir')!) : configFromEnv().dataDir;
  const from = resolve(positional[0]!);
  if (!existsSync(join(from, DATABASE))) throw new Error(`${from} holds no backup (${DATABASE} is missing)`);
  if (existsSync(join(dataDir, DATABASE))) throw new Error(`${dataDir} already holds a database: restore into an empty DATA_DIR`);
  const summary = checkBackup(from);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Copied beside, then renamed into place: a failed restore leaves no half database.
  const partial = join(dataDir, `${DATABASE}.restoring`);
  copyFileSync(join(from, DATABASE), partial);
  chmodSync(partial, 0o600);
  if (existsSync(join(from, KEY_FILE)) && !existsSync(join(dataDir, KEY_FILE))) {
    copyFileSync(join(from, KEY_FILE), join(dataDir, KEY_FILE));
    chmodSync(join(dataDir, KEY_FILE), 0o600);
  }
  renameSync(partial, join(dataDir, DATABASE));
  rmSync(`${partial}-wal`, { force: true });
  console.log(`restored ${from} into ${dataDir}: ${summary}`);
  return 0;
}

/** SQLite's integrity check, then the log's leaves against its latest checkpoint (and the key's signature, when the key is there). */
function checkBackup(dir: string): string {
  const db = new Database(join(dir, DATABASE), { readonly: true, fileMustExist: true });
  try {
    const integrity = db.prepare<[], { integrity_check: string }>('PRAGMA integrity_check').all();
    if (integrity.length !== 1 || integrity[0]!.integrity_check !== 'ok') throw new Error(`the database copy is damaged: ${integrity.map((r) => r.integrity_check).join('; ')}`);
    const leaves = db.prepare<[], { data: Buffer }>('SELECT data FROM log_leaves ORDER BY idx').all().map((r) => new Uint8Array(r.data));
    const note = db.prepare<[], { note: string }>('SELECT note FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1').get()?.note;
    if (leaves.length === 0 && !note) return 'an empty log';
    if (!note) throw new Error('the log has leaves but no checkpoint');
    let text: string;
    if (existsSync(join(dir, KEY_FILE))) {
      const origin = note.split('\n')[0]!;
      text = verifyNote(note, loadOrCreateLogKeyFile(join(dir, KEY_FILE), origin).verifierKey).text;
    } else {
      text = note.slice(0, note.indexOf('\n\n') + 1);
    }
    const checkpoint = parseCheckpoint(text);
    if (checkpoint.size !== leaves.length) throw new Error(`the log has ${leaves.length} leaves but its latest checkpoint covers ${checkpoint.size}`);
    if (!equalHashes(MemoryHashStore.fromLeaves(leaves).root(), checkpoint.rootHash)) throw new Error('the log leaves do not hash to the root of its latest checkpoint');
    return `a log of ${leaves.length} entries matching its signed checkpoint`;
  } finally {
    db.close();
  }
}
