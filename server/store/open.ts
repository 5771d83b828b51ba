// Chooses the store and the log's signing key from the configuration: the
// SQLite file and key in DATA_DIR by default; PostgreSQL with a key every
// process shares (ACCORD_LOG_KEY_FILE, or the database's key table when the
// operator opts in), never a per-process key in DATA_DIR.
import { join } from 'node:path';
import { generateSignerKey, loadOrCreateLogKey, loadOrCreateLogKeyFile, logKeyOf, type LogKey } from '../transparency/key';
import { openSqliteStore } from './sqlite';
import type { Fold } from './fold';
import type { Store } from './types';

/** What choosing the store needs of the configuration (server/config.ts's Config has it; the store does not import the composition root). */
export interface StoreSettings {
  dataDir: string;
  logOrigin: string;
  databaseUrl?: string;
  logKeyFile?: string;
  logKeyInDatabase?: boolean;
}

export interface OpenedStore {
  store: Store;
  key: LogKey;
  kind: 'sqlite' | 'postgres';
}

export async function openConfiguredStore(
  config: StoreSettings,
  options: { fold?: Fold; onCheckpoint?: () => void; log?: (m: string) => void } = {},
): Promise<OpenedStore> {
  const log = options.log ?? (() => {});
  // The store signs with the key chosen below; nothing is signed while it opens.
  let key: LogKey | null = null;
  const sign = (size: number, root: Uint8Array): string => {
    if (!key) throw new Error('the log key is not loaded yet');
    options.onCheckpoint?.();
    return key.signCheckpoint(size, root);
  };
  if (!config.databaseUrl) {
    key = config.logKeyFile ? loadOrCreateLogKeyFile(config.logKeyFile, config.logOrigin, log) : loadOrCreateLogKey(config.dataDir, config.logOrigin, log);
    return { store: openSqliteStore(join(config.dataDir, 'accord.sqlite'), sign, { fold: options.fold }), key, kind: 'sqlite' };
  }
  if (!config.logKeyFile && !config.logKeyInDatabase) {
    throw new Error('with ACCORD_DATABASE_URL, set ACCORD_LOG_KEY_FILE (a key file every process shares) or ACCORD_LOG_KEY=database');
  }
  // Loaded only when asked for: the embedded default never loads node-postgres.
  const { openPostgresStore } = await import('./postgres');
  const store = await openPostgresStore(config.databaseUrl, sign, { fold: options.fold });
  try {
    key = config.logKeyFile
      ? loadOrCreateLogKeyFile(config.logKeyFile, config.logOrigin, log)
      : logKeyOf(await store.sharedSignerKey(() => generateSignerKey(config.logOrigin)), config.logOrigin, log);
  } catch (err) {
    await store.close();
    throw err;
  }
  return { store, key, kind: 'postgres' };
}
