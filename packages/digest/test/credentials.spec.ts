/**
 * AcquireCredentialsHandle(Digest) pAuthData handling: the module's demo users (alice, bob) and
 * default client serve only a caller that passes no auth data at all; auth data the package does not
 * recognise is refused (SEC_E_UNKNOWN_CREDENTIALS), an unusable user source too (SEC_E_NO_CREDENTIALS),
 * never replaced by the defaults.
 */
import { Buffer } from 'node:buffer';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AscReq,
  IscReq,
  SecBufferType,
  SecPkgCred,
  SecStatus,
  clientContext,
  createSspi,
  isSspiError,
  secBuffer,
  serverContext,
  statusName,
} from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { NonceIssuer } from '../src/crypto/nonce.js';
import { createDigestModule } from '../src/module.js';
import { MemoryUserStore } from '../src/stores/memory-user-store.js';
import { MemoryNonceCountStore } from '../src/stores/nonce-count-store.js';

const users = () => new MemoryUserStore([{ username: 'Mufasa', realm: 'zoo', password: 'Circle of Life' }]);

async function acquire(sspi: SspiDispatcher, credentialUse: number, authData?: object): Promise<string> {
  const r = await sspi.acquireCredentialsHandle({
    package: 'Digest',
    credentialUse,
    ...(authData !== undefined ? { authData } : {}),
  });
  return statusName(r.status);
}

/** Runs an HTTP handshake of the given client identity against a server credential built from `serverAuth`. */
async function logOn(
  sspi: SspiDispatcher,
  serverAuth: object | undefined,
  client: { user: string; password: string },
): Promise<string> {
  const sc = await sspi.acquireCredentialsHandle({
    package: 'Digest',
    credentialUse: SecPkgCred.INBOUND,
    ...(serverAuth !== undefined ? { authData: serverAuth } : {}),
  });
  if (sc.credential === undefined) return statusName(sc.status);
  const c = await clientContext(sspi, {
    package: 'Digest',
    requirements: IscReq.HTTP,
    targetName: '/',
    authData: client,
  });
  const s = await serverContext(sspi, { package: 'Digest', requirements: AscReq.HTTP, credential: sc.credential });
  try {
    // The server's last leg names the request (method, URI), as an HTTP server must.
    const request = [
      secBuffer(SecBufferType.PKG_PARAMS, Buffer.from('GET')),
      secBuffer(SecBufferType.PKG_PARAMS, Buffer.from('/')),
    ];
    await s.step(await c.step(await s.step(await c.step())), { extraInput: request });
    const last = s.legs[s.legs.length - 1];
    return last?.completeAuthToken?.statusName ?? last?.statusName ?? 'none';
  } catch (e) {
    if (isSspiError(e)) return e.code;
    throw e;
  }
}

describe('inbound auth data: no silent fallback to the demo users', () => {
  it('refuses a server record without kind (the reviewer probe: realm + htdigestFile)', async () => {
    const sspi = await createSspi({ modules: [createDigestModule()] });
    expect(await acquire(sspi, SecPkgCred.INBOUND, { realm: 'corp', htdigestFile: '/etc/does-not-exist' })).toBe(
      'SEC_E_UNKNOWN_CREDENTIALS',
    );
    // Before the fix this credential let the public demo user in.
    expect(
      await logOn(
        sspi,
        { realm: 'corp', htdigestFile: '/etc/does-not-exist' },
        { user: 'alice', password: 'alice-password' },
      ),
    ).toBe('SEC_E_UNKNOWN_CREDENTIALS');
  });

  it('refuses an htdigest file that cannot be read, or a record naming no users', async () => {
    const sspi = await createSspi({ modules: [createDigestModule()] });
    expect(
      await acquire(sspi, SecPkgCred.INBOUND, {
        kind: 'digest-server',
        realm: 'corp',
        htdigestFile: '/nonexistent/htdigest',
      }),
    ).toBe('SEC_E_NO_CREDENTIALS');
    expect(await acquire(sspi, SecPkgCred.INBOUND, { kind: 'digest-server', realm: 'corp' })).toBe(
      'SEC_E_NO_CREDENTIALS',
    );
    const dir = mkdtempSync(join(tmpdir(), 'digest-cred-'));
    try {
      writeFileSync(join(dir, 'bad'), 'not an htdigest line\n');
      expect(await acquire(sspi, SecPkgCred.INBOUND, { kind: 'digest-server', htdigestFile: join(dir, 'bad') })).toBe(
        'SEC_E_NO_CREDENTIALS',
      );
      writeFileSync(join(dir, 'ok'), 'Mufasa:zoo:939e7578ed9e3c518a452acee763bce9\n');
      expect(
        await acquire(sspi, SecPkgCred.INBOUND, { kind: 'digest-server', realm: 'zoo', htdigestFile: join(dir, 'ok') }),
      ).toBe('SEC_E_OK');
      expect(
        await logOn(
          sspi,
          { kind: 'digest-server', realm: 'zoo', htdigestFile: join(dir, 'ok') },
          { user: 'alice', password: 'alice-password' },
        ),
      ).toBe('SEC_E_LOGON_DENIED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses unknown fields, bad values and contradictory combinations', async () => {
    const sspi = await createSspi({ modules: [createDigestModule()] });
    for (const authData of [
      { kind: 'digest-server', realm: 'zoo', users: users(), htdigestfile: '/x' },
      { kind: 'digest-server', realm: 'zoo', users: users(), algorithm: 'SHA-1' },
      { kind: 'digest-server', realm: 'zoo', users: users(), qop: ['auth-conf'] },
      { kind: 'digest-server', realm: 'zoo', users: users(), acceptAlgorithms: [] },
      { kind: 'digest-server', realm: 42, users: users() },
      { kind: 'digest-server', users: users(), opaque: 'Ω' },
      { kind: 'digest-server', users: users(), htdigestFile: '/x' },
      { kind: 'digest-server', users: { find: () => undefined } },
      { kind: 'digest-server-v2', users: users() },
      { user: 'Mufasa', password: 'Circle of Life', realm: 'zoo' },
      { user: 'Mufasa' },
      {},
    ]) {
      expect(await acquire(sspi, SecPkgCred.INBOUND, authData), JSON.stringify(Object.keys(authData))).toBe(
        'SEC_E_UNKNOWN_CREDENTIALS',
      );
    }
  });

  it('serves the demo users when no auth data is passed, and only the named user for an identity', async () => {
    const sspi = await createSspi({ modules: [createDigestModule()] });
    expect(await logOn(sspi, undefined, { user: 'alice', password: 'alice-password' })).toBe('SEC_E_OK');
    const identity = { user: 'Mufasa', domain: 'sspkit', password: 'Circle of Life' };
    expect(await logOn(sspi, identity, { user: 'Mufasa', password: 'Circle of Life' })).toBe('SEC_E_OK');
    expect(await logOn(sspi, identity, { user: 'alice', password: 'alice-password' })).toBe('SEC_E_LOGON_DENIED');
    expect(
      await logOn(
        sspi,
        { kind: 'digest-server', users: users(), realm: 'zoo' },
        { user: 'alice', password: 'alice-password' },
      ),
    ).toBe('SEC_E_LOGON_DENIED');
  });
});

describe('outbound auth data: no silent fallback to the default client', () => {
  it('refuses an unrecognised identity instead of acting as alice', async () => {
    const sspi = await createSspi({ modules: [createDigestModule()] });
    expect(await acquire(sspi, SecPkgCred.OUTBOUND, { username: 'Mufasa', password: 'Circle of Life' })).toBe(
      'SEC_E_UNKNOWN_CREDENTIALS',
    );
    expect(await acquire(sspi, SecPkgCred.OUTBOUND, { user: 'Mufasa' })).toBe('SEC_E_UNKNOWN_CREDENTIALS');
    expect(await acquire(sspi, SecPkgCred.OUTBOUND)).toBe('SEC_E_OK');
    expect(await acquire(sspi, SecPkgCred.OUTBOUND, { user: 'Mufasa', password: 'Circle of Life' })).toBe('SEC_E_OK');
  });

  it('a BOTH credential from a server record has no client half (ISC: SEC_E_NO_CREDENTIALS)', async () => {
    const sspi = await createSspi({ modules: [createDigestModule()] });
    const both = await sspi.acquireCredentialsHandle({
      package: 'Digest',
      credentialUse: SecPkgCred.BOTH,
      authData: { kind: 'digest-server', realm: 'zoo', users: users() },
    });
    expect(statusName(both.status)).toBe('SEC_E_OK');
    if (both.credential === undefined) throw new Error('credential');
    const isc = await sspi.initializeSecurityContext({
      credential: both.credential,
      targetName: '/',
      contextReq: IscReq.HTTP,
    });
    expect(isc.status).toBe(SecStatus.SEC_E_NO_CREDENTIALS);
  });
});

describe('a shared nonce key needs a shared nonce-count store', () => {
  it('refuses nonceKey, or a keyed issuer, without nonceCounts', async () => {
    const sspi = await createSspi({ modules: [createDigestModule()] });
    const key = new Uint8Array(32).fill(9);
    expect(
      await acquire(sspi, SecPkgCred.INBOUND, { kind: 'digest-server', realm: 'zoo', users: users(), nonceKey: key }),
    ).toBe('SEC_E_UNKNOWN_CREDENTIALS');
    expect(
      await acquire(sspi, SecPkgCred.INBOUND, {
        kind: 'digest-server',
        realm: 'zoo',
        users: users(),
        nonces: new NonceIssuer({ key }),
      }),
    ).toBe('SEC_E_UNKNOWN_CREDENTIALS');
    expect(
      await acquire(sspi, SecPkgCred.INBOUND, {
        kind: 'digest-server',
        realm: 'zoo',
        users: users(),
        nonceKey: key.subarray(0, 8),
        nonceCounts: new MemoryNonceCountStore(),
      }),
    ).toBe('SEC_E_UNKNOWN_CREDENTIALS');
    expect(
      await acquire(sspi, SecPkgCred.INBOUND, {
        kind: 'digest-server',
        realm: 'zoo',
        users: users(),
        nonceKey: key,
        nonceCounts: new MemoryNonceCountStore(),
      }),
    ).toBe('SEC_E_OK');
    expect(
      await acquire(sspi, SecPkgCred.INBOUND, {
        kind: 'digest-server',
        realm: 'zoo',
        users: users(),
        nonces: new NonceIssuer(),
      }),
    ).toBe('SEC_E_OK');
  });
});
