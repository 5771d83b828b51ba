// The log's side of C2SP tlog-witness: after every new checkpoint, submit it
// to each configured witness (ACCORD_WITNESSES) with a consistency proof from
// the size that witness last cosigned (learnt from its 409 answers), keep the
// cosignatures that verify, and retry failures in the background with backoff.
// Nothing waits for a witness: a freeze or a decision never blocks on this.
import { splitNote } from '../../core/tlog/note';
import { parseCheckpoint } from '../../core/tlog/checkpoint';
import { cosignerId, findCosignature, parseCosignerVerifierKey, type CosignerKey } from '../../core/tlog/cosignature';
import { formatAddCheckpoint } from '../../core/tlog/witness-request';
import type { Hash } from '../../core/tlog/merkle';
import type { WitnessState, WitnessStatus } from '../../core/witnesses';
import type { CosignatureRepository } from '../store/cosignature-types';

export interface WitnessConfig {
  /** The witness's submission prefix: requests go to `<url>/add-checkpoint`. */
  url: string;
  /** Its cosignature/v1 verifier key (type 0x04). */
  verifierKey: string;
}

/** What the submitter reads from the log: its own signed checkpoint and consistency proofs. */
export interface CheckpointSource {
  signedCheckpoint(): Promise<string>;
  consistency(from: number, to: number): Promise<Hash[]>;
}

export const SUBMIT_TIMEOUT_MS = 5_000;
const POLL_MS = 5_000;
const MAX_BACKOFF_MS = 60_000;

interface Tracked {
  config: WitnessConfig;
  key: CosignerKey;
  /** `<name>+<hex key ID>`: its key in the cosignature store. */
  id: string;
  /** The size the witness last cosigned, as it told us (200 or 409) or as the store remembers; null until we know. */
  knownSize: number | null;
  /** The state of the last attempt (cosigned: the last submission was cosigned). */
  state: WitnessState;
  lastError: string | null;
  lastAttemptAt: number | null;
  retryAt: number;
  failures: number;
  running: boolean;
  rerun: boolean;
  timer: NodeJS.Timeout | null;
}

/** `<url> <vkey>` pairs separated by commas, as in ACCORD_WITNESSES. */
export function parseWitnessList(text: string): WitnessConfig[] {
  return text
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '')
    .map((pair) => {
      const parts = pair.split(/\s+/);
      if (parts.length !== 2) throw new Error(`ACCORD_WITNESSES: "${pair}" is not "<url> <witness verifier key>"`);
      const [url, verifierKey] = parts as [string, string];
      const parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`ACCORD_WITNESSES: ${url} is not an http(s) URL`);
      parseCosignerVerifierKey(verifierKey);
      return { url: url.replace(/\/+$/, ''), verifierKey };
    });
}

export class WitnessSubmitter {
  private readonly witnesses: Tracked[];
  private readonly poll: NodeJS.Timeout | null;
  private readonly inFlight = new Set<AbortController>();
  /** Settles once the sizes the store remembers are read: nothing is submitted or reported before. */
  private readonly recalled: Promise<void>;
  private closed = false;

  constructor(
    configs: readonly WitnessConfig[],
    private readonly source: CheckpointSource,
    private readonly store: CosignatureRepository,
    private readonly log: (message: string) => void = () => {},
  ) {
    this.witnesses = configs.map((config): Tracked => {
      const key = parseCosignerVerifierKey(config.verifierKey);
      return { config, key, id: cosignerId(key), knownSize: null, state: 'pending', lastError: null, lastAttemptAt: null, retryAt: 0, failures: 0, running: false, rerun: false, timer: null };
    });
    this.recalled = this.recallSizes();
    // Other processes may append too; the poll also catches what a nudge missed.
    this.poll = this.witnesses.length > 0 ? setInterval(() => this.nudge(), POLL_MS) : null;
    this.poll?.unref();
    this.nudge();
  }

  /** A new checkpoint may exist: submit it (after the current transaction has committed). */
  nudge(): void {
    if (this.closed || this.witnesses.length === 0) return;
    setImmediate(() => {
      for (const w of this.witnesses) void this.run(w);
    });
  }

  /** The verified cosignature lines collected for exactly this checkpoint note (by any process sharing the store), in the configured order. */
  async cosignaturesFor(note: string): Promise<string[]> {
    if (this.witnesses.length === 0) return [];
    const stored = await this.store.all(splitNote(note).text);
    return this.witnesses.flatMap((w) => {
      const c = stored.get(w.id);
      return c ? [c.line] : [];
    });
  }

  async status(): Promise<{ treeSize: number; witnesses: WitnessStatus[] }> {
    await this.recalled;
    const body = splitNote(await this.source.signedCheckpoint()).text;
    const treeSize = parseCheckpoint(body).size;
    const stored = await this.store.all(body);
    return {
      treeSize,
      witnesses: this.witnesses.map((w) => {
        const current = stored.get(w.id);
        return {
          name: w.key.name,
          key: w.id,
          url: w.config.url,
          state: current ? 'cosigned' : w.state === 'cosigned' ? 'pending' : w.state,
          cosignedSize: w.knownSize,
          cosignedAt: current ? new Date(current.timestamp * 1000).toISOString() : null,
          lastError: w.lastError,
          lastAttemptAt: w.lastAttemptAt === null ? null : new Date(w.lastAttemptAt).toISOString(),
          nextAttemptAt: !current && w.retryAt > Date.now() ? new Date(w.retryAt).toISOString() : null,
          failures: w.failures,
        };
      }),
    };
  }

  close(): void {
    this.closed = true;
    if (this.poll) clearInterval(this.poll);
    for (const w of this.witnesses) if (w.timer) clearTimeout(w.timer);
    for (const controller of this.inFlight) controller.abort();
  }

  /** What each witness cosigned before a restart (or for another process on the same store) saves the first 409 round trip. */
  private async recallSizes(): Promise<void> {
    for (const w of this.witnesses) {
      try {
        w.knownSize ??= await this.store.largestSize(w.id);
      } catch (err) {
        this.log(`witness ${w.id}: cannot read the size it last cosigned: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  private async run(w: Tracked): Promise<void> {
    if (w.running) {
      w.rerun = true;
      return;
    }
    w.running = true;
    try {
      await this.recalled;
      do {
        w.rerun = false;
        await this.submitLatest(w);
      } while (w.rerun && !this.closed);
    } catch (err) {
      this.fail(w, `cannot submit: ${err instanceof Error ? err.message : String(err)}`, 'failing');
    } finally {
      w.running = false;
    }
  }

  private async submitLatest(w: Tracked): Promise<void> {
    if (this.closed) return;
    const note = await this.source.signedCheckpoint();
    const body = splitNote(note).text;
    // Collected already, here or by another process sharing the store.
    if (await this.store.get(body, w.id)) return;
    if (Date.now() < w.retryAt) return this.schedule(w);
    const checkpoint = parseCheckpoint(body);
    // At most two round trips: one to learn the witness's size from a 409, one to submit with the right proof.
    for (let attempt = 0; attempt < 3 && !this.closed; attempt++) {
      const oldSize = w.knownSize ?? 0;
      if (oldSize > checkpoint.size) {
        return this.fail(w, `the witness has cosigned a tree of size ${oldSize}, larger than this log's ${checkpoint.size}: it has seen another view of this log`, 'refused');
      }
      const proof = oldSize > 0 && oldSize < checkpoint.size ? await this.source.consistency(oldSize, checkpoint.size) : [];
      w.lastAttemptAt = Date.now();
      const answer = await this.post(w, formatAddCheckpoint({ oldSize, proof, note }));
      if (answer.status === 200) {
        let cosigned: { line: string; timestamp: number } | null = null;
        try {
          for (const line of answer.body.split('\n').filter((l) => l !== '')) {
            const found = findCosignature(body, [line], w.key);
            if (found) cosigned = { line: `${line}\n`, timestamp: found.timestamp };
          }
        } catch (err) {
          return this.fail(w, `answered with a cosignature that does not verify: ${(err as Error).message}`, 'failing');
        }
        if (!cosigned) return this.fail(w, 'answered 200 without a cosignature by its key', 'failing');
        await this.store.put(body, checkpoint.size, w.id, cosigned);
        w.knownSize = checkpoint.size;
        w.state = 'cosigned';
        w.lastError = null;
        w.failures = 0;
        w.retryAt = 0;
        return;
      }
      if (answer.status === 409 && /^text\/x\.tlog\.size\b/.test(answer.contentType)) {
        const size = /^(0|[1-9][0-9]*)\n?$/.exec(answer.body) ? Number(answer.body.trim()) : NaN;
        if (!Number.isSafeInteger(size)) return this.fail(w, `answered 409 with a malformed size ${JSON.stringify(answer.body)}`, 'failing');
        if (size === oldSize) {
          return this.fail(w, `refused (409): it has cosigned a different tree of size ${size}, so this log has forked from what it saw`, 'refused');
        }
        w.knownSize = size;
        continue;
      }
      const refused = answer.status === 403 || answer.status === 404 || answer.status === 422;
      return this.fail(w, `answered ${answer.status}: ${errorMessage(answer.body)}`, refused ? 'refused' : 'failing');
    }
  }

  private async post(w: Tracked, body: string): Promise<{ status: number; contentType: string; body: string }> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = setTimeout(() => controller.abort(), SUBMIT_TIMEOUT_MS);
    try {
      const res = await fetch(`${w.config.url}/add-checkpoint`, { method: 'POST', body, signal: controller.signal, headers: { 'content-type': 'text/plain; charset=utf-8' } });
      return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: (await res.text()).slice(0, 64 * 1024) };
    } catch (err) {
      const reason = controller.signal.aborted ? `no answer within ${SUBMIT_TIMEOUT_MS} ms` : err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      throw new Error(`${w.config.url} unreachable: ${reason}`);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
  }

  private fail(w: Tracked, message: string, state: WitnessState): void {
    if (this.closed) return;
    w.failures++;
    w.state = state;
    if (w.lastError !== message) this.log(`witness ${w.id}: ${message}`);
    w.lastError = message;
    w.retryAt = Date.now() + Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(w.failures - 1, 6));
    this.schedule(w);
  }

  private schedule(w: Tracked): void {
    if (this.closed) return;
    if (w.timer) clearTimeout(w.timer);
    w.timer = setTimeout(() => {
      w.timer = null;
      void this.run(w);
    }, Math.max(0, w.retryAt - Date.now()));
    w.timer.unref();
  }
}

function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
  } catch {
    // not JSON
  }
  return body.trim().slice(0, 200) || '(no message)';
}
