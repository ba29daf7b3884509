/**
 * A frozen, silent or dead KDC stalls nothing that does not need it (issue: reliability). With the
 * lab's KDC stopped by SIGSTOP, then replaced by a listener that accepts and never answers, then
 * gone: KDC-reaching calls (password acquisitions, first legs without a cached ticket) get
 * SEC_E_NO_AUTHENTICATING_AUTHORITY with a cause at their deadline, at most `maxAbandoned` of them
 * are left running and a further one is refused at once, and accepting an already-built AP-REQ (the
 * local lane) completes while they are stuck. Ordering is asserted, never a duration.
 */
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AscReq, IscReq, SecPkgCred, SecStatus, clientContext, createSspi, serverContext } from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { labStartKdc, labStopKdc } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import { DEFAULT_ASYNC_LIMIT, configureKdcDeadline, kdcDeadlineStats, kerberosModule } from '@sspkit/provider-native';
import { startLab, stopLab } from './native/lab.js';

const DEADLINE_MS = 1500;
let lab: Lab;
let sspi: SspiDispatcher;

beforeAll(async () => {
  lab = await startLab();
  sspi = await createSspi({ modules: [kerberosModule] });
  configureKdcDeadline({ timeoutMs: DEADLINE_MS, maxAbandoned: DEFAULT_ASYNC_LIMIT });
});
afterAll(async () => {
  configureKdcDeadline({ timeoutMs: 10_000, maxAbandoned: 8 });
  if (lab.pid !== 0) process.kill(lab.pid, 'SIGCONT');
  await stopLab(lab);
});

/** A password acquisition: it must ask the KDC for a TGT. */
function acquireWithPassword(): Promise<{ status: number; cause?: unknown }> {
  return sspi.acquireCredentialsHandle({
    package: 'Kerberos',
    credentialUse: SecPkgCred.OUTBOUND,
    authData: { user: lab.userPrincipal.split('@')[0] ?? '', domain: lab.realm, password: lab.password },
  });
}

/** AP-REQs built while the KDC answers (the client's first legs), to accept later. */
async function apReqs(n: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const c = await clientContext(sspi, {
      package: 'Kerberos',
      authData: { ccache: lab.ccache },
      targetName: 'HTTP/localhost',
      requirements: IscReq.MUTUAL_AUTH,
    });
    out.push((await c.step())!);
    c.dispose();
  }
  return out;
}

async function acceptOne(token: Uint8Array): Promise<number> {
  const s = await serverContext(sspi, {
    package: 'Kerberos',
    authData: { keytab: lab.serviceKeytab },
    requirements: AscReq.CONNECTION,
  });
  try {
    await s.step(token);
    return SecStatus.SEC_E_OK;
  } catch (e) {
    return (e as { status?: number }).status ?? -1;
  } finally {
    s.dispose();
  }
}

async function untilNoneAbandoned(): Promise<void> {
  for (let i = 0; i < 600 && kdcDeadlineStats().abandoned > 0; i++) await new Promise((r) => setTimeout(r, 100));
}

describe('a KDC that does not answer', () => {
  it('SIGSTOP: stuck acquisitions time out with a cause, the bound refuses more at once, accepts go on', async () => {
    const tokens = await apReqs(3);
    process.kill(lab.pid, 'SIGSTOP');
    try {
      let stuckSettled = 0;
      // One more than the network lane runs at once: the last waits in its queue.
      const stuck = Array.from({ length: DEFAULT_ASYNC_LIMIT + 1 }, () =>
        acquireWithPassword().then((r) => {
          stuckSettled++;
          return r;
        }),
      );
      // Accepting needs no KDC: it completes while the acquisitions still wait.
      for (const t of tokens) expect(await acceptOne(t)).toBe(SecStatus.SEC_E_OK);
      expect(stuckSettled).toBe(0);
      const results = await Promise.all(stuck);
      for (const r of results) {
        expect(r.status).toBe(SecStatus.SEC_E_NO_AUTHENTICATING_AUTHORITY);
        expect(String((r.cause as Error).message)).toMatch(new RegExp(`within ${DEADLINE_MS} ms`));
      }
      // The ones that had started are still running in the library; the queued one never started.
      // They are the bound: the next call is refused without starting.
      expect(kdcDeadlineStats().abandoned).toBe(DEFAULT_ASYNC_LIMIT);
      const refused = await acquireWithPassword();
      expect(refused.status).toBe(SecStatus.SEC_E_NO_AUTHENTICATING_AUTHORITY);
      expect(String((refused.cause as Error).message)).toMatch(/still wait on the KDC/);
    } finally {
      process.kill(lab.pid, 'SIGCONT');
    }
    // Resumed: the abandoned calls finish (their credentials released), and the KDC serves again.
    await untilNoneAbandoned();
    expect(kdcDeadlineStats().abandoned).toBe(0);
    const again = await acquireWithPassword();
    expect(again.status).toBe(SecStatus.SEC_E_OK);
    sspi.freeCredentialsHandle(
      (again as { credential?: Parameters<SspiDispatcher['freeCredentialsHandle']>[0] }).credential!,
    );
  });

  it('a port that accepts and never answers: a first leg without a cached ticket times out with a cause', async () => {
    await labStopKdc(lab);
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(lab.port, '127.0.0.1', resolve));
    try {
      // A TGT but no service ticket for this target: the first leg must ask the KDC.
      const c = await clientContext(sspi, {
        package: 'Kerberos',
        authData: { ccache: lab.ccache },
        targetName: 'HTTP/silent.localhost',
        requirements: IscReq.MUTUAL_AUTH,
      });
      const err = await c.step().catch((e: unknown) => e);
      c.dispose();
      expect(err).toMatchObject({ code: 'SEC_E_NO_AUTHENTICATING_AUTHORITY' });
      expect(String((err as { cause?: Error }).cause?.message)).toMatch(/no answer from the KDC/);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
    await untilNoneAbandoned();
  });

  it('a KDC that is gone: refused at once (a closed port), not at the deadline', async () => {
    let settledBeforeDeadline = false;
    const timer = setTimeout(() => undefined, DEADLINE_MS);
    const r = await acquireWithPassword();
    settledBeforeDeadline = kdcDeadlineStats().abandoned === 0;
    clearTimeout(timer);
    expect(r.status).toBe(SecStatus.SEC_E_NO_AUTHENTICATING_AUTHORITY);
    expect(settledBeforeDeadline).toBe(true);
    await labStartKdc(lab, false);
    expect((await acquireWithPassword()).status).toBe(SecStatus.SEC_E_OK);
  });
});
