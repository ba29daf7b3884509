/**
 * Digest across three server instances (separate processes: test/redis/digest-instance.ts, @sspkit/http
 * + Digest + the Redis nonce-count store, one shared nonce key) behind a round-robin TCP proxy, one
 * real redis-server: python-requests and curl sessions spread over the instances authenticate; a
 * response accepted by one instance is refused by every other, and by an instance restarted since;
 * a nonce issued by one instance and expired is answered stale by another; killing an instance
 * mid-run loses no client; stopping Redis fails closed (never 200, the cause in the server log) and
 * restarting it recovers without restarting anything else.
 * Skipped, with the reason printed, when redis-server, curl or python3-requests is missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClientContext } from '../packages/digest/src/http/client-context.js';
import { runProgram } from './http/programs.js';
import { DEBIAN_PYTHON } from './native/peers.js';
import { startInstance } from './redis/instances.js';
import type { DigestInstance } from './redis/instances.js';
import { startProxy } from './redis/proxy.js';
import type { RoundRobinProxy } from './redis/proxy.js';
import { redisAvailable, startRedis } from './redis/server.js';
import type { RedisServer } from './redis/server.js';

const available =
  redisAvailable() &&
  spawnSync('curl', ['--version']).status === 0 &&
  spawnSync(DEBIAN_PYTHON, ['-c', 'import requests']).status === 0;
if (!available) console.warn('redis-digest-multi: redis-server, curl or python3-requests missing; skipping');

const SESSION = new URL('./redis/digest_session.py', import.meta.url).pathname;
const LIFETIME_MS = 8000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One GET on its own connection, straight to one instance's port. */
function get(port: number, authorization?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        agent: false,
        headers: authorization !== undefined ? { Authorization: authorization } : {},
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A challenge from `port`, answered by alice: the Authorization value (nc=00000001). */
async function answerChallengeOf(port: number): Promise<string> {
  const challenge = (await get(port)).headers['www-authenticate'];
  if (typeof challenge !== 'string') throw new Error('no challenge');
  const client = new HttpClientContext({ username: 'alice', password: 'alice-password' }, {});
  const r = client.initialize(challenge, '/', { method: 'GET' });
  if (!r.ok) throw r.error;
  return r.value.token ?? '';
}

const instanceOf = (r: Reply): string | undefined =>
  r.status === 200 ? (JSON.parse(r.body) as { instance: string }).instance : undefined;

interface SessionLine {
  readonly status: number;
  readonly instance?: string;
}

describe.skipIf(!available)('Digest on three instances sharing one Redis', () => {
  let redis: RedisServer;
  let proxy: RoundRobinProxy;
  const instances: DigestInstance[] = [];
  const env: Record<string, string> = {};
  const url = () => `http://127.0.0.1:${proxy.port}/`;
  const logs = () => instances.map((i) => i.log()).join('');

  beforeAll(async () => {
    redis = await startRedis();
    Object.assign(env, {
      REDIS_URL: redis.url,
      NONCE_KEY: randomBytes(32).toString('hex'),
      NONCE_LIFETIME_MS: String(LIFETIME_MS),
    });
    instances.push(...(await Promise.all(['A', 'B', 'C'].map((n) => startInstance(n, env)))));
    proxy = await startProxy(instances.map((i) => i.port));
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
    await Promise.all(instances.map((i) => i.stop()));
    await redis?.close();
  });

  async function pythonSession(count: number, delayMs: number): Promise<SessionLine[]> {
    const r = await runProgram(
      DEBIAN_PYTHON,
      [SESSION, url(), String(count), 'alice', 'alice-password', String(delayMs)],
      {},
    );
    return r.stdout
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as SessionLine);
  }

  async function curlDigest(): Promise<{ status: number; instance?: string; out: string }> {
    const r = await runProgram(
      'curl',
      ['-s', '-H', 'Connection: close', '-w', '\n%{http_code}', '--digest', '-u', 'alice:alice-password', url()],
      {},
    );
    const lines = r.stdout.trim().split('\n');
    const status = Number(lines.at(-1));
    const body = lines.slice(0, -1).join('\n');
    const instance = status === 200 ? (JSON.parse(body) as { instance: string }).instance : undefined;
    return { status, ...(instance !== undefined ? { instance } : {}), out: r.stdout + r.stderr };
  }

  it('a python-requests Digest session spread over the instances authenticates every request', async () => {
    const lines = await pythonSession(9, 0);
    expect(lines.map((l) => l.status)).toEqual(Array(9).fill(200));
    expect(new Set(lines.map((l) => l.instance))).toEqual(new Set(['A', 'B', 'C']));
  });

  it('curl --digest through the proxy: the challenge from one instance, the answer verified by the next', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const r = await curlDigest();
      expect(r.status, r.out).toBe(200);
      seen.add(r.instance ?? '');
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it('a response accepted by one instance is a replay at every instance (same header, same nc)', async () => {
    const [a, b, c] = instances as [DigestInstance, DigestInstance, DigestInstance];
    const authz = await answerChallengeOf(a.port);
    expect(authz).toMatch(/nc=00000001/);
    // The nonce came from A; B verifies it (shared key) and records nc=1 in Redis.
    expect(instanceOf(await get(b.port, authz))).toBe('B');
    for (const other of [c, a, b]) expect((await get(other.port, authz)).status, other.name).toBe(401);
    expect(c.log()).toMatch(/"status":"SEC_E_OUT_OF_SEQUENCE","cause":"nonce count already used"/);
    expect(a.log()).toMatch(/nonce count already used/);
  });

  it('an instance killed mid-run loses no client; restarted, it refuses what was accepted before', async () => {
    const victim = instances[1]!;
    const captured = await answerChallengeOf(instances[0]!.port);
    expect(instanceOf(await get(victim.port, captured))).toBe('B');
    // The session pauses between its 6th and 7th request (no request in flight: the proxy cannot
    // retry one whose instance dies under it) while B is killed; it then goes on with the same nonce.
    const child = spawn(DEBIAN_PYTHON, [SESSION, url(), '24', 'alice', 'alice-password', '20', '6'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const lines: SessionLine[] = [];
    for await (const line of createInterface({ input: child.stdout })) {
      lines.push(JSON.parse(line) as SessionLine);
      if (lines.length === 6) {
        await victim.stop(true);
        child.stdin.write('\n');
      }
    }
    expect(lines.map((l) => l.status)).toEqual(Array(24).fill(200));
    expect(new Set(lines.slice(0, 6).map((l) => l.instance))).toEqual(new Set(['A', 'B', 'C']));
    expect(new Set(lines.slice(6).map((l) => l.instance))).toEqual(new Set(['A', 'C']));
    // B comes back as a new process (nothing in memory) and joins the rotation again.
    const restarted = await startInstance('B', env);
    instances[1] = restarted;
    proxy.backends = instances.map((i) => i.port);
    const again = await get(restarted.port, captured);
    expect(again.status).toBe(401);
    expect(restarted.log()).toMatch(/nonce count already used/);
  });

  it('a nonce issued by one instance and expired is answered stale by another (which issues a fresh one)', async () => {
    const [a, b] = instances as [DigestInstance, DigestInstance];
    const challenge = (await get(a.port)).headers['www-authenticate'];
    await sleep(LIFETIME_MS + 300);
    const client = new HttpClientContext({ username: 'alice', password: 'alice-password' }, {});
    const r = client.initialize(String(challenge), '/', { method: 'GET' });
    if (!r.ok) throw r.error;
    const answer = await get(b.port, r.value.token);
    expect(answer.status).toBe(401);
    expect(String(answer.headers['www-authenticate'])).toMatch(/stale=true/);
  }, 30_000);

  it('Redis stopped: fails closed (never 200, cause logged); Redis restarted: clients authenticate again', async () => {
    await redis.stop();
    const during = await curlDigest();
    expect(during.status, during.out).not.toBe(200);
    expect([401, 500]).toContain(during.status);
    const python = await pythonSession(3, 0);
    expect(python.every((l) => l.status !== 200)).toBe(true);
    const refusal = /"status":"SEC_E_NO_AUTHENTICATING_AUTHORITY","cause":"the nonce-count store did not answer/;
    expect(logs()).toMatch(refusal);
    expect(logs()).toMatch(/did not answer \(redis nonce-count store: [^"]+\): refused rather than unchecked"/);
    await redis.start();
    let after = await curlDigest();
    for (let i = 0; i < 40 && after.status !== 200; i++) {
      await sleep(250);
      after = await curlDigest();
    }
    expect(after.status, after.out).toBe(200);
    const lines = await pythonSession(6, 0);
    expect(lines.map((l) => l.status)).toEqual(Array(6).fill(200));
  }, 60_000);
});
