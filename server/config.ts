// Configuration from the environment, read once at start.
import { resolve } from 'node:path';
import type { MailTransport } from './mail/transport';
import { smtpTransport } from './mail/smtp';
import type { CollabLimits } from './collab/limits';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './auth/login-throttle';
import { parseTrustedProxies } from './http/client-address';
import { parseWitnessList, type WitnessConfig } from './witness/submitter';
import type { HistoryTiming } from './history/recorder';

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
  /** Public endorsements stored per client address in a window (a venue shares one address); default 100 per 10 minutes. Every request, invalid ones included, is capped at three times that. */
  endorsementRateLimit?: { max: number; windowMs: number };
  /** Confirmation mails per contact address in a window; default 5 per 10 minutes. */
  endorsementContactLimit?: { max: number; windowMs: number };
  /** When history points are recorded (tests shorten it); default DEFAULT_HISTORY_TIMING: after 30 s without changes, or 5 min of changes. */
  historyTiming?: Partial<HistoryTiming>;
  /** Per-connection bounds of the collaboration socket (tests tighten them); default DEFAULT_COLLAB_LIMITS. */
  collabLimits?: Partial<CollabLimits>;
  /** Proxies whose X-Forwarded-For is believed (ACCORD_TRUSTED_PROXIES: addresses, CIDR ranges, or loopback/linklocal/uniquelocal); none by default. */
  trustedProxies?: string[];
  /** Failed sign-ins allowed per account and per client address; default DEFAULT_LOGIN_LIMITS. */
  loginLimits?: LoginLimits;
  /** ACCORD_WITNESSES: the witnesses every new checkpoint is submitted to (C2SP tlog-witness). */
  witnesses?: WitnessConfig[];
  /** Outgoing mail; default: the console transport (prints each message to standard output, sends nothing). */
  mail?: MailTransport;
  /** ACCORD_DATABASE_URL (postgres://…): PostgreSQL instead of the SQLite file in DATA_DIR. */
  databaseUrl?: string;
  /** ACCORD_REDIS_URL (redis://…): the document bus connecting processes that serve the same documents. */
  redisUrl?: string;
  /** ACCORD_REDIS_PREFIX: the namespace of the bus's channels (default `accord`), one per deployment sharing a Redis. */
  redisPrefix?: string;
  /** ACCORD_LOG_KEY_FILE: the log's signing key file shared by every process (default DATA_DIR/log-signing-key). */
  logKeyFile?: string;
  /** ACCORD_LOG_KEY=database: the signing key is kept in the database (PostgreSQL), generated once. */
  logKeyInDatabase?: boolean;
  /** ACCORD_LOG_FORMAT: the console's log lines (server/logging.ts), `text` (default) or `json` (one object per line). */
  logLineFormat?: 'text' | 'json';
  /** How long a graceful shutdown waits for clients to leave before closing them (ms). */
  drainMs?: number;
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
    trustedProxies: parseTrustedProxies(env.ACCORD_TRUSTED_PROXIES ?? ''),
    ...endorsementRateLimitFromEnv(env),
    ...loginLimitsFromEnv(env),
    witnesses: parseWitnessList(env.ACCORD_WITNESSES ?? ''),
    databaseUrl: env.ACCORD_DATABASE_URL || undefined,
    redisUrl: env.ACCORD_REDIS_URL || undefined,
    redisPrefix: env.ACCORD_REDIS_PREFIX || undefined,
    logKeyFile: env.ACCORD_LOG_KEY_FILE ? resolve(env.ACCORD_LOG_KEY_FILE) : undefined,
    logKeyInDatabase: env.ACCORD_LOG_KEY === 'database',
    // ACCORD_SMTP_URL sends real mail; without it the console transport (the default) prints each message.
    ...(env.ACCORD_SMTP_URL ? { mail: smtpTransport(env.ACCORD_SMTP_URL, env.ACCORD_MAIL_FROM || undefined) } : {}),
    logLineFormat: env.ACCORD_LOG_FORMAT === 'json' ? 'json' : 'text',
  };
}

/** ACCORD_ENDORSE_RATE_MAX (attempts) and ACCORD_ENDORSE_RATE_WINDOW (seconds), when set. */
function endorsementRateLimitFromEnv(env: NodeJS.ProcessEnv): Pick<Config, 'endorsementRateLimit'> {
  if (env.ACCORD_ENDORSE_RATE_MAX === undefined && env.ACCORD_ENDORSE_RATE_WINDOW === undefined) return {};
  const windowMs = positiveSeconds(env, 'ACCORD_ENDORSE_RATE_WINDOW', 600) * 1000;
  return { endorsementRateLimit: { max: positiveInteger(env, 'ACCORD_ENDORSE_RATE_MAX', 100), windowMs } };
}

/**
 * Failed sign-ins allowed per account (ACCORD_LOGIN_RATE_ACCOUNT) and per client
 * address (ACCORD_LOGIN_RATE_ADDRESS) in a window of ACCORD_LOGIN_RATE_WINDOW
 * seconds, when any is set; the rest keep their defaults.
 */
function loginLimitsFromEnv(env: NodeJS.ProcessEnv): Pick<Config, 'loginLimits'> {
  if (env.ACCORD_LOGIN_RATE_ACCOUNT === undefined && env.ACCORD_LOGIN_RATE_ADDRESS === undefined && env.ACCORD_LOGIN_RATE_WINDOW === undefined) return {};
  const windowMs = positiveSeconds(env, 'ACCORD_LOGIN_RATE_WINDOW', DEFAULT_LOGIN_LIMITS.perAccount.windowMs / 1000) * 1000;
  return {
    loginLimits: {
      perAccount: { max: positiveInteger(env, 'ACCORD_LOGIN_RATE_ACCOUNT', DEFAULT_LOGIN_LIMITS.perAccount.max), windowMs },
      perAddress: { max: positiveInteger(env, 'ACCORD_LOGIN_RATE_ADDRESS', DEFAULT_LOGIN_LIMITS.perAddress.max), windowMs },
    },
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not ${env[name]}`);
  return value;
}

function positiveSeconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name] ?? fallback);
  if (!(value > 0)) throw new Error(`${name} must be a positive number of seconds, not ${env[name]}`);
  return value;
}

/** `host[:port]/accord`: stable for a deployment, distinct between deployments. */
export function defaultOrigin(publicUrl: string): string {
  return `${new URL(publicUrl).host}/accord`;
}
