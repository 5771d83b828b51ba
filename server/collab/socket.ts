// The WebSocket edge of collaboration: authenticate the upgrade, then pass
// frames to the room. A bad frame closes only the connection that sent it.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { User } from '../../core/api';
import { documentIdSchema } from '../../core/api';
import { cookieFrom, SESSION_COOKIE, type Authenticator } from '../auth/identity';
import type { DocumentRepository } from '../store/types';
import type { Peer } from './room';
import type { Rooms } from './rooms';

export const COLLAB_PREFIX = '/collab/';
const MAX_FRAME_BYTES = 32 * 1024 * 1024;
const PING_INTERVAL_MS = 30_000;

export interface CollabEdge {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
  readonly connections: number;
}

export function createCollabEdge(deps: {
  rooms: Rooms;
  documents: DocumentRepository;
  auth: Authenticator;
  log: (message: string) => void;
}): CollabEdge {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();
  const ping = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, PING_INTERVAL_MS);
  ping.unref();

  async function authorise(req: IncomingMessage): Promise<{ user: User; docId: string } | { status: number; message: string }> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const docId = decodeURIComponent(url.pathname.slice(COLLAB_PREFIX.length));
    if (!documentIdSchema.safeParse(docId).success) return { status: 404, message: 'unknown document' };
    const resolved = await deps.auth.resolve({
      bearer: url.searchParams.get('token') ?? undefined,
      session: cookieFrom(req.headers.cookie, SESSION_COOKIE),
    });
    if (resolved === null || resolved === 'invalid') return { status: 401, message: 'sign in or pass ?token=' };
    if (!(await deps.documents.get(docId))) return { status: 404, message: 'unknown document' };
    return { user: resolved, docId };
  }

  function connect(ws: WebSocket, user: User, docId: string): void {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    const peer: Peer = {
      user,
      send(message) {
        if (ws.readyState === ws.OPEN) ws.send(message);
      },
      close(code, reason) {
        ws.close(code, reason);
      },
    };
    // Frames that arrive while the document loads are queued, then handled in order.
    const early: Uint8Array[] = [];
    let handle: (data: Uint8Array) => void = (data) => early.push(data);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        ws.close(1003, 'binary y-websocket frames only');
        return;
      }
      handle(toBytes(data));
    });
    deps.rooms
      .acquire(docId)
      .then(({ room, release }) => {
        if (ws.readyState !== ws.OPEN) {
          release();
          return;
        }
        room.join(peer);
        release();
        ws.on('close', () => {
          room.leave(peer);
          deps.rooms.unloadIfIdle(docId, room);
        });
        handle = (data) => {
          try {
            room.receive(peer, data);
          } catch (err) {
            deps.log(`closing ${user.id} on ${docId}: malformed frame (${err instanceof Error ? err.message : String(err)})`);
            ws.close(1007, 'malformed message');
          }
        };
        early.splice(0).forEach(handle);
      })
      .catch((err: unknown) => {
        deps.log(`could not open ${docId}: ${String(err)}`);
        ws.close(1011, 'document could not be loaded');
      });
  }

  return {
    handleUpgrade(req, socket, head) {
      authorise(req)
        .then((result) => {
          if ('status' in result) {
            refuse(socket, result.status, result.message);
            return;
          }
          wss.handleUpgrade(req, socket, head, (ws) => connect(ws, result.user, result.docId));
        })
        .catch(() => refuse(socket, 500, 'internal error'));
    },
    close() {
      clearInterval(ping);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
    get connections() {
      return wss.clients.size;
    },
  };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 404: 'Not Found', 500: 'Internal Server Error' };

function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: { code: status === 401 ? 'unauthorized' : status === 404 ? 'not_found' : 'internal', message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
