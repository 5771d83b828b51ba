// The bounds of one connection: how much it may send, how much the server
// keeps waiting for it, how large a presence state may be. Defaults are
// generous for a real editor (y-websocket sends one frame per transaction)
// and small enough that no single connection can take the server down.

export interface CollabLimits {
  /** Largest WebSocket message accepted: a full document sync fits with room to spare. */
  maxFrameBytes: number;
  /** Sustained frames per second per connection; beyond it the connection is slowed (reading paused). */
  framesPerSecond: number;
  /** Frames a connection may send in a burst before it is slowed. */
  frameBurst: number;
  /** Bytes queued for a client that does not read; past this it is disconnected. */
  maxBufferedBytes: number;
  /** Above this many unsent bytes a peer is a slow reader: its document updates are held and merged. */
  slowReaderBytes: number;
  /** Frames waiting (while the document loads, or over the rate); past this the connection is closed. */
  maxQueuedFrames: number;
  /** Largest presence (awareness) state, as JSON bytes; larger states are dropped. */
  maxPresenceBytes: number;
  /** Presence updates applied per second per connection; extra ones are coalesced to the latest. */
  presencePerSecond: number;
  /** Client ids one connection may introduce for presence (a browser uses one per tab). */
  maxPresenceClients: number;
}

export const DEFAULT_COLLAB_LIMITS: CollabLimits = {
  maxFrameBytes: 16 * 1024 * 1024,
  framesPerSecond: 1000,
  frameBurst: 2000,
  maxBufferedBytes: 16 * 1024 * 1024,
  slowReaderBytes: 256 * 1024,
  maxQueuedFrames: 2000,
  maxPresenceBytes: 4 * 1024,
  presencePerSecond: 20,
  maxPresenceClients: 4,
};

/** A token bucket: `rate` tokens per second, holding at most `burst`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number = Date.now(),
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token if there is one. */
  take(now: number = Date.now()): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until one token is available. */
  waitMs(now: number = Date.now()): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.rate);
  }
}
