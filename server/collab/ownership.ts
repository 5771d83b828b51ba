// Client id ownership: which account introduced each Yjs client id of a
// document, so attribution cannot be forged. An editor's update that creates
// new items (clocks beyond what the document has) under a client id another
// account owns is refused; an unused client id is claimed by the sender, in
// memory at once (so a second claimant in the same batch loses) and durably
// before the batch that carries it is stored (Room.flushBatch). Hot path:
// one Y.parseUpdateMeta per update and a map lookup per client in it.
import * as Y from 'yjs';
import type { AttributionRepository, ClientClaim } from '../store/attribution-types';

export type OwnershipVerdict = { ok: true } | { ok: false; reason: string };

export class ClientOwnership {
  /** Client id -> account id. */
  private readonly owners = new Map<number, string>();
  /** Claims made in memory and not yet written. */
  private pending: ClientClaim[] = [];

  private constructor(
    readonly docId: string,
    private readonly repo: Pick<AttributionRepository, 'claims' | 'claim'>,
  ) {}

  static async load(docId: string, repo: Pick<AttributionRepository, 'claims' | 'claim'>): Promise<ClientOwnership> {
    const ownership = new ClientOwnership(docId, repo);
    for (const c of await repo.claims(docId)) ownership.owners.set(c.clientId, c.userId);
    return ownership;
  }

  ownerOf(clientId: number): string | undefined {
    return this.owners.get(clientId);
  }

  /**
   * Whether `userId` may apply `update` to `doc` now: every client id under
   * which it creates items must be the user's, or unused in the document
   * (then it is claimed for the user). Throws on a malformed update.
   */
  check(doc: Y.Doc, update: Uint8Array, userId: string): OwnershipVerdict {
    const { to } = Y.parseUpdateMeta(update);
    let claims: number[] | null = null;
    for (const [client, clock] of to) {
      const owner = this.owners.get(client);
      if (owner === userId) continue;
      const known = Y.getState(doc.store, client);
      if (clock <= known) continue; // nothing new under this client: items the document already has
      if (owner !== undefined) return { ok: false, reason: `client id ${client} belongs to another account` };
      // Text already written under an unclaimed id (before attribution existed, or by another process whose claim
      // this room has not read yet) is nobody's to continue.
      if (known > 0) return { ok: false, reason: `client id ${client} already wrote text it does not own` };
      (claims ??= []).push(client);
    }
    if (claims !== null) {
      const claimedAt = new Date().toISOString();
      for (const client of claims) {
        this.owners.set(client, userId);
        this.pending.push({ clientId: client, userId, claimedAt, note: null });
      }
    }
    return { ok: true };
  }

  /** Records an owner the store already holds (a server-side change's client id). */
  adopt(clientId: number, userId: string): void {
    this.owners.set(clientId, userId);
  }

  /** Client ids in `update` this room has no owner for (another process's clients): read them from the store. */
  hasUnknown(update: Uint8Array): boolean {
    for (const client of Y.parseUpdateMeta(update).to.keys()) if (!this.owners.has(client)) return true;
    return false;
  }

  /** Reads every stored claim again (claims made by another process's clients). */
  async refresh(): Promise<void> {
    for (const c of await this.repo.claims(this.docId)) if (!this.owners.has(c.clientId)) this.owners.set(c.clientId, c.userId);
  }

  /**
   * Writes the claims made since the last call. Rejects when any of them
   * lost to a claim another process stored first: the batch carrying it must
   * then not be stored (the room fails and reloads from the store).
   */
  writePending(): Promise<void> | null {
    if (this.pending.length === 0) return null;
    const claims = this.pending;
    this.pending = [];
    return this.repo.claim(this.docId, claims).then((lost) => {
      if (lost.length > 0) throw new Error(`client ids ${lost.map((c) => c.clientId).join(', ')} were claimed by other accounts first`);
    });
  }
}
