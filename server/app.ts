// Wiring: opens the store, builds the services and routers, and serves API,
// WebSocket and web client on one port. main.ts and the tests both call this.
import { AttributionService } from './attribution/service';
import { attributionRoutes } from './http/attribution-routes';
import { createServer, type Server } from 'node:http';
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_DIR, DOCUMENTS_DIR } from './paths';
import express from 'express';
import { createAuthenticator } from './auth/identity';
import { Rooms } from './collab/rooms';
import { COLLAB_PREFIX, createCollabEdge } from './collab/socket';
import { DEFAULT_COLLAB_LIMITS } from './collab/limits';
import type { Config } from './config';
import { DocumentService } from './documents/service';
import { importSeedDocuments } from './documents/seed';
import { errorHandler, notFoundHandler } from './http/errors';
import { identify } from './http/identity';
import { jsonBody } from './http/json-body';
import { securityHeaders } from './http/headers';
import { documentRoutes } from './http/document-routes';
import { sessionRoutes } from './http/session-routes';
import { userRoutes } from './http/user-routes';
import { openConfiguredStore } from './store/open';
import type { VersionRecord } from './store/types';
import { preparedDir } from './export/prepared-texts';
import type { DocumentBus } from './collab/bus';
import { createMetrics } from './metrics';
import { logLine } from './logging';
import { encodeSignal } from '../core/signals';
import { WorkerPool } from './workers/pool';
import { LogService } from './log/service';
import { VersionService } from './versions/service';
import { versionRoutes } from './http/version-routes';
import { logRoutes } from './http/log-routes';
import { exportRoutes } from './http/export-routes';
import { ExportService } from './export/service';
import { BundleService } from './log/bundle';
import { AmendmentService } from './amendments/service';
import { amendmentRoutes } from './http/amendment-routes';
import { ViewFiles } from './documents/view-files';
import { EndorsementService } from './endorsements/service';
import { endorsementLimits } from './endorsements/rate-limit';
import { endorsementRoutes } from './http/endorsement-routes';
import { consoleTransport } from './mail/console';
import { AccountService } from './auth/accounts';
import { LoginThrottle } from './auth/login-throttle';
import { createOriginCheck } from './auth/origin';
import { Connections } from './collab/connections';
import { trustProxySetting } from './http/client-address';
import { requireSameOriginForCookies } from './http/origin';
import { WitnessSubmitter } from './witness/submitter';
import { importLegacyCosignatures } from './witness/legacy-cosignatures';
import { witnessRoutes } from './http/witness-routes';
import { fontRoutes } from './http/font-routes';
import { DEFAULT_HISTORY_TIMING, HistoryRecorder } from './history/recorder';
import { HistoryService } from './history/service';
import { historyRoutes } from './http/history-routes';


export interface RunningServer {
  url: string;
  port: number;
  http: Server;
  /** Graceful shutdown: not ready any more, connections closed with 1012 (clients reconnect elsewhere), everything stored, then closed. */
  shutdown(drainMs?: number): Promise<void>;
  close(): Promise<void>;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}

export async function startServer(config: Config): Promise<RunningServer> {
  const log = (message: string) => {
    if (!config.quiet) console.log(logLine(config.logFormat ?? 'text', 'info', message));
  };
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  // Compaction and large exports run in a worker thread, off the loop that relays keystrokes.
  const workers = new WorkerPool(1);
  let witnesses: WitnessSubmitter | null = null;
  let opened;
  try {
    opened = await openConfiguredStore(config, {
      fold: (snapshot, updates) => workers.fold(snapshot, updates),
      // A new checkpoint wakes the witness submitter, which reads it once its transaction has committed.
      onCheckpoint: () => witnesses?.nudge(),
      log,
    });
  } catch (err) {
    await workers.close();
    throw err;
  }
  const { store, key } = opened;
  // Redis (loaded only when configured): the document bus, and rate limits shared by every process; sessions are in the shared store already.
  const bus: DocumentBus | undefined = config.redisUrl
    ? (await import('./collab/bus')).openRedisBus(config.redisUrl, { prefix: config.redisPrefix, log })
    : undefined;
  const sharedCounters = config.redisUrl
    ? (await import('./auth/window-counters-redis')).openRedisCounters(config.redisUrl, { prefix: config.redisPrefix, log })
    : undefined;
  const limits = { ...DEFAULT_COLLAB_LIMITS, ...config.collabLimits };
  const metrics = createMetrics({ connections: () => collab.connections, rooms: () => rooms.size, logSize: () => store.log.size() });
  // History points are taken from the open rooms' documents (history/recorder.ts).
  const recorder = new HistoryRecorder(store.history, log, { ...DEFAULT_HISTORY_TIMING, ...config.historyTiming });
  const rooms = new Rooms(store.updates, { compactEvery: config.compactEvery, log, limits, bus, observer: metrics.collab, attribution: store.attribution, history: recorder });
  const auth = createAuthenticator(store, config.adminToken);
  const connections = new Connections();
  const accounts = new AccountService(store, connections);
  const sameOrigin = createOriginCheck(config.publicUrl);
  const documents = new DocumentService(store, rooms, log, workers.run, new ViewFiles(join(config.dataDir, 'views')));
  const logService = new LogService(store, key, async (note) => witnesses?.cosignaturesFor(note) ?? []);
  // Before the submitter first reads them: what an earlier server kept in a file of its own.
  await importLegacyCosignatures(config.dataDir, store.cosignatures, log);
  witnesses = new WitnessSubmitter(config.witnesses ?? [], logService, store.cosignatures, log);
  // Every version's text is prepared for redlines when it is recorded, in the worker, and kept by content hash (export/prepared-texts.ts).
  const prepared = { dir: preparedDir(join(config.dataDir, 'redline')) };
  // Then its JSON redline against the most recent earlier versions is precomputed and kept on disk (ExportService.precomputeRedlines).
  const prepare = (v: VersionRecord): Promise<unknown> =>
    workers
      .run({ kind: 'prepare', hash: v.contentHash, content: v.contentJson, dir: prepared.dir })
      .then((): Promise<unknown> => exports.precomputeRedlines(v.docId, v.number))
      .catch((err: unknown) => {
        log(`preparing version ${v.number} of ${v.docId} for redlines failed: ${err instanceof Error ? err.message : String(err)}`);
      });
  let history: HistoryService | null = null;
  const versions = new VersionService(
    store,
    documents,
    async (v) => {
      rooms.signal(v.docId, encodeSignal({ kind: 'versions', number: v.number }));
      await history?.versionFrozen(v.docId, v.number);
    },
    prepare,
  );
  history = new HistoryService(store, rooms, recorder, documents, versions, workers.run, log);
  const bundles = new BundleService(store, documents, logService, workers.run);
  const mail = config.mail ?? consoleTransport();
  const amendments = new AmendmentService(store, rooms, documents, { mail, publicUrl: config.publicUrl }, workers.run);
  const attribution = new AttributionService(store, rooms, documents, versions);
  const exports = new ExportService(documents, versions, logService, bundles, workers.run, prepared, attribution);
  // Endorsement limits count in the store, shared by every process on the same database (server/store/rate-limit-types.ts).
  const endorsements = new EndorsementService(store, documents, logService, {
    publicUrl: config.publicUrl,
    mail,
    limits: endorsementLimits(config.endorsementRateLimit, config.endorsementContactLimit),
  });

  // Once across processes: the first to take the lock imports, the others find it done.
  const seeded = await store.exclusive('seed-import', () => importSeedDocuments(store, documents, versions, DOCUMENTS_DIR));
  if (seeded) log(`imported the Good Practice Paper as document "${seeded.id}" with ${seeded.versions} earlier drafts as versions`);

  if ((await store.users.count()) === 0) {
    log('no accounts yet. Create the first chair with:');
    log(
      `  npx accord user add --data-dir "${config.dataDir}" --name "Your Name" --email you@example.org --org "Your Organisation" --group civil-society --role chair --password "a long password"`,
    );
  }

  let draining = false;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxySetting(config.trustedProxies));
  app.use(securityHeaders);
  app.use(identify(auth));
  app.use(jsonBody());
  app.use(requireSameOriginForCookies(sameOrigin));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', documentsOpen: rooms.size, connections: collab.connections });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.render());
  });
  // Ready: the database (and Redis, when configured) answer, and the process is not shutting down.
  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    const probe = async (name: string, ping: () => Promise<void>) => {
      try {
        await withTimeout(ping(), 2_000);
        checks[name] = 'ok';
      } catch (err) {
        checks[name] = err instanceof Error ? err.message : String(err);
      }
    };
    await probe('database', () => store.ping());
    if (bus) await probe('redis', () => bus.ping());
    if (draining) checks.process = 'shutting down';
    const ready = Object.values(checks).every((v) => v === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  const throttle = new LoginThrottle(config.loginLimits, Date.now, sharedCounters?.counters);
  app.use(sessionRoutes({ store, auth, accounts, throttle }));
  app.use(userRoutes(store, accounts));
  app.use(documentRoutes(documents));
  app.use(versionRoutes(versions));
  app.use(logRoutes(logService));
  app.use(witnessRoutes(witnesses));
  app.use(exportRoutes(exports, bundles, attribution));
  app.use(historyRoutes(history, attribution));
  app.use(amendmentRoutes(amendments));
  app.use(attributionRoutes(attribution));
  app.use(endorsementRoutes(endorsements));
  app.use('/api', notFoundHandler);
  app.use(fontRoutes());
  if (existsSync(CLIENT_DIR)) app.use(express.static(CLIENT_DIR, { index: 'index.html' }));
  else log(`no web client in ${CLIENT_DIR}: run "npm run build"`);
  app.use(notFoundHandler);
  app.use(errorHandler);

  // What was revoked elsewhere (the CLI) or expired closes within a minute.
  const stopSweep = connections.sweepEvery(60_000, (c) => auth.stillValid(c.userId, c.credential), (err) => log(`connection sweep failed: ${String(err)}`));
  const http = createServer(app);
  const collab = createCollabEdge({ rooms, documents: store.documents, auth, log, limits, connections, sameOrigin });
  http.on('upgrade', (req, socket, head) => {
    if (req.url?.startsWith(COLLAB_PREFIX)) collab.handleUpgrade(req, socket, head);
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  workers.warm();
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  const running: RunningServer = {
    url: `http://${host}:${port}`,
    port,
    http,
    async shutdown(drainMs = config.drainMs ?? 2_000) {
      draining = true;
      await collab.drain(drainMs);
      await running.close();
    },
    async close() {
      draining = true;
      stopSweep();
      witnesses?.close();
      collab.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await rooms.closeAll();
      recorder.close();
      await bus?.close();
      await sharedCounters?.close();
      await store.close();
      await workers.close();
    },
  };
  return running;
}
