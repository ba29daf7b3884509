/**
 * `pnpm fuzz [target…] [--runs N] [--seed S]`: runs fuzz targets (test/fuzz/targets) and prints, per
 * target, inputs/s, the slowest input, heap figures and findings. Exits 1 on any finding. The native
 * targets start a lab KDC, stopped at the end; `--record-native` rewrites their recorded seeds.
 */
import { stopFuzzLab } from '../test/fuzz/native-lab.js';
import { runTarget } from '../test/fuzz/run.js';
import { TARGETS as TS_TARGETS } from '../test/fuzz/targets/index.js';
import { NATIVE_TARGETS, recordNativeCorpus } from '../test/fuzz/targets/native.js';

const TARGETS = [...TS_TARGETS, ...NATIVE_TARGETS];

const DEFAULT_RUNS = 10000;

async function parse(argv: string[]): Promise<{ names: string[]; runs: number; seed: number }> {
  const names: string[] = [];
  let runs = DEFAULT_RUNS;
  let seed = Date.now() % 0x7fffffff;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--runs') runs = Number(argv[++i]);
    else if (a === '--seed') seed = Number(argv[++i]);
    else if (a === '--list') {
      for (const t of TARGETS) console.log(`${t.name.padEnd(22)} ${t.description}`);
      process.exit(0);
    } else if (a === '--record-native') {
      await recordNativeCorpus();
      await stopFuzzLab();
      process.exit(0);
    } else if (a !== '--') names.push(a);
  }
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error('--runs takes a positive integer');
  if (!Number.isSafeInteger(seed)) throw new Error('--seed takes an integer');
  return { names, runs, seed };
}

const { names, runs, seed } = await parse(process.argv.slice(2));
const unknown = names.filter((n) => !TARGETS.some((t) => t.name === n));
if (unknown.length > 0) {
  console.error(`unknown target(s): ${unknown.join(', ')}; --list shows them`);
  process.exit(2);
}
const chosen = names.length > 0 ? TARGETS.filter((t) => names.includes(t.name)) : TARGETS;
console.log(`seed ${seed} (--seed ${seed} reproduces), ${runs} inputs per target`);
let failed = false;
for (const t of chosen) {
  const r = await runTarget(t, {
    runs,
    seed,
    onProgress: (done, s) =>
      console.log(
        `  ${t.name}: ${done} inputs, ${s.perSecond}/s, max ${s.maxMs} ms, ${s.cpuSeconds} s CPU, rss ${s.rssEndMb} MB`,
      ),
  });
  console.log(
    `${t.name}: ${r.runs} inputs in ${r.seconds} s (${r.perSecond}/s), max ${r.maxMs} ms/input (${r.retimed} timed again, max ${r.maxCpuMs} ms CPU), ` +
      `${r.cpuSeconds} s CPU, heap ${r.heapStartMb} → max ${r.heapMaxMb} → end ${r.heapEndMb} MB, ` +
      `rss ${r.rssStartMb} → max ${r.rssMaxMb} → end ${r.rssEndMb} MB, ` +
      `${r.findings.length} findings`,
  );
  console.log(`RESULT ${JSON.stringify({ ...r, findings: r.findings.length, date: new Date().toISOString() })}`);
  for (const f of r.findings.slice(0, 5))
    console.log(`  ${f.kind} (${f.origin}): ${f.message}\n    input ${f.inputHex}`);
  if (r.findings.length > 0) failed = true;
}
await stopFuzzLab();
process.exit(failed ? 1 : 0);
