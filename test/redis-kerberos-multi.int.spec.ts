/**
 * Issue 14, Kerberos across processes: three server instances (test/redis/kerberos-instance.ts, each a
 * process with its own MIT replay cache) share one real redis-server (test/redis/server.ts) through
 * RedisReplayStore. An AP-REQ accepted by one instance is refused by the others (Kerberos,
 * Negotiate-MIT, Negotiate with Kerberos inside) — and accepted by them without the shared record,
 * so the refusal is the shared check's; Redis stopped → every instance fails closed with a cause;
 * Redis restarted empty → no AP-REQ seen before the loss passes, and fresh ones are accepted again.
 * The instances read `clockskew = 5` from their krb5.conf, so refusing what may predate a loss lasts
 * 2 × 5 s after Redis starts empty (at the start of the file too).
 * Skipped, with the reason printed, when redis-server is not installed (apt: redis-server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IscReq, SecBufferType, SecPkgCred, createSspi, secBuffer, secBufferDesc } from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { labCopyCcache } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import { createNegotiateModule } from '@sspkit/negotiate';
import { createKerberosModule, createNegotiateMitModule } from '@sspkit/provider-native';
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLab, stopLab } from './native/lab.js';
import type { AcceptReply, AcceptRequest, ReadyMessage } from './redis/kerberos-instance.js';
import { redisAvailable, startRedis } from './redis/server.js';
import type { RedisServer } from './redis/server.js';

const available = redisAvailable();
if (!available) console.warn('redis-kerberos-multi: redis-server missing (apt-get install redis-server); skipping');

const SKEW = 5;
const PACKAGES = ['Kerberos', 'Negotiate-MIT', 'Negotiate'] as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Instance {
  #next = 0;
  readonly #pending = new Map<number, (r: AcceptReply) => void>();
  constructor(readonly child: ChildProcess) {
    child.on('message', (m: AcceptReply) => this.#pending.get(m.id)?.(m));
  }
  accept(pkg: string, token: Uint8Array, registry: AcceptRequest['registry'] = 'shared'): Promise<AcceptReply> {
    const id = ++this.#next;
    const req: AcceptRequest = { id, pkg, token: Buffer.from(token).toString('base64'), registry };
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.child.send(req);
    });
  }
}

describe.skipIf(!available)('Kerberos replay across processes sharing Redis', () => {
  let lab: Lab;
  let redis: RedisServer;
  let client: SspiDispatcher;
  let ccache: string;
  const instances: Instance[] = [];
  const skews: number[] = [];

  beforeAll(async () => {
    lab = await startLab();
    redis = await startRedis();
    ccache = labCopyCcache(lab, join(lab.dir, 'multi.ccache'));
    client = await createSspi({
      modules: [createKerberosModule(), createNegotiateMitModule(), createNegotiateModule({ packages: ['Kerberos'] })],
    });
    // The instances' krb5.conf: the lab's with a short allowed skew.
    const conf = join(lab.dir, 'krb5-instances.conf');
    writeFileSync(
      conf,
      readFileSync(lab.krb5Conf, 'utf8').replace('[libdefaults]', `[libdefaults]\n  clockskew = ${SKEW}`),
    );
    for (let i = 0; i < 3; i++) {
      const rcacheDir = join(lab.dir, `instance-${i}-rcache`);
      mkdirSync(rcacheDir, { mode: 0o700 });
      const child = fork('test/redis/kerberos-instance.ts', [], {
        execArgv: ['--import', 'tsx'],
        env: {
          ...process.env,
          KRB5_CONFIG: conf,
          KRB5RCACHEDIR: rcacheDir,
          SSPKIT_TEST_REDIS_URL: redis.url,
          SSPKIT_TEST_KEYTAB: lab.serviceKeytab,
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const ready = await new Promise<ReadyMessage>((resolve, reject) => {
        child.once('message', (m: ReadyMessage) => resolve(m));
        child.once('exit', (code) => reject(new Error(`instance ${i} exited (${code})`)));
      });
      skews.push(ready.skewSeconds);
      instances.push(new Instance(child));
    }
    // A new Redis: the instances refuse until 2 × skew has passed since its records started.
    await untilAccepted(inst(0));
  }, 60_000);

  afterAll(async () => {
    for (const { child } of instances) {
      const gone = new Promise((r) => child.once('exit', r));
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
      await gone;
    }
    await redis?.close();
    await stopLab(lab);
  });

  async function firstToken(pkg: string): Promise<Uint8Array> {
    const cred = await client.acquireCredentialsHandle({
      package: pkg,
      credentialUse: SecPkgCred.OUTBOUND,
      authData: { ccache },
    });
    const out = secBuffer(SecBufferType.TOKEN);
    const r = await client.initializeSecurityContext({
      credential: cred.credential!,
      targetName: 'HTTP/localhost',
      contextReq: IscReq.ALLOCATE_MEMORY | IscReq.MUTUAL_AUTH,
      output: secBufferDesc(out),
    });
    client.deleteSecurityContext(r.context!);
    client.freeCredentialsHandle(cred.credential!);
    return out.data;
  }

  const accepted = (r: AcceptReply) => ['SEC_E_OK', 'SEC_I_CONTINUE_NEEDED'].includes(r.status);

  /**
   * Offers fresh Kerberos AP-REQs until one is accepted; returns it. After Redis starts empty (a new
   * deployment, a restart without persistence) the store refuses, failing closed, whatever may have
   * been accepted before the loss: for 2 × skew, since our record keeps a key 2 × skew.
   */
  async function untilAccepted(instance: Instance): Promise<Uint8Array> {
    for (let i = 0; ; i++) {
      const token = await firstToken('Kerberos');
      const r = await instance.accept('Kerberos', token);
      if (accepted(r)) return token;
      expect(r.status).toBe('SEC_E_NO_AUTHENTICATING_AUTHORITY');
      if (i > 120) throw new Error(`never accepted: ${r.cause}`);
      await sleep(250);
    }
  }
  const inst = (i: number): Instance => {
    const found = instances[i];
    if (found === undefined) throw new Error(`no instance ${i}`);
    return found;
  };

  it('every instance read its clock skew from krb5.conf', () => {
    expect(skews).toEqual([SKEW, SKEW, SKEW]);
  });

  it.each(PACKAGES)('%s: the AP-REQ accepted by one instance is refused by every other', async (pkg) => {
    const token = await firstToken(pkg);
    expect(await inst(0).accept(pkg, token)).toMatchObject({ status: expect.stringMatching(/OK|CONTINUE/) });
    for (const other of [inst(1), inst(2)]) {
      const r = await other.accept(pkg, token);
      expect(r.status).toBe('SEC_E_OUT_OF_SEQUENCE');
      expect(r.cause).toMatch(/AP-REQ is a replay/);
    }
  });

  it.each(PACKAGES)('%s control: another process without the shared record accepts the replay', async (pkg) => {
    const token = await firstToken(pkg);
    expect(accepted(await inst(0).accept(pkg, token))).toBe(true);
    expect(accepted(await inst(1).accept(pkg, token, 'plain'))).toBe(true);
  });

  it('Redis stopped: all fail closed with a cause; restarted empty: nothing from before passes', async () => {
    const before = await firstToken('Kerberos');
    expect(accepted(await inst(0).accept('Kerberos', before))).toBe(true);
    await redis.stop();
    for (const instance of [inst(0), inst(1), inst(2)]) {
      const r = await instance.accept('Kerberos', await firstToken('Kerberos'));
      expect(r.status).toBe('SEC_E_NO_AUTHENTICATING_AUTHORITY');
      expect(r.cause).toMatch(/replay store/);
    }
    await redis.start();
    // Wait (fresh AP-REQs only: each one reaches the instance's MIT cache) until instance 1 talks to
    // Redis again. The record of `before` is gone with Redis' memory; the store refuses it as what may
    // predate the loss, as it refuses everything for 2 × skew.
    for (let i = 0; ; i++) {
      const probe = await inst(1).accept('Kerberos', await firstToken('Kerberos'));
      if (/Redis lost its records/.test(probe.cause)) break;
      if (i > 40) throw new Error(`instance 1 never reconnected: ${probe.cause}`);
      await sleep(100);
    }
    const replay = await inst(1).accept('Kerberos', before);
    expect(replay.status).toBe('SEC_E_NO_AUTHENTICATING_AUTHORITY');
    expect(replay.cause).toMatch(/Redis lost its records/);
    // Recovery: 2 × skew after the loss a fresh AP-REQ is accepted again, and its replay refused.
    const fresh = await untilAccepted(inst(2));
    expect((await inst(0).accept('Kerberos', fresh)).status).toBe('SEC_E_OUT_OF_SEQUENCE');
  }, 60_000);
});
