// Stopping accounts: revoke one token or session, sign a user out everywhere,
// disable and re-enable a user, issue a new token. Shared by the admin API
// and the `accord user` CLI. When the caller runs the server (the API), the
// user's open WebSockets made with what was revoked are closed as well.
import type { Connections } from '../collab/connections';
import type { Account, Store, TokenInfo, TokenKind } from '../store/types';
import { newToken, tokenHash } from './tokens';

export interface Ended {
  /** The tokens and sessions deleted. */
  revoked: TokenInfo[];
  /** The WebSockets closed (0 when called outside the server, e.g. from the CLI). */
  socketsClosed: number;
}

export class AccountService {
  constructor(
    private readonly store: Store,
    private readonly connections?: Connections,
  ) {}

  /** Ends every session of the user (and with `tokens`, every API token too), closing the user's sockets. */
  async signOutEverywhere(userId: string, options: { tokens?: boolean } = {}): Promise<Ended> {
    const kinds: TokenKind[] = options.tokens ? ['session', 'api'] : ['session'];
    const revoked = await this.store.tokens.revokeAll(userId, kinds);
    return { revoked, socketsClosed: this.connections?.close(userId, 'signed out everywhere') ?? 0 };
  }

  /** Revokes one token or session by its public id; null when the user has no such token. */
  async revoke(userId: string, id: string): Promise<Ended | null> {
    const revoked = await this.store.tokens.revoke(userId, id);
    if (!revoked) return null;
    return { revoked: [revoked], socketsClosed: this.connections?.close(userId, 'credential revoked', [revoked.id]) ?? 0 };
  }

  /** Ends the session whose secret is `session` (sign-out), closing the sockets opened with it. */
  async endSession(session: string): Promise<Ended> {
    const ended = await this.store.tokens.delete(tokenHash(session));
    if (!ended || ended.kind !== 'session') return { revoked: ended ? [ended] : [], socketsClosed: 0 };
    return { revoked: [ended], socketsClosed: this.connections?.close(ended.userId, 'signed out', [ended.id]) ?? 0 };
  }

  /** Disables the account and ends its sessions; its tokens stop working until it is enabled again. */
  async disable(userId: string): Promise<(Account & Ended) | null> {
    const account = await this.store.users.setDisabled(userId, new Date().toISOString());
    if (!account) return null;
    const revoked = await this.store.tokens.revokeAll(userId, ['session']);
    return { ...account, revoked, socketsClosed: this.connections?.close(userId, 'account disabled') ?? 0 };
  }

  async enable(userId: string): Promise<Account | null> {
    return this.store.users.setDisabled(userId, null);
  }

  /** A new API token for the user, shown once. */
  async issueToken(userId: string): Promise<TokenInfo & { token: string }> {
    const token = newToken('acc');
    const info = await this.store.tokens.create(tokenHash(token), userId, 'api', null);
    return { ...info, token };
  }
}
