// The composition of the server, built once per process: the store and what
// runs beside it (the worker pool, Redis when configured), the collaboration
// edge, the log and its witnesses, and the domain services the routers are
// given (app.ts). Nothing here answers a request or listens on a port.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { encodeSignal } from '../core/signals';
import type { Config } from './config';
import { WorkerPool } from './workers/pool';
import { openConfiguredStore } from './store/open';
import type { Store, VersionRecord } from './store/types';
import type { LogKey } from './transparency/key';
import type { DocumentBus } from './collab/bus';
import type { RedisCounters } from './auth/window-counters-redis';
import { createMetrics, type Metrics } from './metrics';
import { DEFAULT_HISTORY_TIMING, HistoryRecorder } from './history/recorder';
import { Rooms } from './collab/rooms';
import { DEFAULT_COLLAB_LIMITS } from './collab/limits';
import { createCollabEdge, type CollabEdge } from './collab/socket';
import { Connections } from './collab/connections';
import { createAuthenticator, type Authenticator } from './auth/identity';
import { createOriginCheck, type OriginCheck } from './auth/origin';
import { AccountService } from './auth/accounts';
import { TransparencyLog } from './transparency/service';
import { WitnessSubmitter } from './witness/submitter';
import { importLegacyCosignatures } from './witness/legacy-cosignatures';
import { DocumentService } from './documents/service';
import { ViewFiles } from './documents/view-files';
import { VersionService } from './versions/service';
import { HistoryService } from './history/service';
import { BundleService } from './transparency/bundle';
import { AmendmentService } from './amendments/service';
import { AttributionService } from './attribution/service';
import { ExportService } from './export/service';
import { preparedDir } from './export/prepared-texts';
import { EndorsementService } from './endorsements/service';
import { endorsementLimits } from './endorsements/rate-limit';
import { consoleTransport } from './mail/console';

type Log = (message: string) => void;

/** The store and what runs beside it: the worker thread, and Redis when configured. */
export interface Infrastructure {
  workers: WorkerPool;
  store: Store;
  key: LogKey;
  /** The document bus between processes (ACCORD_REDIS_URL). */
  bus: DocumentBus | undefined;
  /** Rate-limit counters shared by every process (ACCORD_REDIS_URL); sessions are in the shared store already. */
  counters: RedisCounters | undefined;
  /** Called after every new signed checkpoint, once its transaction has committed (the witness submitter listens). */
  checkpoints: { listener: (() => void) | null };
}

/** Live collaboration: open rooms, their sockets and what watches them. */
export interface Collaboration {
  metrics: Metrics;
  recorder: HistoryRecorder;
  rooms: Rooms;
  auth: Authenticator;
  connections: Connections;
  sameOrigin: OriginCheck;
  edge: CollabEdge;
}

export interface Services {
  infra: Infrastructure;
  collab: Collaboration;
  accounts: AccountService;
  transparency: TransparencyLog;
  witnesses: WitnessSubmitter;
  documents: DocumentService;
  versions: VersionService;
  history: HistoryService;
  bundles: BundleService;
  amendments: AmendmentService;
  attribution: AttributionService;
  exports: ExportService;
  endorsements: EndorsementService;
}

export async function openInfrastructure(config: Config, log: Log): Promise<Infrastructure> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  // Compaction and large exports run in a worker thread, off the loop that relays keystrokes.
  const workers = new WorkerPool(1);
  const checkpoints: Infrastructure['checkpoints'] = { listener: null };
  let opened;
  try {
    opened = await openConfiguredStore(config, { fold: (snapshot, updates) => workers.fold(snapshot, updates), onCheckpoint: () => checkpoints.listener?.(), log });
  } catch (err) {
    await workers.close();
    throw err;
  }
  // Redis is loaded only when configured.
  const bus = config.redisUrl ? (await import('./collab/bus')).openRedisBus(config.redisUrl, { prefix: config.redisPrefix, log }) : undefined;
  const counters = config.redisUrl
    ? (await import('./auth/window-counters-redis')).openRedisCounters(config.redisUrl, { prefix: config.redisPrefix, log })
    : undefined;
  return { workers, store: opened.store, key: opened.key, bus, counters, checkpoints };
}

export async function composeServices(config: Config, infra: Infrastructure, log: Log): Promise<Services> {
  const collab = composeCollaboration(config, infra, log);
  const { transparency, witnesses } = await composeTransparency(config, infra, log);
  return { infra, collab, accounts: new AccountService(infra.store, collab.connections), transparency, witnesses, ...composeDomain(config, infra, collab, transparency, log) };
}

function composeCollaboration(config: Config, infra: Infrastructure, log: Log): Collaboration {
  const { store } = infra;
  const limits = { ...DEFAULT_COLLAB_LIMITS, ...config.collabLimits };
  const metrics = createMetrics({ connections: () => edge.connections, rooms: () => rooms.size, logSize: () => store.log.size() });
  // History points are taken from the open rooms' documents (history/recorder.ts).
  const recorder = new HistoryRecorder(store.history, log, { ...DEFAULT_HISTORY_TIMING, ...config.historyTiming }, infra.workers.run);
  const rooms = new Rooms(store.updates, { compactEvery: config.compactEvery, log, limits, bus: infra.bus, observer: metrics.collab, attribution: store.attribution, history: recorder });
  const auth = createAuthenticator(store, config.adminToken);
  const connections = new Connections();
  const sameOrigin = createOriginCheck(config.publicUrl);
  const edge = createCollabEdge({ rooms, documents: store.documents, auth, log, limits, connections, sameOrigin });
  return { metrics, recorder, rooms, auth, connections, sameOrigin, edge };
}

/** The log's read side and the witness submitter, which wakes on every new checkpoint. */
async function composeTransparency(config: Config, infra: Infrastructure, log: Log): Promise<{ transparency: TransparencyLog; witnesses: WitnessSubmitter }> {
  let witnesses: WitnessSubmitter | null = null;
  const transparency = new TransparencyLog(infra.store, infra.key, async (note) => witnesses?.cosignaturesFor(note) ?? []);
  // Before the submitter first reads them: what an earlier server kept in a file of its own.
  await importLegacyCosignatures(config.dataDir, infra.store.cosignatures, log);
  const submitter = new WitnessSubmitter(config.witnesses ?? [], transparency, infra.store.cosignatures, log);
  witnesses = submitter;
  infra.checkpoints.listener = () => submitter.nudge();
  return { transparency, witnesses: submitter };
}

type DomainServices = Pick<Services, 'documents' | 'versions' | 'history' | 'bundles' | 'amendments' | 'attribution' | 'exports' | 'endorsements'>;

function composeDomain(config: Config, infra: Infrastructure, collab: Collaboration, transparency: TransparencyLog, log: Log): DomainServices {
  const { store, workers } = infra;
  const { rooms } = collab;
  const documents = new DocumentService(store, rooms, log, workers.run, new ViewFiles(join(config.dataDir, 'views')));
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
  const frozen = async (v: VersionRecord): Promise<void> => {
    rooms.signal(v.docId, encodeSignal({ kind: 'versions', number: v.number }));
    await history.versionFrozen(v.docId, v.number);
  };
  const versions = new VersionService(store, documents, frozen, prepare);
  const history = new HistoryService(store, rooms, collab.recorder, documents, versions, workers.run, log);
  const bundles = new BundleService(store, documents, transparency, workers.run);
  const mail = config.mail ?? consoleTransport();
  const amendments = new AmendmentService(store, rooms, documents, { mail, publicUrl: config.publicUrl }, workers.run);
  const attribution = new AttributionService(store, rooms, documents, versions);
  const exports = new ExportService(documents, versions, transparency, bundles, workers.run, prepared, attribution);
  // Endorsement limits count in the store, shared by every process on the same database (server/store/rate-limit-types.ts).
  const endorsements = new EndorsementService(store, documents, transparency, {
    publicUrl: config.publicUrl,
    mail,
    limits: endorsementLimits(config.endorsementRateLimit, config.endorsementContactLimit),
  });
  return { documents, versions, history, bundles, amendments, attribution, exports, endorsements };
}
