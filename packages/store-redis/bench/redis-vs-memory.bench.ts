/**
 * Digest verifications/s with the nonce counts on Redis ÷ in memory, and the p99 latency of a
 * verified request, in the three-instance setup of test/redis-digest-multi.int.spec.ts: three
 * server processes (@sspkit/http + Digest) behind the round-robin TCP proxy, one redis-server.
 * The client (@sspkit/http's createAuthFetch, CONNECTIONS keep-alive connections) answers the
 * challenge once per connection, then signs every request with the next nc: each request is one
 * verification, and with Redis one EVALSHA round trip. Rounds alternate memory and Redis, side by
 * side, so a machine that is busy elsewhere weighs on both alike. Nothing here asserts a time.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createSspi } from '@sspkit/core';
import { MemoryNonceCountStore, createDigestModule } from '@sspkit/digest';
import type { NonceCountStore } from '@sspkit/digest';
import { createAuthFetch } from '@sspkit/http';
import { RedisNonceCountStore, createRedisClient } from '../src/index.js';
import { startInstance } from '../../../test/redis/instances.js';
import type { DigestInstance } from '../../../test/redis/instances.js';
import { startProxy } from '../../../test/redis/proxy.js';
import { redisAvailable, startRedis } from '../../../test/redis/server.js';

const CONNECTIONS = 12;
const DURATION_MS = Number(process.env['BENCH_DURATION_MS'] ?? '3000');
const WARMUP_MS = 500;
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? '3');

interface Measure {
  readonly rps: number;
  readonly p99: number;
  readonly failed: number;
}

async function measure(url: string): Promise<Measure> {
  const sspi = await createSspi({ modules: [createDigestModule()] });
  const f = createAuthFetch({
    sspi,
    schemes: ['Digest'],
    authData: { Digest: { user: 'alice', password: 'alice-password' } },
    connections: CONNECTIONS,
  });
  const latencies: number[] = [];
  let failed = 0;
  const start = performance.now();
  const end = start + WARMUP_MS + DURATION_MS;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        const r = await f(url);
        await r.arrayBuffer();
        if (t0 >= start + WARMUP_MS) {
          if (r.status === 200) latencies.push(performance.now() - t0);
          else failed++;
        }
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? NaN;
  return { rps: latencies.length / (DURATION_MS / 1000), p99, failed };
}

/** The store call alone, in this process: `record` after `record`, then 12 in flight at a time. */
async function storeCost(store: NonceCountStore): Promise<string> {
  const retain = Date.now() + 600_000;
  const issued = Date.now();
  const times: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const t0 = performance.now();
    await store.record(`k${i % 300}`, 1 + Math.floor(i / 300), retain, issued);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const us = (q: number) => (times[Math.floor(times.length * q)]! * 1000).toFixed(0);
  const t0 = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < 6000; i = next++)
      await store.record(`c${i % 600}`, 1 + Math.floor(i / 600), retain, issued);
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const perSecond = 6000 / ((performance.now() - t0) / 1000);
  const sequential = `p50 ${us(0.5)} µs, p99 ${us(0.99)} µs sequential`;
  return `${sequential}; ${perSecond.toFixed(0)} records/s with ${CONNECTIONS} in flight`;
}

async function setup(store: 'memory' | 'redis', redisUrl: string) {
  const env = { REDIS_URL: redisUrl, NONCE_KEY: randomBytes(32).toString('hex'), STORE: store };
  const instances: DigestInstance[] = await Promise.all(['A', 'B', 'C'].map((n) => startInstance(n, env)));
  const proxy = await startProxy(instances.map((i) => i.port));
  return {
    url: `http://127.0.0.1:${proxy.port}/`,
    // Refused legs the instances logged (a stale or replayed count costs the client a round trip).
    refusals: () => instances.flatMap((i) => i.log().split('\n')).filter((l) => l.startsWith('{')),
    stop: async () => {
      await proxy.close();
      await Promise.all(instances.map((i) => i.stop()));
    },
  };
}

const fmt = (m: Measure) =>
  `${m.rps.toFixed(0).padStart(6)} req/s  p99 ${m.p99.toFixed(2).padStart(6)} ms  failed ${m.failed}`;

if (!redisAvailable()) {
  console.log('redis-vs-memory: redis-server missing (apt-get install redis-server); skipped');
} else {
  const redis = await startRedis();
  console.log(
    `Digest MD5 qop=auth, 3 instances behind a round-robin proxy, ${CONNECTIONS} keep-alive connections, ` +
      `${DURATION_MS / 1000}s per measurement after ${WARMUP_MS / 1000}s warm-up, ${ROUNDS} rounds; ` +
      `load average at start ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  try {
    const client = createRedisClient({ url: redis.url });
    await client.connect();
    const redisStore = new RedisNonceCountStore({ client, keyPrefix: 'bench:' });
    await redisStore.open();
    console.log(`store call, memory: ${await storeCost(new MemoryNonceCountStore())}`);
    console.log(`store call, redis:  ${await storeCost(redisStore)}`);
    await client.quit();
    const ratios: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const results: Record<string, Measure> = {};
      // Alternating which goes first, so a drift in the machine's load does not favour one side.
      const order = round % 2 === 1 ? (['memory', 'redis'] as const) : (['redis', 'memory'] as const);
      for (const store of order) {
        const s = await setup(store, redis.url);
        try {
          results[store] = await measure(s.url);
          const refused = s.refusals();
          if (refused.length > 0) console.log(`  ${store}: ${refused.length} refused legs, e.g. ${refused[0]}`);
        } finally {
          await s.stop();
        }
      }
      const m = results['memory']!;
      const r = results['redis']!;
      ratios.push(r.rps / m.rps);
      console.log(`round ${round}  memory ${fmt(m)}`);
      console.log(`round ${round}  redis  ${fmt(r)}   redis ÷ memory ${(r.rps / m.rps).toFixed(2)}x`);
    }
    ratios.sort((a, b) => a - b);
    console.log(
      `redis ÷ memory: median ${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)}x, range ` +
        `${ratios[0]!.toFixed(2)}–${ratios.at(-1)!.toFixed(2)}x (target ≥ 0.5x); load average now ` +
        loadavg()
          .map((l) => l.toFixed(2))
          .join(' '),
    );
  } finally {
    await redis.close();
  }
}
