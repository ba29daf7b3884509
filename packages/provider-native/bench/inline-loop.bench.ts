/**
 * Event-loop delay during a tight loop of cached-ticket handshakes (issue 18 §1): 300 Kerberos
 * handshakes awaited one after another, whose legs run inline (pinned first legs, later legs,
 * accepts with nothing in flight), with the event-loop delay histogram sampling every millisecond.
 * Before the adapter yielded, such a loop held timers for 180–260 ms. Asserts nothing. Run:
 * `pnpm bench inline-loop`.
 */
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AscReq, IscReq, SecPkgCred, clientContext, runHandshake, serverContext } from '@sspkit/core';
import { withLab } from './lab-pair.js';

await withLab(async ({ lab, sspi, acquire }) => {
  const client = await acquire(SecPkgCred.OUTBOUND, { ccache: lab.ccache });
  const server = await acquire(SecPkgCred.INBOUND, { keytab: lab.serviceKeytab });
  const loop = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const c = await clientContext(sspi, {
        package: 'Kerberos',
        credential: client,
        targetName: 'HTTP/localhost',
        requirements: IscReq.MUTUAL_AUTH,
      });
      const s = await serverContext(sspi, { package: 'Kerberos', credential: server, requirements: AscReq.CONNECTION });
      await runHandshake(c, s);
      c.dispose();
      s.dispose();
    }
  };
  await loop(50); // the ticket pinned, the JIT warm
  console.log(
    `(${new Date().toISOString()}, node ${process.version}, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')})`,
  );
  for (let round = 1; round <= 5; round++) {
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    const t0 = performance.now();
    await loop(300);
    const ms = performance.now() - t0;
    h.disable();
    const p99 = (h.percentile(99) / 1e6).toFixed(2);
    const max = (h.max / 1e6).toFixed(2);
    console.log(`round ${round}: 300 handshakes in ${ms.toFixed(0)} ms; event-loop delay p99 ${p99} ms, max ${max} ms`);
  }
  sspi.freeCredentialsHandle(client);
  sspi.freeCredentialsHandle(server);
});
