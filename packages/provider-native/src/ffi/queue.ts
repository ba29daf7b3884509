/**
 * A gate in front of koffi's `.async` calls. koffi throws once `max_async_calls` (256) calls are
 * running or queued, and other code in the process may use async calls too, so sspkit keeps its
 * own calls under a lower limit and queues the rest in JS (FIFO, no busy waiting).
 *
 * Starting an async call costs the main thread ~15 µs (koffi prepares the call), so a burst of
 * hundreds of calls started in one tick would stall the event loop for milliseconds. The gate
 * therefore starts at most `burst` calls per turn of the event loop and defers the rest to the
 * next turn with setImmediate, letting timers and I/O run in between.
 */

/** Default ceiling on sspkit's own in-flight async calls. */
export const DEFAULT_ASYNC_LIMIT = 128;

/** Default number of calls started per turn of the event loop. */
export const DEFAULT_ASYNC_BURST = 16;

/** Runs callback-style native calls with at most `limit` in flight. */
export class AsyncGate {
  private active = 0;
  private peak = 0;
  private started = 0;
  private startedThisTurn = 0;
  private turnScheduled = false;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly limit = DEFAULT_ASYNC_LIMIT,
    private readonly burst = DEFAULT_ASYNC_BURST,
  ) {
    if (!Number.isInteger(limit) || limit < 1 || limit > 256) throw new RangeError('async limit must be 1..256');
    if (!Number.isInteger(burst) || burst < 1) throw new RangeError('async burst must be at least 1');
  }

  /** Starts `start(done)` when a slot is free; resolves with the major status it reports. */
  run(start: (done: (err: unknown, major: number) => void) => void): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const launch = (): void => {
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
          if (err !== null && err !== undefined) reject(err instanceof Error ? err : new Error(String(err)));
          else resolve(major);
        };
        try {
          start(done);
        } catch (err) {
          done(err, 0);
        }
      };
      this.waiting.push(launch);
      this.drain();
    });
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
      this.drain();
    });
  }

  /** Calls in flight and queued, the highest in-flight count seen, and calls started so far. */
  stats(): { readonly active: number; readonly queued: number; readonly peak: number; readonly started: number } {
    return { active: this.active, queued: this.waiting.length, peak: this.peak, started: this.started };
  }
}

let shared: AsyncGate | undefined;

/** The process-wide gate all KDC-reaching calls share. */
export function sharedGate(): AsyncGate {
  shared ??= new AsyncGate();
  return shared;
}
