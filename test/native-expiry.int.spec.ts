/**
 * Expiry: a context whose ticket has ended refuses per-message calls with SEC_E_CONTEXT_EXPIRED,
 * and a credential whose TGT has ended cannot start a new handshake. The TGT is requested with a
 * 2-second lifetime (kinit -l 2s); the test waits past it (a wait, not a timing assertion).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AscReq, IscReq, SecBufferType, SecStatus, clientContext, createSspi, runHandshake, secBuffer, secBufferDesc, serverContext } from '@sspkit/core';
import { labKinit } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import { kerberosModule } from '@sspkit/provider-native';
import { startLab, stopLab } from './native/lab.js';

describe('expired tickets', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
  });
  afterAll(async () => {
    await stopLab(lab);
  });

  it('refuse per-message calls and new handshakes with CONTEXT_EXPIRED', async () => {
    const sspi = await createSspi({ modules: [kerberosModule] });
    const ccache = join(lab.dir, 'short.ccache');
    await labKinit(lab, ccache, '2s');
    const client = await clientContext(sspi, { package: 'Kerberos', authData: { ccache }, targetName: 'HTTP/localhost', requirements: IscReq.MUTUAL_AUTH | IscReq.CONFIDENTIALITY });
    const server = await serverContext(sspi, { package: 'Kerberos', authData: { keytab: lab.serviceKeytab }, requirements: AscReq.CONNECTION });
    try {
      await runHandshake(client, server);
      server.verify(Buffer.from('fresh'), client.sign(Buffer.from('fresh')));
      await new Promise((r) => setTimeout(r, 3000));
      const token = secBuffer(SecBufferType.TOKEN, new Uint8Array(client.sizes.maxSignature));
      const st = sspi.makeSignature(client.handle!, 0, secBufferDesc(secBuffer(SecBufferType.DATA, Buffer.from('late')), token), 1);
      expect(st).toBe(SecStatus.SEC_E_CONTEXT_EXPIRED);
      const again = await clientContext(sspi, { package: 'Kerberos', authData: { ccache }, targetName: 'HTTP/localhost', requirements: IscReq.MUTUAL_AUTH }).catch((e: unknown) => e);
      if (again instanceof Error) {
        expect(again.message).toContain('SEC_E_CONTEXT_EXPIRED');
      } else {
        const r = await sspi.initializeSecurityContext({
          credential: (await sspi.acquireCredentialsHandle({ package: 'Kerberos', credentialUse: 2, authData: { ccache } })).credential!,
          targetName: 'HTTP/other.localhost', contextReq: IscReq.ALLOCATE_MEMORY, output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
        });
        expect(r.status).toBe(SecStatus.SEC_E_CONTEXT_EXPIRED);
        (again as { dispose(): void }).dispose();
      }
    } finally {
      client.dispose();
      server.dispose();
    }
  }, 20_000);
});
