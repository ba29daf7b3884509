/**
 * Cached-ticket handshakes only (issue 15's "no regression elsewhere"): the dispatcher with reused
 * credentials (pinned ticket, first legs inline from a MEMORY ccache) against the C program reading
 * the FILE ccache as the native bench does, the same C program reading a MEMORY ccache (the same
 * library work as the pinned leg), and bare koffi calls on the FILE ccache, in interleaved rounds;
 * then where one dispatcher handshake's CPU time goes, leg by leg. Asserts nothing.
 * Run: `SSPKIT_BENCH_CLOCK=cpu pnpm bench cached-ticket` (the CPU clock is meant: see README).
 */
import { copyFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { AscReq, IscReq, SecPkgCred, clientContext, serverContext } from '@sspkit/core';
import { acquireCredFrom, GssFlag, importName } from '../src/ffi/index.js';
import { withLab } from './lab-pair.js';
import { buildC, interleave, median, rate, ratios, runC } from './measure.js';
import { bareKoffiHandshake } from './raw-koffi.js';

const FLAGS = GssFlag.MUTUAL | GssFlag.REPLAY | GssFlag.SEQUENCE | GssFlag.CONF | GssFlag.INTEG;
const ROUNDS = Number(process.env['SSPKIT_BENCH_ROUNDS'] ?? 7);
const N = 600;
const PROBE = 3_000;
const LEGS = ['contexts made', 'ISC 1 (pinned)', 'ASC', 'ISC 2', 'delete client', 'delete server'] as const;

function cpuMicros(): number {
  const c = process.cpuUsage();
  return c.user + c.system;
}

function ratioText(r: readonly number[]): string {
  return `${median(r).toFixed(2)}× [${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)}]`;
}

await withLab(async ({ lab, sspi, acquire }) => {
  const built = buildC(lab);
  const c = 'bin' in built ? built.bin : undefined;
  if ('reason' in built) console.log(`note: C columns empty: ${built.reason}`);
  const cached = join(lab.dir, 'bench.ccache');
  copyFileSync(lab.ccache, cached);
  const client = await acquire(SecPkgCred.OUTBOUND, { ccache: cached });
  const server = await acquire(SecPkgCred.INBOUND, { keytab: lab.serviceKeytab });
  const spent = new Array<number>(LEGS.length).fill(0);
  // One handshake; with `probe`, the CPU time of each step is added to `spent`.
  const handshake = async (probe: boolean): Promise<void> => {
    let t = probe ? cpuMicros() : 0;
    const lap = (i: number): void => {
      if (!probe) return;
      const now = cpuMicros();
      spent[i] = (spent[i] ?? 0) + now - t;
      t = now;
    };
    const cl = await clientContext(sspi, {
      package: 'Kerberos',
      credential: client,
      targetName: 'HTTP/localhost',
      requirements: IscReq.MUTUAL_AUTH | IscReq.CONFIDENTIALITY,
    });
    const sv = await serverContext(sspi, { package: 'Kerberos', credential: server, requirements: AscReq.CONNECTION });
    lap(0);
    const t1 = await cl.step();
    lap(1);
    const t2 = await sv.step(t1);
    lap(2);
    await cl.step(t2);
    lap(3);
    cl.dispose();
    lap(4);
    sv.dispose();
    lap(5);
  };
  const bServer = (
    await acquireCredFrom({ usage: 'ACCEPT', mech: 'krb5', store: { keytab: `FILE:${lab.serviceKeytab}` } })
  ).cred;
  const bClient = (await acquireCredFrom({ usage: 'INITIATE', mech: 'krb5', store: { ccache: `FILE:${cached}` } }))
    .cred;
  const bTarget = importName('HTTP@localhost', 'hostbased');
  const bare = bareKoffiHandshake(bClient, bServer, bTarget, FLAGS);
  try {
    // Warm-up: JIT, the library's initialisation, the ticket cached and pinned.
    await rate(2_000, () => handshake(false));
    await rate(500, bare);
    const rounds = await interleave(ROUNDS, {
      cFile: () => runC(c, lab, ['handshake', String(N), lab.serviceKeytab, cached]),
      cMemory: () => runC(c, lab, ['handshake-memory', String(N), lab.serviceKeytab, cached]),
      dispatcher: () => rate(N, () => handshake(false)),
      bare: () => rate(N, bare),
    });
    const clock = process.env['SSPKIT_BENCH_CLOCK'] === 'cpu' ? 'CPU' : 'wall';
    console.log(
      `${ROUNDS} interleaved rounds of ${N}, ${clock} clock, load average ${loadavg()[0]?.toFixed(2) ?? '?'};` +
        ' handshakes/s medians, ratios per round: median [min–max]',
    );
    const d = rounds['dispatcher'] ?? [];
    for (const [name, key] of [
      ['dispatcher, reused credentials (pinned ticket)', 'dispatcher'],
      ['bare koffi calls, FILE ccache', 'bare'],
      ['C, FILE ccache (the native bench)', 'cFile'],
      ['C, MEMORY ccache', 'cMemory'],
    ] as const) {
      const v = rounds[key] ?? [];
      if (v.length === 0) continue;
      const us = (1e6 / median(v)).toFixed(1);
      const vs = key === 'dispatcher' ? '' : `   dispatcher ÷ this ${ratioText(ratios(d, v))}`;
      console.log(`${name.padEnd(48)} ${median(v).toFixed(0).padStart(7)}/s  ${us.padStart(6)} µs${vs}`);
    }
    for (let i = 0; i < PROBE; i++) await handshake(true);
    const total = spent.reduce((a, b) => a + b, 0) / PROBE;
    const legs = LEGS.map((name, i) => `${name} ${((spent[i] ?? 0) / PROBE).toFixed(1)}`).join(', ');
    console.log(`CPU µs per dispatcher handshake (${PROBE}, probe included): ${total.toFixed(1)} — ${legs}`);
  } finally {
    bClient.release();
    bServer.release();
    bTarget.release();
    sspi.freeCredentialsHandle(client);
    sspi.freeCredentialsHandle(server);
  }
});
