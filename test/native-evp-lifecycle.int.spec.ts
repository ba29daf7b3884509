/**
 * The EVP contexts under sspkit's RFC 4121 tokens (packages/provider-native/src/ffi/evp.ts) on real
 * Kerberos contexts through the dispatcher: every AES key's native contexts are freed by
 * DeleteSecurityContext, so none stay live however many contexts come and go. (100,000 contexts on
 * synthetic keys: packages/provider-native/test/lucid-evp.spec.ts.)
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AscReq, IscReq, clientContext, createSspi, runHandshake, serverContext } from '@sspkit/core';
import type { CredHandle, SspiDispatcher } from '@sspkit/core';
import { labCopyCcache } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import { kerberosModule } from '@sspkit/provider-native';
import { liveEvpContexts } from '../packages/provider-native/src/ffi/evp.js';
import { startLab, stopLab } from './native/lab.js';

const REQ = IscReq.MUTUAL_AUTH | IscReq.REPLAY_DETECT | IscReq.SEQUENCE_DETECT | IscReq.CONFIDENTIALITY;

describe('EVP contexts of Kerberos contexts through the dispatcher', () => {
  let lab: Lab;
  let sspi: SspiDispatcher;
  let clientCred: CredHandle;
  let serverCred: CredHandle;

  beforeAll(async () => {
    lab = await startLab();
    const ccache = labCopyCcache(lab, join(lab.dir, 'evp.ccache'));
    sspi = await createSspi({ modules: [kerberosModule] });
    const acquire = async (use: number, authData: object): Promise<CredHandle> =>
      (await sspi.acquireCredentialsHandle({ package: 'Kerberos', credentialUse: use, authData })).credential!;
    clientCred = await acquire(2, { ccache });
    serverCred = await acquire(1, { keytab: lab.serviceKeytab });
  });
  afterAll(async () => {
    sspi.freeCredentialsHandle(clientCred);
    sspi.freeCredentialsHandle(serverCred);
    expect(sspi.liveHandleCount).toBe(0);
    await stopLab(lab);
  });

  it('DeleteSecurityContext frees them: 2,000 pairs sealing both ways leave none live', async () => {
    const before = liveEvpContexts();
    const msg = Buffer.alloc(64, 7);
    for (let i = 0; i < 2000; i++) {
      const client = await clientContext(sspi, {
        package: 'Kerberos',
        credential: clientCred,
        targetName: 'HTTP/localhost',
        requirements: REQ,
      });
      const server = await serverContext(sspi, {
        package: 'Kerberos',
        credential: serverCred,
        requirements: AscReq.CONNECTION,
      });
      try {
        await runHandshake(client, server);
        expect(Buffer.from(server.decrypt(client.encrypt(msg))).equals(msg)).toBe(true);
        expect(Buffer.from(client.decrypt(server.encrypt(msg))).equals(msg)).toBe(true);
        // Each side: its sealing key and the peer's (three EVP contexts each).
        if (i === 0) expect(liveEvpContexts() - before).toBe(12);
      } finally {
        client.dispose();
        server.dispose();
      }
      expect(liveEvpContexts()).toBe(before);
    }
  }, 120_000);
});
