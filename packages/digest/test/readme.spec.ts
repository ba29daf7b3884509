/**
 * The README's code is the code under examples/ (issue 16: its server snippet did not compile): each
 * ```ts block is one example file verbatim, the typecheck compiles those files, and here the server
 * example answers a real client and the client example signs a later request.
 */
import { Buffer } from 'node:buffer';
import { readFileSync, readdirSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IscReq, SecBufferType, SecPkgCred, createSspi, secBuffer, secBufferDesc, statusName } from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { createDigestModule } from '../src/module.js';
import { nextAuthorization } from '../examples/readme-client.js';
import { server } from '../examples/readme-server.js';

const dir = new URL('../', import.meta.url);

function get(
  port: number,
  path: string,
  authorization?: string,
  agent?: Agent,
): Promise<{ status: number; header: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        ...(agent ? { agent } : {}),
        headers: authorization !== undefined ? { authorization } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            header: String(res.headers['www-authenticate'] ?? res.headers['authentication-info'] ?? ''),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('README snippets', () => {
  it('every ts block of the README is an example file, verbatim, and every example file is in the README', () => {
    const readme = readFileSync(new URL('README.md', dir), 'utf8');
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```\n/g)].map((m) => m[1]);
    const files = readdirSync(new URL('examples/', dir)).filter((f) => f.startsWith('readme-') && f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    expect(blocks.length).toBe(files.length);
    for (const f of files) expect(blocks, f).toContain(readFileSync(new URL(`examples/${f}`, dir), 'utf8'));
  });

  it('the server example challenges, verifies, and verifies a later request on the connection', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const port = (server.address() as AddressInfo).port;
      const first = await get(port, '/a', undefined, agent);
      expect(first.status).toBe(401);
      const sspi = await createSspi({ modules: [createDigestModule()] });
      const cc = await sspi.acquireCredentialsHandle({
        package: 'Digest',
        credentialUse: SecPkgCred.OUTBOUND,
        authData: { user: 'Mufasa', password: 'Circle of Life' },
      });
      const out = secBufferDesc(secBuffer(SecBufferType.TOKEN));
      const i = await sspi.initializeSecurityContext({
        ...(cc.credential ? { credential: cc.credential } : {}),
        targetName: '/a',
        contextReq: IscReq.HTTP | IscReq.ALLOCATE_MEMORY,
        input: secBufferDesc(secBuffer(SecBufferType.TOKEN, Buffer.from(first.header, 'latin1'))),
        output: out,
      });
      expect(statusName(i.status)).toBe('SEC_E_OK');
      const ok = await get(port, '/a', Buffer.from(out.buffers[0]?.data ?? []).toString('latin1'), agent);
      expect(ok.status).toBe(200);
      expect(ok.header).toMatch(/rspauth=/);
      if (i.context === undefined) throw new Error('no context');
      expect((await get(port, '/b', nextAuthorization(sspi, i.context, 'GET', '/b'), agent)).status).toBe(200);
    } finally {
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
