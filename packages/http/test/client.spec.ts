/**
 * The fetch client against @sspkit/http's own server on loopback: NTLM pinned to one connection and
 * kept for later requests, Digest with nonce reuse (nc), stale nonces, rspauth checked, POST bodies
 * replayed, the strongest offered scheme chosen, TLS channel bindings required by the server.
 */
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { isSspiError } from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { createAuthFetch } from '../src/index.js';
import type { AuthFetch, LegEvent } from '../src/index.js';
import { makeCertificate } from './certs.js';
import { REALM, USER, digestScheme, ntlmScheme, startServer, testSspi } from './fixture.js';
import type { TestServer } from './fixture.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function serve(
  sspi: SspiDispatcher,
  schemes: Parameters<typeof startServer>[1]['schemes'],
  extra: { tls?: boolean; channelBindings?: 'off' | 'when-supported' | 'required'; proxy?: boolean } = {},
): Promise<TestServer> {
  const cert = extra.tls === true ? makeCertificate('sha256') : undefined;
  const s = await startServer(
    (h) => (cert !== undefined ? createTlsServer({ key: cert.key, cert: cert.cert }, h) : createServer(h)),
    {
      sspi,
      schemes,
      ...(extra.channelBindings !== undefined ? { channelBindings: extra.channelBindings } : {}),
      ...(extra.proxy === true ? { proxy: true } : {}),
    },
  );
  cleanup.push(() => s.close());
  return s;
}

function client(
  sspi: SspiDispatcher,
  extra: Partial<Parameters<typeof createAuthFetch>[0]> = {},
): { f: AuthFetch; legs: LegEvent[] } {
  const legs: LegEvent[] = [];
  const f = createAuthFetch({
    sspi,
    authData: {
      NTLM: { user: USER.user, domain: USER.domain, password: USER.password },
      Digest: { user: USER.user, domain: REALM, password: USER.password },
    },
    onLeg: (l) => legs.push(l),
    tls: { rejectUnauthorized: false },
    ...extra,
  });
  cleanup.push(() => f.close());
  return { f, legs };
}

describe('createAuthFetch', () => {
  it('NTLM: three legs on one connection, later requests on it without a new handshake', async () => {
    const sspi = await testSspi();
    const s = await serve(sspi, [ntlmScheme()]);
    const { f, legs } = client(sspi, { connections: 1 });
    const r1 = await f(`http://127.0.0.1:${s.port}/a`);
    expect(r1.status).toBe(200);
    expect(await r1.json()).toMatchObject({ user: USER.user, package: 'NTLM' });
    expect(
      legs.filter((l) => l.direction === 'request').map((l) => l.headers['authorization']?.split(' ')[0] ?? '-'),
    ).toEqual(['-', 'NTLM', 'NTLM']);
    expect(new Set(legs.map((l) => l.connection))).toEqual(new Set([0]));
    legs.length = 0;
    const r2 = await f(`http://127.0.0.1:${s.port}/b`);
    expect(r2.status).toBe(200);
    expect(legs.filter((l) => l.direction === 'request')).toHaveLength(1);
  });

  it("NTLM: a wrong password ends in the server's 401, not an exception", async () => {
    const sspi = await testSspi();
    const s = await serve(sspi, [ntlmScheme()]);
    const { f } = client(sspi, { authData: { NTLM: { user: USER.user, domain: USER.domain, password: 'wrong' } } });
    expect((await f(`http://127.0.0.1:${s.port}/`)).status).toBe(401);
  });

  it('Digest: answers the strongest algorithm, signs later requests with the next nc, replays a POST body', async () => {
    const sspi = await testSspi();
    const s = await serve(sspi, [digestScheme(['MD5', 'SHA-256'])]);
    const { f, legs } = client(sspi);
    const r1 = await f(`http://127.0.0.1:${s.port}/one?x=1`);
    expect(r1.status).toBe(200);
    const sent = legs.filter((l) => l.direction === 'request').map((l) => l.headers['authorization'] ?? '');
    expect(sent[1]).toMatch(/algorithm=SHA-256/);
    expect(sent[1]).toMatch(/nc=00000001/);
    expect(sent[1]).toMatch(/uri="\/one\?x=1"/);
    legs.length = 0;
    const r2 = await f(`http://127.0.0.1:${s.port}/two`, { method: 'POST', body: 'hello body' });
    expect(r2.status).toBe(200);
    expect(await r2.json()).toMatchObject({ method: 'POST', url: '/two', user: USER.user });
    const again = legs.filter((l) => l.direction === 'request');
    expect(again).toHaveLength(1); // pre-emptive: no new challenge
    expect(again[0]?.headers['authorization']).toMatch(/nc=00000002/);
  });

  it('Digest: a tampered rspauth is a mutual-authentication failure', async () => {
    const sspi = await testSspi();
    const s = await serve(sspi, [digestScheme(['SHA-256'])]);
    const proxy = createServer((req, res) => {
      // A man in the middle that forwards to the real server and rewrites rspauth.
      void fetch(`http://127.0.0.1:${s.port}${req.url ?? '/'}`, {
        headers: req.headers as Record<string, string>,
      }).then(async (r) => {
        const headers: Record<string, string> = {};
        r.headers.forEach((v, k) => {
          headers[k] =
            k === 'authentication-info'
              ? v.replace(/rspauth="([0-9a-f])/, (_m, c: string) => `rspauth="${c === '0' ? '1' : '0'}`)
              : v;
        });
        delete headers['content-length'];
        delete headers['transfer-encoding'];
        res.writeHead(r.status, headers);
        res.end(Buffer.from(await r.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => proxy.close(() => resolve())));
    const port = (proxy.address() as { port: number }).port;
    const { f } = client(sspi);
    const err = await f(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(isSspiError(err) && err.code).toBe('SEC_E_MUTUAL_AUTH_FAILED');
  });

  it('chooses the strongest allowed scheme and honours the allowed list', async () => {
    const sspi = await testSspi();
    const s = await serve(sspi, [digestScheme(['SHA-256']), ntlmScheme()]);
    const a = client(sspi);
    expect(await (await a.f(`http://127.0.0.1:${s.port}/`)).json()).toMatchObject({ scheme: 'NTLM' });
    const b = client(sspi, { schemes: ['Digest'] });
    expect(await (await b.f(`http://127.0.0.1:${s.port}/`)).json()).toMatchObject({ scheme: 'Digest' });
    const c = client(sspi, { schemes: ['Kerberos'] });
    expect((await c.f(`http://127.0.0.1:${s.port}/`)).status).toBe(401);
  });

  it('https: NTLM with tls-server-end-point bindings passes a server that requires them', async () => {
    const sspi = await testSspi();
    const s = await serve(sspi, [ntlmScheme()], { tls: true, channelBindings: 'required' });
    const withCb = client(sspi);
    expect((await withCb.f(`https://127.0.0.1:${s.port}/`)).status).toBe(200);
    const without = client(sspi, { channelBindings: false });
    expect((await without.f(`https://127.0.0.1:${s.port}/`)).status).toBe(401);
  });

  it('Digest auth-int: the body is part of the digest (a server offering only auth-int)', async () => {
    const sspi = await testSspi();
    const s = await serve(sspi, [digestScheme(['SHA-256'], { qop: ['auth-int'] })]);
    const { f, legs } = client(sspi);
    const r = await f(`http://127.0.0.1:${s.port}/int`, { method: 'PUT', body: 'integrity-protected body' });
    expect(r.status).toBe(200);
    expect(
      legs.find((l) => l.direction === 'request' && l.headers['authorization'] !== undefined)?.headers['authorization'],
    ).toMatch(/qop=auth-int/);
    expect(await r.json()).toMatchObject({ method: 'PUT', bodyBytes: 'integrity-protected body'.length });
  });

  it('a forward proxy: absolute-form requests, its 407 answered with Proxy-Authorization (NTLM on the proxy connection)', async () => {
    const sspi = await testSspi();
    const proxy = await serve(sspi, [ntlmScheme()], { proxy: true });
    const { f, legs } = client(sspi, { proxy: `http://127.0.0.1:${proxy.port}`, connections: 1 });
    const r = await f('http://origin.invalid/through?x=1');
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ user: USER.user, url: 'http://origin.invalid/through?x=1' });
    const sent = legs
      .filter((l) => l.direction === 'request')
      .map((l) => l.headers['proxy-authorization']?.split(' ')[0] ?? '-');
    expect(sent).toEqual(['-', 'NTLM', 'NTLM']);
    expect(legs.find((l) => l.direction === 'response')?.status).toBe(407);
  });
});
