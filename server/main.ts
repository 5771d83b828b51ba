// `npm start`: the whole product on one port, configured from the environment.
import { configFromEnv } from './config';
import { startServer, type RunningServer } from './app';
import { useNodeSha256 } from './node-sha256';
import { logLine } from './logging';

useNodeSha256();

const config = configFromEnv();
const line = (level: 'info' | 'error', message: string) => logLine(config.logLineFormat ?? 'text', level, message);
let server: RunningServer | null = null;
let stopping = false;

/** Stops serving, stores what is pending, and exits with `code`; never waits more than a few seconds. */
function shutdown(code: number, graceful = false): void {
  if (stopping) return;
  stopping = true;
  const deadline = setTimeout(() => process.exit(code), 8_000);
  deadline.unref();
  void (server ? (graceful ? server.shutdown() : server.close()) : Promise.resolve())
    .catch((err: unknown) => console.error(line('error', `error while closing: ${String(err)}`)))
    .finally(() => process.exit(code));
}

// The last resort. Every socket and stream has its own error listener; if
// something still escapes, a process in an unknown state must not go on
// serving half-dead: log it, close what can be closed, and exit non-zero so
// the supervisor restarts it. Every update a client saw is already stored.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err: unknown) => {
    console.error(line('error', `${event}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
    shutdown(1);
  });
}
// SIGTERM/SIGINT (a rolling restart): drain connections to the other processes, store everything, exit.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => shutdown(0, true));

try {
  server = await startServer(config);
} catch (err) {
  // A start that cannot succeed (disk full, port taken, unreadable DATA_DIR) is one clear line, not a stack trace.
  console.error(line('error', `could not start: ${startError(err)}`));
  process.exit(1);
}
console.log(line('info', `serving on ${server.url} (${config.databaseUrl ? `PostgreSQL${config.redisUrl ? ' and Redis' : ''}` : `data in ${config.dataDir}`})`));

function startError(err: unknown): string {
  const code = typeof err === 'object' && err && 'code' in err ? String((err as { code: unknown }).code) : '';
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
  const hint = /ENOSPC|SQLITE_FULL/.test(code) ? ' (the disk is full)' : /EACCES|EPERM|SQLITE_CANTOPEN|SQLITE_READONLY/.test(code) ? ' (check the permissions of DATA_DIR)' : code === 'EADDRINUSE' ? ' (the port is taken; set PORT)' : '';
  return `${message}${hint}`;
}
