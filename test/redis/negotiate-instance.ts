/**
 * One instance of a multi-instance Kerberos web service (run as its own process with tsx): @sspkit/http's
 * node middleware offering Negotiate (@sspkit/negotiate, Kerberos inside) and Kerberos, the Kerberos
 * acceptor recording every AP-REQ in Redis (RedisReplayStore). Environment: REDIS_URL, INSTANCE (a
 * name, echoed in each answer), the lab's krb5 variables (KRB5_KTNAME: the service keytab), its own
 * KRB5RCACHEDIR and a KRB5_CONFIG whose `clockskew` sets the replay window. Prints its port on
 * stdout; each authentication failure goes to stderr as one line of JSON with the cause chain.
 * Stops on SIGTERM.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSspi } from '@sspkit/core';
import { HttpAuthenticator, withAuthentication } from '@sspkit/http';
import { createNegotiateModule } from '@sspkit/negotiate';
import { createKerberosModule } from '@sspkit/provider-native';
import { RedisReplayStore, createRedisClient } from '@sspkit/store-redis';
import { configuredClockSkewSeconds } from '../../packages/provider-native/src/ffi/clockskew.js';

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`${name} is not set`);
  return v;
};
const instance = env('INSTANCE');
const redis = createRedisClient({ url: env('REDIS_URL'), commandTimeoutMs: 300, maxReconnectDelayMs: 200 });
await redis.connect();
// The window is 4 × the acceptor's clock skew, as the provider-native README says.
const acceptWindowMs = 4 * configuredClockSkewSeconds() * 1000;
const replayStore = new RedisReplayStore({ client: redis, keyPrefix: 'multi:krb5:', acceptWindowMs });
await replayStore.open();

const sspi = await createSspi({
  modules: [createKerberosModule({ replayStore }), createNegotiateModule({ packages: ['Kerberos'] })],
});

function causeText(c: unknown): string | undefined {
  const parts: string[] = [];
  for (let e = c, i = 0; e !== undefined && e !== null && i < 6; e = (e as { cause?: unknown }).cause, i++)
    parts.push(e instanceof Error ? e.message : typeof e === 'string' ? e : JSON.stringify(e));
  return parts.length > 0 ? parts.join(' <- ') : undefined;
}

const auth = await HttpAuthenticator.create({
  sspi,
  schemes: [{ scheme: 'Negotiate' }, { scheme: 'Kerberos' }],
  onFailure: (e) => {
    const line = { instance, kind: e.kind, status: e.statusName, cause: causeText(e.cause) };
    process.stderr.write(`${JSON.stringify(line)}\n`);
  },
});
const server = createServer(
  withAuthentication(auth, (req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(`${JSON.stringify({ instance, user: req.sspkit.identity.user })}\n`);
  }),
);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => {
    redis.disconnect();
    process.exit(0);
  });
});
