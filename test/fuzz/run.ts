/**
 * The fuzz loop: per input, either a mutation of a corpus entry or a fast-check sample; timing,
 * heap samples and findings. Shared by `pnpm fuzz` and the CI spec.
 */
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { Finding } from './target.js';
import type { FuzzCase, FuzzTarget } from './target.js';
import { Rng, mutate } from './mutate.js';

/** The time one input may take (issue 18 §3). */
const SLOW_MS = 100;
const GENERATED_SHARE = 0.25;
const SAMPLE_BATCH = 512;

export interface FindingRecord {
  readonly kind: 'exception' | 'contract' | 'slow';
  readonly message: string;
  readonly origin: FuzzCase['origin'];
  readonly inputHex: string;
}

export interface RunResult {
  readonly target: string;
  readonly seed: number;
  readonly runs: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly maxMs: number;
  /** The most CPU time one input took (its repeat's, for a case timed again). */
  readonly maxCpuMs: number;
  /** Cases over the limit once and timed again (machine or collector pauses when the repeat is fast). */
  readonly retimed: number;
  readonly heapStartMb: number;
  readonly heapMaxMb: number;
  readonly heapEndMb: number;
  readonly rssStartMb: number;
  readonly rssMaxMb: number;
  readonly rssEndMb: number;
  /** The process's CPU time (user + system) over the run: what a shared machine does not inflate. */
  readonly cpuSeconds: number;
  readonly findings: FindingRecord[];
}

const regressionFile = new URL('./corpus/regressions.json', import.meta.url);

/** Inputs that once broke a target: every run replays them first. */
function regressions(target: string): Uint8Array[] {
  const all = JSON.parse(readFileSync(regressionFile, 'utf8')) as Record<string, string[]>;
  return (all[target] ?? []).map((h) => Uint8Array.from(Buffer.from(h, 'hex')));
}

/** FUZZ_TRACE=file: every input is written there before it runs (for crashes in native code). */
const trace = process.env['FUZZ_TRACE'];

const mb = (n: number): number => Math.round((n / 1048576) * 10) / 10;

/** The heap after a full collection when node runs with --expose-gc (what `pnpm fuzz` does), else as is. */
function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

export async function runTarget(
  target: FuzzTarget,
  options: { runs: number; seed: number; onProgress?: (done: number, r: RunResult) => void },
): Promise<RunResult> {
  const check = await target.prepare();
  const corpus = target.corpus();
  if (corpus.length === 0) throw new Error(`${target.name}: empty corpus`);
  const rng = new Rng(options.seed);
  const replay = regressions(target.name);
  const findings: FindingRecord[] = [];
  let samples: Uint8Array[] = [];
  let maxMs = 0;
  let maxCpuMs = 0;
  const heapStart = heapUsed();
  let heapMax = heapStart;
  const rssStart = process.memoryUsage().rss;
  let rssMax = rssStart;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const snapshot = (done: number): RunResult => {
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    const rss = process.memoryUsage().rss;
    rssMax = Math.max(rssMax, rss);
    return {
      target: target.name,
      seed: options.seed,
      runs: done,
      seconds: Math.round(seconds * 10) / 10,
      perSecond: Math.round(done / Math.max(seconds, 1e-3)),
      maxMs: Math.round(maxMs * 100) / 100,
      maxCpuMs: Math.round(maxCpuMs * 100) / 100,
      retimed,
      heapStartMb: mb(heapStart),
      heapMaxMb: mb(heapMax),
      heapEndMb: mb(heapUsed()),
      rssStartMb: mb(rssStart),
      rssMaxMb: mb(rssMax),
      rssEndMb: mb(rss),
      cpuSeconds: Math.round((cpu.user + cpu.system) / 1e5) / 10,
      findings,
    };
  };
  // Wall time, and the process's CPU time: a case descheduled on a loaded machine takes wall time
  // but not CPU time.
  const one = async (c: FuzzCase): Promise<{ wall: number; cpu: number }> => {
    // A fault in native code kills the process before a finding is recorded: leave the input behind.
    if (trace !== undefined) writeFileSync(trace, `${c.origin} ${Buffer.from(c.data).toString('hex')}\n`);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    try {
      await check(c);
    } catch (err) {
      const kind = err instanceof Finding ? 'contract' : 'exception';
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      findings.push({ kind, message, origin: c.origin, inputHex: Buffer.from(c.delivered ?? c.data).toString('hex') });
    }
    const cpu = process.cpuUsage(c0);
    return { wall: performance.now() - t0, cpu: (cpu.user + cpu.system) / 1000 };
  };
  let done = 0;
  let retimed = 0;
  // Each case draws from its own generator, so timing a slow case again replays the same mutations.
  const build = (data: Uint8Array, origin: FuzzCase['origin'], seed: number): FuzzCase => {
    const own = new Rng(seed);
    const c: FuzzCase = {
      data,
      origin,
      rng: own,
      mutate: (live) => (c.delivered = mutate(live, own, corpus)),
    };
    return c;
  };
  for (let i = 0; i < options.runs; i++) {
    let data: Uint8Array;
    let origin: FuzzCase['origin'];
    if (i < replay.length) {
      data = replay[i]!;
      origin = 'regression';
    } else if (rng.chance(GENERATED_SHARE)) {
      if (samples.length === 0) samples = fc.sample(target.arbitrary, { seed: rng.u32() | 0, numRuns: SAMPLE_BATCH });
      data = samples.pop()!;
      origin = 'generated';
    } else {
      data = mutate(corpus[rng.below(corpus.length)]!, rng, corpus);
      origin = 'mutation';
    }
    const seed = rng.u32();
    const first = await one(build(data, origin, seed));
    let ms = first.wall;
    let cpuMs = first.cpu;
    // A pause of the loaded machine or the collector is not the input's cost: a slow case is timed
    // again with the same mutations, and only a repeat over the limit in wall and CPU time is a finding.
    if (ms >= SLOW_MS) {
      retimed++;
      const c = build(data, origin, seed);
      const again = await one(c);
      if (again.wall >= SLOW_MS && again.cpu >= SLOW_MS)
        findings.push({
          kind: 'slow',
          message: `${Math.round(ms)} ms, then ${Math.round(again.wall)} ms (${Math.round(again.cpu)} ms CPU)`,
          origin,
          inputHex: Buffer.from(c.delivered ?? data).toString('hex'),
        });
      ms = Math.min(ms, again.wall);
      cpuMs = again.cpu;
    }
    if (ms > maxMs) maxMs = ms;
    if (cpuMs > maxCpuMs) maxCpuMs = cpuMs;
    if ((i & 4095) === 0) {
      const m = process.memoryUsage();
      heapMax = Math.max(heapMax, m.heapUsed);
      rssMax = Math.max(rssMax, m.rss);
    }
    if (options.onProgress && i > 0 && i % 100000 === 0) options.onProgress(i, snapshot(i));
    done = i + 1;
    if (findings.length >= 20) break;
  }
  return snapshot(done);
}
