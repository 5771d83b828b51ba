// `npm start`: the whole product on one port, configured from the environment.
import { configFromEnv } from './config';
import { startServer } from './app';

const config = configFromEnv();
const server = await startServer(config);
console.log(`[accord] serving on ${server.url} (data in ${config.dataDir})`);
if (!config.adminToken) {
  console.log('[accord] no ACCORD_ADMIN_TOKEN set. To create the first chair account:');
  console.log(
    `[accord]   npx accord user add --data-dir ${config.dataDir} --name "Your Name" --email you@example.org --org "Your Organisation" --group civil-society --role chair --password "a long password"`,
  );
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => process.exit(0));
  });
}
