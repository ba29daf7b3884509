/**
 * @sspkit/http against Apache httpd on the same box, driven by the same load generator: this
 * package's own fetch client (createAuthFetch) with CONNECTIONS concurrent requests.
 *   - Negotiate (Kerberos from a throwaway lab): a full handshake per request, each on a new
 *     connection, against Apache mod_auth_gssapi (krb5). The client's service ticket is cached, so
 *     the work measured is the server's: decrypting and checking the AP-REQ, the replay cache, and
 *     the mutual-authentication AP-REP (checked by the client).
 *   - Digest MD5 qop=auth, keep-alive: one challenge per connection, then every request signed with
 *     the next nonce-count, against Apache mod_auth_digest.
 * Each round measures both servers (alternating which goes first); figures are medians of ROUNDS
 * rounds, the ratio the median of the per-round ratios. Our server runs in its own process and
 * reports its event-loop delay p99 during each measurement, and once while idle (the floor), with its
 * loop's utilization and GC pauses; BENCH_LOOP_CPU=1 adds what share of the delay the server itself
 * caused (./loop-diagnostics.ts).
 * Needs apache2, mod_auth_gssapi and the MIT KDC (scripts/system-deps.sh); prints a skip line otherwise.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createSspi } from '@sspkit/core';
import { createDigestModule } from '@sspkit/digest';
import { labDown, labUp } from '@sspkit/krb5-lab';
import { createNegotiateModule } from '@sspkit/negotiate';
import { createNtlmModule } from '@sspkit/ntlm';
import { kerberosModule } from '@sspkit/provider-native';
import { createAuthFetch } from '../src/index.js';
import type { AuthFetchOptions } from '../src/index.js';
import type { LoopReport } from './loop-diagnostics.js';
import { apacheAvailable, startApache } from '../../../test/digest/apache.js';
import { gssapiApacheMissing, startGssapiApache } from '../../../test/http/apache-gssapi.js';

const CONNECTIONS = 8;
const DURATION_MS = 2000;
const WARMUP_MS = 400;
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? '7');

interface Ours {
  readonly port: number;
  reset(): void;
  report(): Promise<LoopReport>;
  stop(): void;
}

async function startOurs(scheme: string, env: Record<string, string>): Promise<Ours> {
  const tsx = fileURLToPath(import.meta.resolve('tsx/cli'));
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [tsx, fileURLToPath(new URL('./serve-http.ts', import.meta.url))],
    {
      env: { ...process.env, ...env, BENCH_SCHEME: scheme },
    },
  );
  child.stderr.pipe(process.stderr);
  const lines: Interface = createInterface({ input: child.stdout });
  const next = (): Promise<string> => new Promise((resolve) => lines.once('line', resolve));
  const port = Number(await next());
  return {
    port,
    reset: () => child.stdin.write('reset\n'),
    report: async () => {
      const p = next();
      child.stdin.write('report\n');
      return JSON.parse(await p) as LoopReport;
    },
    stop: () => void (child.pid !== undefined && process.kill(child.pid, 'SIGTERM')),
  };
}

/** Requests/s with CONNECTIONS concurrent loops of the fetch client. */
async function measure(url: string, options: AuthFetchOptions): Promise<{ rps: number; failed: number }> {
  const f = createAuthFetch({ ...options, connections: CONNECTIONS });
  const counter = { ok: 0, failed: 0, counting: false };
  const end = Date.now() + WARMUP_MS + DURATION_MS;
  const timer = setTimeout(() => {
    counter.counting = true;
  }, WARMUP_MS);
  const loop = async (): Promise<void> => {
    while (Date.now() < end) {
      try {
        const r = await f(url);
        await r.arrayBuffer();
        if (counter.counting && r.status === 200) counter.ok++;
        else if (counter.counting) counter.failed++;
      } catch {
        if (counter.counting) counter.failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  clearTimeout(timer);
  await f.close();
  return { rps: Math.round(counter.ok / (DURATION_MS / 1000)), failed: counter.failed };
}

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;

function compare(
  label: string,
  ours: Ours,
  oursUrl: string,
  apacheUrl: string,
  options: AuthFetchOptions,
): Promise<void> {
  return compareTwo(label, ours, oursUrl, options, apacheUrl, options);
}

async function compareTwo(
  label: string,
  ours: Ours,
  oursUrl: string,
  options: AuthFetchOptions,
  apacheUrl: string,
  apacheOptions: AuthFetchOptions,
): Promise<void> {
  // Warm-up (JIT, ticket cache, Apache workers), discarded.
  await measure(oursUrl, options);
  await measure(apacheUrl, apacheOptions);
  ours.reset();
  await new Promise((r) => setTimeout(r, 1000));
  const idle = await ours.report();
  const o: number[] = [];
  const a: number[] = [];
  const ratios: number[] = [];
  const loops: LoopReport[] = [];
  let failed = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const got: Record<string, number> = {};
    for (const which of r % 2 === 0 ? ['ours', 'apache'] : ['apache', 'ours']) {
      if (which === 'ours') ours.reset();
      const m = which === 'ours' ? await measure(oursUrl, options) : await measure(apacheUrl, apacheOptions);
      if (which === 'ours') loops.push(await ours.report());
      got[which] = m.rps;
      failed += m.failed;
    }
    o.push(got['ours'] ?? 0);
    a.push(got['apache'] ?? 0);
    ratios.push((got['ours'] ?? 0) / Math.max(1, got['apache'] ?? 0));
  }
  console.log(`${label}`);
  console.log(`  @sspkit/http: ${median(o)} req/s [${o.join(', ')}]`);
  console.log(`  Apache:       ${median(a)} req/s [${a.join(', ')}]`);
  console.log(
    `  ratio ours/Apache: ${median(ratios).toFixed(2)}x [${ratios.map((x) => x.toFixed(2)).join(', ')}] (target >= 1.0x), ${failed} failed`,
  );
  const p99s = loops.map((l) => l.p99);
  console.log(
    `  our event-loop delay p99 under load: ${median(p99s).toFixed(2)} ms [${p99s.map((x) => x.toFixed(2)).join(', ')}] (target <= 5 ms); idle floor p99 ${idle.p99.toFixed(2)} ms`,
  );
  // What the delay is made of (./loop-diagnostics.ts): GC, how busy the loop was, and with
  // BENCH_LOOP_CPU=1 this process's own share of each gap and the long gaps while it ran or not.
  const f2 = (xs: number[]): string => `${median(xs).toFixed(2)} [${xs.map((x) => x.toFixed(2)).join(', ')}]`;
  const gcMax = Math.max(...loops.map((l) => l.gc.maxMs));
  console.log(`  loop busy ${f2(loops.map((l) => l.utilization))}; GC pauses max ${gcMax.toFixed(1)} ms`);
  const own = loops.map((l) => l.ownP99 ?? 0);
  if (idle.ownP99 !== undefined) {
    const busy = loops.reduce((n, l) => n + l.late.busy, 0);
    const away = loops.reduce((n, l) => n + l.late.descheduled, 0);
    const ownLine = `  our own share p99 ${f2(own)} ms (idle ${idle.ownP99.toFixed(2)})`;
    console.log(`${ownLine}; gaps > 3 ms: ${busy} running, ${away} descheduled`);
  }
}

const missing = gssapiApacheMissing();
if (!apacheAvailable() || missing !== null) {
  console.log(`http-vs-apache: ${missing ?? 'apache2 missing'}; skipped`);
} else {
  console.log(
    `(${CONNECTIONS} concurrent requests, ${DURATION_MS / 1000}s per measurement after ${WARMUP_MS / 1000}s warm-up, ${ROUNDS} rounds, loopback)`,
  );
  const lab = await labUp({ detached: false });
  for (const [k, v] of Object.entries(lab.env)) process.env[k] = v;
  try {
    const sspi = await createSspi({
      modules: [kerberosModule, createNtlmModule({}), createNegotiateModule(), createDigestModule()],
    });
    const ours = await startOurs('Negotiate', { ...lab.env, KRB5_KTNAME: lab.serviceKeytab });
    const apache = await startGssapiApache(lab);
    try {
      await compare(
        'Negotiate (Kerberos), a full handshake per request on a new connection',
        ours,
        `http://127.0.0.1:${ours.port}/`,
        `http://127.0.0.1:${apache.port}/index.html`,
        {
          sspi,
          schemes: ['Negotiate'],
          targetName: () => 'HTTP/localhost',
          reuseConnections: false,
        },
      );
    } finally {
      ours.stop();
      await apache.stop();
    }
    const ntlmUser = { domain: 'BENCH', user: 'bench', password: 'bench-password' };
    const oursNtlm = await startOurs('NTLM', {});
    const apacheNtlm = await startGssapiApache(lab, undefined, { users: [ntlmUser] });
    try {
      // One handshake per connection, then every request on it is authenticated without one. Apache
      // speaks NTLM inside Negotiate (SPNEGO, gss-ntlmssp); ours offers the NTLM scheme. The same
      // client answers both: NTLM directly, Negotiate restricted to NTLM.
      await compareTwo(
        'NTLM, one handshake per connection then keep-alive requests on it',
        oursNtlm,
        `http://127.0.0.1:${oursNtlm.port}/`,
        { sspi, schemes: ['NTLM'], authData: { NTLM: ntlmUser } },
        `http://127.0.0.1:${apacheNtlm.port}/index.html`,
        {
          sspi,
          schemes: ['Negotiate'],
          authData: { Negotiate: { ...ntlmUser, packageList: 'ntlm' } },
          targetName: () => 'HTTP/localhost',
        },
      );
    } finally {
      oursNtlm.stop();
      await apacheNtlm.stop();
    }
    const oursDigest = await startOurs('Digest', {});
    const apacheDigest = await startApache('bench', [{ username: 'bench', password: 'bench-password' }]);
    try {
      await compare(
        'Digest MD5 qop=auth, keep-alive with nonce reuse',
        oursDigest,
        `http://127.0.0.1:${oursDigest.port}/`,
        `http://127.0.0.1:${apacheDigest.port}/index.html`,
        {
          sspi,
          schemes: ['Digest'],
          authData: { Digest: { user: 'bench', password: 'bench-password' } },
        },
      );
    } finally {
      oursDigest.stop();
      await apacheDigest.stop();
    }
  } finally {
    await labDown(lab);
  }
}
