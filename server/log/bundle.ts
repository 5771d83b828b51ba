// Builds a document's verification bundle from the store: its versions and
// its other log entries, each with an inclusion proof against one checkpoint.
import { buildBundle, bundleHashIndexes, type Bundle } from '../../core/bundle';
import { decodeEntry } from '../../core/log-entries';
import { parseCheckpoint } from '../../core/tlog/checkpoint';
import { splitNote } from '../../core/tlog/note';
import { prefetchedReader } from '../../core/tlog/merkle';
import type { Store } from '../store/types';
import type { DocumentService } from '../documents/service';
import type { LogService } from './service';

export class BundleService {
  constructor(
    private readonly store: Store,
    private readonly documents: DocumentService,
    private readonly log: LogService,
  ) {}

  async build(docId: string): Promise<Bundle> {
    const summary = await this.documents.require(docId);
    // The checkpoint first: every leaf read afterwards below its size is covered by it.
    const checkpoint = await this.log.checkpoint();
    const size = parseCheckpoint(splitNote(checkpoint).text).size;
    const versions = (await this.store.versions.list(docId)).filter((v) => v.logIndex < size);
    const leaves = await this.store.log.leaves(0, size);
    const versionLeaves = new Set(versions.map((v) => v.logIndex));
    const entries: { logIndex: number; leaf: Uint8Array }[] = [];
    leaves.forEach((leaf, logIndex) => {
      if (versionLeaves.has(logIndex)) return;
      const entry = decodeEntry(leaf);
      if (entry.kind !== 'version' && entry.document === docId) entries.push({ logIndex, leaf });
    });
    const input = {
      verifierKey: this.log.key.verifierKey,
      checkpoint,
      document: { id: summary.id, title: summary.title },
      versions: versions.map((v) => ({ title: v.title, content: v.content, markdown: v.markdown, logIndex: v.logIndex, leaf: leaves[v.logIndex]! })),
      entries,
    };
    const indexes = bundleHashIndexes(input);
    return buildBundle(input, prefetchedReader(indexes, await this.store.log.readHashes(indexes)));
  }
}
