/**
 * Callers hand tokens over as Node `Buffer`s (an HTTP header decoded with `Buffer.from(…, 'base64')`,
 * a socket frame). `Buffer#slice` is a view, not a copy: the acceptor once "copied" the AUTHENTICATE
 * message with it and zeroed the MIC in the caller's own token before comparing, so every Buffer
 * handshake failed with SEC_E_MESSAGE_ALTERED. The package must neither depend on the input's class
 * nor write into it.
 */
import {
  AscReq,
  IscReq,
  SecBufferType,
  SecPkgCred,
  SecStatus,
  createSspi,
  secBuffer,
  secBufferDesc,
} from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { createNtlmModule } from '../src/module.js';
import { accounts } from './fixtures.js';

const alice = { user: 'alice', domain: 'EXAMPLE', password: 'Passw0rd!', workstation: 'WS1' };
const tok = (data?: Uint8Array) => secBuffer(SecBufferType.TOKEN, data);

describe('NTLM with Buffer inputs', () => {
  it('completes a handshake whose tokens are Buffers, and leaves every input token as it was', async () => {
    const sspi = await createSspi({
      modules: [createNtlmModule({ accounts: accounts(), domain: 'EXAMPLE', computer: 'SRV1', allowReflection: true })],
    });
    const cc = await sspi.acquireCredentialsHandle({
      package: 'NTLM',
      credentialUse: SecPkgCred.OUTBOUND,
      authData: alice,
    });
    const sc = await sspi.acquireCredentialsHandle({ package: 'NTLM', credentialUse: SecPkgCred.INBOUND });
    const o1 = tok();
    const c = await sspi.initializeSecurityContext({
      credential: cc.credential!,
      contextReq: IscReq.ALLOCATE_MEMORY,
      output: secBufferDesc(o1),
    });
    const negotiate = Buffer.from(o1.data);
    const o2 = tok();
    const s = await sspi.acceptSecurityContext({
      credential: sc.credential!,
      contextReq: AscReq.ALLOCATE_MEMORY,
      input: secBufferDesc(tok(negotiate)),
      output: secBufferDesc(o2),
    });
    expect(s.status).toBe(SecStatus.SEC_I_CONTINUE_NEEDED);
    const challenge = Buffer.from(o2.data);
    const o3 = tok();
    const c2 = await sspi.initializeSecurityContext({
      context: c.context!,
      contextReq: IscReq.ALLOCATE_MEMORY,
      input: secBufferDesc(tok(challenge)),
      output: secBufferDesc(o3),
    });
    expect(c2.status).toBe(SecStatus.SEC_E_OK);
    const authenticate = Buffer.from(o3.data);
    const before = Buffer.from(authenticate);
    const s2 = await sspi.acceptSecurityContext({
      context: s.context!,
      contextReq: AscReq.ALLOCATE_MEMORY,
      input: secBufferDesc(tok(authenticate)),
      output: secBufferDesc(tok()),
    });
    expect(s2.status).toBe(SecStatus.SEC_E_OK);
    expect(authenticate.equals(before)).toBe(true);
    expect(Buffer.from(negotiate).equals(Buffer.from(o1.data))).toBe(true);
  });
});
