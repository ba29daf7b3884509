/**
 * @sspkit/store-redis against a real redis-server (test/redis/server.ts): the nonce-count store keeps
 * the in-memory store's verdicts, both stores are atomic under concurrent calls from several
 * connections, records expire at their retention time, a stopped or hung Redis makes every call
 * reject (bounded by the command timeout, never queued), the client reconnects by itself, and a
 * Redis that lost its records never lets a value seen before the loss pass as fresh.
 * Skipped, with the reason printed, when redis-server is not installed (apt: redis-server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryNonceCountStore } from '@sspkit/digest';
import type { NonceCountVerdict } from '@sspkit/digest';
import { RedisNonceCountStore, RedisReplayStore, RedisStoreError, createRedisClient } from '@sspkit/store-redis';
import { redisAvailable, startRedis } from './redis/server.js';
import type { RedisServer } from './redis/server.js';

const available = redisAvailable();
if (!available) console.warn('redis-stores: redis-server missing (apt-get install redis-server); skipping');

type Client = ReturnType<typeof createRedisClient>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!available)('Redis stores against a real redis-server', () => {
  let redis: RedisServer;
  const clients: Client[] = [];
  let prefixes = 0;
  const prefix = () => `t${++prefixes}:`;

  async function client(commandTimeoutMs = 500): Promise<Client> {
    const c = createRedisClient({ url: redis.url, commandTimeoutMs, connectTimeoutMs: 500, maxReconnectDelayMs: 100 });
    clients.push(c);
    await c.connect();
    return c;
  }

  // Polls until the client is back (it reconnects by itself) and a call succeeds.
  async function untilAnswered<T>(call: () => Promise<T>): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await call();
      } catch (e) {
        if (i > 200) throw e;
        await sleep(50);
      }
    }
  }

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await redis?.close();
  });

  it('the nonce-count store gives the in-memory store’s verdicts (window, replay, late counts)', async () => {
    const c = await client();
    const window = 3;
    const redisStore = new RedisNonceCountStore({ client: c, keyPrefix: prefix(), window });
    const memory = new MemoryNonceCountStore({ window });
    await redisStore.open();
    const retain = Date.now() + 60_000;
    const issued = Date.now();
    // A fixed pseudo-random walk over three keys: increasing, repeated, late within and beyond the window, jumps.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const ncs = [1, 1, 2, 5, 3, 3, 4, 1, 40, 39, 8, 0, 41, 41, 72, 70, 71, 69];
    for (let i = 0; i < 120; i++) {
      const key = `k${next() % 3}`;
      const nc = i < ncs.length ? ncs[i]! : 1 + (next() % 50);
      const [a, b]: NonceCountVerdict[] = [
        await redisStore.record(key, nc, retain, issued),
        memory.record(key, nc, retain),
      ];
      expect(`${key} nc=${nc}: ${a}`).toBe(`${key} nc=${nc}: ${b}`);
      expect(await redisStore.peek(key, nc)).toBe(memory.peek(key, nc));
    }
  });

  it('is atomic: 200 concurrent records of one count from four connections give exactly one fresh', async () => {
    const conns = await Promise.all([client(), client(), client(), client()]);
    const p = prefix();
    const nc = conns.map((c) => new RedisNonceCountStore({ client: c, keyPrefix: p }));
    const replay = conns.map((c) => new RedisReplayStore({ client: c, keyPrefix: p, acceptWindowMs: 0 }));
    await nc[0]!.open();
    const retain = Date.now() + 60_000;
    const issued = Date.now();
    const counts = await Promise.all(
      Array.from({ length: 200 }, (_, i) => nc[i % 4]!.record('same', 1, retain, issued)),
    );
    expect(counts.filter((v) => v === 'fresh')).toHaveLength(1);
    expect(counts.filter((v) => v === 'replay')).toHaveLength(199);
    const once = await Promise.all(Array.from({ length: 200 }, (_, i) => replay[i % 4]!.recordOnce('auth', retain)));
    expect(once.filter((v) => v === 'fresh')).toHaveLength(1);
  });

  it('records expire at retainUntil (PEXPIREAT / PXAT), and a nonce already past it is never recorded', async () => {
    const c = await client();
    const p = prefix();
    const store = new RedisNonceCountStore({ client: c, keyPrefix: p });
    const replay = new RedisReplayStore({ client: c, keyPrefix: p, acceptWindowMs: 0 });
    await store.open();
    const soon = Date.now() + 300;
    expect(await store.record('n', 1, soon, Date.now())).toBe('fresh');
    expect(await replay.recordOnce('a', soon)).toBe('fresh');
    const ttl = await c.pttl(`${p}n`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    expect(await store.record('n', 1, soon, Date.now())).toBe('replay');
    expect(await replay.recordOnce('a', soon)).toBe('replay');
    await sleep(400);
    expect(await c.exists(`${p}n`, `${p}a`)).toBe(0);
    // Past its retention the nonce can no longer be accepted by any instance: no record, a refusal.
    expect(await store.record('old', 1, Date.now() - 1, Date.now())).toBe('replay');
    expect(await c.exists(`${p}old`)).toBe(0);
  });

  it('key prefixes keep services apart', async () => {
    const c = await client();
    const a = new RedisReplayStore({ client: c, keyPrefix: prefix(), acceptWindowMs: 0 });
    const b = new RedisReplayStore({ client: c, keyPrefix: prefix(), acceptWindowMs: 0 });
    const retain = Date.now() + 60_000;
    expect(await a.recordOnce('x', retain)).toBe('fresh');
    expect(await b.recordOnce('x', retain)).toBe('fresh');
    expect(await a.recordOnce('x', retain)).toBe('replay');
  });

  it('a hung Redis: calls reject at the command timeout (nothing queued), and answer once it resumes', async () => {
    const c = await client(200);
    const store = new RedisNonceCountStore({ client: c, keyPrefix: prefix() });
    const replay = new RedisReplayStore({ client: c, keyPrefix: prefix(), acceptWindowMs: 0 });
    await store.open();
    const retain = Date.now() + 60_000;
    expect(await store.record('h', 1, retain, Date.now())).toBe('fresh');
    process.kill(redis.pid!, 'SIGSTOP');
    try {
      const r = await Promise.allSettled([store.record('h', 2, retain, Date.now()), replay.recordOnce('z', retain)]);
      for (const s of r) {
        expect(s.status).toBe('rejected');
        if (s.status === 'rejected') {
          expect(s.reason).toBeInstanceOf(RedisStoreError);
          expect(String(s.reason)).toMatch(/timed out/i);
        }
      }
    } finally {
      process.kill(redis.pid!, 'SIGCONT');
    }
    // The timed-out call may or may not have run on the server: a retry of the same count is then
    // refused or accepted, never twice accepted.
    const again = await untilAnswered(() => store.record('h', 2, retain, Date.now()));
    expect(['fresh', 'replay']).toContain(again);
    expect(await store.record('h', 2, retain, Date.now())).toBe('replay');
  });

  it(
    'a stopped Redis: calls reject (fail closed); restarted, the client reconnects by itself and ' +
      'values issued before the restart are refused, never fresh',
    async () => {
      const c = await client();
      const p = prefix();
      const store = new RedisNonceCountStore({ client: c, keyPrefix: p });
      const replay = new RedisReplayStore({ client: c, keyPrefix: p, acceptWindowMs: 1000 });
      await store.open();
      const issued = Date.now();
      const retain = issued + 60_000;
      // An authenticator-like value: presentable from 1 s before its retainUntil.
      const apReq = issued + 1000;
      expect(await store.record('r', 1, retain, issued)).toBe('fresh');
      expect(await replay.recordOnce('ap-req', apReq)).toBe('fresh');
      await redis.stop();
      await expect(store.record('r', 2, retain, issued)).rejects.toBeInstanceOf(RedisStoreError);
      await expect(store.peek('r', 2)).rejects.toBeInstanceOf(RedisStoreError);
      await expect(replay.recordOnce('other', retain)).rejects.toBeInstanceOf(RedisStoreError);
      await redis.start();
      await sleep(1100);
      // The records died with the process (no persistence). The counts of a nonce issued before the
      // restart may be gone, so it is retired (full: Digest answers stale): nc=1 is not replayable.
      expect(await untilAnswered(() => store.record('r', 1, retain, issued))).toBe('full');
      expect(await store.record('r', 2, retain, issued)).toBe('full');
      // Nor is a one-time value that may have been presented before the restart.
      await expect(replay.recordOnce('ap-req', apReq)).rejects.toThrow(/lost its records/);
      // Values issued after the restart are served as usual.
      const after = Date.now();
      expect(await store.record('new', 1, after + 60_000, after)).toBe('fresh');
      expect(await replay.recordOnce('new-ap-req', after + 1000)).toBe('fresh');
    },
  );

  it('Redis out of memory (noeviction): `full` for nonce counts, a rejection for the replay store', async () => {
    const small = await startRedis({ maxmemory: 1 });
    try {
      const c = createRedisClient({ url: small.url });
      clients.push(c);
      await c.connect();
      const store = new RedisNonceCountStore({ client: c });
      const replay = new RedisReplayStore({ client: c });
      expect(await store.record('m', 1, Date.now() + 60_000, Date.now())).toBe('full');
      await expect(replay.recordOnce('m', Date.now() + 60_000)).rejects.toThrow(/out of memory/);
    } finally {
      await small.close();
    }
  });
});
