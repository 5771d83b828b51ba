// The witness's HTTP edge (C2SP tlog-witness): `POST /add-checkpoint` at the
// root of its port and `GET /key` (its verifier key, text/plain). Plain
// node:http with keep-alive: one small request, one answer, nothing else.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { loadOrCreateWitnessKey } from './key';
import { Witness, type WitnessAnswer } from './service';
import { openWitnessState } from './state';

/** A request body larger than this is refused: 63 proof lines and a checkpoint with 100 signatures fit easily. */
export const MAX_REQUEST_BYTES = 64 * 1024;

export interface WitnessOptions {
  dataDir: string;
  port: number;
  host?: string;
  /** Verifier keys of the logs this witness follows. */
  logs: readonly string[];
  /** The witness's key name, used only when its key is first created. */
  name?: string;
  /** Flush every cosigned checkpoint to disk before answering (survives power cuts; slower). */
  fsync?: boolean;
}

export interface RunningWitness {
  url: string;
  port: number;
  verifierKey: string;
  witness: Witness;
  close(): Promise<void>;
}

export function defaultWitnessName(): string {
  const host = hostname().replace(/[^A-Za-z0-9.-]/g, '') || 'localhost';
  return `${host}/accord-witness`;
}

export async function startWitness(options: WitnessOptions): Promise<RunningWitness> {
  if (options.logs.length === 0) throw new Error('a witness needs at least one log verifier key (--log)');
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const key = loadOrCreateWitnessKey(options.dataDir, options.name ?? defaultWitnessName());
  const state = openWitnessState(options.dataDir, { fsync: options.fsync ?? false });
  const witness = new Witness(key, state, options.logs);

  const server: Server = createServer((req, res) => {
    req.on('error', () => res.destroy());
    res.on('error', () => req.destroy());
    handle(witness, req, res);
  });
  server.keepAliveTimeout = 30_000;
  server.on('clientError', (_err, socket) => socket.destroy());
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    verifierKey: key.verifierKey,
    witness,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      state.close();
    },
  };
}

function handle(witness: Witness, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/key' && (req.method === 'GET' || req.method === 'HEAD')) {
    return send(res, { status: 200, contentType: 'text/plain; charset=utf-8', body: `${witness.key.verifierKey}\n` });
  }
  if (path !== '/add-checkpoint') return send(res, jsonError(404, 'not_found', `no route for ${req.method} ${path}`));
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    return send(res, jsonError(405, 'method_not_allowed', 'add-checkpoint takes a POST'));
  }
  const chunks: Buffer[] = [];
  let length = 0;
  let refused = false;
  req.on('data', (chunk: Buffer) => {
    if (refused) return;
    length += chunk.length;
    if (length > MAX_REQUEST_BYTES) {
      refused = true;
      res.setHeader('connection', 'close');
      send(res, jsonError(413, 'too_large', `request body over ${MAX_REQUEST_BYTES} bytes`));
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (refused) return;
    const bytes = Buffer.concat(chunks);
    const body = bytes.toString('utf8');
    // Invalid UTF-8 cannot be a note; refuse it rather than cosign a replacement character.
    if (!Buffer.from(body, 'utf8').equals(bytes)) return send(res, jsonError(400, 'malformed', 'the body is not valid UTF-8'));
    let answer: WitnessAnswer;
    try {
      answer = witness.addCheckpoint(body);
    } catch (err) {
      console.error(`[witness] add-checkpoint failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      answer = jsonError(500, 'internal', 'internal error');
    }
    send(res, answer);
  });
}

function send(res: ServerResponse, answer: WitnessAnswer): void {
  res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': Buffer.byteLength(answer.body), 'cache-control': 'no-store' });
  res.end(answer.body);
}

function jsonError(status: number, code: string, message: string): WitnessAnswer {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ error: { code, message } }) };
}
