/**
 * The server's context requirements (ASC_REQ_*) bind the answer it accepts (issue 17): a server that
 * asked for integrity must not establish a context whose client chose a qop without it, whatever a
 * man in the middle wrote into the challenge.
 */
import { Buffer } from 'node:buffer';
import {
  AscReq,
  AscRet,
  IscReq,
  SecBufferType,
  SecPkgCred,
  createSspi,
  secBuffer,
  secBufferDesc,
  statusName,
} from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { createDigestModule } from '../src/module.js';

const bytes = (s: string) => Buffer.from(s, 'latin1');
const str = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('latin1');

/** One handshake where `rewrite` edits the server's challenge before the client sees it. */
async function handshake(
  sspi: SspiDispatcher,
  http: boolean,
  serverReq: number,
  clientReq: number,
  rewrite: (c: string) => string,
) {
  const scred = await sspi.acquireCredentialsHandle({ package: 'Digest', credentialUse: SecPkgCred.INBOUND });
  const ccred = await sspi.acquireCredentialsHandle({ package: 'Digest', credentialUse: SecPkgCred.OUTBOUND });
  if (scred.credential === undefined || ccred.credential === undefined) throw new Error('no credentials');
  const out1 = secBufferDesc(secBuffer(SecBufferType.TOKEN));
  const a1 = await sspi.acceptSecurityContext({
    credential: scred.credential,
    contextReq: serverReq | AscReq.ALLOCATE_MEMORY,
    output: out1,
  });
  const challenge = rewrite(str(out1.buffers[0]?.data));
  const out2 = secBufferDesc(secBuffer(SecBufferType.TOKEN));
  const target = http ? '/a' : 'imap/h';
  const i1 = await sspi.initializeSecurityContext({
    credential: ccred.credential,
    targetName: target,
    contextReq: clientReq | IscReq.ALLOCATE_MEMORY,
    input: secBufferDesc(secBuffer(SecBufferType.TOKEN, bytes(challenge))),
    output: out2,
  });
  if (a1.context === undefined || i1.context === undefined) throw new Error(`no context: ${statusName(i1.status)}`);
  const input = http
    ? secBufferDesc(
        secBuffer(SecBufferType.TOKEN, out2.buffers[0]?.data),
        secBuffer(SecBufferType.PKG_PARAMS, bytes('GET')),
        secBuffer(SecBufferType.PKG_PARAMS, bytes(target)),
        secBuffer(SecBufferType.DATA, new Uint8Array(0)),
      )
    : secBufferDesc(secBuffer(SecBufferType.TOKEN, out2.buffers[0]?.data));
  const a2 = await sspi.acceptSecurityContext({
    credential: scred.credential,
    context: a1.context,
    contextReq: serverReq | AscReq.ALLOCATE_MEMORY,
    input,
    output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
  });
  return {
    challenge: str(out1.buffers[0]?.data),
    status: statusName(a2.status),
    attributes: a2.contextAttributes ?? 0,
  };
}

describe('ASC_REQ_INTEGRITY / ASC_REQ_CONFIDENTIALITY bind the accepted answer', () => {
  it('HTTP: the challenge offers only auth-int, and a qop=auth answer to a rewritten one is refused', async () => {
    const sspi = await createSspi({ modules: [createDigestModule()] });
    const r = await handshake(sspi, true, AscReq.HTTP | AscReq.INTEGRITY, IscReq.HTTP, (c) =>
      c.replace(/qop="[^"]*"/, 'qop="auth"'),
    );
    expect(r.challenge).toContain('qop="auth-int"');
    expect(r.status).toBe('SEC_E_SECURITY_QOS_FAILED');
  });

  it('HTTP: an untouched challenge gives auth-int and ASC_RET_INTEGRITY', async () => {
    const sspi = await createSspi({ modules: [createDigestModule()] });
    const r = await handshake(sspi, true, AscReq.HTTP | AscReq.INTEGRITY, IscReq.HTTP, (c) => c);
    expect(r.status).toBe('SEC_E_OK');
    expect(r.attributes & AscRet.INTEGRITY).toBe(AscRet.INTEGRITY);
  });

  it('SASL: confidentiality asked for, a client answering qop=auth (rewritten challenge) is refused', async () => {
    const sspi = await createSspi({ modules: [createDigestModule()] });
    const r = await handshake(sspi, false, AscReq.CONFIDENTIALITY, 0, (c) => c.replace(/qop="[^"]*"/, 'qop="auth"'));
    expect(r.challenge).toContain('qop="auth-conf"');
    expect(r.status).toBe('SEC_E_SECURITY_QOS_FAILED');
  });

  it('SASL: integrity asked for, a qop=auth answer is refused', async () => {
    const sspi = await createSspi({ modules: [createDigestModule()] });
    const r = await handshake(sspi, false, AscReq.INTEGRITY, 0, (c) => c.replace(/qop="[^"]*"/, 'qop="auth"'));
    expect(r.challenge).toContain('qop="auth-int,auth-conf"');
    expect(r.status).toBe('SEC_E_SECURITY_QOS_FAILED');
  });
});
