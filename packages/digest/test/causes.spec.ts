/**
 * Every failure says why (issue 16): each handshake failure of Digest returns a `cause`, each failed
 * per-message call (and CompleteAuthToken) leaves one for `failureCause`, and no cause carries a
 * password. Before, `cause` was undefined on every one of these.
 */
import { Buffer } from 'node:buffer';
import {
  AscReq,
  IscReq,
  SecBufferType,
  SecPkgCred,
  clientContext,
  createSspi,
  isSspiError,
  runHandshake,
  secBuffer,
  secBufferDesc,
  serverContext,
  statusName,
} from '@sspkit/core';
import type { CredHandle, SspiDispatcher } from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { createDigestModule } from '../src/module.js';
import { MemoryUserStore } from '../src/stores/memory-user-store.js';

const PASSWORD = 'Circle of Life';
const bytes = (s: string) => Buffer.from(s, 'latin1');
const str = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('latin1');

function expectCause(cause: unknown, what: string): void {
  expect(cause, what).toBeInstanceOf(Error);
  const message = (cause as Error).message;
  expect(message.length, what).toBeGreaterThan(0);
  expect(message, what).not.toContain(PASSWORD);
  expect(message, what).not.toContain('wrong-password');
}

async function setup(): Promise<{ sspi: SspiDispatcher; sc: CredHandle }> {
  const sspi = await createSspi({ modules: [createDigestModule()] });
  const users = new MemoryUserStore([{ username: 'Mufasa', realm: 'zoo', password: PASSWORD }]);
  const sc = await sspi.acquireCredentialsHandle({
    package: 'Digest',
    credentialUse: SecPkgCred.INBOUND,
    authData: { kind: 'digest-server', realm: 'zoo', users, qop: ['auth', 'auth-int'] },
  });
  if (sc.credential === undefined) throw new Error('server credential');
  return { sspi, sc: sc.credential };
}

/** The client's Authorization for a fresh challenge (password as given). */
async function authorization(
  sspi: SspiDispatcher,
  sc: CredHandle,
  password: string,
  uri = '/a',
): Promise<{
  server: NonNullable<Awaited<ReturnType<SspiDispatcher['acceptSecurityContext']>>['context']>;
  token: string;
}> {
  const cc = await sspi.acquireCredentialsHandle({
    package: 'Digest',
    credentialUse: SecPkgCred.OUTBOUND,
    authData: { user: 'Mufasa', password },
  });
  const ch = secBufferDesc(secBuffer(SecBufferType.TOKEN));
  const a1 = await sspi.acceptSecurityContext({
    credential: sc,
    contextReq: AscReq.HTTP | AscReq.ALLOCATE_MEMORY,
    output: ch,
  });
  const out = secBufferDesc(secBuffer(SecBufferType.TOKEN));
  if (cc.credential === undefined || a1.context === undefined) throw new Error('setup');
  await sspi.initializeSecurityContext({
    credential: cc.credential,
    targetName: uri,
    contextReq: IscReq.HTTP | IscReq.ALLOCATE_MEMORY,
    input: secBufferDesc(secBuffer(SecBufferType.TOKEN, ch.buffers[0]?.data)),
    output: out,
  });
  return { server: a1.context, token: str(out.buffers[0]?.data) };
}

async function accept(sspi: SspiDispatcher, sc: CredHandle, token: string, extra: ReturnType<typeof secBuffer>[] = []) {
  const input = secBufferDesc(
    secBuffer(SecBufferType.TOKEN, bytes(token)),
    secBuffer(SecBufferType.PKG_PARAMS, bytes('GET')),
    secBuffer(SecBufferType.PKG_PARAMS, bytes('/a')),
    ...extra,
  );
  return sspi.acceptSecurityContext({
    credential: sc,
    contextReq: AscReq.HTTP | AscReq.ALLOCATE_MEMORY,
    input,
    output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
  });
}

describe('every Digest handshake failure carries a cause', () => {
  it('LOGON_DENIED, INVALID_TOKEN (malformed, duplicate parameter, missing uri), ILLEGAL_MESSAGE, OUT_OF_SEQUENCE', async () => {
    const { sspi, sc } = await setup();
    const wrong = await authorization(sspi, sc, 'wrong-password');
    const right = await authorization(sspi, sc, PASSWORD);
    const cases: Array<[string, string, string]> = [
      ['SEC_E_LOGON_DENIED', wrong.token, 'wrong password'],
      ['SEC_E_INVALID_TOKEN', 'Digest username="x', 'unterminated quote'],
      [
        'SEC_E_INVALID_TOKEN',
        right.token.replace('username="Mufasa"', 'username="Mufasa", username="Mufasa"'),
        'duplicate parameter',
      ],
      ['SEC_E_INVALID_TOKEN', right.token.replace(/uri="[^"]*", /, ''), 'missing uri'],
      ['SEC_E_ILLEGAL_MESSAGE', right.token.replace(/nc=[0-9a-f]+/, 'nc=1'), 'bad nc'],
    ];
    for (const [status, token, what] of cases) {
      const r = await accept(sspi, sc, token);
      expect(statusName(r.status), what).toBe(status);
      expectCause(r.cause, what);
    }
    expect(statusName((await accept(sspi, sc, right.token)).status)).toBe('SEC_E_OK');
    const replay = await accept(sspi, sc, right.token);
    expect(statusName(replay.status)).toBe('SEC_E_OUT_OF_SEQUENCE');
    expectCause(replay.cause, 'replay');
  });

  it('AcquireCredentialsHandle and bad handles say why too', async () => {
    const { sspi } = await setup();
    const bad = await sspi.acquireCredentialsHandle({
      package: 'Digest',
      credentialUse: SecPkgCred.INBOUND,
      authData: { kind: 'digest-server', users: {}, realm: 'zoo' },
    });
    expect(statusName(bad.status)).toBe('SEC_E_UNKNOWN_CREDENTIALS');
    expectCause(bad.cause, 'ACH');
    const outbound = await sspi.acquireCredentialsHandle({
      package: 'Digest',
      credentialUse: SecPkgCred.OUTBOUND,
      authData: { username: 'x', password: PASSWORD },
    });
    expectCause(outbound.cause, 'ACH outbound');
  });

  it('the convenience layer throws with the cause (SASL wrong password)', async () => {
    const sspi = await createSspi({ modules: [createDigestModule()] });
    const client = await clientContext(sspi, {
      package: 'Digest',
      targetName: 'imap/h',
      authData: { user: 'alice', password: 'wrong-password' },
    });
    const server = await serverContext(sspi, { package: 'Digest' });
    const e = await runHandshake(client, server).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(isSspiError(e) && e.code).toBe('SEC_E_LOGON_DENIED');
    expectCause((e as Error).cause, 'SASL logon');
  });
});

describe('per-message failures fill failureCause', () => {
  it('CompleteAuthToken MESSAGE_ALTERED (auth-int, tampered body) and missing request URI', async () => {
    const { sspi, sc } = await setup();
    // auth-int: the client answers with an empty body; the server completes with another one.
    const ch = secBufferDesc(secBuffer(SecBufferType.TOKEN));
    const a1 = await sspi.acceptSecurityContext({
      credential: sc,
      contextReq: AscReq.HTTP | AscReq.INTEGRITY | AscReq.ALLOCATE_MEMORY,
      output: ch,
    });
    const cc = await sspi.acquireCredentialsHandle({
      package: 'Digest',
      credentialUse: SecPkgCred.OUTBOUND,
      authData: { user: 'Mufasa', password: PASSWORD },
    });
    const out = secBufferDesc(secBuffer(SecBufferType.TOKEN));
    if (cc.credential === undefined || a1.context === undefined) throw new Error('setup');
    await sspi.initializeSecurityContext({
      credential: cc.credential,
      targetName: '/a',
      contextReq: IscReq.HTTP | IscReq.ALLOCATE_MEMORY,
      input: secBufferDesc(secBuffer(SecBufferType.TOKEN, ch.buffers[0]?.data)),
      output: out,
    });
    const a2 = await sspi.acceptSecurityContext({
      credential: sc,
      context: a1.context,
      contextReq: AscReq.HTTP | AscReq.INTEGRITY,
      input: secBufferDesc(
        secBuffer(SecBufferType.TOKEN, out.buffers[0]?.data),
        secBuffer(SecBufferType.PKG_PARAMS, bytes('POST')),
        secBuffer(SecBufferType.PKG_PARAMS, bytes('/a')),
      ),
    });
    expect(statusName(a2.status)).toBe('SEC_I_COMPLETE_NEEDED');
    expect(
      statusName(
        await sspi.completeAuthToken(a1.context, secBufferDesc(secBuffer(SecBufferType.DATA, bytes('tampered')))),
      ),
    ).toBe('SEC_E_MESSAGE_ALTERED');
    expectCause(sspi.failureCause(a1.context), 'CompleteAuthToken');

    const noUri = await authorization(sspi, sc, PASSWORD);
    const r = await sspi.acceptSecurityContext({
      credential: sc,
      context: noUri.server,
      contextReq: AscReq.HTTP,
      input: secBufferDesc(
        secBuffer(SecBufferType.TOKEN, bytes(noUri.token)),
        secBuffer(SecBufferType.PKG_PARAMS, bytes('GET')),
      ),
    });
    expect(statusName(r.status)).toBe('SEC_I_COMPLETE_NEEDED');
    expect(statusName(await sspi.completeAuthToken(noUri.server, secBufferDesc()))).toBe('SEC_E_INVALID_PARAMETER');
    expectCause(sspi.failureCause(noUri.server), 'missing URI');
  });

  it('SASL VerifySignature MESSAGE_ALTERED, and a success clears the cause', async () => {
    const sspi = await createSspi({ modules: [createDigestModule()] });
    const client = await clientContext(sspi, {
      package: 'Digest',
      requirements: IscReq.INTEGRITY,
      targetName: 'imap/h',
    });
    const server = await serverContext(sspi, { package: 'Digest', requirements: AscReq.INTEGRITY });
    await runHandshake(client, server);
    const data = bytes('a001 LOGOUT');
    const sig = client.sign(data);
    const e = (() => {
      try {
        server.verify(bytes('a001 LOGIN'), sig);
      } catch (x) {
        return x;
      }
      return undefined;
    })();
    expect(isSspiError(e) && e.code).toBe('SEC_E_MESSAGE_ALTERED');
    expectCause((e as Error).cause, 'VerifySignature');
    if (server.handle === undefined) throw new Error('no handle');
    server.verify(data, sig);
    expect(sspi.failureCause(server.handle)).toBeUndefined();
  });
});
