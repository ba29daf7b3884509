/**
 * Negotiate's cost over the package it chooses, in one run, side by side:
 *   - Negotiate (NTLM inside) handshakes/s ÷ NTLM direct — the SPNEGO layer's overhead (target ≤ 1.10×,
 *     i.e. a ratio of at least 1 / 1.10 ≈ 0.91);
 *   - Negotiate (Kerberos inside) handshakes/s ÷ Negotiate-MIT (MIT's SPNEGO through the native
 *     binding), against a throwaway KDC (target ≥ 1.0×).
 * Both ends in this process through the dispatcher; credentials acquired once, contexts deleted after
 * every handshake. Rounds alternate which contender goes first; figures are medians over rounds and
 * each ratio is the median of per-round ratios. Nothing here asserts a time.
 */
import { cpus, loadavg } from 'node:os';
import { AscReq, IscReq, SecPkgCred, clientContext, createSspi, runHandshake, serverContext } from '@sspkit/core';
import type { AuthData, CredHandle, SspiDispatcher } from '@sspkit/core';
import { labDown, labUp } from '@sspkit/krb5-lab';
import { isAvailable, kerberosModule, negotiateModule } from '@sspkit/provider-native';
import { createNegotiateModule } from '@sspkit/negotiate';
import { NTLM_USER, ntlmForInProcessPair } from '../../packages/negotiate/test/ntlm-pair.js';

const ROUNDS = 9;
const ROUND_MS = 300;
const REQ = IscReq.MUTUAL_AUTH | IscReq.CONFIDENTIALITY | IscReq.INTEGRITY | IscReq.CONNECTION;

interface Contender {
  readonly name: string;
  readonly sspi: SspiDispatcher;
  readonly pkg: string;
  readonly client: CredHandle;
  readonly server: CredHandle;
  readonly target: string;
}

async function contender(
  sspi: SspiDispatcher,
  name: string,
  pkg: string,
  client: AuthData | undefined,
  server: AuthData | undefined,
  target: string,
): Promise<Contender> {
  const c = await sspi.acquireCredentialsHandle({
    package: pkg,
    credentialUse: SecPkgCred.OUTBOUND,
    ...(client && { authData: client }),
  });
  const s = await sspi.acquireCredentialsHandle({
    package: pkg,
    credentialUse: SecPkgCred.INBOUND,
    ...(server && { authData: server }),
  });
  if (!c.credential || !s.credential)
    throw new Error(`${name}: no credentials (0x${c.status.toString(16)}, 0x${s.status.toString(16)})`);
  return { name, sspi, pkg, client: c.credential, server: s.credential, target };
}

async function handshakes(x: Contender, n: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const c = await clientContext(x.sspi, {
      package: x.pkg,
      credential: x.client,
      targetName: x.target,
      requirements: REQ,
    });
    const s = await serverContext(x.sspi, { package: x.pkg, credential: x.server, requirements: AscReq.CONNECTION });
    await runHandshake(c, s);
    c.dispose();
    s.dispose();
  }
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function batchSize(x: Contender): Promise<number> {
  let n = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    await handshakes(x, n);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms >= 100) return Math.max(1, Math.round((n * ROUND_MS) / ms));
    n *= 2;
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

async function compare(ours: Contender, base: Contender, target: string): Promise<void> {
  const [nOurs, nBase] = [await batchSize(ours), await batchSize(base)];
  const o: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      o.push(await handshakes(ours, nOurs));
      b.push(await handshakes(base, nBase));
    } else {
      b.push(await handshakes(base, nBase));
      o.push(await handshakes(ours, nOurs));
    }
  }
  const ratio = median(o.map((x, i) => x / (b[i] ?? 1)));
  console.log(`  ${ours.name.padEnd(36)} ${median(o).toFixed(0).padStart(7)} handshakes/s`);
  console.log(`  ${base.name.padEnd(36)} ${median(b).toFixed(0).padStart(7)} handshakes/s`);
  console.log(
    `  ${'ratio (median of per-round ratios)'.padEnd(36)} ${ratio.toFixed(2).padStart(7)}x   target ${target}`,
  );
}

async function main(): Promise<void> {
  const cpu = cpus();
  console.log(
    `${new Date().toISOString()}  node ${process.version}  ${cpu[0]?.model ?? 'cpu'} x${cpu.length}  load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`${ROUNDS} rounds of ~${ROUND_MS} ms per contender, alternating which goes first`);

  // NTLM client and server in one process: built where the tests build theirs (reflection opt-out).
  const ntlmSspi = await createSspi({
    modules: [createNegotiateModule({ packages: ['NTLM'] }), ntlmForInProcessPair()],
  });
  console.log('\nNTLM inside: Negotiate (SPNEGO framing, mechListMIC both ways) vs NTLM direct — 4 legs vs 3');
  await compare(
    await contender(ntlmSspi, 'Negotiate (NTLM inside)', 'Negotiate', { ...NTLM_USER }, undefined, 'HTTP/bench'),
    await contender(ntlmSspi, 'NTLM direct', 'NTLM', { ...NTLM_USER }, undefined, 'HTTP/bench'),
    '>= 0.91x (overhead <= 1.10x)',
  );

  const native = isAvailable();
  if (!native.available) {
    console.log(`\nKerberos inside: skipped (${native.reason})`);
    return;
  }
  const lab = await labUp({ detached: false });
  try {
    for (const [k, v] of Object.entries(lab.env)) process.env[k] = v;
    const krbSspi = await createSspi({
      modules: [createNegotiateModule({ packages: ['Kerberos'] }), kerberosModule, negotiateModule],
    });
    console.log(
      '\nKerberos inside: Negotiate (TypeScript SPNEGO over the native Kerberos package) vs Negotiate-MIT (MIT SPNEGO)',
    );
    await compare(
      await contender(
        krbSspi,
        'Negotiate (Kerberos inside)',
        'Negotiate',
        { ccache: lab.ccache },
        { keytab: lab.serviceKeytab },
        'HTTP/localhost',
      ),
      await contender(
        krbSspi,
        'Negotiate-MIT (native SPNEGO)',
        'Negotiate-MIT',
        { ccache: lab.ccache },
        { keytab: lab.serviceKeytab },
        'HTTP/localhost',
      ),
      '>= 1.0x',
    );
  } finally {
    await labDown(lab);
  }
  console.log(
    `\nload ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (shared machine: absolute rates move with other jobs; ratios are per round)`,
  );
}

await main();
