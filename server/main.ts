// `npm start`: the whole product on one port, configured from the environment.
import { configFromEnv } from './config';
import { startServer, type RunningServer } from './app';

const config = configFromEnv();
let server: RunningServer | null = null;
let stopping = false;

/** Stops serving, stores what is pending, and exits with `code`; never waits more than a few seconds. */
function shutdown(code: number): void {
  if (stopping) return;
  stopping = true;
  const deadline = setTimeout(() => process.exit(code), 5_000);
  deadline.unref();
  void (server ? server.close() : Promise.resolve())
    .catch((err: unknown) => console.error(`[accord] error while closing: ${String(err)}`))
    .finally(() => process.exit(code));
}

// The last resort. Every socket and stream has its own error listener; if
// something still escapes, a process in an unknown state must not go on
// serving half-dead: log it, close what can be closed, and exit non-zero so
// the supervisor restarts it. Every update a client saw is already stored.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err: unknown) => {
    console.error(`[accord] ${event}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    shutdown(1);
  });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => shutdown(0));

server = await startServer(config);
console.log(`[accord] serving on ${server.url} (data in ${config.dataDir})`);
