import {
  AscReq,
  IscReq,
  SecBufferType,
  SecPkgAttr,
  SecBufferFlag,
  SecPkgCred,
  SecQop,
  SecStatus,
  NegotiationState,
  clientContext,
  createSspi,
  isSspiError,
  runHandshake,
  secBuffer,
  secBufferDesc,
  serverContext,
} from '@sspkit/core';
import type { CtxtHandle, SspiDispatcher } from '@sspkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createNtlmModule } from '../src/module.js';
import { encodeSecChannelBindings } from '@sspkit/core';
import { accounts } from './fixtures.js';
import { ascii, toHex } from './helpers.js';

const alice = { user: 'alice', domain: 'EXAMPLE', password: 'Passw0rd!', workstation: 'WS1' };
/** Every slot that threw or returned a non-status: must stay empty (packages never throw). */
const faults: string[] = [];
const sspiWith = (): Promise<SspiDispatcher> =>
  createSspi({
    modules: [createNtlmModule({ accounts: accounts(), domain: 'EXAMPLE', computer: 'SRV1', allowReflection: true })],
    onPackageFault: (f) => faults.push(f.operation),
  });
afterEach(() => {
  expect(faults).toEqual([]);
  faults.length = 0;
});

/** The four legs by hand through the dispatcher, returning both raw context handles. */
async function rawHandshake(sspi: SspiDispatcher): Promise<[CtxtHandle, CtxtHandle]> {
  const cc = await sspi.acquireCredentialsHandle({
    package: 'NTLM',
    credentialUse: SecPkgCred.OUTBOUND,
    authData: alice,
  });
  const sc = await sspi.acquireCredentialsHandle({ package: 'NTLM', credentialUse: SecPkgCred.INBOUND });
  const tok = () => secBuffer(SecBufferType.TOKEN);
  const o1 = tok();
  const c = await sspi.initializeSecurityContext({
    credential: cc.credential!,
    contextReq: IscReq.ALLOCATE_MEMORY,
    output: secBufferDesc(o1),
  });
  const o2 = tok();
  const s = await sspi.acceptSecurityContext({
    credential: sc.credential!,
    contextReq: AscReq.ALLOCATE_MEMORY,
    input: secBufferDesc(secBuffer(SecBufferType.TOKEN, o1.data)),
    output: secBufferDesc(o2),
  });
  const o3 = tok();
  const c2 = await sspi.initializeSecurityContext({
    credential: cc.credential!,
    context: c.context!,
    contextReq: IscReq.ALLOCATE_MEMORY,
    input: secBufferDesc(secBuffer(SecBufferType.TOKEN, o2.data)),
    output: secBufferDesc(o3),
  });
  const s2 = await sspi.acceptSecurityContext({
    credential: sc.credential!,
    context: s.context!,
    contextReq: AscReq.ALLOCATE_MEMORY,
    input: secBufferDesc(secBuffer(SecBufferType.TOKEN, o3.data)),
    output: secBufferDesc(tok()),
  });
  expect([c.status, s.status, c2.status, s2.status]).toEqual([
    SecStatus.SEC_I_CONTINUE_NEEDED,
    SecStatus.SEC_I_CONTINUE_NEEDED,
    SecStatus.SEC_E_OK,
    SecStatus.SEC_E_OK,
  ]);
  return [c.context!, s.context!];
}

describe('NTLM through the core dispatcher', () => {
  it('handshakes, exposes attributes and the token, and signs/seals both ways', async () => {
    const sspi = await sspiWith();
    const client = await clientContext(sspi, { package: 'NTLM', authData: alice, targetName: 'HTTP/srv1.example' });
    const server = await serverContext(sspi, { package: 'ntlm' });
    const legs = await runHandshake(client, server);
    expect(legs.map((l) => l.statusName)).toEqual([
      'SEC_I_CONTINUE_NEEDED',
      'SEC_I_CONTINUE_NEEDED',
      'SEC_E_OK',
      'SEC_E_OK',
    ]);

    expect(server.token()).toMatchObject({
      authenticationPackage: 'NTLM',
      user: 'alice',
      domain: 'EXAMPLE',
      attributes: { workstation: 'WS1' },
    });
    expect(server.query(SecPkgAttr.NAMES)).toEqual({ userName: 'EXAMPLE\\alice' });
    expect(client.query(SecPkgAttr.NAMES)).toEqual({ userName: 'EXAMPLE\\alice' });
    expect(toHex(client.query(SecPkgAttr.SESSION_KEY).sessionKey)).toBe(
      toHex(server.query(SecPkgAttr.SESSION_KEY).sessionKey),
    );
    expect(server.query(SecPkgAttr.SIZES)).toEqual({
      maxToken: 2888,
      maxSignature: 16,
      blockSize: 0,
      securityTrailer: 16,
    });
    expect(server.query(SecPkgAttr.NEGOTIATION_INFO).negotiationState).toBe(NegotiationState.COMPLETE);
    expect(client.query(SecPkgAttr.FLAGS).flags & IscReq.CONFIDENTIALITY).toBe(IscReq.CONFIDENTIALITY);

    for (let i = 0; i < 3; i++) {
      const up = ascii(`request ${i}`);
      server.verify(up, client.sign(up));
      const down = ascii(`response ${i}`.repeat(50));
      client.verify(down, server.sign(down));
      const sealedUp = client.encrypt(up);
      expect(toHex(sealedUp.data)).not.toBe(toHex(up));
      expect(server.decrypt(sealedUp)).toEqual(up);
      const sealedDown = server.encrypt(down);
      expect(client.decrypt(sealedDown)).toEqual(down);
    }

    // A tampered sealed message is refused with SEC_E_MESSAGE_ALTERED.
    const sealed = client.encrypt(ascii('tamper me'));
    const bad = { ...sealed, data: Uint8Array.from(sealed.data, (b, i) => (i === 0 ? b ^ 1 : b)) };
    expect(() => server.decrypt(bad)).toThrow(expect.objectContaining({ code: 'SEC_E_MESSAGE_ALTERED' }));

    // Keys are wiped on delete: the session key buffer we hold is a copy, the context's is gone.
    client.dispose();
    server.dispose();
    expect(sspi.liveHandleCount).toBe(0);
  });

  it('wrong password → SEC_E_LOGON_DENIED', async () => {
    const sspi = await sspiWith();
    const client = await clientContext(sspi, { package: 'NTLM', authData: { ...alice, password: 'wrong' } });
    const server = await serverContext(sspi, { package: 'NTLM' });
    const err = await runHandshake(client, server).catch((e: unknown) => e);
    expect(isSspiError(err) && err.code).toBe('SEC_E_LOGON_DENIED');
  });

  it('garbage input → SEC_E_INVALID_TOKEN, never a throw out of the package', async () => {
    const sspi = await sspiWith();
    const cred = await sspi.acquireCredentialsHandle({ package: 'NTLM', credentialUse: SecPkgCred.INBOUND });
    for (const junk of [
      new Uint8Array(0),
      ascii('NTLMSSP\0'),
      new Uint8Array(64).fill(0xff),
      ascii('NTLMSSP\0\x03\0\0\0'),
    ]) {
      const r = await sspi.acceptSecurityContext({
        credential: cred.credential!,
        contextReq: 0,
        input: secBufferDesc(secBuffer(SecBufferType.TOKEN, junk)),
        output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
      });
      expect(r.status).toBe(SecStatus.SEC_E_INVALID_TOKEN);
    }
    sspi.freeCredentialsHandle(cred.credential!);
  });

  it('a bad AUTHENTICATE on the last leg → SEC_E_INVALID_TOKEN', async () => {
    const sspi = await sspiWith();
    const client = await clientContext(sspi, { package: 'NTLM', authData: alice });
    const server = await serverContext(sspi, { package: 'NTLM' });
    const neg = await client.step();
    await server.step(neg);
    const err = await server.step(ascii('NTLMSSP\0\x03\0\0\0 truncated')).catch((e: unknown) => e);
    expect(isSspiError(err) && err.code).toBe('SEC_E_INVALID_TOKEN');
  });

  it('channel bindings from SECBUFFER_CHANNEL_BINDINGS: match succeeds, mismatch → SEC_E_BAD_BINDINGS', async () => {
    const cb = (s: string) =>
      secBuffer(SecBufferType.CHANNEL_BINDINGS, encodeSecChannelBindings({ applicationData: ascii(s) }));
    for (const [clientCb, expected] of [
      ['tls-server-end-point:abc', 'SEC_E_OK'],
      ['tls-server-end-point:xyz', 'SEC_E_BAD_BINDINGS'],
    ] as const) {
      const sspi = await sspiWith();
      const client = await clientContext(sspi, { package: 'NTLM', authData: alice });
      const server = await serverContext(sspi, { package: 'NTLM' });
      const neg = await client.step();
      const chal = await server.step(neg, { extraInput: [cb('tls-server-end-point:abc')] });
      const auth = await client.step(chal, { extraInput: [cb(clientCb)] });
      const r = await server.step(auth, { extraInput: [cb('tls-server-end-point:abc')] }).then(
        () => 'SEC_E_OK',
        (e: unknown) => (isSspiError(e) ? e.code : 'other'),
      );
      expect(r).toBe(expected);
    }
  });

  it('EncryptMessage signs READONLY buffers without encrypting them; SECQOP_WRAP_NO_ENCRYPT only signs', async () => {
    const sspi = await sspiWith();
    const [c1, s1] = await rawHandshake(sspi);
    const header = ascii('associated header');
    const body = ascii('secret body');
    const desc = () => ({
      token: secBuffer(SecBufferType.TOKEN, new Uint8Array(16)),
      ro: secBuffer(SecBufferType.DATA, Uint8Array.from(header), SecBufferFlag.READONLY_WITH_CHECKSUM),
      data: secBuffer(SecBufferType.DATA, Uint8Array.from(body)),
    });
    const out = desc();
    expect(sspi.encryptMessage(c1, 0, secBufferDesc(out.token, out.ro, out.data), 0)).toBe(SecStatus.SEC_E_OK);
    expect(out.ro.data).toEqual(header);
    expect(toHex(out.data.data)).not.toBe(toHex(body));

    // Changing the read-only header breaks the signature: it is covered even though not encrypted.
    const tampered = secBuffer(SecBufferType.DATA, ascii('associated HEADER'), SecBufferFlag.READONLY_WITH_CHECKSUM);
    const inDesc = secBufferDesc(
      secBuffer(SecBufferType.TOKEN, out.token.data),
      tampered,
      secBuffer(SecBufferType.DATA, Uint8Array.from(out.data.data)),
    );
    expect(sspi.decryptMessage(s1, inDesc, 0)).toBe(SecStatus.SEC_E_MESSAGE_ALTERED);

    // A fresh pair: sign-only wrap leaves the data readable and verifies on the other side.
    const [c2, s2] = await rawHandshake(sspi);
    const plain = desc();
    expect(sspi.encryptMessage(c2, SecQop.WRAP_NO_ENCRYPT, secBufferDesc(plain.token, plain.data), 0)).toBe(
      SecStatus.SEC_E_OK,
    );
    expect(plain.data.data).toEqual(body);
    const check = secBufferDesc(
      secBuffer(SecBufferType.TOKEN, plain.token.data),
      secBuffer(SecBufferType.DATA, Uint8Array.from(body), SecBufferFlag.READONLY),
    );
    expect(sspi.decryptMessage(s2, check, 0)).toBe(SecStatus.SEC_E_OK);
  });

  it('accounts and clients without a domain work', async () => {
    const sspi = await sspiWith();
    const client = await clientContext(sspi, { package: 'NTLM', authData: { user: 'bob', password: 'hunter2' } });
    const server = await serverContext(sspi, { package: 'NTLM' });
    await runHandshake(client, server);
    // A domainless account is one of the server's own: the token names the server's TargetName.
    expect(server.token()).toMatchObject({ user: 'bob', domain: 'SRV1' });
    expect(server.query(SecPkgAttr.NAMES)).toEqual({ userName: 'SRV1\\bob' });
  });

  it('outbound credentials without a password → SEC_E_NO_CREDENTIALS', async () => {
    const sspi = await sspiWith();
    const r = await sspi.acquireCredentialsHandle({
      package: 'NTLM',
      credentialUse: SecPkgCred.OUTBOUND,
      authData: { user: 'x' },
    });
    expect(r.status).toBe(SecStatus.SEC_E_NO_CREDENTIALS);
  });
});

describe('acceptor accounts from NTLM_USER_FILE', () => {
  it('an unreadable NTLM_USER_FILE gives SEC_E_NO_CREDENTIALS, not a package fault', async () => {
    const faults: string[] = [];
    const sspi = await createSspi({ modules: [createNtlmModule({})], onPackageFault: (f) => faults.push(f.operation) });
    const saved = process.env['NTLM_USER_FILE'];
    process.env['NTLM_USER_FILE'] = '/nonexistent/sspkit-ntlm-users';
    try {
      const r = await sspi.acquireCredentialsHandle({ package: 'NTLM', credentialUse: SecPkgCred.INBOUND });
      expect(r.status).toBe(SecStatus.SEC_E_NO_CREDENTIALS);
      expect(faults).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env['NTLM_USER_FILE'];
      else process.env['NTLM_USER_FILE'] = saved;
    }
  });
});
