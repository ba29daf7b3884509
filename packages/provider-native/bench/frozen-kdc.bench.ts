/**
 * Latency of unrelated accepts while the KDC is frozen (issue target: p99 ≤ 50 ms). A throwaway lab
 * issues AP-REQs while it answers; then its KDC is stopped with SIGSTOP, calls that need it (password
 * acquisitions) are started and left waiting, and one accept after another of the built AP-REQs is
 * timed through the dispatcher, then the same with the KDC answering. Asserts nothing; prints
 * percentiles. Run: `pnpm bench frozen-kdc`.
 */
import { loadavg } from 'node:os';
import { AscReq, IscReq, SecPkgCred, clientContext, createSspi, serverContext } from '@sspkit/core';
import { labDown, labUp } from '@sspkit/krb5-lab';
import { configureKdcDeadline, kerberosModule } from '../src/index.js';

const ACCEPTS = 400;
const STUCK = 6;

const lab = await labUp({ detached: false });
for (const [k, v] of Object.entries(lab.env)) process.env[k] = v;
try {
  const sspi = await createSspi({ modules: [kerberosModule] });
  // Long enough that the stuck calls stay stuck for the whole measurement.
  configureKdcDeadline({ timeoutMs: 60_000, maxAbandoned: 64 });
  const tokens: Uint8Array[] = [];
  for (let i = 0; i < ACCEPTS * 2; i++) {
    const c = await clientContext(sspi, {
      package: 'Kerberos',
      authData: { ccache: lab.ccache },
      targetName: 'HTTP/localhost',
      requirements: IscReq.MUTUAL_AUTH,
    });
    tokens.push((await c.step())!);
    c.dispose();
  }
  const serverCred = (
    await sspi.acquireCredentialsHandle({
      package: 'Kerberos',
      credentialUse: SecPkgCred.INBOUND,
      authData: { keytab: lab.serviceKeytab },
    })
  ).credential!;
  const timeAccepts = async (batch: Uint8Array[]): Promise<number[]> => {
    const ms: number[] = [];
    for (const t of batch) {
      const s = await serverContext(sspi, {
        package: 'Kerberos',
        credential: serverCred,
        requirements: AscReq.CONNECTION,
      });
      const t0 = performance.now();
      await s.step(t);
      ms.push(performance.now() - t0);
      s.dispose();
    }
    return ms.sort((a, b) => a - b);
  };
  const pct = (xs: number[], p: number): string =>
    (xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0).toFixed(2);
  const answering = await timeAccepts(tokens.slice(0, ACCEPTS));
  process.kill(lab.pid, 'SIGSTOP');
  let frozen: number[];
  const stuck: Promise<unknown>[] = [];
  try {
    for (let i = 0; i < STUCK; i++) {
      stuck.push(
        sspi.acquireCredentialsHandle({
          package: 'Kerberos',
          credentialUse: SecPkgCred.OUTBOUND,
          authData: { user: lab.userPrincipal.split('@')[0] ?? '', domain: lab.realm, password: lab.password },
        }),
      );
    }
    frozen = await timeAccepts(tokens.slice(ACCEPTS));
  } finally {
    process.kill(lab.pid, 'SIGCONT');
  }
  await Promise.all(stuck);
  console.log(
    `(${new Date().toISOString()}, node ${process.version}, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')})`,
  );
  console.log(
    `accepts with the KDC answering: p50 ${pct(answering, 50)} ms, p99 ${pct(answering, 99)} ms, max ${pct(answering, 100)} ms (${ACCEPTS})`,
  );
  console.log(
    `accepts with the KDC frozen and ${STUCK} calls waiting on it: p50 ${pct(frozen, 50)} ms, p99 ${pct(frozen, 99)} ms, max ${pct(frozen, 100)} ms (${ACCEPTS}; target p99 <= 50 ms)`,
  );
  sspi.freeCredentialsHandle(serverCred);
} finally {
  await labDown(lab);
}
