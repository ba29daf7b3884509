/**
 * Child process of http-vs-apache.bench.ts: @sspkit/http over node:http offering one scheme
 * (BENCH_SCHEME: Negotiate with the environment's keytab, or Digest MD5 qop=auth for user `bench`).
 * Prints its port; on stdin `reset` starts a new window of event-loop figures, `report` prints them
 * (one line of JSON: LoopReport, ./loop-diagnostics.ts). Stops on SIGTERM. BENCH_ACCOUNT_CACHE=off
 * turns provider-native's account cache off (the token's user-database lookups every request).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { createSspi } from '@sspkit/core';
import type { SecurityPackageModule } from '@sspkit/core';
import { MemoryUserStore, NonceIssuer, createDigestModule } from '@sspkit/digest';
import { InMemoryAccountStore, createNtlmModule } from '@sspkit/ntlm';
import { createNegotiateModule } from '@sspkit/negotiate';
import { configureAccountCache, kerberosModule } from '@sspkit/provider-native';
import { HttpAuthenticator, withAuthentication } from '../src/index.js';
import type { SchemeOptions } from '../src/index.js';
import { startLoopDiagnostics } from './loop-diagnostics.js';

const scheme = process.env['BENCH_SCHEME'] ?? 'Digest';
// Negotiate is @sspkit/negotiate over the native Kerberos package (and NTLM, which the client here
// never picks: it holds a Kerberos ticket).
const modules: SecurityPackageModule[] =
  scheme === 'Digest'
    ? [createDigestModule()]
    : scheme === 'NTLM'
      ? [createNtlmModule({})]
      : [kerberosModule, createNtlmModule({}), createNegotiateModule()];
// BENCH_ACCOUNT_CACHE=off: every token looks the account up again (the A/B of the account cache).
if (process.env['BENCH_ACCOUNT_CACHE'] === 'off') configureAccountCache({ ttlMs: 0, negativeTtlMs: 0 });
const sspi = await createSspi({ modules });
const schemes: SchemeOptions[] =
  scheme === 'Digest'
    ? [
        {
          scheme: 'Digest',
          authData: {
            kind: 'digest-server',
            realm: 'bench',
            algorithm: 'MD5',
            qop: ['auth'],
            users: new MemoryUserStore([{ username: 'bench', realm: 'bench', password: 'bench-password' }]),
            nonces: new NonceIssuer(),
          },
        },
      ]
    : scheme === 'NTLM'
      ? [
          {
            scheme: 'NTLM',
            authData: { accounts: new InMemoryAccountStore().addPassword('BENCH', 'bench', 'bench-password') },
          },
        ]
      : [{ scheme, authData: { packages: { Kerberos: { keytab: process.env['KRB5_KTNAME'] ?? '' } } } }];
const auth = await HttpAuthenticator.create({ sspi, schemes });
const server = createServer(
  withAuthentication(auth, (req, res) => {
    res.end(`hello ${req.sspkit.identity.user}\n`);
  }),
);
server.keepAliveTimeout = 30_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const loop = startLoopDiagnostics(process.env['BENCH_LOOP_CPU'] === '1');
process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
createInterface({ input: process.stdin }).on('line', (l) => {
  if (l === 'reset') loop.reset();
  if (l === 'report') process.stdout.write(`${JSON.stringify(loop.report())}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
