/**
 * The round structure shared by the NTLM benchmarks (handshakes in test/bench/ntlm.bench.ts, sealing
 * in packages/ntlm/bench/seal.bench.ts): each side warms up and sizes its batches to ~ROUND_MS; then
 * ROUNDS rounds, the order of the sides rotating each round; figures are medians over rounds, each
 * ratio the median of the per-round ratios to the last side (the reference). Nothing asserts a time.
 */
import { cpus, loadavg } from 'node:os';
import type { Timing } from './timing.js';
import { median, perSecond } from './timing.js';

export const ROUNDS = 9;
const ROUND_MS = 300;
const WARM_MS = 400;

/** Runs `n` operations and times them. */
export type Batch = (n: number) => Promise<Timing>;

/** One measured side: a name for the report and its batch. */
export interface Side {
  readonly name: string;
  /** A short name for the ratio lines (default: the name). */
  readonly label?: string;
  readonly run: Batch;
}

/** A figure on the wall-clock and on the CPU-time basis. */
export interface Figure {
  readonly wall: number;
  readonly cpu: number;
}

/** Per side: the median figure, and (all but the reference) the median ratio to the reference. */
export interface SideResult {
  readonly name: string;
  readonly label: string;
  readonly median: Figure;
  readonly ratio?: Figure;
  /** Lowest and highest per-round wall-clock ratio. */
  readonly range?: readonly [number, number];
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Runs growing batches until WARM_MS has passed; returns the batch size for a ~ROUND_MS round. */
async function warmUp(run: Batch): Promise<number> {
  let n = 1;
  let spent = 0;
  for (;;) {
    const t = await run(n);
    spent += t.wallNs;
    if (spent >= WARM_MS * 1e6 && t.wallNs >= 50e6) return Math.max(1, Math.round((n * ROUND_MS * 1e6) / t.wallNs));
    n = t.wallNs < 20e6 ? n * 4 : Math.max(n + 1, Math.round((n * 100e6) / t.wallNs));
  }
}

/** Rotating rounds over `sides`; `scale` turns operations per second into the reported unit. */
export async function compare(sides: readonly Side[], scale: number): Promise<SideResult[]> {
  const sizes: number[] = [];
  for (const s of sides) sizes.push(await warmUp(s.run));
  const figures: Figure[][] = sides.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < sides.length; k++) {
      const i = (r + k) % sides.length;
      const n = sizes[i]!;
      gc?.(); // start each round from a clean heap; collections during the round still count
      const t = await sides[i]!.run(n);
      figures[i]!.push({ wall: perSecond(n, t.wallNs) * scale, cpu: perSecond(n, t.cpuNs) * scale });
    }
  }
  const ref = figures[figures.length - 1]!;
  return sides.map((s, i) => {
    const f = figures[i]!;
    const med = { wall: median(f.map((x) => x.wall)), cpu: median(f.map((x) => x.cpu)) };
    const label = s.label ?? s.name;
    if (i === sides.length - 1) return { name: s.name, label, median: med };
    const wall = f.map((x, r) => x.wall / ref[r]!.wall);
    const cpu = f.map((x, r) => x.cpu / ref[r]!.cpu);
    return {
      name: s.name,
      label,
      median: med,
      ratio: { wall: median(wall), cpu: median(cpu) },
      range: [Math.min(...wall), Math.max(...wall)],
    };
  });
}

const fmt = (x: number, digits: number): string =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Prints one comparison: a line per side, then its ratio to the reference. */
export function report(
  title: string,
  unit: string,
  results: readonly SideResult[],
  digits: number,
  target?: string,
): void {
  console.log(title);
  const ref = results[results.length - 1];
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(40)} ${fmt(r.median.wall, digits).padStart(9)} ${unit}   (CPU-time basis ${fmt(r.median.cpu, digits)})`,
    );
  }
  for (const r of results) {
    if (!r.ratio || !r.range || !ref) continue;
    console.log(
      `  ${`ratio ${r.label} / ${ref.label}`.padEnd(40)} ${`${r.ratio.wall.toFixed(2)}x`.padStart(9)}   (CPU-time basis ${r.ratio.cpu.toFixed(2)}x; rounds ${r.range[0].toFixed(2)}-${r.range[1].toFixed(2)})${target ? `  target ${target}` : ''}`,
    );
  }
}

/** The first line of a report: date, Node, CPU and load average. */
export function header(): string {
  const cpu = cpus();
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `${new Date().toISOString()}  node ${process.version}  ${cpu[0]?.model ?? 'cpu'} x${cpu.length}  load ${load}`;
}

/** The last line: the load again, and why the wall-clock figures are to be read with it. */
export function footer(started: number): string {
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `\nload ${load} after ${((Date.now() - started) / 1000).toFixed(1)} s (shared machine: wall-clock figures move with other jobs; the CPU-time basis less so)`;
}
