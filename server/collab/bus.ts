// The document bus: what one process tells the others holding the same
// document (ACCORD_REDIS_URL, Redis pub/sub, one channel per document). Only
// ever a fan-out: an update is published after the store committed it, with
// its sequence number, and a process that missed messages (Redis restarted,
// a slow subscriber) catches up from the store by sequence number. Durability
// never depends on the bus; without one (the default), nothing is published.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export type BusMessage =
  | { kind: 'update'; seq: number; update: Uint8Array }
  | { kind: 'presence'; update: Uint8Array }
  | { kind: 'signal'; message: Uint8Array }
  /** A process that opened the document asks the others for their clients' presence. */
  | { kind: 'presence-query' };

export interface BusSubscription {
  /** A message from another process. */
  onMessage(message: BusMessage): void;
  /** Messages may have been lost (the connection to Redis was re-established): catch up from the store. */
  onResync(): void;
}

export interface DocumentBus {
  publish(docId: string, message: BusMessage): void;
  /** Resolves once subscribed; the returned function unsubscribes. */
  subscribe(docId: string, subscription: BusSubscription): Promise<() => void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const KIND = { update: 1, presence: 2, signal: 3, 'presence-query': 4 } as const;
const ID_BYTES = 8;

export function encodeBusMessage(from: Uint8Array, message: BusMessage): Buffer {
  const header = Buffer.alloc(1 + ID_BYTES + (message.kind === 'update' ? 8 : 0));
  header[0] = KIND[message.kind];
  header.set(from, 1);
  if (message.kind === 'update') header.writeDoubleBE(message.seq, 1 + ID_BYTES);
  const payload = message.kind === 'update' || message.kind === 'presence' ? message.update : message.kind === 'signal' ? message.message : new Uint8Array(0);
  return Buffer.concat([header, payload]);
}

export function decodeBusMessage(data: Buffer): { from: Buffer; message: BusMessage } | null {
  if (data.length < 1 + ID_BYTES) return null;
  const from = data.subarray(1, 1 + ID_BYTES);
  const body = (offset: number) => new Uint8Array(data.buffer, data.byteOffset + offset, data.byteLength - offset);
  switch (data[0]) {
    case KIND.update:
      if (data.length < 1 + ID_BYTES + 8) return null;
      return { from, message: { kind: 'update', seq: data.readDoubleBE(1 + ID_BYTES), update: body(1 + ID_BYTES + 8) } };
    case KIND.presence:
      return { from, message: { kind: 'presence', update: body(1 + ID_BYTES) } };
    case KIND.signal:
      return { from, message: { kind: 'signal', message: body(1 + ID_BYTES) } };
    case KIND['presence-query']:
      return { from, message: { kind: 'presence-query' } };
    default:
      return null;
  }
}

/** The bus on Redis: one connection publishes, one subscribes; messages of this process are ignored on return. */
export function openRedisBus(url: string, options: { prefix?: string; log?: (m: string) => void } = {}): DocumentBus {
  const prefix = options.prefix ?? 'accord';
  const log = options.log ?? (() => {});
  const self = randomBytes(ID_BYTES);
  const publisher = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: false, lazyConnect: false });
  const subscriber = new Redis(url, { maxRetriesPerRequest: null });
  publisher.on('error', (err: Error) => log(`redis (publish): ${err.message}`));
  subscriber.on('error', (err: Error) => log(`redis (subscribe): ${err.message}`));
  const channels = new Map<string, Set<BusSubscription>>();
  const channelOf = (docId: string) => `${prefix}:doc:${docId}`;
  let connectedOnce = false;

  subscriber.on('ready', () => {
    // ioredis re-subscribes by itself after a reconnect; what was published meanwhile is lost: catch up.
    if (connectedOnce) for (const subs of channels.values()) for (const s of subs) s.onResync();
    connectedOnce = true;
  });
  subscriber.on('messageBuffer', (channel: Buffer, data: Buffer) => {
    const subs = channels.get(channel.toString());
    if (!subs) return;
    const decoded = decodeBusMessage(data);
    if (!decoded || decoded.from.equals(self)) return;
    for (const s of subs) {
      try {
        s.onMessage(decoded.message);
      } catch (err) {
        log(`bus message on ${channel.toString()} failed: ${String(err)}`);
      }
    }
  });

  return {
    publish(docId, message) {
      // Never awaited by the relay: a bus that is down delays other processes (they catch up from the store), never this one.
      publisher.publish(channelOf(docId), encodeBusMessage(self, message)).catch((err: unknown) => log(`publish on ${docId} failed: ${String(err)}`));
    },
    async subscribe(docId, subscription) {
      const channel = channelOf(docId);
      let subs = channels.get(channel);
      if (!subs) {
        channels.set(channel, (subs = new Set()));
        await subscriber.subscribe(channel);
      }
      subs.add(subscription);
      return () => {
        const current = channels.get(channel);
        if (!current) return;
        current.delete(subscription);
        if (current.size === 0) {
          channels.delete(channel);
          subscriber.unsubscribe(channel).catch(() => {});
        }
      };
    },
    async ping() {
      await publisher.ping();
    },
    async close() {
      channels.clear();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
