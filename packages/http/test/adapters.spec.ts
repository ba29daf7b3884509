/** The Express 5 and Fastify 5 adapters, each with the framework really running on loopback. */
import { Agent, createServer } from 'node:http';
import type { Server } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { clientContext } from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { HttpAuthenticator, expressAuthentication, fastifyAuthentication } from '../src/index.js';
import type { SspkitExpressRequest, SspkitRequestState } from '../src/index.js';
import { USER, closeServer, digestScheme, headerValues, listen, ntlmScheme, send, testSspi } from './fixture.js';

// What an application writes to type request.sspkit (the package's declarations do not import fastify).
declare module 'fastify' {
  interface FastifyRequest {
    sspkit?: SspkitRequestState;
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function ntlmOverHttp(
  sspi: SspiDispatcher,
  port: number,
  path: string,
): Promise<{ status: number; body: string; next: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const client = await clientContext(sspi, { package: 'NTLM', authData: { ...USER }, targetName: 'HTTP/127.0.0.1' });
  try {
    const r1 = await send(port, {
      path,
      agent,
      headers: { authorization: `NTLM ${Buffer.from((await client.step())!).toString('base64')}` },
    });
    const challenge = new Uint8Array(Buffer.from(headerValues(r1, 'www-authenticate')[0]!.slice(5), 'base64'));
    const r2 = await send(port, {
      path,
      agent,
      headers: { authorization: `NTLM ${Buffer.from((await client.step(challenge))!).toString('base64')}` },
    });
    const r3 = await send(port, { path, agent });
    return { status: r2.status, body: r2.body, next: r3.status };
  } finally {
    client.dispose();
    agent.destroy();
  }
}

describe('framework adapters', () => {
  it('Express 5: the middleware challenges, authenticates NTLM on the connection, and sets req.sspkit', async () => {
    const sspi = await testSspi();
    const auth = await HttpAuthenticator.create({ sspi, schemes: [ntlmScheme(), digestScheme(['MD5'])] });
    const app = express();
    app.use(expressAuthentication(auth));
    app.get('/who', (req, res) => {
      res.json({ user: (req as SspkitExpressRequest).sspkit?.identity.user, via: 'express' });
    });
    const server: Server = createServer(app);
    const port = await listen(server);
    cleanups.push(async () => {
      await closeServer(server);
      auth.close();
    });
    const none = await send(port, { path: '/who' });
    expect(none.status).toBe(401);
    expect(headerValues(none, 'www-authenticate')).toHaveLength(2);
    expect((await send(port, { path: '/who', headers: { authorization: 'NTLM ***' } })).status).toBe(400);
    const r = await ntlmOverHttp(sspi, port, '/who');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ user: USER.user, via: 'express' });
    expect(r.next).toBe(200);
  });

  it('Fastify 5: the hook challenges, authenticates NTLM on the connection, sets request.sspkit', async () => {
    const sspi = await testSspi();
    const auth = await HttpAuthenticator.create({ sspi, schemes: [ntlmScheme()] });
    const app = Fastify();
    fastifyAuthentication(app, auth);
    app.get('/who', async (request) => ({ user: request.sspkit?.identity.user, via: 'fastify' }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    cleanups.push(async () => {
      await app.close();
      auth.close();
    });
    const none = await send(port, { path: '/who' });
    expect(none.status).toBe(401);
    expect(headerValues(none, 'www-authenticate')).toEqual(['NTLM']);
    expect((await send(port, { path: '/who', headers: { authorization: 'NTLM ***' } })).status).toBe(400);
    const r = await ntlmOverHttp(sspi, port, '/who');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ user: USER.user, via: 'fastify' });
    expect(r.next).toBe(200);
  });
});
