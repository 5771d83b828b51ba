// Configuration from the environment, read once at start.
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  adminToken: string | undefined;
  /** The transparency log's origin line (C2SP checkpoint). */
  logOrigin: string;
  /** Public base URL, for links in mail and pages. */
  publicUrl: string;
  compactEvery: number;
  quiet: boolean;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not ${env.PORT}`);
  const host = env.HOST ?? '127.0.0.1';
  const publicUrl = env.PUBLIC_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    port,
    host,
    dataDir: resolve(env.DATA_DIR ?? './data'),
    adminToken: env.ACCORD_ADMIN_TOKEN || undefined,
    logOrigin: env.ACCORD_LOG_ORIGIN ?? defaultOrigin(publicUrl),
    publicUrl,
    compactEvery: Number(env.ACCORD_COMPACT_EVERY ?? 500),
    quiet: false,
  };
}

/** `host[:port]/accord`: stable for a deployment, distinct between deployments. */
export function defaultOrigin(publicUrl: string): string {
  return `${new URL(publicUrl).host}/accord`;
}
