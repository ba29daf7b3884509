/**
 * Issue 14 over HTTP: three instances of a Kerberos web service (test/redis/negotiate-instance.ts,
 * separate processes, each with its own MIT replay cache) share one redis-server, behind the
 * round-robin TCP proxy of test/redis/proxy.ts. curl --negotiate (MIT's SPNEGO, the lab's ccache)
 * authenticates through the proxy on every instance; an `Authorization: Negotiate` or `Kerberos`
 * header replayed to another instance is refused (401, the instance's log naming the replay), and
 * with Redis stopped every instance refuses (fails closed) with the store named in its log.
 * Skipped, with the reason printed, when redis-server or curl is missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IscReq, SecBufferType, SecPkgCred, createSspi, secBuffer, secBufferDesc } from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { labCopyCcache } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import { createKerberosModule, createNegotiateMitModule } from '@sspkit/provider-native';
import { runProgram } from './http/programs.js';
import { startLab, stopLab } from './native/lab.js';
import { startProxy } from './redis/proxy.js';
import type { RoundRobinProxy } from './redis/proxy.js';
import { redisAvailable, startRedis, stopChild } from './redis/server.js';
import type { RedisServer } from './redis/server.js';

const available = redisAvailable() && spawnSync('curl', ['--version']).status === 0;
if (!available) console.warn('redis-kerberos-http: redis-server or curl missing; skipping');

const SKEW = 5;
const SCRIPT = fileURLToPath(new URL('./redis/negotiate-instance.ts', import.meta.url));

interface Instance {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcessWithoutNullStreams;
  log(): string;
}

async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), SCRIPT], {
    env: { ...process.env, ...env, INSTANCE: name },
  });
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = /^(\d+)\n/.exec(out);
      if (line) resolve(Number(line[1]));
    });
    child.once('exit', (code) => reject(new Error(`instance ${name} exited (${code}): ${log}`)));
  });
  return { name, port, child, log: () => log };
}

/**
 * The last log line an instance wrote after `before`. The line comes through the child's stdout
 * pipe, which may be read after the HTTP response on the other socket: wait for it (2 s at most).
 */
async function nextLogLine(inst: Instance, before: number): Promise<Record<string, string>> {
  for (let i = 0; i < 200 && inst.log().slice(before).trim() === ''; i++) await new Promise((r) => setTimeout(r, 10));
  return JSON.parse(inst.log().slice(before).trim().split('\n').pop()!) as Record<string, string>;
}

/** One GET with an Authorization header, on a new connection; the status code. */
function get(port: number, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/', headers: { host: 'localhost', authorization }, agent: false },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.once('error', reject);
    req.end();
  });
}

describe.skipIf(!available)('Kerberos web service on three instances sharing Redis', () => {
  let lab: Lab;
  let redis: RedisServer;
  let proxy: RoundRobinProxy;
  let client: SspiDispatcher;
  let ccache: string;
  const instances: Instance[] = [];

  beforeAll(async () => {
    lab = await startLab();
    redis = await startRedis();
    ccache = labCopyCcache(lab, join(lab.dir, 'http.ccache'));
    client = await createSspi({ modules: [createKerberosModule(), createNegotiateMitModule()] });
    // A short allowed skew: a new Redis makes the instances refuse for 2 × skew (see the README).
    const conf = join(lab.dir, 'krb5-web.conf');
    writeFileSync(
      conf,
      readFileSync(lab.krb5Conf, 'utf8').replace('[libdefaults]', `[libdefaults]\n  clockskew = ${SKEW}`),
    );
    for (let i = 0; i < 3; i++) {
      const rcache = join(lab.dir, `web-${i}-rcache`);
      mkdirSync(rcache, { mode: 0o700 });
      const env = { REDIS_URL: redis.url, KRB5RCACHEDIR: rcache, KRB5_CONFIG: conf };
      instances.push(await startInstance(`web-${i}`, env));
    }
    proxy = await startProxy(instances.map((i) => i.port));
    for (const inst of instances) {
      for (let i = 0; (await get(inst.port, await header('Kerberos'))) !== 200; i++) {
        if (i > 100) throw new Error(`${inst.name} never accepted: ${inst.log()}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    for (const i of instances) await stopChild(i.child);
    await redis?.close();
    await stopLab(lab);
  });

  /** A fresh client token: MIT's SPNEGO NegTokenInit (as curl sends it) or a raw Kerberos token. */
  async function header(scheme: 'Negotiate' | 'Kerberos'): Promise<string> {
    const pkg = scheme === 'Negotiate' ? 'Negotiate-MIT' : 'Kerberos';
    const cred = await client.acquireCredentialsHandle({
      package: pkg,
      credentialUse: SecPkgCred.OUTBOUND,
      authData: { ccache },
    });
    const out = secBuffer(SecBufferType.TOKEN);
    const r = await client.initializeSecurityContext({
      credential: cred.credential!,
      targetName: 'HTTP/localhost',
      contextReq: IscReq.ALLOCATE_MEMORY,
      output: secBufferDesc(out),
    });
    client.deleteSecurityContext(r.context!);
    client.freeCredentialsHandle(cred.credential!);
    return `${scheme} ${Buffer.from(out.data).toString('base64')}`;
  }

  it('curl --negotiate through the round-robin proxy authenticates on every instance', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const r = await runProgram('curl', ['-s', '--negotiate', '-u', ':', `http://localhost:${proxy.port}/`], {
        ...lab.env,
        KRB5CCNAME: ccache,
      });
      const body = JSON.parse(r.stdout) as { instance: string; user: string };
      expect(body.user).toBe(lab.userPrincipal);
      seen.add(body.instance);
    }
    expect([...seen].sort()).toEqual(['web-0', 'web-1', 'web-2']);
  });

  it.each(['Negotiate', 'Kerberos'] as const)(
    'an Authorization: %s header replayed to another instance is refused there',
    async (scheme) => {
      const h = await header(scheme);
      expect(await get(instances[0]!.port, h)).toBe(200);
      for (const other of instances.slice(1)) {
        const before = other.log().length;
        expect(await get(other.port, h)).toBe(401);
        const line = await nextLogLine(other, before);
        expect(line['status']).toBe('SEC_E_OUT_OF_SEQUENCE');
        expect(line['cause']).toMatch(/AP-REQ is a replay/);
      }
    },
  );

  it('Redis stopped: every instance refuses a fresh header and says why', async () => {
    await redis.stop();
    try {
      for (const inst of instances) {
        const before = inst.log().length;
        expect(await get(inst.port, await header('Kerberos'))).toBe(401);
        const line = await nextLogLine(inst, before);
        expect(line['status']).toBe('SEC_E_NO_AUTHENTICATING_AUTHORITY');
        expect(line['cause']).toMatch(/replay store/);
      }
    } finally {
      await redis.start();
    }
  });
});
