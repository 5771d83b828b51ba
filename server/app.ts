// Wiring: opens the store and builds the services (services.ts), mounts the
// routers, and serves API, WebSocket and web client on one port; then runs
// the background jobs and, on shutdown, closes everything in order. main.ts
// and the tests both call this.
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import express from 'express';
import { CLIENT_DIR, DOCUMENTS_DIR } from './paths';
import type { Config } from './config';
import { logLine } from './logging';
import { composeServices, openInfrastructure, type Services } from './services';
import { COLLAB_PREFIX } from './collab/socket';
import { importSeedDocuments } from './documents/seed';
import { LoginThrottle } from './auth/login-throttle';
import { errorHandler, notFoundHandler } from './http/errors';
import { identify } from './http/identity';
import { jsonBody } from './http/json-body';
import { securityHeaders } from './http/headers';
import { trustProxySetting } from './http/client-address';
import { requireSameOriginForCookies } from './http/origin';
import { healthRoutes } from './http/health-routes';
import { sessionRoutes } from './http/session-routes';
import { userRoutes } from './http/user-routes';
import { documentRoutes } from './http/document-routes';
import { versionRoutes } from './http/version-routes';
import { logRoutes } from './http/log-routes';
import { witnessRoutes } from './http/witness-routes';
import { exportRoutes } from './http/export-routes';
import { historyRoutes } from './http/history-routes';
import { amendmentRoutes } from './http/amendment-routes';
import { attributionRoutes } from './http/attribution-routes';
import { endorsementRoutes } from './http/endorsement-routes';
import { fontRoutes } from './http/font-routes';

export interface RunningServer {
  url: string;
  port: number;
  http: Server;
  /** Graceful shutdown: not ready any more, connections closed with 1012 (clients reconnect elsewhere), everything stored, then closed. */
  shutdown(drainMs?: number): Promise<void>;
  close(): Promise<void>;
}

type Log = (message: string) => void;

/** Set once a shutdown has begun: /readyz answers 503 from then on. */
interface Lifecycle {
  draining: boolean;
}

export async function startServer(config: Config): Promise<RunningServer> {
  const log: Log = (message) => {
    if (!config.quiet) console.log(logLine(config.logLineFormat ?? 'text', 'info', message));
  };
  const infra = await openInfrastructure(config, log);
  const services = await composeServices(config, infra, log);
  await firstStart(config, services, log);
  const lifecycle: Lifecycle = { draining: false };
  const http = createServer(createApp(config, services, lifecycle, log));
  http.on('upgrade', (req, socket, head) => {
    if (req.url?.startsWith(COLLAB_PREFIX)) services.collab.edge.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  const stopJobs = startBackgroundJobs(services, log);
  await listen(http, config);
  infra.workers.warm();
  return running(config, http, services, lifecycle, stopJobs);
}

/** The Good Practice Paper on an empty store, and a hint while there are no accounts. */
async function firstStart(config: Config, services: Services, log: Log): Promise<void> {
  const { store } = services.infra;
  // Once across processes: the first to take the lock imports, the others find it done.
  const seeded = await store.exclusive('seed-import', () => importSeedDocuments(store, services.documents, services.versions, DOCUMENTS_DIR));
  if (seeded) log(`imported the Good Practice Paper as document "${seeded.id}" with ${seeded.versions} earlier drafts as versions`);
  if ((await store.users.count()) === 0) {
    log('no accounts yet. Create the first chair with:');
    log(
      `  npx accord user add --data-dir "${config.dataDir}" --name "Your Name" --email you@example.org --org "Your Organisation" --group civil-society --role chair --password "a long password"`,
    );
  }
}

function createApp(config: Config, services: Services, lifecycle: Lifecycle, log: Log): express.Express {
  const { infra, collab } = services;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxySetting(config.trustedProxies));
  app.use(securityHeaders);
  app.use(identify(collab.auth));
  app.use(jsonBody());
  app.use(requireSameOriginForCookies(collab.sameOrigin));
  const { store, bus } = infra;
  const pings: Record<string, () => Promise<void>> = { database: () => store.ping() };
  if (bus) pings.redis = () => bus.ping();
  app.use(
    healthRoutes({
      documentsOpen: () => collab.rooms.size,
      connections: () => collab.edge.connections,
      metrics: collab.metrics,
      pings,
      draining: () => lifecycle.draining,
    }),
  );
  mountResourceRoutes(app, config, services);
  app.use('/api', notFoundHandler);
  app.use(fontRoutes());
  if (existsSync(CLIENT_DIR)) app.use(express.static(CLIENT_DIR, { index: 'index.html' }));
  else log(`no web client in ${CLIENT_DIR}: run "npm run build"`);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

/** One router per resource (server/http/*-routes.ts). */
function mountResourceRoutes(app: express.Express, config: Config, s: Services): void {
  const { store, counters } = s.infra;
  const throttle = new LoginThrottle(config.loginLimits, Date.now, counters?.counters);
  app.use(sessionRoutes({ store, auth: s.collab.auth, accounts: s.accounts, throttle }));
  app.use(userRoutes(store, s.accounts));
  app.use(documentRoutes(s.documents));
  app.use(versionRoutes(s.versions));
  app.use(logRoutes(s.transparency));
  app.use(witnessRoutes(s.witnesses));
  app.use(exportRoutes(s.exports, s.bundles, s.attribution));
  app.use(historyRoutes(s.history, s.attribution));
  app.use(amendmentRoutes(s.amendments));
  app.use(attributionRoutes(s.attribution));
  app.use(endorsementRoutes(s.endorsements));
}

/** What runs while the server does; returns how to stop it. */
function startBackgroundJobs(services: Services, log: Log): () => void {
  const { connections, auth } = services.collab;
  // What was revoked elsewhere (the CLI) or expired closes within a minute.
  return connections.sweepEvery(60_000, (c) => auth.stillValid(c.userId, c.credential), (err) => log(`connection sweep failed: ${String(err)}`));
}

async function listen(http: Server, config: Config): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
}

function running(config: Config, http: Server, services: Services, lifecycle: Lifecycle, stopJobs: () => void): RunningServer {
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const server: RunningServer = {
    url: `http://${host}:${port}`,
    port,
    http,
    async shutdown(drainMs = config.drainMs ?? 2_000) {
      lifecycle.draining = true;
      await services.collab.edge.drain(drainMs);
      await server.close();
    },
    async close() {
      lifecycle.draining = true;
      stopJobs();
      await closeAll(http, services);
    },
  };
  return server;
}

/** Stops taking work, then stores what is open, then closes the connections beneath: the order matters. */
async function closeAll(http: Server, services: Services): Promise<void> {
  const { infra, collab } = services;
  services.witnesses.close();
  collab.edge.close();
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
  await collab.rooms.closeAll();
  collab.recorder.close();
  await infra.bus?.close();
  await infra.counters?.close();
  await infra.store.close();
  await infra.workers.close();
}
