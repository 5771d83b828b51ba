// Builds a document's verification bundle from the store: every leaf of the
// log up to one signed checkpoint, and the document's versions and entries
// among them with their inclusion proofs. Bundles are public and can hold
// megabytes of version text, so the building (hashing every version, the
// Merkle tree, the JSON) runs where `render` runs, and the JSON text is kept
// by checkpoint: a repeated download costs a lookup.
import { HistoryMismatchError, msg } from '../errors';
import { parseCheckpoint } from '../../core/tlog/checkpoint';
import { splitNote } from '../../core/tlog/note';
import type { Store } from '../store/types';
import type { DocumentService } from '../documents/service';
import { RenderCache } from '../export/cache';
import type { TaskRunner } from '../workers/pool';
import { runTask, type BundleSource } from '../workers/tasks';
import type { TransparencyLog } from './service';


export class BundleService {
  private readonly cache = new RenderCache<string>(16, 256 * 1024 * 1024);

  constructor(
    private readonly store: Store,
    private readonly documents: DocumentService,
    private readonly transparency: TransparencyLog,
    /** Where bundles are built: the worker pool in the server, this thread by default. */
    private readonly render: TaskRunner = runTask,
  ) {}

  /**
   * The bundle's JSON text as of the latest checkpoint, or, given `covering`,
   * as of the first checkpoint whose tree holds log index `covering` (a
   * meeting package's: it never changes once signed, and holds no later
   * entry). `pretty` indents it (the meeting package's copy, for reading).
   */
  async json(docId: string, opts: { covering?: number; pretty?: boolean } = {}): Promise<string> {
    const summary = await this.documents.require(docId);
    // The checkpoint first: every leaf read afterwards below its size is covered by it.
    const checkpoint = opts.covering === undefined ? await this.transparency.checkpoint() : await this.transparency.checkpointCovering(opts.covering);
    const size = parseCheckpoint(splitNote(checkpoint).text).size;
    const versions = (await this.store.versions.list(docId)).filter((v) => v.logIndex < size);
    // A past checkpoint's bundle is titled as its newest version, so a later renaming cannot change it.
    const title = opts.covering === undefined ? summary.title : (versions.at(-1)?.title ?? summary.title);
    const pretty = opts.pretty === true;
    // One checkpoint fixes the leaves and the versions; only the title can differ.
    const key = [docId, checkpoint, title, pretty ? 'pretty' : ''].join('\u0000');
    return this.cache.get(key, async () => {
      const source: BundleSource = {
        verifierKey: this.transparency.key.verifierKey,
        checkpoint,
        document: { id: summary.id, title },
        leaves: await this.store.log.leaves(0, size),
        versions: versions.map((v) => ({ title: v.title, content: v.contentJson, markdown: v.markdown, logIndex: v.logIndex })),
      };
      const built = await this.render({ kind: 'bundle', source, pretty });
      // Tampered storage: say which item and what it means, never "internal server error" (and keep nothing).
      if (!built.ok) throw new HistoryMismatchError(msg('history.mismatch', { item: built.item, detail: built.message }));
      return built.json;
    });
  }
}
