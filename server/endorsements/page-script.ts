// The public endorsement page's script: a Vite entry (client/endorse/main.ts)
// built into dist/client/assets under a hashed name. The build's manifest
// says which file, and which shared chunks it imports (preloaded). Read again
// whenever the manifest changes (a rebuild while the server runs); none when
// the client was never built: the page then reads without its script.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_DIR } from '../paths';

export interface PageScript {
  /** The entry's URL on this server. */
  src: string;
  /** The chunks it imports, to fetch at once. */
  preload: readonly string[];
}

interface ManifestChunk {
  file: string;
  imports?: string[];
}

const MANIFEST = join(CLIENT_DIR, '.vite', 'manifest.json');
const ENTRY = 'endorse/main.ts';

let cached: { mtimeMs: number; script: PageScript | null } | null = null;

function fromManifest(manifest: Record<string, ManifestChunk>): PageScript | null {
  const entry = manifest[ENTRY];
  if (!entry) return null;
  const preload = new Set<string>();
  const visit = (key: string): void => {
    const chunk = manifest[key];
    if (!chunk || preload.has(`/${chunk.file}`)) return;
    preload.add(`/${chunk.file}`);
    chunk.imports?.forEach(visit);
  };
  entry.imports?.forEach(visit);
  return { src: `/${entry.file}`, preload: [...preload] };
}

export function endorsePageScript(): PageScript | null {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(MANIFEST).mtimeMs;
  } catch {
    return null;
  }
  if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, script: fromManifest(JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, ManifestChunk>) };
  return cached.script;
}
