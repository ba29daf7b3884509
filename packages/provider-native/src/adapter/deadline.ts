/**
 * A deadline on the calls that can wait on a KDC. MIT krb5 1.20 has no request timeout: a KDC that
 * accepts a connection and never answers holds gss_init_sec_context or a password acquisition for
 * ~25 s per KDC address, and a stopped KDC the same. Past the deadline the caller gets
 * SEC_E_NO_AUTHENTICATING_AUTHORITY with a cause, as Windows answers when no KDC replies within its
 * KdcWaitTime (10 s by default), while the library call itself finishes in the background: its
 * worker thread cannot be interrupted, so it keeps its slot in the network lane and whatever it
 * returns late is released. Abandoned calls are counted and bounded: once `maxAbandoned` are still
 * running, new KDC-reaching calls fail at once instead of piling up behind them.
 */
import { SecStatus } from '@sspkit/core';

/** Windows' default Kerberos KdcWaitTime, in milliseconds. */
export const DEFAULT_KDC_TIMEOUT_MS = 10_000;
/** Default bound on calls still running past their deadline. */
export const DEFAULT_MAX_ABANDONED = 8;

let timeoutMs = DEFAULT_KDC_TIMEOUT_MS;
let maxAbandoned = DEFAULT_MAX_ABANDONED;
let abandoned = 0;
let expired = 0;

/** Why a call that could wait on a KDC was answered without it. */
export class KdcDeadlineError extends Error {
  readonly sspiStatus = SecStatus.SEC_E_NO_AUTHENTICATING_AUTHORITY;
  constructor(message: string) {
    super(message);
    this.name = 'KdcDeadlineError';
  }
}

/**
 * The package default for every credential that sets none (`kdcTimeoutMs` in its auth data), and
 * the bound on abandoned calls.
 */
export function configureKdcDeadline(options: { readonly timeoutMs?: number; readonly maxAbandoned?: number }): void {
  if (options.timeoutMs !== undefined) {
    if (!(options.timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
    timeoutMs = options.timeoutMs;
  }
  if (options.maxAbandoned !== undefined) {
    if (!Number.isInteger(options.maxAbandoned) || options.maxAbandoned < 1)
      throw new RangeError('maxAbandoned must be a positive integer');
    maxAbandoned = options.maxAbandoned;
  }
}

/** The deadline a call uses: the credential's own, else the package default. */
export function kdcTimeout(own: number | undefined): number {
  return own !== undefined && own > 0 ? own : timeoutMs;
}

/** Calls still running past their deadline now, and deadlines missed so far. */
export function kdcDeadlineStats(): {
  readonly abandoned: number;
  readonly expired: number;
  readonly maxAbandoned: number;
} {
  return { abandoned, expired, maxAbandoned };
}

/**
 * Runs `call` (which must hand `signal` to the gate, so a call still queued at the deadline never
 * starts) with a deadline of `ms`. A result that arrives after the deadline goes to `late`.
 */
export async function withKdcDeadline<T>(
  ms: number,
  what: string,
  call: (signal: AbortSignal) => Promise<T>,
  late: (value: T) => void,
): Promise<T> {
  if (abandoned >= maxAbandoned) {
    throw new KdcDeadlineError(
      `${what}: ${abandoned} earlier calls still wait on the KDC past their deadline; not starting another`,
    );
  }
  const ctl = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      expired++;
      const err = new KdcDeadlineError(
        `${what}: no answer from the KDC within ${ms} ms (the library call goes on in the background)`,
      );
      ctl.abort(err);
      reject(err);
    }, ms);
  });
  const running = call(ctl.signal);
  try {
    return await Promise.race([running, deadline]);
  } catch (err) {
    if (ctl.signal.aborted) {
      // Still running (it had started): count it until the library returns, and release its result.
      abandoned++;
      running.then(
        (value) => {
          abandoned--;
          late(value);
        },
        () => {
          abandoned--;
        },
      );
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** Longest stretch, in ms, that inline legs may run without letting timers and I/O in. */
const TURN_BUDGET_MS = 2;
let turnStart = performance.now();
let armed = false;

/**
 * Lets the event loop take a turn when this one has run past its budget. Inline legs (pinned first
 * legs, later legs, accepts with nothing else in flight) resolve as microtasks, so a tight loop of
 * cached-ticket handshakes would otherwise hold timers and I/O for as long as it runs; an immediate
 * queued here marks where the current turn started.
 */
export async function yieldIfDue(): Promise<void> {
  if (!armed) {
    armed = true;
    setImmediate(() => {
      armed = false;
      turnStart = performance.now();
    });
  }
  if (performance.now() - turnStart >= TURN_BUDGET_MS) await new Promise<void>((resolve) => setImmediate(resolve));
}
