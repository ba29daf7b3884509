/** Every Mock failure says why: handshake results carry a cause, per-message failures fill failureCause. */
import { describe, expect, it } from 'vitest';
import {
  SecBufferType,
  SecStatus,
  clientContext,
  createSspi,
  runHandshake,
  secBuffer,
  secBufferDesc,
  serverContext,
} from '@sspkit/core';
import { MockPackage } from '../src/index.js';

async function setup() {
  const mock = new MockPackage();
  const sspi = await createSspi({ modules: [mock.module] });
  return { sspi };
}

describe('Mock causes', () => {
  it('a wrong password: LOGON_DENIED with the reason, no password in it', async () => {
    const { sspi } = await setup();
    const client = await clientContext(sspi, {
      package: 'Mock',
      authData: { user: 'alice', domain: 'MOCK', password: 'not-her-password' },
      targetName: 'host/x',
    });
    const server = await serverContext(sspi, { package: 'Mock' });
    const err = await runHandshake(client, server).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'SEC_E_LOGON_DENIED',
      cause: expect.objectContaining({ message: 'unknown user or wrong password' }),
    });
    expect(JSON.stringify(err) + String((err as Error).cause)).not.toContain('not-her-password');
  });

  it('garbage, a replayed final token and a stale handle each carry their reason', async () => {
    const { sspi } = await setup();
    const cred = (await sspi.acquireCredentialsHandle({ package: 'Mock', credentialUse: 1 })).credential!;
    const garbage = await sspi.acceptSecurityContext({
      credential: cred,
      contextReq: 0,
      input: secBufferDesc(secBuffer(SecBufferType.TOKEN, new Uint8Array([1, 2, 3]))),
      output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
    });
    expect(garbage.status).toBe(SecStatus.SEC_E_INVALID_TOKEN);
    expect(String((garbage.cause as Error).message)).toMatch(/missing, malformed/);
    const client = await clientContext(sspi, {
      package: 'Mock',
      authData: { user: 'alice', domain: 'MOCK', password: 'alice-password' },
      targetName: 'host/x',
    });
    const server = await serverContext(sspi, { package: 'Mock' });
    await runHandshake(client, server);
    const again = await sspi.acceptSecurityContext({
      credential: cred,
      context: server.handle!,
      contextReq: 0,
      input: secBufferDesc(secBuffer(SecBufferType.TOKEN, new Uint8Array(8))),
      output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
    });
    expect(again).toMatchObject({
      status: SecStatus.SEC_E_OUT_OF_SEQUENCE,
      cause: expect.objectContaining({ message: 'the handshake is already complete' }),
    });
  });

  it('per-message: a tampered message fills failureCause, the next success clears it', async () => {
    const { sspi } = await setup();
    const client = await clientContext(sspi, {
      package: 'Mock',
      authData: { user: 'alice', domain: 'MOCK', password: 'alice-password' },
      targetName: 'host/x',
      requirements: 0x10000 | 0x4 | 0x8,
    });
    const server = await serverContext(sspi, { package: 'Mock' });
    await runHandshake(client, server);
    const data = new Uint8Array([1, 2, 3]);
    const sig = client.sign(data);
    const err = (() => {
      try {
        server.verify(new Uint8Array([1, 2, 4]), sig);
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(err).toMatchObject({
      code: 'SEC_E_MESSAGE_ALTERED',
      cause: expect.objectContaining({ message: expect.stringMatching(/MAC does not verify/) }),
    });
    expect(sspi.failureCause(server.handle!)).toBeDefined();
    // The genuine message (the same sequence number) still verifies, and clears the cause.
    sspi.verifySignature(
      server.handle!,
      secBufferDesc(secBuffer(SecBufferType.DATA, data), secBuffer(SecBufferType.TOKEN, sig)),
      0,
    );
    expect(sspi.failureCause(server.handle!)).toBeUndefined();
  });
});
