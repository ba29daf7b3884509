/**
 * The conformance check `handshake.replay-shared-store` for the Kerberos acceptors (issue 14):
 * Kerberos, Negotiate-MIT and Negotiate (Kerberos inside), each server instance a fresh load of the
 * package in its own registry with its own MIT replay cache (the `rcache` cred-store entry, so MIT's
 * cache cannot be what refuses), all sharing one ReplayStore — in memory, and on a real redis-server.
 * The control: with a store per instance the check fails (the replay authenticates).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryReplayStore } from '@sspkit/core';
import type { ReplayStore, SecurityPackageModule } from '@sspkit/core';
import { runConformance } from '@sspkit/conformance';
import type { ConformanceOptions } from '@sspkit/conformance';
import type { Lab } from '@sspkit/krb5-lab';
import { createNegotiateModule } from '@sspkit/negotiate';
import { createKerberosModule, createNegotiateMitModule } from '@sspkit/provider-native';
import { RedisReplayStore, createRedisClient } from '@sspkit/store-redis';
import { join } from 'node:path';
import { bundleModules } from './negotiate/bundle.js';
import { startLab, stopLab } from './native/lab.js';
import { redisAvailable, startRedis } from './redis/server.js';
import type { RedisServer } from './redis/server.js';

const PACKAGES: Readonly<Record<string, () => SecurityPackageModule>> = {
  Kerberos: () => createKerberosModule(),
  'Negotiate-MIT': () => createNegotiateMitModule(),
  Negotiate: () => bundleModules(createNegotiateModule({ packages: ['Kerberos'] }), createKerberosModule()),
};

let lab: Lab;
let instances = 0;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await stopLab(lab);
});

/** Runs the check; `store()` gives each server instance (credential) its store. */
async function check(packageName: string, store: () => ReplayStore, extra: object = {}) {
  const make = PACKAGES[packageName]!;
  const options: ConformanceOptions = {
    module: make(),
    packageName,
    source: '@sspkit/provider-native',
    only: ['handshake.replay-shared-store'],
    client: {
      authData: { user: 'alice', domain: lab.realm, password: lab.password },
      targetName: 'HTTP/localhost',
      expectedUser: lab.userPrincipal,
    },
    server: { authData: { keytab: lab.serviceKeytab } },
    sharedStore: {
      serverAuthData: () => ({
        keytab: lab.serviceKeytab,
        credStore: { rcache: `file2:${join(lab.dir, `instance-${++instances}.rcache2`)}` },
        replayStore: store(),
        ...extra,
      }),
      instance: make,
    },
  };
  const report = await runConformance(options);
  const found = report.checks.find((c) => c.id === 'handshake.replay-shared-store');
  if (found === undefined) throw new Error('check not run');
  return found;
}

describe.each(Object.keys(PACKAGES))('%s: handshake.replay-shared-store', (packageName) => {
  it('passes with one MemoryReplayStore shared by the instances', async () => {
    const shared = new MemoryReplayStore();
    expect(await check(packageName, () => shared)).toMatchObject({
      outcome: 'pass',
      seen: 'call 1: SEC_E_OUT_OF_SEQUENCE',
    });
  });

  it('control: fails with a store per instance (the replay authenticates on the second)', async () => {
    expect((await check(packageName, () => new MemoryReplayStore())).outcome).toBe('fail');
  });
});

const available = redisAvailable();
if (!available) console.warn('native-conformance-shared-store: redis-server missing; skipping the Redis part');

describe.skipIf(!available)('handshake.replay-shared-store on a real redis-server', () => {
  let redis: RedisServer;
  let client: ReturnType<typeof createRedisClient> | undefined;
  let store: RedisReplayStore;
  // A short skew for our record (MIT's own check keeps the lab's): the new Redis is refused for 2 × it.
  const SKEW = 4;
  beforeAll(async () => {
    redis = await startRedis();
    client = createRedisClient({ url: redis.url });
    await client.connect();
    store = new RedisReplayStore({ client, keyPrefix: 'conformance:krb5:', acceptWindowMs: 4 * SKEW * 1000 });
    await store.open();
    await new Promise((r) => setTimeout(r, 2 * SKEW * 1000 + 200));
  });
  afterAll(async () => {
    await client?.quit();
    await redis?.close();
  });

  it.each(Object.keys(PACKAGES))('%s passes with RedisReplayStore', async (packageName) => {
    expect(await check(packageName, () => store, { clockSkewSeconds: SKEW })).toMatchObject({
      outcome: 'pass',
      seen: 'call 1: SEC_E_OUT_OF_SEQUENCE',
    });
  });
});
