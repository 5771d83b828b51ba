// The WebSocket edge of collaboration: authenticate the upgrade, then pass
// frames to the room. A bad frame or a broken socket closes only the
// connection it came from; floods are slowed and non-readers disconnected.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { User } from '../../core/api';
import { documentIdSchema } from '../../core/api';
import { cookieFrom, SESSION_COOKIE, type Authenticator } from '../auth/identity';
import { originHeaders, type OriginCheck } from '../auth/origin';
import type { Connections } from './connections';
import type { DocumentRepository } from '../store/types';
import type { Peer } from './room';
import type { Rooms } from './rooms';
import { DEFAULT_COLLAB_LIMITS, TokenBucket, type CollabLimits } from './limits';

export const COLLAB_PREFIX = '/collab/';
const PING_INTERVAL_MS = 30_000;

export interface CollabEdge {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
  /**
   * Graceful shutdown: refuses new upgrades (503), then closes every
   * connection with 1012 (service restart), so clients reconnect to another
   * process; waits up to `ms` for them to go, then terminates the rest.
   * Nothing a client sent is lost: it resyncs its document on reconnect.
   */
  drain(ms: number): Promise<void>;
  readonly connections: number;
}

/** What the collaboration edge needs from the rest of the server. */
export interface CollabEdgeDeps {
  rooms: Rooms;
  documents: DocumentRepository;
  auth: Authenticator;
  log: (message: string) => void;
  limits?: CollabLimits;
  /** Registry of open sockets by user and credential, so revocations close them. */
  connections?: Connections;
  /** Cookie-authenticated upgrades must come from our own pages. */
  sameOrigin?: OriginCheck;
}

/** Who may open which document, decided before any WebSocket exists. */
type Authorised = { user: User; credential: string; docId: string };

export function createCollabEdge(deps: CollabEdgeDeps): CollabEdge {
  const limits = deps.limits ?? DEFAULT_COLLAB_LIMITS;
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes, perMessageDeflate: false });
  wss.on('error', (err) => deps.log(`websocket server error: ${err.message}`));
  const heartbeat = startHeartbeat(wss);
  let draining = false;
  // Connections closed by a drain: what they sent before their close reply is still applied and stored.
  const drained = new WeakSet<WebSocket>();
  return {
    handleUpgrade(req, socket, head) {
      if (draining) {
        refuse(socket, 503, 'shutting down: connect to another process');
        return;
      }
      let upgraded = false;
      // The raw socket can fail (a reset) at any moment before the WebSocket owns it.
      socket.on('error', (err) => {
        if (!upgraded) deps.log(`upgrade from ${req.socket.remoteAddress ?? '?'} failed: ${err.message}`);
      });
      authorise(deps, req)
        .then((result) => {
          if ('status' in result) {
            refuse(socket, result.status, result.message);
            return;
          }
          wss.handleUpgrade(req, socket, head, (ws) => {
            upgraded = true;
            connect(deps, limits, ws, result, drained);
            heartbeat.watch(ws);
          });
        })
        .catch((err: unknown) => {
          deps.log(`upgrade failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
          refuse(socket, 500, 'internal error');
        });
    },
    async drain(ms) {
      draining = true;
      const gone = [...wss.clients].map((ws) => new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        drained.add(ws);
        ws.once('close', () => resolve());
        ws.close(1012, 'server restarting');
      }));
      await Promise.race([Promise.all(gone), new Promise((r) => setTimeout(r, ms).unref())]);
      for (const ws of wss.clients) ws.terminate();
    },
    close() {
      draining = true;
      heartbeat.stop();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
    get connections() {
      return wss.clients.size;
    },
  };
}

/** Pings every connection now and then; one that did not answer the last ping is terminated. */
function startHeartbeat(wss: WebSocketServer): { watch(ws: WebSocket): void; stop(): void } {
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
  return {
    watch(ws) {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
    },
    stop: () => clearInterval(ping),
  };
}

async function authorise(deps: CollabEdgeDeps, req: IncomingMessage): Promise<Authorised | { status: number; message: string }> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let docId: string;
  try {
    docId = decodeURIComponent(url.pathname.slice(COLLAB_PREFIX.length));
  } catch {
    return { status: 404, message: 'unknown document' };
  }
  if (!documentIdSchema.safeParse(docId).success) return { status: 404, message: 'unknown document' };
  const bearer = url.searchParams.get('token') ?? undefined;
  const resolved = await deps.auth.authenticate({ bearer, session: cookieFrom(req.headers.cookie, SESSION_COOKIE) });
  if (resolved === null || resolved === 'invalid') return { status: 401, message: 'sign in or pass ?token=' };
  if (!bearer && deps.sameOrigin && !deps.sameOrigin(originHeaders(req.headers))) return { status: 403, message: 'cross-origin WebSocket refused' };
  if (!(await deps.documents.get(docId))) return { status: 404, message: 'unknown document' };
  return { ...resolved, docId };
}

/** An upgraded connection: registered for revocations, its frames queued until its room is open, then passed to the room. */
function connect(deps: CollabEdgeDeps, limits: CollabLimits, ws: WebSocket, who: Authorised, drained: WeakSet<WebSocket>): void {
  const { user, credential, docId } = who;
  // First of all: a protocol error (reserved opcode, unmasked frame, frame
  // over the limit, reset) ends this connection, never the process.
  ws.on('error', (err) => {
    deps.log(`closing ${user.id} on ${docId}: ${err.message}`);
    ws.terminate();
  });
  const unregister = deps.connections?.add({ userId: user.id, credential, close: (code, reason) => ws.close(code, reason) });
  if (unregister) ws.on('close', unregister);
  const peer = peerOf(ws, user, docId, limits, deps.log);
  const queue = queueFrames(ws, limits, drained);
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
      queue.deliverTo((data) => {
        try {
          room.receive(peer, data);
        } catch (err) {
          deps.log(`closing ${user.id} on ${docId}: malformed frame (${err instanceof Error ? err.message : String(err)})`);
          ws.close(1007, 'malformed message');
        }
      });
    })
    .catch((err: unknown) => {
      deps.log(`could not open ${docId}: ${String(err)}`);
      ws.close(1011, 'document could not be loaded');
    });
}

/** The connection as a room sees it; a client that does not read is cut off before it grows the server's memory. */
function peerOf(ws: WebSocket, user: User, docId: string, limits: CollabLimits, log: (message: string) => void): Peer {
  return {
    user,
    send(message) {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > limits.maxBufferedBytes) {
        // It resyncs on reconnect.
        log(`disconnecting ${user.id} on ${docId}: ${ws.bufferedAmount} bytes wait unread`);
        ws.terminate();
        return;
      }
      ws.send(message);
    },
    close(code, reason) {
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
    },
    bufferedAmount: () => ws.bufferedAmount,
  };
}

/**
 * Frames wait in one bounded queue while the document loads and while the
 * connection is over its rate; over the rate, reading is paused, so a flood
 * is slowed at the TCP level rather than buffered here. `deliverTo` starts
 * the delivery, once the room is open.
 */
function queueFrames(ws: WebSocket, limits: CollabLimits, drained: WeakSet<WebSocket>): { deliverTo(deliver: (data: Uint8Array) => void): void } {
  const frames = new TokenBucket(limits.framesPerSecond, limits.frameBurst);
  const waiting: Uint8Array[] = [];
  let deliver: ((data: Uint8Array) => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const pump = (): void => {
    timer = null;
    while (deliver !== null && waiting.length > 0 && (ws.readyState === ws.OPEN || (ws.readyState === ws.CLOSING && drained.has(ws)))) {
      if (!frames.take()) {
        if (!ws.isPaused) ws.pause();
        timer = setTimeout(pump, Math.max(frames.waitMs(), 5));
        return;
      }
      deliver(waiting.shift()!);
    }
    if (ws.isPaused && ws.readyState === ws.OPEN) ws.resume();
  };
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (!isBinary) {
      ws.close(1003, 'binary y-websocket frames only');
      return;
    }
    if (waiting.length >= limits.maxQueuedFrames) {
      waiting.length = 0;
      ws.close(1008, 'too many messages');
      return;
    }
    waiting.push(toBytes(data));
    if (timer === null) pump();
  });
  ws.on('close', () => {
    if (timer !== null) clearTimeout(timer);
    waiting.length = 0;
  });
  return {
    deliverTo(d) {
      deliver = d;
      pump();
    },
  };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The HTTP answers an upgrade can be refused with: status line text and the contract's error code. */
const REFUSALS: Record<number, { text: string; code: string }> = {
  401: { text: 'Unauthorized', code: 'unauthorized' },
  403: { text: 'Forbidden', code: 'forbidden' },
  404: { text: 'Not Found', code: 'not_found' },
  500: { text: 'Internal Server Error', code: 'internal' },
  503: { text: 'Service Unavailable', code: 'unavailable' },
};

function refuse(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const refusal = REFUSALS[status] ?? REFUSALS[500]!;
  const body = JSON.stringify({ error: { code: refusal.code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${refusal.text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
