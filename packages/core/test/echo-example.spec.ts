import { describe, expect, it } from 'vitest';
import { IscReq, SecBufferType, SecPkgCred, SecStatus, createSspi, secBuffer, secBufferDesc } from '@sspkit/core';
import * as echo from '../examples/echo-package.js';

describe('the README example package (examples/echo-package.ts)', () => {
  it('handshakes and signs through the dispatcher', async () => {
    const sspi = await createSspi({ modules: [echo] });
    const cred = await sspi.acquireCredentialsHandle({ package: 'echo', credentialUse: SecPkgCred.BOTH });
    expect(cred.status).toBe(SecStatus.SEC_E_OK);
    const out = secBuffer(SecBufferType.TOKEN);
    const c = await sspi.initializeSecurityContext({
      credential: cred.credential!,
      contextReq: IscReq.ALLOCATE_MEMORY,
      output: secBufferDesc(out),
    });
    expect(c.status).toBe(SecStatus.SEC_E_OK);
    const s = await sspi.acceptSecurityContext({
      credential: cred.credential!,
      contextReq: 0,
      input: secBufferDesc(secBuffer(SecBufferType.TOKEN, out.data)),
    });
    expect(s.status).toBe(SecStatus.SEC_E_OK);
    const data = new TextEncoder().encode('hello');
    const sig = secBuffer(SecBufferType.TOKEN, new Uint8Array(16));
    expect(sspi.makeSignature(c.context!, 0, secBufferDesc(secBuffer(SecBufferType.DATA, data), sig), 0)).toBe(
      SecStatus.SEC_E_OK,
    );
    expect(sspi.verifySignature(s.context!, secBufferDesc(secBuffer(SecBufferType.DATA, data), sig), 0)).toBe(
      SecStatus.SEC_E_OK,
    );
    const tampered = Uint8Array.from(data);
    tampered[0]! ^= 1;
    expect(sspi.verifySignature(s.context!, secBufferDesc(secBuffer(SecBufferType.DATA, tampered), sig), 1)).toBe(
      SecStatus.SEC_E_MESSAGE_ALTERED,
    );
    expect(sspi.deleteSecurityContext(c.context!)).toBe(SecStatus.SEC_E_OK);
    expect(sspi.deleteSecurityContext(c.context!)).toBe(SecStatus.SEC_E_INVALID_HANDLE);
    expect(sspi.makeSignature(c.context!, 0, secBufferDesc(), 0)).toBe(SecStatus.SEC_E_INVALID_HANDLE);
    expect(sspi.encryptMessage(s.context!, 0, secBufferDesc(), 0)).toBe(SecStatus.SEC_E_UNSUPPORTED_FUNCTION);
  });
});
