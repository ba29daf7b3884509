/**
 * One instance of a multi-instance Digest service (run as its own process with tsx): @sspkit/http's
 * node middleware over the Digest package, its nonce counts in Redis (@sspkit/store-redis) and the
 * nonce MAC key shared by every instance. Environment: REDIS_URL, NONCE_KEY (hex, ≥ 16 octets),
 * INSTANCE (a name, echoed in each answer), NONCE_LIFETIME_MS (optional), STORE=memory (the benchmark's
 * baseline: an in-memory store per instance instead of Redis). Prints its port on stdout;
 * each authentication failure goes to stderr as one line of JSON (the server log). Stops on SIGTERM.
 */
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSspi } from '@sspkit/core';
import { MemoryNonceCountStore, MemoryUserStore, createDigestModule } from '@sspkit/digest';
import { HttpAuthenticator, withAuthentication } from '@sspkit/http';
import { RedisNonceCountStore, createRedisClient } from '@sspkit/store-redis';

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`${name} is not set`);
  return v;
};
const instance = env('INSTANCE');
const memory = process.env['STORE'] === 'memory';
const redis = createRedisClient({ url: env('REDIS_URL'), commandTimeoutMs: 300, maxReconnectDelayMs: 200 });
if (!memory) await redis.connect();
const redisCounts = new RedisNonceCountStore({ client: redis, keyPrefix: 'multi:nc:' });
if (!memory) await redisCounts.open();
const nonceCounts = memory ? new MemoryNonceCountStore() : redisCounts;
const lifetime = process.env['NONCE_LIFETIME_MS'];

const sspi = await createSspi({ modules: [createDigestModule()] });
const auth = await HttpAuthenticator.create({
  sspi,
  schemes: [
    {
      scheme: 'Digest',
      authData: {
        kind: 'digest-server',
        realm: 'multi',
        algorithm: 'MD5',
        qop: ['auth'],
        opaque: 'multi-service',
        users: new MemoryUserStore([{ username: 'alice', realm: 'multi', password: 'alice-password' }]),
        nonceKey: Buffer.from(env('NONCE_KEY'), 'hex'),
        ...(lifetime !== undefined ? { nonceLifetimeMs: Number(lifetime) } : {}),
        nonceCounts,
      },
    },
  ],
  onFailure: (e) => {
    const cause = e.cause instanceof Error ? e.cause.message : typeof e.cause === 'string' ? e.cause : undefined;
    process.stderr.write(`${JSON.stringify({ instance, kind: e.kind, status: e.statusName, cause })}\n`);
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
