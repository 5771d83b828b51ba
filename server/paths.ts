// Where the project's files are, found from this module's own location, so the
// same code finds them whether it runs as TypeScript (server/…, through tsx in
// development and tests) or compiled (dist/server/…, under `npm start`).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'accord') return dir;
    if (dirname(dir) === dir) throw new Error(`no Accord package.json above ${from}`);
  }
}

export const ROOT = projectRoot(dirname(fileURLToPath(import.meta.url)));
export const CLIENT_DIR = join(ROOT, 'dist', 'client');
export const DOCUMENTS_DIR = join(ROOT, 'documents');
