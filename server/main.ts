// `npm start`: the whole product on one port, configured from the environment.
import { configFromEnv } from './config';
import { startServer } from './app';

const config = configFromEnv();
const server = await startServer(config);
console.log(`[accord] serving on ${server.url} (data in ${config.dataDir})`);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => process.exit(0));
  });
}
