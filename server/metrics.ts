// Prometheus metrics (prom-client) for GET /metrics: open connections and
// rooms, stored updates, store and relay latency, the log's size. One
// registry per server (tests run several in one process); nothing here
// names a user or a document.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface CollabObserver {
  /** A batch was stored: how long the append took. */
  stored(ms: number): void;
  /** A batch was relayed: how long from its flush to the last frame written. */
  relayed(ms: number): void;
}

export interface Metrics {
  readonly registry: Registry;
  readonly collab: CollabObserver;
  render(): Promise<string>;
}

export function createMetrics(sources: { connections(): number; rooms(): number; logSize(): Promise<number> }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'accord_process_' });
  new Gauge({ name: 'accord_connections', help: 'Open collaboration connections', registers: [registry], collect() { this.set(sources.connections()); } });
  new Gauge({ name: 'accord_rooms', help: 'Documents open in this process', registers: [registry], collect() { this.set(sources.rooms()); } });
  new Gauge({
    name: 'accord_log_size',
    help: 'Entries in the signed log',
    registers: [registry],
    async collect() {
      this.set(await sources.logSize());
    },
  });
  const updates = new Counter({ name: 'accord_updates_stored_total', help: 'Batches of document updates stored (rate: the update rate)', registers: [registry] });
  const buckets = [0.5, 1, 2, 5, 10, 20, 50, 100, 250, 1000];
  const store = new Histogram({ name: 'accord_store_append_ms', help: 'Time to store a batch of updates (ms)', buckets, registers: [registry] });
  const relay = new Histogram({ name: 'accord_relay_ms', help: 'Time from a batch leaving the queue to its relay, storage included (ms)', buckets, registers: [registry] });
  return {
    registry,
    collab: {
      stored(ms) {
        updates.inc();
        store.observe(ms);
      },
      relayed(ms) {
        relay.observe(ms);
      },
    },
    render: () => registry.metrics(),
  };
}
