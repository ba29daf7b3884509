/**
 * Interop: sspkit's Digest client (through the dispatcher, with the Windows buffer layout) against
 * Apache httpd mod_auth_digest on loopback — first request via InitializeSecurityContext, the server's
 * rspauth checked, later requests via MakeSignature with increasing nonce counts on one connection.
 * Skipped, with the reason printed, when Apache is not installed (apt: apache2).
 */
import { Buffer } from 'node:buffer';
import { Agent, request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IscReq,
  IscRet,
  SecBufferType,
  SecPkgCred,
  SecStatus,
  createSspi,
  secBuffer,
  secBufferDesc,
  statusName,
} from '@sspkit/core';
import type { CredHandle, CtxtHandle, SspiDispatcher } from '@sspkit/core';
import { createDigestModule } from '@sspkit/digest';
import { apacheAvailable, startApache } from './digest/apache.js';
import type { ApacheServer } from './digest/apache.js';

const available = apacheAvailable();
if (!available) console.warn('digest-apache: apache2 with mod_auth_digest missing (apt-get install apache2); skipping');

const REALM = 'apache zoo';
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function get(
  port: number,
  path: string,
  authorization?: string,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        agent,
        headers: authorization !== undefined ? { Authorization: authorization } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const bytes = (s: string) => Buffer.from(s, 'latin1');
const str = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('latin1');

describe.skipIf(!available)('sspkit Digest client → Apache mod_auth_digest', () => {
  let apache: ApacheServer;
  let sspi: SspiDispatcher;
  let cred: CredHandle;

  beforeAll(async () => {
    apache = await startApache(REALM, [{ username: 'Mufasa', password: 'Circle of Life' }]);
    sspi = await createSspi({ modules: [createDigestModule()] });
    const c = await sspi.acquireCredentialsHandle({
      package: 'Digest',
      credentialUse: SecPkgCred.OUTBOUND,
      authData: { user: 'Mufasa', password: 'Circle of Life' },
    });
    if (c.credential === undefined) throw new Error(statusName(c.status));
    cred = c.credential;
  });
  afterAll(async () => {
    agent.destroy();
    await apache?.stop();
  });

  async function authenticate(
    password?: string,
  ): Promise<{ ctx: CtxtHandle; authorization: string; first: Awaited<ReturnType<typeof get>> }> {
    let credential = cred;
    if (password !== undefined) {
      const c = await sspi.acquireCredentialsHandle({
        package: 'Digest',
        credentialUse: SecPkgCred.OUTBOUND,
        authData: { user: 'Mufasa', password },
      });
      if (c.credential === undefined) throw new Error(statusName(c.status));
      credential = c.credential;
    }
    const unauth = await get(apache.port, '/index.html');
    expect(unauth.status).toBe(401);
    const challenge = String(unauth.headers['www-authenticate']);
    const out = secBufferDesc(secBuffer(SecBufferType.TOKEN));
    const r = await sspi.initializeSecurityContext({
      credential,
      targetName: '/index.html',
      contextReq: IscReq.HTTP | IscReq.MUTUAL_AUTH | IscReq.ALLOCATE_MEMORY,
      input: secBufferDesc(
        secBuffer(SecBufferType.TOKEN, bytes(challenge)),
        secBuffer(SecBufferType.PKG_PARAMS, bytes('GET')),
        secBuffer(SecBufferType.PKG_PARAMS),
      ),
      output: out,
    });
    expect(statusName(r.status)).toBe('SEC_E_OK');
    const authorization = str(out.buffers[0]?.data);
    const first = await get(apache.port, '/index.html', authorization);
    if (r.context === undefined) throw new Error('no context');
    return { ctx: r.context, authorization, first };
  }

  it('authenticates, verifies rspauth, then reuses the context via MakeSignature (nc=2, 3)', async () => {
    const { ctx, first } = await authenticate();
    expect(first.status).toBe(200);
    expect(first.body).toBe('apache index\n');
    const info = first.headers['authentication-info'];
    expect(typeof info).toBe('string');
    // Mutual authentication: Apache's rspauth goes back through InitializeSecurityContext.
    const m = await sspi.initializeSecurityContext({
      context: ctx,
      contextReq: IscReq.HTTP | IscReq.MUTUAL_AUTH,
      input: secBufferDesc(secBuffer(SecBufferType.TOKEN, bytes(String(info)))),
    });
    expect(statusName(m.status)).toBe('SEC_E_OK');
    expect(m.contextAttributes & IscRet.MUTUAL_AUTH).toBe(IscRet.MUTUAL_AUTH);

    for (const [path, nc] of [
      ['/second.txt', '00000002'],
      ['/index.html', '00000003'],
    ] as const) {
      const sig = secBufferDesc(
        secBuffer(SecBufferType.TOKEN),
        secBuffer(SecBufferType.PKG_PARAMS, bytes('GET')),
        secBuffer(SecBufferType.PKG_PARAMS, bytes(path)),
        secBuffer(SecBufferType.PKG_PARAMS),
        secBuffer(SecBufferType.PADDING, new Uint8Array(4096)),
      );
      expect(statusName(sspi.makeSignature(ctx, 0, sig, 0))).toBe('SEC_E_OK');
      const authorization = str(sig.buffers[4]?.data);
      expect(authorization).toContain(`nc=${nc}`);
      const res = await get(apache.port, path, authorization);
      expect(res.status).toBe(200);
    }
    sspi.deleteSecurityContext(ctx);
  });

  it('a later request that meets stale=true is re-answered for its own URI (Apache checks uri)', async () => {
    // A second Apache whose nonces live one second, so the MakeSignature request meets stale=true.
    const short = await startApache(REALM, [{ username: 'Mufasa', password: 'Circle of Life' }], 1);
    try {
      const unauth = await get(short.port, '/index.html');
      const out = secBufferDesc(secBuffer(SecBufferType.TOKEN));
      const r = await sspi.initializeSecurityContext({
        credential: cred,
        targetName: '/index.html',
        contextReq: IscReq.HTTP | IscReq.ALLOCATE_MEMORY,
        input: secBufferDesc(secBuffer(SecBufferType.TOKEN, bytes(String(unauth.headers['www-authenticate'])))),
        output: out,
      });
      if (r.context === undefined) throw new Error('no context');
      expect((await get(short.port, '/index.html', str(out.buffers[0]?.data))).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const sig = secBufferDesc(
        secBuffer(SecBufferType.TOKEN),
        secBuffer(SecBufferType.PKG_PARAMS, bytes('GET')),
        secBuffer(SecBufferType.PKG_PARAMS, bytes('/second.txt')),
        secBuffer(SecBufferType.PKG_PARAMS),
        secBuffer(SecBufferType.PADDING, new Uint8Array(4096)),
      );
      expect(statusName(sspi.makeSignature(r.context, 0, sig, 0))).toBe('SEC_E_OK');
      const stale = await get(short.port, '/second.txt', str(sig.buffers[4]?.data));
      expect(stale.status).toBe(401);
      expect(String(stale.headers['www-authenticate'])).toMatch(/stale=true/i);
      // A generic caller passes the context's original target again; the re-answer is for /second.txt.
      const reOut = secBufferDesc(secBuffer(SecBufferType.TOKEN));
      const again = await sspi.initializeSecurityContext({
        context: r.context,
        targetName: '/index.html',
        contextReq: IscReq.HTTP | IscReq.ALLOCATE_MEMORY,
        input: secBufferDesc(secBuffer(SecBufferType.TOKEN, bytes(String(stale.headers['www-authenticate'])))),
        output: reOut,
      });
      expect(statusName(again.status)).toBe('SEC_E_OK');
      const res = await get(short.port, '/second.txt', str(reOut.buffers[0]?.data));
      expect(res.status).toBe(200);
      expect(res.body).toBe('apache second\n');
      sspi.deleteSecurityContext(r.context);
    } finally {
      await short.stop();
    }
  });

  it('Apache refuses a wrong password and a forged rspauth is caught by the client', async () => {
    const { ctx, first } = await authenticate('not the password');
    expect(first.status).toBe(401);
    const forged = 'rspauth="00000000000000000000000000000000", qop=auth, nc=00000001, cnonce="x"';
    const m = await sspi.initializeSecurityContext({
      context: ctx,
      contextReq: IscReq.HTTP | IscReq.MUTUAL_AUTH,
      input: secBufferDesc(secBuffer(SecBufferType.TOKEN, bytes(forged))),
    });
    expect(m.status).toBe(SecStatus.SEC_E_MUTUAL_AUTH_FAILED);
    sspi.deleteSecurityContext(ctx);
  });
});
