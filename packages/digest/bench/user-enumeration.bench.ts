/**
 * User enumeration by timing (issue 17): how long the server takes to refuse an unknown user versus
 * a known user with a wrong password, measured side by side in one process. Both go through the
 * dispatcher the way an HTTP server calls it (TOKEN, method, URI; verified on the spot), each on a
 * fresh context. Rounds alternate which case runs first; the figure is the median of per-round
 * medians, and the difference is what an attacker would have to detect. Nothing is asserted.
 */
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import {
  AscReq,
  IscReq,
  SecBufferType,
  SecPkgCred,
  SecStatus,
  createSspi,
  secBuffer,
  secBufferDesc,
} from '@sspkit/core';
import type { CredHandle } from '@sspkit/core';
import { MemoryUserStore, createDigestModule } from '../src/index.js';
import type { DigestAlgorithmName } from '../src/index.js';

const ROUNDS = 9;
const PER_ROUND = 2000;
const sspi = await createSspi({ modules: [createDigestModule()] });
const text = (s: string) => Buffer.from(s, 'latin1');

async function answer(server: CredHandle, user: string, password: string): Promise<Uint8Array> {
  const client = await sspi.acquireCredentialsHandle({
    package: 'Digest',
    credentialUse: SecPkgCred.OUTBOUND,
    authData: { user, password },
  });
  const ch = secBufferDesc(secBuffer(SecBufferType.TOKEN));
  const a1 = await sspi.acceptSecurityContext({
    credential: server,
    contextReq: AscReq.HTTP | AscReq.ALLOCATE_MEMORY,
    output: ch,
  });
  const out = secBufferDesc(secBuffer(SecBufferType.TOKEN));
  if (client.credential === undefined || a1.context === undefined) throw new Error('setup');
  const i1 = await sspi.initializeSecurityContext({
    credential: client.credential,
    targetName: '/bench',
    contextReq: IscReq.HTTP | IscReq.ALLOCATE_MEMORY,
    input: secBufferDesc(
      secBuffer(SecBufferType.TOKEN, ch.buffers[0]?.data),
      secBuffer(SecBufferType.PKG_PARAMS, text('GET')),
    ),
    output: out,
  });
  sspi.deleteSecurityContext(a1.context);
  if (i1.context !== undefined) sspi.deleteSecurityContext(i1.context);
  return Uint8Array.from(out.buffers[0]?.data ?? []);
}

/** Median nanoseconds of one refused AcceptSecurityContext with `authorization`. */
async function refuse(server: CredHandle, authorization: Uint8Array): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < PER_ROUND; i++) {
    const input = secBufferDesc(
      secBuffer(SecBufferType.TOKEN, authorization),
      secBuffer(SecBufferType.PKG_PARAMS, text('GET')),
      secBuffer(SecBufferType.PKG_PARAMS, text('/bench')),
    );
    const t = performance.now();
    const r = await sspi.acceptSecurityContext({
      credential: server,
      contextReq: AscReq.HTTP | AscReq.ALLOCATE_MEMORY,
      input,
      output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
    });
    samples.push((performance.now() - t) * 1e6);
    if (r.status !== SecStatus.SEC_E_LOGON_DENIED)
      throw new Error(`expected LOGON_DENIED, got 0x${(r.status >>> 0).toString(16)}`);
  }
  return median(samples);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] ?? NaN;
}

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const algorithm of ['MD5', 'SHA-256'] as const satisfies readonly DigestAlgorithmName[]) {
  const users = new MemoryUserStore([{ username: 'known', realm: 'bench', password: 'bench-password' }]);
  const s = await sspi.acquireCredentialsHandle({
    package: 'Digest',
    credentialUse: SecPkgCred.INBOUND,
    authData: { kind: 'digest-server', realm: 'bench', users, algorithm, qop: ['auth'] },
  });
  if (s.credential === undefined) throw new Error('server credential');
  const unknown = await answer(s.credential, 'nobody', 'whatever');
  const wrong = await answer(s.credential, 'known', 'wrong-password');
  await refuse(s.credential, unknown);
  await refuse(s.credential, wrong);
  const u: number[] = [];
  const k: number[] = [];
  const diff: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate the order so neither case always runs on a warmer (or busier) machine.
    const first = round % 2 === 0 ? 'unknown' : 'wrong';
    const x = await refuse(s.credential, first === 'unknown' ? unknown : wrong);
    const y = await refuse(s.credential, first === 'unknown' ? wrong : unknown);
    u.push(first === 'unknown' ? x : y);
    k.push(first === 'unknown' ? y : x);
    diff.push((k[round] ?? 0) - (u[round] ?? 0));
  }
  console.log(
    `${algorithm.padEnd(8)} refusal, median ns: unknown user ${Math.round(median(u))}, known user + wrong password ${Math.round(median(k))}; ` +
      `known − unknown ${Math.round(median(diff))} ns (per-round ${Math.round(Math.min(...diff))} … ${Math.round(Math.max(...diff))})`,
  );
}
