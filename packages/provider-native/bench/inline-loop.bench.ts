/**
 * Event-loop delay during a tight loop of cached-ticket handshakes (issue 18 §1): Kerberos
 * handshakes awaited one after another, whose legs run inline (pinned first legs, later legs,
 * accepts with nothing in flight), with the event-loop delay histogram sampling every millisecond.
 * Each round runs 3,000 handshakes (enough samples for a p99) and then measures an idle loop for
 * as long: the machine's floor, in the same run. Before the adapter yielded, 300 such handshakes
 * held timers for 180–260 ms. Asserts nothing. Run: `pnpm bench inline-loop`.
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
  const HANDSHAKES = Number(process.env['SSPKIT_BENCH_HANDSHAKES'] ?? 3000);
  const ms = (ns: number): string => (ns / 1e6).toFixed(2);
  for (let round = 1; round <= 7; round++) {
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    const t0 = performance.now();
    await loop(HANDSHAKES);
    const took = performance.now() - t0;
    h.disable();
    const idle = monitorEventLoopDelay({ resolution: 1 });
    idle.enable();
    await new Promise((resolve) => setTimeout(resolve, took));
    idle.disable();
    console.log(
      `round ${round}: ${HANDSHAKES} handshakes in ${took.toFixed(0)} ms; event-loop delay p99 ${ms(h.percentile(99))} ms,` +
        ` max ${ms(h.max)} ms; idle floor p99 ${ms(idle.percentile(99))} ms, max ${ms(idle.max)} ms`,
    );
  }
  sspi.freeCredentialsHandle(client);
  sspi.freeCredentialsHandle(server);
});
