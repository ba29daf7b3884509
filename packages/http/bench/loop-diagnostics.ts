/**
 * The event-loop delay of the benchmark's server, and what it is made of. monitorEventLoopDelay
 * (1 ms resolution) samples the gaps between its timer's turns: a gap is long when a turn of ours ran
 * long (a request's work, a GC pause) or when the OS did not run this process at all, which on two
 * cores shared with the load generator, Apache and other jobs happens without any code of ours
 * running. With `withCpu` (BENCH_LOOP_CPU=1) a second 1 ms timer tells them apart: over each gap it
 * reads the process's CPU time (all its threads, getrusage), so `own` is the p99 of min(gap, CPU time)
 * per gap — the delay this process itself caused — and each gap over 3 ms counts as `busy` (CPU ≥ half
 * the gap) or `descheduled`. GC pauses and the loop's utilization come from perf_hooks.
 */
import { PerformanceObserver, createHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';

export interface LoopReport {
  /** Event-loop delay percentiles and maximum (ms), as monitorEventLoopDelay samples them. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** p99 of the part of each gap this process spent on a CPU (ms); with the CPU probe only. */
  readonly ownP99?: number;
  /** Gaps over 3 ms: how many, and how many while this process ran or did not. */
  readonly late: { readonly count: number; readonly busy: number; readonly descheduled: number };
  /** GC pauses in the window (ms). */
  readonly gc: { readonly count: number; readonly totalMs: number; readonly maxMs: number };
  /** Fraction of the window the loop was busy (performance.eventLoopUtilization). */
  readonly utilization: number;
}

export function startLoopDiagnostics(withCpu: boolean): { reset(): void; report(): LoopReport } {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const own = createHistogram();
  const late = { count: 0, busy: 0, descheduled: 0 };
  const gc = { count: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.count++;
      gc.totalMs += e.duration;
      gc.maxMs = Math.max(gc.maxMs, e.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  let elu = performance.eventLoopUtilization();
  // getrusage costs tens of µs on this VM, a few % of a core at 1 kHz: only when asked for.
  if (withCpu) {
    let lastTick = performance.now();
    let lastCpu = process.cpuUsage();
    setInterval(() => {
      const now = performance.now();
      const cpu = process.cpuUsage();
      const gapMs = now - lastTick;
      const cpuMs = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
      own.record(Math.max(1, Math.round(Math.min(gapMs, cpuMs) * 1e6)));
      if (gapMs > 3) {
        late.count++;
        if (cpuMs >= 0.5 * gapMs) late.busy++;
        else late.descheduled++;
      }
      lastTick = now;
      lastCpu = cpu;
    }, 1).unref();
  }
  return {
    reset() {
      delay.reset();
      own.reset();
      Object.assign(late, { count: 0, busy: 0, descheduled: 0 });
      Object.assign(gc, { count: 0, totalMs: 0, maxMs: 0 });
      elu = performance.eventLoopUtilization();
    },
    report() {
      const ms = (ns: number): number => ns / 1e6;
      return {
        p50: ms(delay.percentile(50)),
        p99: ms(delay.percentile(99)),
        max: ms(delay.max),
        ...(withCpu ? { ownP99: ms(own.percentile(99)) } : {}),
        late: { ...late },
        gc: { ...gc },
        utilization: performance.eventLoopUtilization(elu).utilization,
      };
    },
  };
}
