/** Wall-clock and process-CPU time of one measured batch, and the statistics the report uses. */

/** One batch: elapsed wall time and CPU time consumed by the measuring process, in ns. */
export interface Timing {
  readonly wallNs: number;
  readonly cpuNs: number;
}

/** Times an async batch in this process (CPU includes Node's GC and helper threads). */
export async function timeBatch(run: () => Promise<void> | void): Promise<Timing> {
  const c0 = process.cpuUsage();
  const w0 = process.hrtime.bigint();
  await run();
  const wallNs = Number(process.hrtime.bigint() - w0);
  const c = process.cpuUsage(c0);
  return { wallNs, cpuNs: (c.user + c.system) * 1000 };
}

/** The median (upper median for even counts). */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
}

/** Operations per second for `n` operations over `ns`. */
export const perSecond = (n: number, ns: number): number => (n * 1e9) / ns;
