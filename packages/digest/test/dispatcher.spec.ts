import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import {
  AscReq,
  IscReq,
  IscRet,
  SecBufferType,
  SecPkgAttr,
  SecPkgCred,
  SecStatus,
  createSspi,
  runHandshake,
  secBuffer,
  secBufferDesc,
  serverContext,
  clientContext,
} from '@sspkit/core';
import type { CredHandle, CtxtHandle, SecBufferDesc, SspiDispatcher } from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { NonceIssuer } from '../src/crypto/nonce.js';
import { createDigestModule } from '../src/module.js';
import { MemoryUserStore } from '../src/stores/memory-user-store.js';

const text = (s: string) => Buffer.from(s, 'latin1');
const str = (b: Uint8Array) => Buffer.from(b).toString('latin1');

async function sspiWith(): Promise<SspiDispatcher> {
  return createSspi({ modules: [createDigestModule()] });
}

describe('Digest through the dispatcher: package info', () => {
  it('is listed as Digest', async () => {
    const sspi = await sspiWith();
    const info = sspi.querySecurityPackageInfo('digest');
    expect(info.status).toBe(SecStatus.SEC_E_OK);
    expect(info.packageInfo?.name).toBe('Digest');
    expect(info.packageInfo?.maxToken).toBe(4096);
  });
});

describe('HTTP mode via the convenience layer (what `sspkit handshake --package Digest` runs)', () => {
  it('needs SEC_I_COMPLETE_NEEDED → completeAuthToken on the server leg', async () => {
    const sspi = await sspiWith();
    const client = await clientContext(sspi, {
      package: 'Digest',
      requirements: IscReq.HTTP,
      targetName: '/index.html',
    });
    const server = await serverContext(sspi, { package: 'Digest', requirements: AscReq.HTTP });
    const legs = await runHandshake(client, server);
    expect(legs.map((l) => `${l.side}:${l.statusName}`)).toEqual([
      'client:SEC_I_CONTINUE_NEEDED',
      'server:SEC_I_CONTINUE_NEEDED',
      'client:SEC_E_OK',
      'server:SEC_I_COMPLETE_NEEDED',
    ]);
    expect(legs[3]?.completeAuthToken?.statusName).toBe('SEC_E_OK');
    const token = server.token();
    expect(token).toMatchObject({
      authenticationPackage: 'Digest',
      user: 'alice',
      domain: 'sspkit',
      groups: ['users', 'digest-admins'],
    });
    expect(server.query(SecPkgAttr.NAMES)).toEqual({ userName: 'sspkit\\alice' });
    client.dispose();
    server.dispose();
    expect(sspi.liveHandleCount).toBe(0);
  });
});

describe('the CLI handshake flags (mutual, integrity, confidentiality …) in both modes', () => {
  const CLIENT =
    IscReq.MUTUAL_AUTH |
    IscReq.REPLAY_DETECT |
    IscReq.SEQUENCE_DETECT |
    IscReq.CONFIDENTIALITY |
    IscReq.INTEGRITY |
    IscReq.CONNECTION;
  const SERVER =
    AscReq.REPLAY_DETECT | AscReq.SEQUENCE_DETECT | AscReq.CONFIDENTIALITY | AscReq.INTEGRITY | AscReq.CONNECTION;
  it('HTTP: auth-int chosen for a bodiless request, the server completes', async () => {
    const sspi = await sspiWith();
    const client = await clientContext(sspi, {
      package: 'Digest',
      requirements: CLIENT | IscReq.HTTP,
      targetName: '/index.html',
    });
    const server = await serverContext(sspi, { package: 'Digest', requirements: SERVER | AscReq.HTTP });
    const legs = await runHandshake(client, server);
    expect(legs.map((l) => `${l.side}:${l.statusName}:${l.completeAuthToken?.statusName ?? ''}`)).toEqual([
      'client:SEC_I_CONTINUE_NEEDED:',
      'server:SEC_I_CONTINUE_NEEDED:',
      'client:SEC_E_OK:',
      'server:SEC_I_COMPLETE_NEEDED:SEC_E_OK',
    ]);
    expect(client.contextAttributes & IscRet.INTEGRITY).toBe(IscRet.INTEGRITY);
    // No Authentication-Info travelled in this generic loop, so mutual authentication is not claimed.
    expect(client.contextAttributes & IscRet.MUTUAL_AUTH).toBe(0);
  });
  it('SASL: auth-conf with 3des, sealed messages both ways', async () => {
    const sspi = await sspiWith();
    const client = await clientContext(sspi, {
      package: 'Digest',
      requirements: CLIENT,
      targetName: 'host/sspkit.demo',
    });
    const server = await serverContext(sspi, { package: 'Digest', requirements: SERVER });
    await runHandshake(client, server);
    expect(client.query(SecPkgAttr.KEY_INFO)).toMatchObject({ encryptAlgorithmName: '3des', keySize: 112 });
    const key = client.query(SecPkgAttr.SESSION_KEY).sessionKey;
    expect(key.length).toBe(16);
    expect(Buffer.from(server.query(SecPkgAttr.SESSION_KEY).sessionKey).equals(Buffer.from(key))).toBe(true);
    expect(Buffer.from(server.decrypt(client.encrypt(text('ping')))).toString()).toBe('ping');
    expect(Buffer.from(client.decrypt(server.encrypt(text('pong')))).toString()).toBe('pong');
    // Reference §7: AcceptSecurityContext on a completed SASL context.
    if (server.handle === undefined) throw new Error('no handle');
    const again = await sspi.acceptSecurityContext({
      context: server.handle,
      contextReq: 0,
      input: secBufferDesc(secBuffer(SecBufferType.TOKEN, text('x'))),
    });
    expect(again.status).toBe(0xc000006d);
  });
});

/** The faithful API with the Windows buffer layouts, as curl's SSPI backend drives them. */
describe('HTTP mode via the faithful API (Windows buffer layout)', () => {
  async function setup(
    authData: object = {
      kind: 'digest-server',
      realm: 'zoo',
      users: new MemoryUserStore([{ username: 'Mufasa', realm: 'zoo', password: 'Circle of Life', groups: ['lions'] }]),
    },
  ) {
    const sspi = await sspiWith();
    const sc = await sspi.acquireCredentialsHandle({ package: 'Digest', credentialUse: SecPkgCred.INBOUND, authData });
    const cc = await sspi.acquireCredentialsHandle({
      package: 'Digest',
      credentialUse: SecPkgCred.OUTBOUND,
      authData: { user: 'Mufasa', password: 'Circle of Life' },
    });
    if (sc.credential === undefined || cc.credential === undefined) throw new Error('credentials');
    return { sspi, sc: sc.credential, cc: cc.credential };
  }
  const REQ = AscReq.HTTP | AscReq.ALLOCATE_MEMORY;
  // [2] PKG_PARAMS: the request URI an HTTP server must name (README, Security policy).
  const URI = secBuffer(SecBufferType.PKG_PARAMS, text('/dir/index.html'));
  const out = (): SecBufferDesc => secBufferDesc(secBuffer(SecBufferType.TOKEN));

  async function firstRequest(
    sspi: SspiDispatcher,
    sc: CredHandle,
    cc: CredHandle,
    method = 'GET',
    body: string | null = '',
  ) {
    const chOut = out();
    const ch = await sspi.acceptSecurityContext({ credential: sc, contextReq: REQ, output: chOut });
    expect(ch.status).toBe(SecStatus.SEC_I_CONTINUE_NEEDED);
    const challenge = chOut.buffers[0]?.data ?? new Uint8Array();
    expect(str(challenge)).toMatch(/^Digest realm="zoo"/);
    const isc = secBufferDesc(
      secBuffer(SecBufferType.TOKEN, challenge),
      secBuffer(SecBufferType.PKG_PARAMS, text(method)),
    );
    if (body !== null) isc.buffers.push(secBuffer(SecBufferType.PKG_PARAMS, text(body)));
    const respOut = out();
    const ci = await sspi.initializeSecurityContext({
      credential: cc,
      targetName: '/dir/index.html',
      contextReq: IscReq.HTTP | IscReq.ALLOCATE_MEMORY,
      input: isc,
      output: respOut,
    });
    return {
      server: ch.context as CtxtHandle,
      client: ci,
      authorization: respOut.buffers[0]?.data ?? new Uint8Array(),
      respOut,
    };
  }

  it('verifies on the first leg when the method is given, then answers later requests with MakeSignature', async () => {
    const { sspi, sc, cc } = await setup();
    const { server, client, authorization } = await firstRequest(sspi, sc, cc);
    expect(client.status).toBe(SecStatus.SEC_E_OK);
    const aOut = out();
    const a = await sspi.acceptSecurityContext({
      credential: sc,
      context: server,
      contextReq: REQ,
      input: secBufferDesc(
        secBuffer(SecBufferType.TOKEN, authorization),
        secBuffer(SecBufferType.PKG_PARAMS, text('GET')),
        secBuffer(SecBufferType.PKG_PARAMS, text('/dir/index.html')),
      ),
      output: aOut,
    });
    expect(a.status).toBe(SecStatus.SEC_E_OK);
    expect(str(aOut.buffers[0]?.data ?? new Uint8Array())).toMatch(/rspauth="[0-9a-f]{32}"/);

    // Second request: MakeSignature with [TOKEN, method, uri, body, PADDING] (curl's layout).
    const sig = secBufferDesc(
      secBuffer(SecBufferType.TOKEN),
      secBuffer(SecBufferType.PKG_PARAMS, text('GET')),
      secBuffer(SecBufferType.PKG_PARAMS, text('/second')),
      secBuffer(SecBufferType.PKG_PARAMS),
      secBuffer(SecBufferType.PADDING, new Uint8Array(4096)),
    );
    expect(sspi.makeSignature(client.context as CtxtHandle, 0, sig, 0)).toBe(SecStatus.SEC_E_OK);
    const second = sig.buffers[4]?.data ?? new Uint8Array();
    expect(str(second)).toContain('nc=00000002');
    const input2 = secBufferDesc(
      secBuffer(SecBufferType.TOKEN, second),
      secBuffer(SecBufferType.PKG_PARAMS, text('GET')),
      secBuffer(SecBufferType.PKG_PARAMS, text('/second')),
    );
    const a2 = await sspi.acceptSecurityContext({
      credential: sc,
      context: server,
      contextReq: REQ,
      input: input2,
      output: out(),
    });
    expect(a2.status).toBe(SecStatus.SEC_I_COMPLETE_NEEDED);
    expect(
      await sspi.completeAuthToken(
        server,
        secBufferDesc(
          secBuffer(SecBufferType.PKG_PARAMS, text('GET')),
          secBuffer(SecBufferType.PKG_PARAMS, text('/second')),
        ),
      ),
    ).toBe(SecStatus.SEC_E_OK);

    // The same Authorization again: the nonce count was used.
    const a3 = await sspi.acceptSecurityContext({
      credential: sc,
      context: server,
      contextReq: REQ,
      input: input2,
      output: out(),
    });
    expect(a3.status).toBe(SecStatus.SEC_I_COMPLETE_NEEDED);
    expect(await sspi.completeAuthToken(server, secBufferDesc())).toBe(SecStatus.SEC_E_OUT_OF_SEQUENCE);

    const tok = sspi.querySecurityContextToken(server);
    expect(tok.token).toMatchObject({ user: 'Mufasa', domain: 'zoo', groups: ['lions'] });
    expect(sspi.querySecurityContextToken(client.context as CtxtHandle).status).toBe(SecStatus.SEC_E_NO_IMPERSONATION);
  });

  it('auth-int: the client completes once the body is known, the server detects a tampered body', async () => {
    const { sspi, sc, cc } = await setup({
      kind: 'digest-server',
      realm: 'zoo',
      qop: ['auth-int'],
      users: new MemoryUserStore([{ username: 'Mufasa', realm: 'zoo', password: 'Circle of Life' }]),
    });
    const { server, client, respOut } = await firstRequest(sspi, sc, cc, 'PUT', null);
    expect(client.status).toBe(SecStatus.SEC_I_COMPLETE_NEEDED);
    expect(
      await sspi.completeAuthToken(
        client.context as CtxtHandle,
        secBufferDesc(
          respOut.buffers[0] ?? secBuffer(SecBufferType.TOKEN),
          secBuffer(SecBufferType.DATA, text('the body')),
        ),
      ),
    ).toBe(SecStatus.SEC_E_OK);
    const authorization = respOut.buffers[0]?.data ?? new Uint8Array();
    expect(str(authorization)).toContain('qop=auth-int');
    const a = await sspi.acceptSecurityContext({
      credential: sc,
      context: server,
      contextReq: REQ,
      input: secBufferDesc(
        secBuffer(SecBufferType.TOKEN, authorization),
        secBuffer(SecBufferType.PKG_PARAMS, text('PUT')),
        URI,
      ),
      output: out(),
    });
    expect(a.status).toBe(SecStatus.SEC_I_COMPLETE_NEEDED);
    expect(await sspi.completeAuthToken(server, secBufferDesc(secBuffer(SecBufferType.DATA, text('the b0dy'))))).toBe(
      SecStatus.SEC_E_MESSAGE_ALTERED,
    );
  });

  it('auth-int with the Windows HEntity buffer ([3] PKG_PARAMS = hex H(entity-body)) verifies on the spot', async () => {
    const { sspi, sc, cc } = await setup({
      kind: 'digest-server',
      realm: 'zoo',
      qop: ['auth-int'],
      users: new MemoryUserStore([{ username: 'Mufasa', realm: 'zoo', password: 'Circle of Life' }]),
    });
    const { server, authorization } = await firstRequest(sspi, sc, cc, 'PUT', 'the body');
    expect(str(authorization)).toContain('qop=auth-int');
    const hEntity = createHash('md5').update('the body').digest('hex');
    const input = (entity: string) =>
      secBufferDesc(
        secBuffer(SecBufferType.TOKEN, authorization),
        secBuffer(SecBufferType.PKG_PARAMS, text('PUT')),
        secBuffer(SecBufferType.PKG_PARAMS, text('/dir/index.html')),
        secBuffer(SecBufferType.PKG_PARAMS, text(entity)),
      );
    const wrong = await sspi.acceptSecurityContext({
      credential: sc,
      context: server,
      contextReq: REQ,
      input: input(createHash('md5').update('other body').digest('hex')),
      output: out(),
    });
    expect(wrong.status).toBe(SecStatus.SEC_E_MESSAGE_ALTERED);
    const right = await sspi.acceptSecurityContext({
      credential: sc,
      context: server,
      contextReq: REQ,
      input: input(hEntity),
      output: out(),
    });
    expect(right.status).toBe(SecStatus.SEC_E_OK);
  });

  it('wrong password → SEC_E_LOGON_DENIED; malformed → SEC_E_INVALID_TOKEN / SEC_E_ILLEGAL_MESSAGE, no throw', async () => {
    const { sspi, sc } = await setup();
    const bad = await sspi.acquireCredentialsHandle({
      package: 'Digest',
      credentialUse: SecPkgCred.OUTBOUND,
      authData: { user: 'Mufasa', password: 'nope' },
    });
    if (bad.credential === undefined) throw new Error('credential');
    const { server, authorization } = await firstRequest(sspi, sc, bad.credential);
    const r = await sspi.acceptSecurityContext({
      credential: sc,
      context: server,
      contextReq: REQ,
      input: secBufferDesc(
        secBuffer(SecBufferType.TOKEN, authorization),
        secBuffer(SecBufferType.PKG_PARAMS, text('GET')),
        URI,
      ),
      output: out(),
    });
    expect(r.status).toBe(SecStatus.SEC_E_LOGON_DENIED);
    for (const [token, status] of [
      ['Digest username="x', SecStatus.SEC_E_INVALID_TOKEN],
      ['Digest username="x", username="y"', SecStatus.SEC_E_INVALID_TOKEN],
      ['Digest username="x"', SecStatus.SEC_E_INVALID_TOKEN],
      ['Digest username="x", realm="zoo", uri="/", nonce="n", response="00", nc=1', SecStatus.SEC_E_ILLEGAL_MESSAGE],
    ] as const) {
      const m = await sspi.acceptSecurityContext({
        credential: sc,
        contextReq: REQ,
        input: secBufferDesc(
          secBuffer(SecBufferType.TOKEN, text(token)),
          secBuffer(SecBufferType.PKG_PARAMS, text('GET')),
        ),
        output: out(),
      });
      expect(m.status).toBe(status);
    }
  });

  it('a stale nonce: SEC_I_CONTINUE_NEEDED with a stale=true challenge, answered without new credentials', async () => {
    let now = 1_000_000_000;
    const nonces = new NonceIssuer({ lifetimeMs: 60_000, now: () => now });
    const { sspi, sc, cc } = await setup({
      kind: 'digest-server',
      realm: 'zoo',
      nonces,
      users: new MemoryUserStore([{ username: 'Mufasa', realm: 'zoo', password: 'Circle of Life' }]),
    });
    const { server, client, authorization } = await firstRequest(sspi, sc, cc);
    now += 120_000;
    const staleOut = out();
    const r = await sspi.acceptSecurityContext({
      credential: sc,
      context: server,
      contextReq: REQ,
      input: secBufferDesc(
        secBuffer(SecBufferType.TOKEN, authorization),
        secBuffer(SecBufferType.PKG_PARAMS, text('GET')),
        URI,
      ),
      output: staleOut,
    });
    expect(r.status).toBe(SecStatus.SEC_I_CONTINUE_NEEDED);
    const staleChallenge = staleOut.buffers[0]?.data ?? new Uint8Array();
    expect(str(staleChallenge)).toContain('stale=true');
    // The same client context answers the stale challenge with the credentials it already holds.
    const retryOut = out();
    const retry = await sspi.initializeSecurityContext({
      context: client.context as CtxtHandle,
      targetName: '/dir/index.html',
      contextReq: IscReq.HTTP | IscReq.ALLOCATE_MEMORY,
      input: secBufferDesc(
        secBuffer(SecBufferType.TOKEN, staleChallenge),
        secBuffer(SecBufferType.PKG_PARAMS, text('GET')),
        secBuffer(SecBufferType.PKG_PARAMS),
      ),
      output: retryOut,
    });
    expect(retry.status).toBe(SecStatus.SEC_E_OK);
    const ok = await sspi.acceptSecurityContext({
      credential: sc,
      context: server,
      contextReq: REQ,
      input: secBufferDesc(
        secBuffer(SecBufferType.TOKEN, retryOut.buffers[0]?.data ?? new Uint8Array()),
        secBuffer(SecBufferType.PKG_PARAMS, text('GET')),
        URI,
      ),
      output: out(),
    });
    expect(ok.status).toBe(SecStatus.SEC_E_OK);

    // Later request on the established context after the nonce expired: CompleteAuthToken says so.
    now += 120_000;
    const sig = secBufferDesc(
      secBuffer(SecBufferType.TOKEN),
      secBuffer(SecBufferType.PKG_PARAMS, text('GET')),
      secBuffer(SecBufferType.PKG_PARAMS, text('/later')),
      secBuffer(SecBufferType.PKG_PARAMS),
      secBuffer(SecBufferType.PADDING),
    );
    expect(sspi.makeSignature(client.context as CtxtHandle, 0, sig, 0)).toBe(SecStatus.SEC_E_OK);
    const later = await sspi.acceptSecurityContext({
      credential: sc,
      context: server,
      contextReq: REQ,
      input: secBufferDesc(secBuffer(SecBufferType.TOKEN, sig.buffers[4]?.data ?? new Uint8Array())),
      output: out(),
    });
    expect(later.status).toBe(SecStatus.SEC_I_COMPLETE_NEEDED);
    const info = secBuffer(SecBufferType.TOKEN, new Uint8Array(4096));
    expect(
      await sspi.completeAuthToken(
        server,
        secBufferDesc(
          info,
          secBuffer(SecBufferType.PKG_PARAMS, text('GET')),
          secBuffer(SecBufferType.PKG_PARAMS, text('/later')),
        ),
      ),
    ).toBe(SecStatus.SEC_E_CONTEXT_EXPIRED);
    expect(str(info.data)).toContain('stale=true');
  });

  it('refuses ISC_REQ_DELEGATE and ISC_REQ_PROMPT_FOR_CREDS (InitializeSecurityContext (Digest), Microsoft Learn)', async () => {
    const { sspi, cc } = await setup();
    for (const flag of [IscReq.DELEGATE, IscReq.PROMPT_FOR_CREDS]) {
      const r = await sspi.initializeSecurityContext({ credential: cc, contextReq: IscReq.HTTP | flag });
      expect(r.status).toBe(SecStatus.SEC_E_UNSUPPORTED_FUNCTION);
    }
  });
});

describe('SASL mode via the convenience layer', () => {
  for (const [name, req] of [
    ['auth', 0],
    ['auth-int', IscReq.INTEGRITY],
    ['auth-conf', IscReq.CONFIDENTIALITY | IscReq.INTEGRITY],
  ] as const) {
    it(`handshakes with qop=${name} and protects messages`, async () => {
      const sspi = await sspiWith();
      const client = await clientContext(sspi, {
        package: 'Digest',
        requirements: req,
        targetName: 'imap/mail.example',
      });
      // A server asking for integrity offers no qop=auth (context-requirements.spec.ts).
      const server = await serverContext(sspi, {
        package: 'Digest',
        requirements: name === 'auth' ? 0 : AscReq.INTEGRITY,
      });
      const legs = await runHandshake(client, server);
      expect(legs.map((l) => l.statusName)).toEqual([
        'SEC_I_CONTINUE_NEEDED',
        'SEC_I_CONTINUE_NEEDED',
        'SEC_I_CONTINUE_NEEDED',
        'SEC_E_OK',
        'SEC_E_OK',
      ]);
      expect(server.token().user).toBe('alice');
      if (name === 'auth') {
        expect(() => client.sign(text('x'))).toThrow();
        return;
      }
      const data = text('a001 LOGOUT');
      server.verify(data, client.sign(data));
      if (name === 'auth-conf') {
        const sealed = client.encrypt(text('top secret'));
        expect(Buffer.from(sealed.data).toString()).not.toBe('top secret');
        expect(Buffer.from(server.decrypt(sealed)).toString()).toBe('top secret');
        const back = server.encrypt(text('reply'));
        expect(Buffer.from(client.decrypt(back)).toString()).toBe('reply');
        expect(client.query(SecPkgAttr.KEY_INFO)).toMatchObject({ signatureAlgorithmName: 'HMAC-MD5' });
      }
      // Last: a failed check does not advance the receive sequence, so later messages would be out of order.
      expect(() => server.verify(text('a002 LOGOUT'), client.sign(data))).toThrow(/MESSAGE_ALTERED/);
    });
  }
});
