/** Printing the native benchmark's lines: ours, C and the npm `kerberos` addon side by side, with ratios. */
import { median } from './measure.js';

/** One measured line. Throughput values are medians over interleaved rounds. */
export interface BenchLine {
  readonly name: string;
  readonly unit: string;
  readonly ours: number;
  /** The C program linked against libgssapi_krb5. */
  readonly c?: number;
  /** The npm `kerberos` addon. */
  readonly addon?: number;
  /** Per-round ours ÷ C and ours ÷ addon. */
  readonly ratioC?: readonly number[];
  readonly ratioAddon?: readonly number[];
  /** Event-loop lines: each window's p99 and the pooled maximum (ms). */
  readonly windows?: readonly number[];
  readonly max?: number;
}

function fmt(v: number | undefined, unit: string): string {
  if (v === undefined) return '—';
  return unit === '/s' ? v.toFixed(0) : v.toFixed(2);
}

function ratio(r: readonly number[] | undefined): string {
  if (r === undefined || r.length === 0) return '—';
  const lo = Math.min(...r);
  const hi = Math.max(...r);
  return `${median(r).toFixed(2)}× [${lo.toFixed(2)}–${hi.toFixed(2)}]`;
}

/** Prints the table (one row per line) and the notes. */
export function printLines(lines: readonly BenchLine[], notes: readonly string[], rounds: number): void {
  console.log(`${rounds} interleaved rounds; values are medians, ratios are per round: median [min–max]`);
  console.log(
    `${'measurement'.padEnd(62)} ${'ours'.padStart(9)} ${'C'.padStart(9)} ${'addon'.padStart(9)}  ${'ours÷C'.padEnd(20)} ours÷addon`,
  );
  for (const l of lines) {
    if (l.windows !== undefined) {
      const w = l.windows.map((x) => x.toFixed(1)).join(' ');
      console.log(
        `${l.name.padEnd(62)} ${fmt(l.ours, l.unit).padStart(7)}${l.unit}  (max ${fmt(l.max, l.unit)} ms; per window p99: ${w})`,
      );
      continue;
    }
    const unit = l.unit === '/s' ? '' : l.unit;
    console.log(
      `${l.name.padEnd(62)} ${(fmt(l.ours, l.unit) + unit).padStart(9)} ${fmt(l.c, l.unit).padStart(9)} ${fmt(l.addon, l.unit).padStart(9)}  ${ratio(l.ratioC).padEnd(20)} ${ratio(l.ratioAddon)}`,
    );
  }
  for (const n of notes) console.log(`note: ${n}`);
}
