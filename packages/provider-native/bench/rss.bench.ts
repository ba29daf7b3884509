/**
 * RSS over many native handshakes (issue 18 §4): Kerberos through the dispatcher against a throwaway
 * lab, with one reused client credential and with a fresh one per handshake; RSS, heap and live
 * handles printed every tenth of the run after a GC. A leak shows as steady growth; allocator
 * warm-up as growth that stops. Asserts nothing. `SSPKIT_RSS_HANDSHAKES` sets the count (100,000).
 * Run: `pnpm bench rss` (node runs it with --expose-gc).
 */
import { loadavg } from 'node:os';
import { AscReq, IscReq, SecPkgCred, clientContext, runHandshake, serverContext } from '@sspkit/core';
import { withLab } from './lab-pair.js';

const N = Number(process.env['SSPKIT_RSS_HANDSHAKES'] ?? '100000');
await withLab(async ({ lab, sspi, acquire }) => {
  const server = await acquire(SecPkgCred.INBOUND, { keytab: lab.serviceKeytab });
  const mib = (n: number): string => (n / 2 ** 20).toFixed(1);
  console.log(
    `(${new Date().toISOString()}, node ${process.version}, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')})`,
  );
  for (const fresh of [false, true]) {
    let client = await acquire(SecPkgCred.OUTBOUND, { ccache: lab.ccache });
    const t0 = Date.now();
    for (let i = 1; i <= N; i++) {
      if (fresh) {
        sspi.freeCredentialsHandle(client);
        client = await acquire(SecPkgCred.OUTBOUND, { ccache: lab.ccache });
      }
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
      if (i % Math.max(1, Math.floor(N / 10)) === 0) {
        (globalThis as { gc?: () => void }).gc?.();
        const m = process.memoryUsage();
        const secs = ((Date.now() - t0) / 1000).toFixed(0);
        console.log(
          `${fresh ? 'fresh' : 'reused'} credential, ${i} handshakes: RSS ${mib(m.rss)} MiB, heap ${mib(m.heapUsed)} MiB, live handles ${sspi.liveHandleCount}, ${secs} s`,
        );
      }
    }
    sspi.freeCredentialsHandle(client);
  }
  sspi.freeCredentialsHandle(server);
});
