import { IscReq, SecBufferType, SecPkgCred, SecStatus, secBuffer, secBufferDesc } from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { createNtlmModule } from '../src/module.js';
import { accounts } from './fixtures.js';

describe('the NTLM function tables used directly (no dispatcher)', () => {
  it('Shutdown, called detached, deletes every context and credential', async () => {
    const mod = createNtlmModule({ accounts: accounts() });
    const lsa = (await mod.spLsaModeInitialize(0)).tables[0];
    if (!lsa?.acquireCredentialsHandle || !lsa.initLsaModeContext || !lsa.shutdown || !lsa.deleteContext)
      throw new Error('slots missing');
    const cred = await lsa.acquireCredentialsHandle(
      undefined,
      SecPkgCred.OUTBOUND,
      undefined,
      { user: 'alice', domain: 'EXAMPLE', password: 'Passw0rd!' },
      undefined,
      undefined,
    );
    expect(cred.status).toBe(SecStatus.SEC_E_OK);
    const out = secBuffer(SecBufferType.TOKEN);
    const ctx = await lsa.initLsaModeContext(
      cred.credentialHandle,
      undefined,
      undefined,
      IscReq.ALLOCATE_MEMORY,
      0,
      undefined,
      secBufferDesc(out),
    );
    expect(ctx.status).toBe(SecStatus.SEC_I_CONTINUE_NEEDED);
    expect(out.data.length).toBeGreaterThan(0);
    const shutdown = lsa.shutdown;
    expect(shutdown()).toBe(SecStatus.SEC_E_OK);
    expect(lsa.deleteContext(ctx.newContextHandle ?? 0)).toBe(SecStatus.SEC_E_INVALID_HANDLE);
  });

  it('a too-small caller-supplied output buffer → SEC_E_BUFFER_TOO_SMALL', async () => {
    const lsa = (await createNtlmModule({ accounts: accounts() }).spLsaModeInitialize(0)).tables[0];
    const cred = await lsa!.acquireCredentialsHandle!(
      undefined,
      SecPkgCred.OUTBOUND,
      undefined,
      { user: 'alice', password: 'x' },
      undefined,
      undefined,
    );
    const out = secBuffer(SecBufferType.TOKEN, new Uint8Array(4));
    const ctx = await lsa!.initLsaModeContext!(
      cred.credentialHandle,
      undefined,
      undefined,
      0,
      0,
      undefined,
      secBufferDesc(out),
    );
    expect(ctx.status).toBe(SecStatus.SEC_E_BUFFER_TOO_SMALL);
  });
});
