// Who is connected with which credential: every open collaboration socket is
// registered here by user id and credential (token or session id), so that
// revoking a credential, disabling a user or signing out everywhere also ends
// the sockets opened with it. Knows nothing of rooms or the protocol.

import { CLOSE_SIGNED_OUT } from '../../core/signals';

/** Close code of a socket whose credential was revoked (core/signals.ts: the client knows it too). */
export const CLOSE_REVOKED = CLOSE_SIGNED_OUT;

export interface Connection {
  userId: string;
  /** The public id of the token or session the socket was opened with. */
  credential: string;
  close(code: number, reason: string): void;
}

export class Connections {
  private readonly byUser = new Map<string, Set<Connection>>();

  /** Registers an open socket; call the returned function when it closes. */
  add(connection: Connection): () => void {
    let set = this.byUser.get(connection.userId);
    if (!set) this.byUser.set(connection.userId, (set = new Set()));
    set.add(connection);
    return () => {
      const current = this.byUser.get(connection.userId);
      if (!current) return;
      current.delete(connection);
      if (current.size === 0) this.byUser.delete(connection.userId);
    };
  }

  /** Closes every socket of the user (optionally only those opened with one of `credentials`); returns how many. */
  close(userId: string, reason: string, credentials?: readonly string[]): number {
    const set = this.byUser.get(userId);
    if (!set) return 0;
    const chosen = [...set].filter((c) => !credentials || credentials.includes(c.credential));
    for (const connection of chosen) {
      set.delete(connection);
      connection.close(CLOSE_REVOKED, reason);
    }
    if (set.size === 0) this.byUser.delete(userId);
    return chosen.length;
  }

  /**
   * Closes the sockets whose credential no longer holds (`valid` says no):
   * catches what was revoked outside this process (the CLI, another server)
   * and sessions that expired while connected.
   */
  async sweep(valid: (connection: Connection) => Promise<boolean>): Promise<number> {
    let closed = 0;
    for (const [userId, set] of [...this.byUser]) {
      for (const connection of [...set]) {
        if (await valid(connection)) continue;
        if (set.delete(connection)) {
          connection.close(CLOSE_REVOKED, 'credential no longer valid');
          closed++;
        }
      }
      if (set.size === 0 && this.byUser.get(userId) === set) this.byUser.delete(userId);
    }
    return closed;
  }

  /** Sweeps every `everyMs` until the returned function is called. */
  sweepEvery(everyMs: number, valid: (connection: Connection) => Promise<boolean>, onError: (err: unknown) => void): () => void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      this.sweep(valid)
        .catch(onError)
        .finally(() => (running = false));
    }, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  count(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }
}
