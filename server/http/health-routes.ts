// The process's own health: GET /healthz (it runs), GET /readyz (its database,
// and Redis when configured, answer and it is not shutting down: a load
// balancer's signal) and GET /metrics (Prometheus). No identity needed; they
// name no user and no document.
import { Router } from 'express';
import type { Metrics } from '../metrics';

export interface HealthSources {
  /** Documents open and collaboration connections in this process. */
  documentsOpen(): number;
  connections(): number;
  metrics: Metrics;
  /** The dependencies readiness waits for, by name: each answers or throws. */
  pings: Record<string, () => Promise<void>>;
  /** True once a shutdown has begun. */
  draining(): boolean;
}

export const READY_TIMEOUT_MS = 2_000;

export function healthRoutes(sources: HealthSources): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', documentsOpen: sources.documentsOpen(), connections: sources.connections() });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(sources.metrics.registry.contentType).send(await sources.metrics.render());
  });
  router.get('/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    for (const [name, ping] of Object.entries(sources.pings)) checks[name] = await probe(ping);
    if (sources.draining()) checks.process = 'shutting down';
    const ready = Object.values(checks).every((v) => v === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  return router;
}

/** 'ok', or why not: a dependency that does not answer in time is not ready. */
async function probe(ping: () => Promise<void>): Promise<string> {
  try {
    await withTimeout(ping(), READY_TIMEOUT_MS);
    return 'ok';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
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
