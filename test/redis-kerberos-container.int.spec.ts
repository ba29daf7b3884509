/**
 * The container's RedisStore binding for Kerberos (issue 14): two containers (two instances of one
 * service) with `bindRedisStores` on one redis-server; each Kerberos acceptor credential takes the
 * resolved `SSPKIT.ReplayStore` in its auth data, so an AP-REQ accepted through one container is
 * refused through the other (each with its own MIT replay cache). The provider-native README shows
 * the same lines. Skipped, with the reason printed, when redis-server is not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SSPKIT, bindRedisStores, createSspkitContainer, resolveDispatcher } from '@sspkit/container';
import { AscReq, IscReq, SecBufferType, SecPkgCred, secBuffer, secBufferDesc, statusName } from '@sspkit/core';
import type { ReplayStore, SspiDispatcher } from '@sspkit/core';
import { labCopyCcache } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import { createKerberosModule } from '@sspkit/provider-native';
import type { createRedisClient } from '@sspkit/store-redis';
import { join } from 'node:path';
import { startLab, stopLab } from './native/lab.js';
import { redisAvailable, startRedis } from './redis/server.js';
import type { RedisServer } from './redis/server.js';

const available = redisAvailable();
if (!available) console.warn('redis-kerberos-container: redis-server missing; skipping');

// Our record's skew (MIT's own check keeps the lab's); a new Redis is refused for 2 × it.
const SKEW = 3;

describe.skipIf(!available)('bindRedisStores with the Kerberos acceptor', () => {
  let lab: Lab;
  let redis: RedisServer;
  let ccache: string;
  const clients: ReturnType<typeof createRedisClient>[] = [];

  beforeAll(async () => {
    lab = await startLab();
    redis = await startRedis();
    ccache = labCopyCcache(lab, join(lab.dir, 'container.ccache'));
  });
  afterAll(async () => {
    for (const c of clients) await c.quit();
    await redis?.close();
    await stopLab(lab);
  });

  async function instance(n: number): Promise<{ sspi: SspiDispatcher; authData: object }> {
    const container = createSspkitContainer({ packages: [{ name: 'Kerberos', module: createKerberosModule() }] });
    bindRedisStores(container, { url: redis.url, keyPrefix: 'web:', replayAcceptWindowMs: 4 * SKEW * 1000 });
    const replayStore = await container.getAsync<ReplayStore>(SSPKIT.ReplayStore);
    clients.push(await container.getAsync(SSPKIT.RedisClient));
    const rcache = `file2:${join(lab.dir, `container-${n}.rcache2`)}`;
    const authData = { keytab: lab.serviceKeytab, replayStore, clockSkewSeconds: SKEW, credStore: { rcache } };
    return { sspi: await resolveDispatcher(container), authData };
  }

  async function accept(i: { sspi: SspiDispatcher; authData: object }, token: Uint8Array): Promise<string> {
    const cred = await i.sspi.acquireCredentialsHandle({
      package: 'Kerberos',
      credentialUse: SecPkgCred.INBOUND,
      authData: i.authData,
    });
    const r = await i.sspi.acceptSecurityContext({
      credential: cred.credential!,
      contextReq: AscReq.ALLOCATE_MEMORY,
      input: secBufferDesc(secBuffer(SecBufferType.TOKEN, token)),
      output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
    });
    if (r.context !== undefined) i.sspi.deleteSecurityContext(r.context);
    i.sspi.freeCredentialsHandle(cred.credential!);
    return statusName(r.status);
  }

  async function apReq(sspi: SspiDispatcher): Promise<Uint8Array> {
    const cred = await sspi.acquireCredentialsHandle({
      package: 'Kerberos',
      credentialUse: SecPkgCred.OUTBOUND,
      authData: { ccache },
    });
    const out = secBuffer(SecBufferType.TOKEN);
    const r = await sspi.initializeSecurityContext({
      credential: cred.credential!,
      targetName: 'HTTP/localhost',
      contextReq: IscReq.ALLOCATE_MEMORY | IscReq.MUTUAL_AUTH,
      output: secBufferDesc(out),
    });
    sspi.deleteSecurityContext(r.context!);
    sspi.freeCredentialsHandle(cred.credential!);
    return out.data;
  }

  it('an AP-REQ accepted through one container is refused through the other', async () => {
    const [one, two] = [await instance(1), await instance(2)];
    // The new Redis: refused (fail closed) until 2 × skew after its records began.
    let token = await apReq(one.sspi);
    for (let i = 0; (await accept(one, token)) !== 'SEC_E_OK'; i++) {
      if (i > 60) throw new Error('never accepted');
      await new Promise((r) => setTimeout(r, 250));
      token = await apReq(one.sspi);
    }
    expect(await accept(two, token)).toBe('SEC_E_OUT_OF_SEQUENCE');
    expect(await accept(two, await apReq(two.sspi))).toBe('SEC_E_OK');
  }, 60_000);
});
