/**
 * The core over node:http with NTLM and Digest, driven by dispatcher-level client contexts over real
 * loopback sockets: challenges, connection-bound NTLM, per-request Digest, persistence policies, the
 * 400/401/500 mapping and the proxy variant.
 */
import { Agent, createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { IscReq, SecBufferType, SecPkgInterfaceVersion, SecStatus, clientContext, secBuffer } from '@sspkit/core';
import type { SecurityPackageModule, SspiDispatcher } from '@sspkit/core';
import { USER, digestScheme, headerValues, ntlmScheme, send, startServer, testSspi } from './fixture.js';
import type { TestServer } from './fixture.js';

let server: TestServer | undefined;
const agents: Agent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) a.destroy();
  await server?.close();
  server = undefined;
});

function oneConnection(): Agent {
  const a = new Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(a);
  return a;
}

const b64 = (u: Uint8Array): string => Buffer.from(u).toString('base64');
const fromB64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

/** Runs NTLM over HTTP on one connection; returns the final reply. */
async function ntlmLogin(
  sspi: SspiDispatcher,
  port: number,
  agent: Agent,
  password: string = USER.password,
  header = 'authorization',
): Promise<{ status: number; body: string }> {
  const client = await clientContext(sspi, {
    package: 'NTLM',
    authData: { user: USER.user, domain: USER.domain, password },
    targetName: 'HTTP/127.0.0.1',
  });
  try {
    const first = await client.step();
    const r1 = await send(port, { agent, headers: { [header]: `NTLM ${b64(first!)}` } });
    const name = header === 'authorization' ? 'www-authenticate' : 'proxy-authenticate';
    const challenge = headerValues(r1, name)[0] ?? '';
    expect(challenge).toMatch(/^NTLM [A-Za-z0-9+/=]+$/);
    const second = await client.step(fromB64(challenge.slice(5)));
    const r2 = await send(port, { agent, headers: { [header]: `NTLM ${b64(second!)}` } });
    return { status: r2.status, body: r2.body };
  } catch (e) {
    if (e instanceof Error && /LOGON_DENIED/.test(e.message)) return { status: 401, body: '' };
    throw e;
  } finally {
    client.dispose();
  }
}

/** A Digest Authorization value for a challenge, from the Digest package's client side. */
async function digestAuthorization(
  sspi: SspiDispatcher,
  challenge: string,
  method: string,
  uri: string,
  password: string = USER.password,
): Promise<string> {
  const client = await clientContext(sspi, {
    package: 'Digest',
    authData: { user: USER.user, password },
    targetName: uri,
    requirements: IscReq.HTTP,
  });
  try {
    const out = await client.step(new Uint8Array(Buffer.from(challenge, 'latin1')), {
      extraInput: [
        secBuffer(SecBufferType.PKG_PARAMS, new Uint8Array(Buffer.from(method))),
        secBuffer(SecBufferType.PKG_PARAMS, new Uint8Array(0)),
      ],
    });
    return Buffer.from(out!).toString('latin1');
  } finally {
    client.dispose();
  }
}

describe('@sspkit/http server over node:http (NTLM, Digest)', () => {
  it('offers one WWW-Authenticate header per scheme, in the configured order', async () => {
    const sspi = await testSspi();
    server = await startServer(createServer, { sspi, schemes: [ntlmScheme(), digestScheme(['SHA-256', 'MD5'])] });
    const r = await send(server.port);
    expect(r.status).toBe(401);
    const challenges = headerValues(r, 'www-authenticate');
    expect(challenges).toHaveLength(3);
    expect(challenges[0]).toBe('NTLM');
    expect(challenges[1]).toMatch(/^Digest .*algorithm=SHA-256/);
    expect(challenges[2]).toMatch(/^Digest .*algorithm=MD5/);
  });

  it('NTLM authenticates the connection; its later requests need no handshake, other connections do', async () => {
    const sspi = await testSspi();
    server = await startServer(createServer, { sspi, schemes: [ntlmScheme()] });
    const agent = oneConnection();
    const r = await ntlmLogin(sspi, server.port, agent);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ user: USER.user, domain: USER.domain, package: 'NTLM', scheme: 'NTLM' });
    const again = await send(server.port, { agent, path: '/next' });
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toMatchObject({ user: USER.user, url: '/next' });
    const other = await send(server.port);
    expect(other.status).toBe(401);
  });

  it('authPersistSingleRequest: every request needs its own handshake', async () => {
    const sspi = await testSspi();
    server = await startServer(createServer, { sspi, schemes: [ntlmScheme()], persist: { singleRequest: true } });
    const agent = oneConnection();
    expect((await ntlmLogin(sspi, server.port, agent)).status).toBe(200);
    expect((await send(server.port, { agent })).status).toBe(401);
  });

  it('a wrong password is a 401 with fresh challenges, its cause reaches the logger', async () => {
    const sspi = await testSspi();
    server = await startServer(createServer, { sspi, schemes: [ntlmScheme()] });
    const r = await ntlmLogin(sspi, server.port, oneConnection(), 'wrong-password');
    expect(r.status).toBe(401);
    expect(server.failures.at(-1)).toMatchObject({ kind: 'denied', scheme: 'NTLM', statusName: 'SEC_E_LOGON_DENIED' });
    expect(server.auth.connectionCount).toBe(0);
  });

  it('a new first token mid-handshake restarts it', async () => {
    const sspi = await testSspi();
    server = await startServer(createServer, { sspi, schemes: [ntlmScheme()] });
    const agent = oneConnection();
    const abandoned = await clientContext(sspi, {
      package: 'NTLM',
      authData: { ...USER },
      targetName: 'HTTP/127.0.0.1',
    });
    const first = await abandoned.step();
    expect((await send(server.port, { agent, headers: { authorization: `NTLM ${b64(first!)}` } })).status).toBe(401);
    abandoned.dispose();
    expect((await ntlmLogin(sspi, server.port, agent)).status).toBe(200);
  });

  it('malformed headers are 400, unknown schemes 401, and nothing leaks to the client', async () => {
    const sspi = await testSspi();
    server = await startServer(createServer, { sspi, schemes: [ntlmScheme(), digestScheme(['MD5'])] });
    for (const value of ['NTLM !!!', 'NTLM', '=bad', 'NTLM TlRMTVNTUAABAAAA=', 'Digest username="a', 'NTLM AAAA']) {
      const r = await send(server.port, { headers: { authorization: value } });
      expect(r.status, value).toBe(400);
      expect(r.body).toBe('bad request\n');
    }
    const unknown = await send(server.port, { headers: { authorization: 'Basic YTpi' } });
    expect(unknown.status).toBe(401);
    expect(headerValues(unknown, 'www-authenticate')).toHaveLength(2);
  });

  it('Digest: Authentication-Info on success; a replay, another URI or method, a wrong password refused', async () => {
    const sspi = await testSspi();
    server = await startServer(createServer, { sspi, schemes: [digestScheme(['SHA-256'])] });
    const challenge = headerValues(await send(server.port), 'www-authenticate')[0]!;
    const authorization = await digestAuthorization(sspi, challenge, 'GET', '/doc');
    const ok = await send(server.port, { path: '/doc', headers: { authorization } });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ user: USER.user, package: 'Digest', scheme: 'Digest' });
    expect(headerValues(ok, 'authentication-info')[0]).toMatch(/rspauth="[0-9a-f]+"/);
    // The same nonce count again, on a new connection: a replay.
    expect((await send(server.port, { path: '/doc', headers: { authorization } })).status).toBe(401);
    const other = await digestAuthorization(sspi, challenge, 'GET', '/doc');
    expect((await send(server.port, { path: '/elsewhere', headers: { authorization: other } })).status).not.toBe(200);
    const post = await digestAuthorization(sspi, challenge, 'GET', '/doc');
    expect((await send(server.port, { path: '/doc', method: 'POST', headers: { authorization: post } })).status).toBe(
      401,
    );
    const wrong = await digestAuthorization(sspi, challenge, 'GET', '/doc', 'nope');
    const denied = await send(server.port, { path: '/doc', headers: { authorization: wrong } });
    expect(denied.status).toBe(401);
    expect(headerValues(denied, 'www-authenticate')[0]).toMatch(/^Digest /);
    expect(server.failures.some((f) => f.statusName === 'SEC_E_LOGON_DENIED')).toBe(true);
  });

  it('Digest auth-int: the body is read and verified; a changed body is refused', async () => {
    const sspi = await testSspi();
    server = await startServer(createServer, { sspi, schemes: [digestScheme(['MD5'], { qop: ['auth-int'] })] });
    const challenge = headerValues(await send(server.port), 'www-authenticate')[0]!;
    const client = await clientContext(sspi, {
      package: 'Digest',
      authData: { user: USER.user, password: USER.password },
      targetName: '/upload',
      requirements: IscReq.HTTP,
    });
    const out = await client.step(new Uint8Array(Buffer.from(challenge, 'latin1')), {
      extraInput: [
        secBuffer(SecBufferType.PKG_PARAMS, new Uint8Array(Buffer.from('POST'))),
        secBuffer(SecBufferType.PKG_PARAMS, new Uint8Array(Buffer.from('payload'))),
      ],
    });
    client.dispose();
    const authorization = Buffer.from(out!).toString('latin1');
    expect(authorization).toMatch(/qop=auth-int/);
    const ok = await send(server.port, {
      path: '/upload',
      method: 'POST',
      body: 'payload',
      headers: { authorization },
    });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ bodyBytes: 7 });
    const tampered = await send(server.port, {
      path: '/upload',
      method: 'POST',
      body: 'PAYLOAD',
      headers: { authorization },
    });
    expect(tampered.status).toBe(401);
  });

  it('proxy variant: 407, Proxy-Authenticate, Proxy-Authorization', async () => {
    const sspi = await testSspi();
    server = await startServer(createServer, { sspi, schemes: [ntlmScheme()], proxy: true });
    const r = await send(server.port, { headers: { authorization: 'NTLM AAAA' } });
    expect(r.status).toBe(407);
    expect(headerValues(r, 'proxy-authenticate')).toEqual(['NTLM']);
    expect((await ntlmLogin(sspi, server.port, oneConnection(), USER.password, 'proxy-authorization')).status).toBe(
      200,
    );
  });

  it('a package fault is a 500 without detail; the cause reaches the logger', async () => {
    const broken: SecurityPackageModule = {
      spLsaModeInitialize: () => ({
        status: 0,
        packageVersion: SecPkgInterfaceVersion.VERSION,
        tables: [
          {
            initialize: () => SecStatus.SEC_E_OK,
            getInfo: () => ({
              status: 0,
              packageInfo: {
                name: 'Broken',
                comment: 'throws',
                capabilities: 0,
                version: 1,
                rpcId: 0xffff,
                maxToken: 64,
              },
            }),
            acquireCredentialsHandle: () => ({ status: SecStatus.SEC_E_OK, credentialHandle: 1 }),
            acceptLsaModeContext: () => {
              throw new Error('secret-free internal detail');
            },
          },
        ],
      }),
    };
    const sspi = await testSspi([broken]);
    server = await startServer(createServer, { sspi, schemes: [{ scheme: 'Broken' }] });
    const r = await send(server.port, { headers: { authorization: 'Broken AAAA' } });
    expect(r.status).toBe(500);
    expect(r.body).not.toMatch(/detail/);
    expect(server.failures.at(-1)).toMatchObject({ kind: 'fault', statusName: 'SEC_E_INTERNAL_ERROR' });
  });

  it.each([
    ['SEC_E_INVALID_TOKEN', SecStatus.SEC_E_INVALID_TOKEN, 400],
    ['SEC_E_LOGON_DENIED', SecStatus.SEC_E_LOGON_DENIED, 401],
    // From AcceptSecurityContext: a ticket for a service whose key this server lacks — the client's failure.
    ['SEC_E_NO_CREDENTIALS', SecStatus.SEC_E_NO_CREDENTIALS, 401],
    ['SEC_E_BAD_BINDINGS', SecStatus.SEC_E_BAD_BINDINGS, 401],
    ['SEC_E_INTERNAL_ERROR', SecStatus.SEC_E_INTERNAL_ERROR, 500],
    ['SEC_E_INSUFFICIENT_MEMORY', SecStatus.SEC_E_INSUFFICIENT_MEMORY, 500],
  ])('a package answering %s gives %i', async (_name, status, expected) => {
    const module: SecurityPackageModule = {
      spLsaModeInitialize: () => ({
        status: 0,
        packageVersion: SecPkgInterfaceVersion.VERSION,
        tables: [
          {
            initialize: () => SecStatus.SEC_E_OK,
            getInfo: () => ({
              status: 0,
              packageInfo: {
                name: 'Fixed',
                comment: 'one status',
                capabilities: 0,
                version: 1,
                rpcId: 0xffff,
                maxToken: 64,
              },
            }),
            acquireCredentialsHandle: () => ({ status: SecStatus.SEC_E_OK, credentialHandle: 1 }),
            acceptLsaModeContext: () => ({ status }),
          },
        ],
      }),
    };
    const sspi = await testSspi([module]);
    server = await startServer(createServer, { sspi, schemes: [{ scheme: 'Fixed' }] });
    const r = await send(server.port, { headers: { authorization: 'Fixed AAAA' } });
    expect(r.status).toBe(expected);
    if (expected === 401) expect(headerValues(r, 'www-authenticate')).toEqual(['Fixed']);
  });

  it('closing the connection disposes its context', async () => {
    const sspi = await testSspi();
    server = await startServer(createServer, { sspi, schemes: [ntlmScheme()] });
    const agent = oneConnection();
    expect((await ntlmLogin(sspi, server.port, agent)).status).toBe(200);
    expect(server.auth.connectionCount).toBe(1);
    const before = sspi.liveHandleCount;
    agent.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(server.auth.connectionCount).toBe(0);
    expect(sspi.liveHandleCount).toBe(before - 1);
  });
});
