/**
 * Digest through the server core: several algorithms from one configuration (SHA-512-256 and
 * -sess, userhash), a later request on the same connection (nc = 2 through MakeSignature →
 * CompleteAuthToken), and a stale nonce answered with `stale=true`.
 */
import { Agent, createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { IscReq, SecBufferType, clientContext, secBuffer, secBufferDesc } from '@sspkit/core';
import type { ClientContext, SspiDispatcher } from '@sspkit/core';
import { NonceIssuer } from '@sspkit/digest';
import { digestUri } from '../src/server/digest-flow.js';
import { USER, digestScheme, headerValues, send, startServer, testSspi } from './fixture.js';
import type { TestServer } from './fixture.js';

let server: TestServer | undefined;
const agents: Agent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) a.destroy();
  await server?.close();
  server = undefined;
});

const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

async function answer(
  sspi: SspiDispatcher,
  challenge: string,
  uri: string,
): Promise<{ client: ClientContext; authorization: string }> {
  const client = await clientContext(sspi, {
    package: 'Digest',
    authData: { user: USER.user, password: USER.password },
    targetName: uri,
    requirements: IscReq.HTTP,
  });
  const out = await client.step(bytes(challenge), {
    extraInput: [
      secBuffer(SecBufferType.PKG_PARAMS, bytes('GET')),
      secBuffer(SecBufferType.PKG_PARAMS, new Uint8Array(0)),
    ],
  });
  return { client, authorization: text(out!) };
}

describe('Digest through the server core', () => {
  it('offers SHA-512-256, SHA-512-256-sess and MD5 with userhash from one configuration; each verifies', async () => {
    const sspi = await testSspi();
    server = await startServer(createServer, {
      sspi,
      schemes: [digestScheme(['SHA-512-256', 'SHA-512-256-sess', 'MD5'], { userhash: true })],
    });
    const challenges = headerValues(await send(server.port), 'www-authenticate');
    expect(challenges.map((c) => /algorithm=([\w-]+)/.exec(c)?.[1])).toEqual([
      'SHA-512-256',
      'SHA-512-256-sess',
      'MD5',
    ]);
    for (const c of challenges) {
      expect(c).toMatch(/userhash=true/);
      expect(c).toMatch(/charset=UTF-8/);
      const { client, authorization } = await answer(sspi, c, '/alg');
      client.dispose();
      expect(authorization).toMatch(/userhash=true/);
      const r = await send(server.port, { path: '/alg', headers: { authorization } });
      expect(r.status, c).toBe(200);
      expect(JSON.parse(r.body)).toMatchObject({ user: USER.user });
    }
  });

  it('a later request on the connection (nc=2) verifies through CompleteAuthToken; its replay fails', async () => {
    const sspi = await testSspi();
    server = await startServer(createServer, { sspi, schemes: [digestScheme(['SHA-256'])] });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    const challenge = headerValues(await send(server.port, { agent }), 'www-authenticate')[0]!;
    const { client, authorization } = await answer(sspi, challenge, '/one');
    expect((await send(server.port, { agent, path: '/one', headers: { authorization } })).status).toBe(200);
    // MakeSignature gives the next request's Authorization (Digest README: client, later request).
    const sig = secBufferDesc(
      secBuffer(SecBufferType.TOKEN),
      secBuffer(SecBufferType.PKG_PARAMS, bytes('GET')),
      secBuffer(SecBufferType.PKG_PARAMS, bytes('/two')),
      secBuffer(SecBufferType.PKG_PARAMS),
      secBuffer(SecBufferType.PADDING, new Uint8Array(4096)),
    );
    expect(sspi.makeSignature(client.handle!, 0, sig, 0)).toBe(0);
    const next = text(sig.buffers[4]!.data);
    client.dispose();
    expect(next).toMatch(/nc=00000002/);
    const two = await send(server.port, { agent, path: '/two', headers: { authorization: next } });
    expect(two.status).toBe(200);
    expect(headerValues(two, 'authentication-info')[0]).toMatch(/rspauth=/);
    expect((await send(server.port, { agent, path: '/two', headers: { authorization: next } })).status).toBe(401);
  });

  it('a stale nonce gets a 401 whose Digest challenge says stale=true', async () => {
    let now = Date.now();
    const nonces = new NonceIssuer({ lifetimeMs: 1000, now: () => now });
    const sspi = await testSspi();
    server = await startServer(createServer, { sspi, schemes: [digestScheme(['MD5'], { nonces })] });
    const challenge = headerValues(await send(server.port), 'www-authenticate')[0]!;
    const { client, authorization } = await answer(sspi, challenge, '/late');
    client.dispose();
    now += 5000;
    const r = await send(server.port, { path: '/late', headers: { authorization } });
    expect(r.status).toBe(401);
    const challenges = headerValues(r, 'www-authenticate');
    expect(challenges).toHaveLength(1);
    expect(challenges[0]).toMatch(/stale=true/);
  });
});

describe('digestUri', () => {
  it.each([
    ['/p?q=1', '/p?q=1'],
    ['http://origin.invalid/p?q=1', '/p?q=1'],
    ['http://origin.invalid', '/'],
    ['https://h:8443?x', '/?x'],
    ['origin.invalid:443', 'origin.invalid:443'],
    ['*', '*'],
  ])('%s → %s', (target, uri) => expect(digestUri(target)).toBe(uri));
});
