/**
 * NTLM: sspkit's pure-TypeScript package (client and server in this process, through the
 * dispatcher) against gss-ntlmssp (its own initiator and acceptor in one C process, through MIT's
 * mechglue), in the same run. Full handshakes per second, then seal+unseal MB/s at 1 KiB and
 * 64 KiB. Each side warms up and sizes its batches to ~ROUND_MS; rounds alternate which side goes
 * first; figures are medians over rounds and the ratio is the median of per-round ratios. Method
 * and results: packages/ntlm/README.md, "Benchmarks". Nothing here asserts a time.
 */
import { cpus, loadavg } from 'node:os';
import { GssDriver, gssNtlmsspVersion } from './ntlm/gss-driver.js';
import { describeHandshake } from './ntlm/inspect.js';
import { OurSide } from './ntlm/ours.js';
import type { Timing } from './ntlm/timing.js';
import { median, perSecond } from './ntlm/timing.js';

const USER = 'alice';
const DOMAIN = 'EXAMPLE';
const PASSWORD = 'Passw0rd!';
const USERS = `${DOMAIN}:${USER}:${PASSWORD}\n`;
const ROUNDS = 9;
const ROUND_MS = 300;
const WARM_MS = 400;

type Batch = (n: number) => Promise<Timing>;
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

interface SideResult {
  readonly wall: number;
  readonly cpu: number;
}
interface Comparison {
  readonly ours: SideResult;
  readonly theirs?: SideResult;
  readonly ratio?: SideResult;
}

/** Alternating rounds; `scale` turns operations per second into the reported unit. */
async function compare(ours: Batch, theirs: Batch | undefined, scale: number): Promise<Comparison> {
  const nOurs = await warmUp(ours);
  const nTheirs = theirs ? await warmUp(theirs) : 0;
  const rate = (n: number, t: Timing): SideResult => ({
    wall: perSecond(n, t.wallNs) * scale,
    cpu: perSecond(n, t.cpuNs) * scale,
  });
  const o: SideResult[] = [];
  const g: SideResult[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const runOurs = async (): Promise<void> => {
      gc?.(); // start each of our rounds from a clean heap; collections during the round still count
      o.push(rate(nOurs, await ours(nOurs)));
    };
    const runTheirs = async (): Promise<void> => {
      if (theirs) g.push(rate(nTheirs, await theirs(nTheirs)));
    };
    if (r % 2 === 0) {
      await runOurs();
      await runTheirs();
    } else {
      await runTheirs();
      await runOurs();
    }
  }
  const med = (xs: SideResult[]): SideResult => ({
    wall: median(xs.map((x) => x.wall)),
    cpu: median(xs.map((x) => x.cpu)),
  });
  if (!theirs) return { ours: med(o) };
  const ratios = o.map((x, i) => ({ wall: x.wall / g[i]!.wall, cpu: x.cpu / g[i]!.cpu }));
  return { ours: med(o), theirs: med(g), ratio: med(ratios) };
}

const fmt = (x: number, digits = 0): string =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function report(title: string, unit: string, c: Comparison, digits: number, theirName: string, target?: string): void {
  console.log(title);
  const line = (name: string, r: SideResult): string =>
    `  ${name.padEnd(34)} ${fmt(r.wall, digits).padStart(9)} ${unit}   (CPU-time basis ${fmt(r.cpu, digits)})`;
  console.log(line('sspkit NTLM (TypeScript, dispatcher)', c.ours));
  if (c.theirs && c.ratio) {
    console.log(line(theirName, c.theirs));
    console.log(
      `  ${'ratio sspkit / gss-ntlmssp'.padEnd(34)} ${`${c.ratio.wall.toFixed(2)}x`.padStart(9)}   (CPU-time basis ${c.ratio.cpu.toFixed(2)}x)${target ? `  target ${target}` : ''}`,
    );
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const cpu = cpus();
  console.log(
    `${new Date().toISOString()}  node ${process.version}  ${cpu[0]?.model ?? 'cpu'} x${cpu.length}  load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `${ROUNDS} rounds of ~${ROUND_MS} ms per side after >= ${WARM_MS} ms warm-up, alternating which side goes first; medians over rounds`,
  );
  const ours = await OurSide.create(USERS, USER, DOMAIN, PASSWORD);
  const driver = await GssDriver.start(USERS, USER, DOMAIN, PASSWORD);
  const theirName = `gss-ntlmssp ${gssNtlmsspVersion()} (C driver)`;
  try {
    if (typeof driver === 'string') console.log(`gss-ntlmssp side skipped: ${driver}`);
    console.log(`  sspkit handshake:      ${describeHandshake(await ours.sample())}`);
    if (typeof driver !== 'string') console.log(`  gss-ntlmssp handshake: ${describeHandshake(await driver.sample())}`);
    const their = typeof driver === 'string' ? undefined : driver;

    const hs = await compare((n) => ours.handshakes(n), their && ((n) => their.handshakes(n)), 1);
    report(
      '\nfull handshakes (3 legs, both sides complete, contexts deleted; credentials acquired once)',
      'handshakes/s',
      hs,
      0,
      theirName,
      '>= 1.0x',
    );

    for (const size of [1024, 65536]) {
      const mb = size / 1e6;
      const c = await compare((n) => ours.seal(size, n), their && ((n) => their.seal(size, n)), mb);
      report(
        `\nseal + unseal, ${size / 1024} KiB messages (EncryptMessage+DecryptMessage vs gss_wrap conf_req=1 + gss_unwrap)`,
        'MB/s',
        c,
        1,
        theirName,
      );
    }
  } finally {
    if (typeof driver !== 'string') driver.close();
    ours.dispose();
  }
  console.log(
    `\nload ${loadavg()
      .map((l) => l.toFixed(2))
      .join(
        ' ',
      )} after ${((Date.now() - started) / 1000).toFixed(1)} s (shared machine: wall-clock figures move with other jobs; the CPU-time basis less so)`,
  );
}

await main();
