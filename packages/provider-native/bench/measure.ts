/**
 * Measuring helpers for the native benchmark: rates, interleaved rounds against the baselines, the
 * C baseline's build and runs, and event-loop delay pooled over several windows. Nothing asserts.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createHistogram } from 'node:perf_hooks';
import type { RecordableHistogram } from 'node:perf_hooks';
import type { Lab } from '@sspkit/krb5-lab';

/**
 * SSPKIT_BENCH_CLOCK=cpu: rates per second of CPU time (this process's user + system, and the C
 * program's CLOCK_PROCESS_CPUTIME_ID) instead of wall time. On a machine loaded past its cores the
 * wall-clock rates mostly measure the scheduler; CPU time still compares the work done. Meaningful
 * for CPU-bound lines (per-message, cached tickets), not for the KDC lines (the wait is not CPU).
 */
const CPU_CLOCK = process.env['SSPKIT_BENCH_CLOCK'] === 'cpu';

/** Operations per second of `n` sequential calls of `fn`. */
export async function rate(n: number, fn: () => Promise<void> | void): Promise<number> {
  const t0 = process.hrtime.bigint();
  const c0 = CPU_CLOCK ? process.cpuUsage() : undefined;
  for (let i = 0; i < n; i++) {
    // A synchronous fn is not awaited: an await costs a microtask turn (~0.5 µs) per call.
    const r = fn();
    if (r !== undefined) await r;
  }
  if (c0 !== undefined) {
    const c = process.cpuUsage(c0);
    return n / ((c.user + c.system) / 1e6);
  }
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Per-round values of one contender. */
export type Contender = () => Promise<number | undefined> | number | undefined;

/**
 * Runs the contenders back to back, `rounds` times, so each round's ratios compare runs made under
 * the same machine load (the machine is shared; absolute rates swing 2× between minutes).
 */
export async function interleave(
  rounds: number,
  contenders: Readonly<Record<string, Contender>>,
): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of Object.entries(contenders)) {
      const v = await run();
      if (v !== undefined) (out[name] ??= []).push(v);
    }
  }
  return out;
}

/** Ratios a[i] / b[i] of two per-round series (rounds where both ran). */
export function ratios(a: readonly number[] | undefined, b: readonly number[] | undefined): number[] {
  if (a === undefined || b === undefined) return [];
  const n = Math.min(a.length, b.length);
  return Array.from({ length: n }, (_, i) => (a[i] ?? 0) / (b[i] ?? 1));
}

/**
 * Compiles bench/gss-bench.c against libgssapi_krb5 (and libkrb5, for its MEMORY ccache mode); undefined (with the
 * reason) when it cannot.
 */
export function buildC(lab: Lab): { readonly bin: string } | { readonly reason: string } {
  const out = join(lab.dir, 'gss-bench');
  try {
    execFileSync('gcc', ['-O2', '-o', out, join(import.meta.dirname, 'gss-bench.c'), '-lgssapi_krb5', '-lkrb5'], {
      stdio: 'pipe',
    });
    return { bin: out };
  } catch (err) {
    const e = err as { stderr?: Buffer; message?: string };
    return { reason: `gcc or libkrb5-dev missing: ${(e.stderr?.toString() || e.message || '').split('\n')[0] ?? ''}` };
  }
}

/** Runs the C baseline with the lab's environment only; its stdout is one rate. */
export function runC(bin: string | undefined, lab: Lab, args: readonly string[]): number | undefined {
  if (bin === undefined) return undefined;
  const env = {
    PATH: process.env['PATH'] ?? '',
    ...lab.env,
    ...(CPU_CLOCK ? { GSS_BENCH_CLOCK: 'cpu' } : {}),
  };
  return Number(execFileSync(bin, args, { env }).toString().trim());
}

/** Event-loop delay of several windows, pooled, with each window's own p99. */
export interface DelayFigure {
  /** p99 of all windows' samples together (ms). */
  readonly p99: number;
  readonly max: number;
  /** Each window's p99 (ms). */
  readonly windows: number[];
}

/**
 * A 1 ms interval timer recording the time between its ticks, as monitorEventLoopDelay does (an
 * idle loop records ~1.1 ms); its histograms cannot be merged, so the samples are recorded here.
 */
function sampler(into: readonly RecordableHistogram[]): () => void {
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const lateNs = Math.max(1, Math.round((now - last) * 1e6));
    for (const h of into) h.record(lateNs);
    last = now;
  }, 1);
  return () => clearInterval(timer);
}

/**
 * Event-loop delay while `work()` runs, over `windows` repetitions. One window of 200 handshakes
 * lasts ~0.1–0.3 s, so its own p99 is nearly its maximum (a single scheduler hiccup); pooling the
 * windows' samples gives a p99 that means "1 % of the time".
 */
export async function eventLoopDelay<T>(
  windows: number,
  prepare: (window: number) => T,
  work: (prepared: T) => Promise<void>,
): Promise<DelayFigure> {
  const pooled = createHistogram();
  const each: number[] = [];
  for (let w = 0; w < windows; w++) {
    // Set-up (e.g. copying ccaches) happens before the window opens, and the loop settles first.
    const prepared = prepare(w);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const h = createHistogram();
    const stop = sampler([pooled, h]);
    await work(prepared);
    stop();
    each.push(h.percentile(99) / 1e6);
  }
  return { p99: pooled.percentile(99) / 1e6, max: pooled.max / 1e6, windows: each };
}

/** The same measurement with nothing running, for `ms` per window: the machine's own floor. */
export function idleDelay(windows: number, ms: number): Promise<DelayFigure> {
  return eventLoopDelay(
    windows,
    () => ms,
    (t) => new Promise((resolve) => setTimeout(resolve, t)),
  );
}
