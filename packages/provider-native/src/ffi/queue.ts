/**
 * A gate in front of koffi's `.async` calls. koffi runs them on libuv's worker pool (4 threads
 * unless UV_THREADPOOL_SIZE says otherwise) and throws once `max_async_calls` (256) are running or
 * queued; other code in the process uses that pool too (fs, dns, crypto). sspkit therefore keeps
 * its own calls to half the pool and queues the rest in JS (FIFO, no busy waiting):
 * - a call waiting on the KDC never holds more than half of the pool, so the application's file
 *   and DNS work keeps running (a silent KDC holds a call ~25 s);
 * - nothing of ours waits in libuv's queue, so a worker finishing a call does not immediately start
 *   the next one: calls start as the event loop takes completions, and fewer threads compete with
 *   the main thread for the CPU. Measured on 2 cores with 200 concurrent KDC handshakes: event-loop
 *   delay p99 7–25 ms with 128 calls in flight, 2–5 ms with 2, for about the same total time
 *   (the one local KDC was the bottleneck either way; see the package README).
 *
 * Starting an async call costs the main thread ~15–40 µs (koffi prepares the call), so the gate
 * also starts at most `burst` calls per turn of the event loop and defers the rest to the next turn
 * with setImmediate, letting timers and I/O run in between.
 *
 * Two lanes, two gates: calls that can wait on a KDC (a password or client-keytab acquisition, a
 * first initiator leg without a pinned ticket, directory lookups) go through {@link sharedGate};
 * calls that cannot (accepting with a keytab, pinned and later legs, reading a ccache) go through
 * {@link localGate}. A frozen KDC can fill the first lane for as long as the library waits
 * (~25 s with MIT 1.20), and nothing in the second lane waits behind it. Together they keep to
 * libuv's pool minus one thread, so the application's own fs/dns/crypto work always has one.
 */

/** libuv's worker-pool size as Node sizes it: UV_THREADPOOL_SIZE (1..1024), else 4. */
export function uvPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env['UV_THREADPOOL_SIZE']);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1024) : 4;
}

/** Default ceiling on sspkit's own in-flight async calls: half of libuv's pool, at least 2. */
export const DEFAULT_ASYNC_LIMIT = Math.min(256, Math.max(2, Math.floor(uvPoolSize() / 2)));

/** Default number of calls started per turn of the event loop. */
const DEFAULT_ASYNC_BURST = 4;

/** Why a call was taken out of the queue: the signal's reason when it is an Error. */
function abortReason(signal: AbortSignal | undefined): Error {
  return signal?.reason instanceof Error ? signal.reason : new Error('aborted');
}

/** Runs callback-style native calls with at most `limit` in flight. */
export class AsyncGate {
  private active = 0;
  private peak = 0;
  private started = 0;
  private startedThisTurn = 0;
  private inlineThisTurn = 0;
  private turnScheduled = false;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly limit = DEFAULT_ASYNC_LIMIT,
    private readonly burst = DEFAULT_ASYNC_BURST,
  ) {
    if (!Number.isInteger(limit) || limit < 1 || limit > 256) throw new RangeError('async limit must be 1..256');
    if (!Number.isInteger(burst) || burst < 1) throw new RangeError('async burst must be at least 1');
  }

  /**
   * Starts `start(done)` when a slot is free; resolves with the major status it reports. An aborted
   * `signal` takes a call that has not started yet out of the queue (rejecting with the signal's
   * reason); a call already running cannot be stopped and keeps its slot until the library returns.
   */
  run(start: (done: (err: unknown, major: number) => void) => void, signal?: AbortSignal): Promise<number> {
    if (this.waiting.length === 0 && this.active < this.limit && this.startedThisTurn < this.burst) {
      // A call that starts at once (what the queue would do with it too): no queue entry, and no
      // abort listener, which only takes calls still waiting out of the queue.
      if (signal?.aborted === true) return Promise.reject(abortReason(signal));
      return new Promise<number>((resolve, reject) => this.launch(start, resolve, reject));
    }
    return new Promise<number>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = (): void => {
        const i = this.waiting.indexOf(queued);
        if (i >= 0) {
          this.waiting.splice(i, 1);
          reject(abortReason(signal));
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const queued = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.launch(start, resolve, reject);
      };
      this.waiting.push(queued);
      this.drain();
    });
  }

  private launch(
    start: (done: (err: unknown, major: number) => void) => void,
    resolve: (major: number) => void,
    reject: (err: Error) => void,
  ): void {
    this.active++;
    this.started++;
    this.startedThisTurn++;
    this.peak = Math.max(this.peak, this.active);
    this.scheduleTurn();
    let settled = false;
    const done = (err: unknown, major: number): void => {
      if (settled) return;
      settled = true;
      this.active--;
      this.drain();
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- koffi reports an Error or a string
      if (err !== null && err !== undefined) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(major);
    };
    try {
      start(done);
    } catch (err) {
      done(err, 0);
    }
  }

  private drain(): void {
    while (this.waiting.length > 0 && this.active < this.limit && this.startedThisTurn < this.burst) {
      this.waiting.shift()?.();
    }
    if (this.waiting.length > 0) this.scheduleTurn();
  }

  private scheduleTurn(): void {
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    setImmediate(() => {
      this.turnScheduled = false;
      this.startedThisTurn = 0;
      this.inlineThisTurn = 0;
      this.drain();
    });
  }

  /**
   * Claims one main-thread call that could also run on a worker (a local credential acquisition):
   * at most `burst` per turn of the event loop and none while calls wait in the queue, so a burst
   * of such calls (200 handshakes starting together) does not hold the event loop for all of
   * them; the rest go through the gate.
   */
  claimInline(): boolean {
    if (this.waiting.length > 0 || this.inlineThisTurn >= this.burst) return false;
    this.inlineThisTurn++;
    this.scheduleTurn();
    return true;
  }

  /** Calls in flight (a cheap read for per-leg decisions; {@link stats} allocates). */
  get inFlight(): number {
    return this.active;
  }

  /** Calls in flight and queued, the highest in-flight count seen, and calls started so far. */
  stats(): { readonly active: number; readonly queued: number; readonly peak: number; readonly started: number } {
    return { active: this.active, queued: this.waiting.length, peak: this.peak, started: this.started };
  }
}

let shared: AsyncGate | undefined;
let local: AsyncGate | undefined;

/** The process-wide gate all calls that can wait on a KDC share (the network lane). */
export function sharedGate(): AsyncGate {
  shared ??= new AsyncGate();
  return shared;
}

/** Default in-flight limit of the local lane: what the pool has left past the network lane, less one thread. */
const DEFAULT_LOCAL_LIMIT = Math.min(256, Math.max(1, uvPoolSize() - DEFAULT_ASYNC_LIMIT - 1));

/** The process-wide gate of worker-thread calls that cannot wait on a KDC (the local lane). */
export function localGate(): AsyncGate {
  local ??= new AsyncGate(DEFAULT_LOCAL_LIMIT);
  return local;
}

/** Async native calls of both lanes: started so far, in flight and queued now. */
export function nativeCallStats(): { readonly started: number; readonly active: number; readonly queued: number } {
  const a = sharedGate().stats();
  const b = localGate().stats();
  return { started: a.started + b.started, active: a.active + b.active, queued: a.queued + b.queued };
}

/**
 * Replaces the process-wide gate with one of another in-flight limit and per-turn burst (e.g. a
 * server whose remote KDC is slow wants more calls in flight). Only while no call is in flight.
 */
export function configureSharedGate(options: { readonly limit?: number; readonly burst?: number }): AsyncGate {
  const s = shared?.stats();
  if (s !== undefined && (s.active > 0 || s.queued > 0))
    throw new Error('the async gate can only be reconfigured while idle');
  shared = new AsyncGate(options.limit ?? DEFAULT_ASYNC_LIMIT, options.burst ?? DEFAULT_ASYNC_BURST);
  return shared;
}
