/**
 * The conformance check `handshake.replay-shared-store` with Digest's nonce counts on a real Redis:
 * two registries, each with its own load of the Digest package and its own credential on the same
 * Redis store and nonce key (two instances of one service), and the replay refused at the second.
 * Skipped, with the reason printed, when redis-server is not installed (apt: redis-server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '@sspkit/conformance';
import * as digest from '@sspkit/digest';
import { RedisNonceCountStore, createRedisClient } from '@sspkit/store-redis';
import { redisAvailable, startRedis } from './redis/server.js';
import type { RedisServer } from './redis/server.js';

const available = redisAvailable();
if (!available) console.warn('redis-shared-store-check: redis-server missing (apt-get install redis-server); skipping');

describe.skipIf(!available)('conformance: Digest replay across instances on Redis', () => {
  let redis: RedisServer;
  let client: ReturnType<typeof createRedisClient> | undefined;
  beforeAll(async () => {
    redis = await startRedis();
    client = createRedisClient({ url: redis.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.quit();
    await redis?.close();
  });

  it('HTTP Digest passes handshake.replay-shared-store with the Redis nonce-count store', async () => {
    const store = new RedisNonceCountStore({ client: client! });
    await store.open();
    const users = new digest.MemoryUserStore([{ username: 'alice', realm: 'conformance', password: 'alice-password' }]);
    const key = new Uint8Array(32).fill(9);
    const report = await runConformance({
      module: digest.createDigestModule(),
      source: '@sspkit/digest',
      ...digest.digestHttpConformance,
      only: ['handshake.replay-shared-store'],
      sharedStore: {
        serverAuthData: () => ({
          kind: 'digest-server',
          realm: 'conformance',
          users,
          nonceKey: key,
          nonceCounts: store,
          allowMissingUri: true,
        }),
        instance: () => digest.createDigestModule(),
      },
    });
    expect(report.checks.find((c) => c.id === 'handshake.replay-shared-store')).toMatchObject({
      outcome: 'pass',
      seen: 'CompleteAuthToken after call 2: SEC_E_OUT_OF_SEQUENCE',
    });
  });
});
