// First start: import the Good Practice Paper from documents/, its earlier
// meeting drafts as numbered versions (oldest first), the current text live.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseMarkdown } from '../../core/markdown';
import type { Actor } from '../../core/api';
import type { Store } from '../store/types';
import type { DocumentService } from './service';
import type { VersionService } from '../versions/service';

const manifestSchema = z.object({
  id: z.string(),
  title: z.string(),
  current: z.string(),
  drafts: z.array(z.object({ file: z.string(), label: z.string(), meeting: z.string().optional(), date: z.string().optional() })),
});

export const IMPORT_ACTOR: Actor = { id: 'import', name: 'Accord import', organization: 'IGF Dynamic Coalition on the Internet of Things' };

/**
 * Imports when the store holds no document yet; returns what it imported.
 * Each step commits on its own (a version's leaf enters the append-only log,
 * which no rollback could take back), so the import is made restartable
 * instead: a start that finds the seed document with only some of its drafts,
 * all recorded by the import, records the missing ones. A crash mid-import
 * thus leaves a document that the next start completes, never a half import.
 */
export async function importSeedDocuments(
  store: Store,
  documents: DocumentService,
  versions: VersionService,
  dir: string,
): Promise<{ id: string; versions: number } | null> {
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) return null;
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(manifestFile, 'utf8')));
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  let recorded = 0;
  if (await store.documents.get(manifest.id)) {
    const existing = await versions.list(manifest.id);
    const unfinished = existing.length < manifest.drafts.length && existing.every((v) => v.createdBy.id === IMPORT_ACTOR.id);
    if (!unfinished) {
      await ensureOpenForEndorsement(store, manifest.id);
      return null;
    }
    recorded = existing.length;
  } else {
    if ((await store.documents.list()).length > 0) return null;
    // Parse everything before the first write, so a bad file fails the start with nothing written.
    for (const draft of manifest.drafts) parseMarkdown(read(draft.file));
    await documents.create(manifest.id, manifest.title, read(manifest.current));
  }
  for (const draft of manifest.drafts.slice(recorded)) {
    const parsed = parseMarkdown(read(draft.file));
    const meeting = draft.meeting ? (draft.date ? `${draft.meeting} (${draft.date})` : draft.meeting) : null;
    await versions.record(manifest.id, parsed.title || manifest.title, parsed.doc, draft.label, meeting, IMPORT_ACTOR);
  }
  await ensureOpenForEndorsement(store, manifest.id);
  return { id: manifest.id, versions: manifest.drafts.length };
}

/**
 * Opening a version for endorsement is an explicit act, never a side effect of
 * freezing: the import opens its latest draft, on the record, once. (A data
 * directory from before this rule gets the version it showed then: the latest.)
 */
async function ensureOpenForEndorsement(store: Store, docId: string): Promise<void> {
  if (await store.endorsements.openVersion(docId)) return;
  const latest = (await store.versions.list(docId)).at(-1);
  if (latest) await store.endorsements.setOpenVersion({ docId, version: latest.number, setAt: new Date().toISOString(), setBy: IMPORT_ACTOR });
}
