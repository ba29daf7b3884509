/**
 * The container's RedisStore binding against a real redis-server: `bindRedisStores` rebinds
 * `SSPKIT.NonceCountStore` and `SSPKIT.ReplayStore` to Redis stores over one client, which a Digest
 * credential then uses; two containers (two instances) share the records.
 * Skipped, with the reason printed, when redis-server is not installed (apt: redis-server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SSPKIT, bindRedisStores, createSspkitContainer, resolveDispatcher } from '@sspkit/container';
import type { ReplayStore } from '@sspkit/core';
import { SecPkgCred, statusName } from '@sspkit/core';
import { MemoryUserStore, createDigestModule } from '@sspkit/digest';
import type { NonceCountStore } from '@sspkit/digest';
import { RedisNonceCountStore, RedisReplayStore } from '@sspkit/store-redis';
import type { createRedisClient } from '@sspkit/store-redis';
import { redisAvailable, startRedis } from './redis/server.js';
import type { RedisServer } from './redis/server.js';

const available = redisAvailable();
if (!available) console.warn('redis-container: redis-server missing (apt-get install redis-server); skipping');

describe.skipIf(!available)('bindRedisStores', () => {
  let redis: RedisServer;
  const clients: ReturnType<typeof createRedisClient>[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const c of clients) await c.quit();
    await redis?.close();
  });

  function instance() {
    const container = createSspkitContainer({ packages: [{ name: 'Digest', module: createDigestModule() }] });
    bindRedisStores(container, { url: redis.url, keyPrefix: 'app1:', commandTimeoutMs: 300 });
    return container;
  }

  it('rebinds both stores to Redis; two containers share records; a Digest credential takes the store', async () => {
    const [one, two] = [instance(), instance()];
    const replay1 = await one.getAsync<ReplayStore>(SSPKIT.ReplayStore);
    const replay2 = await two.getAsync<ReplayStore>(SSPKIT.ReplayStore);
    clients.push(await one.getAsync(SSPKIT.RedisClient), await two.getAsync(SSPKIT.RedisClient));
    expect(replay1).toBeInstanceOf(RedisReplayStore);
    // Retained past the accept window (default 20 min): presentable only after this Redis began recording.
    const retain = Date.now() + 1_260_000;
    expect(await replay1.recordOnce('authenticator', retain)).toBe('fresh');
    expect(await replay2.recordOnce('authenticator', retain)).toBe('replay');
    const counts = await one.getAsync<NonceCountStore>(SSPKIT.NonceCountStore);
    expect(counts).toBeInstanceOf(RedisNonceCountStore);
    const sspi = await resolveDispatcher(one);
    const users = new MemoryUserStore([{ username: 'alice', realm: 'zoo', password: 'pw' }]);
    const authData = { kind: 'digest-server', realm: 'zoo', users, nonceCounts: counts };
    const cred = (extra: object) =>
      sspi.acquireCredentialsHandle({
        package: 'Digest',
        credentialUse: SecPkgCred.INBOUND,
        authData: { ...authData, ...extra },
      });
    // A shared store with a nonce key drawn per process is refused; with the configured key it is taken.
    expect(statusName((await cred({})).status)).toBe('SEC_E_UNKNOWN_CREDENTIALS');
    expect(statusName((await cred({ nonceKey: new Uint8Array(32).fill(1) })).status)).toBe('SEC_E_OK');
  });
});
