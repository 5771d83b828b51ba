// JSON redlines of pairs of versions, precomputed when a version is recorded
// and kept on disk: DATA_DIR/redline/engine-<digest>/pairs/<sha256 of the
// cache key>.json (inside the engine's directory, so a changed engine never
// serves what an older one wrote: prepared-texts.ts removes other engines').
// Each file is one header line and the exact bytes the route sends:
//
//   accord-redline-pair 1 <sha256 hex of the cache key> <body length> <sha256 hex of the body>\n<body>
//
// A file whose header, key, length or digest does not match is a miss (the
// caller computes and writes it again), never served. Reading, hashing and
// writing are asynchronous (the thread pool), so the event loop only parses
// the header. Written to a temporary name and renamed (a reader never sees
// half a file), mode 0600. A cache only: any failure is a miss.
import { createHash, webcrypto } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const MAGIC = 'accord-redline-pair 1';
/** Longer than any header this writes (magic, two digests, a length). */
const MAX_HEADER = 256;

const hex = (bytes: ArrayBuffer): string => Buffer.from(bytes).toString('hex');
const keyDigest = (key: string): string => createHash('sha256').update(key).digest('hex');
/** SHA-256 on the thread pool (WebCrypto is asynchronous in Node): a megabyte of JSON never blocks the event loop. */
const bodyDigest = async (body: Uint8Array): Promise<string> => hex(await webcrypto.subtle.digest('SHA-256', body));

/** What the pair files may hold on disk in all, oldest written first out (about a thousand 100,000-word redlines). */
export const MAX_PAIR_BYTES = 1024 * 1024 * 1024;

export class RedlinePairFiles {
  constructor(readonly dir: string) {}

  fileOf(key: string): string {
    return join(this.dir, `${keyDigest(key)}.json`);
  }

  /** Whether a file is there for `key` (not checked: the precompute only uses it to skip a pair). */
  async has(key: string): Promise<boolean> {
    try {
      return (await stat(this.fileOf(key))).isFile();
    } catch {
      return false;
    }
  }

  /** The bytes kept for `key`, or null when there is no file or it is not whole and right. */
  async read(key: string): Promise<Buffer | null> {
    let file: Buffer;
    try {
      file = await readFile(this.fileOf(key));
    } catch {
      return null;
    }
    const end = file.subarray(0, MAX_HEADER).indexOf(0x0a);
    if (end < 0) return null;
    const [magic, version, digest, length, sha] = file.subarray(0, end).toString('latin1').split(' ');
    if (`${magic} ${version}` !== MAGIC || digest !== keyDigest(key)) return null;
    const body = file.subarray(end + 1);
    if (String(body.byteLength) !== length || (await bodyDigest(body)) !== sha) return null;
    return body;
  }

  /** Keeps `body` for `key`; a failed write costs only a later computation. */
  async write(key: string, body: Uint8Array): Promise<void> {
    const file = this.fileOf(key);
    const temporary = `${file}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      const header = Buffer.from(`${MAGIC} ${keyDigest(key)} ${body.byteLength} ${await bodyDigest(body)}\n`, 'latin1');
      // Every time: a new engine may have removed it. Not its parents: a DATA_DIR removed is not made again.
      await mkdir(this.dir, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
      await writeFile(temporary, Buffer.concat([header, body]), { mode: 0o600 });
      await rename(temporary, file);
    } catch {
      await rm(temporary, { force: true }).catch(() => {});
    }
  }

  /** Removes the least recently written files until those left hold at most `maxBytes` (after a version's precompute). */
  async prune(maxBytes = MAX_PAIR_BYTES): Promise<number> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.json'));
    } catch {
      return 0;
    }
    const files = (
      await Promise.all(
        names.map(async (name) => {
          try {
            const s = await stat(join(this.dir, name));
            return { name, size: s.size, time: s.mtimeMs };
          } catch {
            return null;
          }
        }),
      )
    ).filter((f) => f !== null);
    let total = files.reduce((n, f) => n + f.size, 0);
    let removed = 0;
    for (const f of files.sort((a, b) => a.time - b.time)) {
      if (total <= maxBytes) break;
      await rm(join(this.dir, f.name), { force: true }).catch(() => {});
      total -= f.size;
      removed += 1;
    }
    return removed;
  }
}
