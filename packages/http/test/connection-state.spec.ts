/** Connection-bound state: idle timeout, the total bound, and authPersistNonNTLM. */
import { Agent, createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { clientContext } from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { createMockPackage } from '@sspkit/provider-mock';
import { USER, headerValues, ntlmScheme, send, startServer, testSspi } from './fixture.js';
import type { TestServer } from './fixture.js';

let server: TestServer | undefined;
const agents: Agent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) a.destroy();
  await server?.close();
  server = undefined;
});

function connection(): Agent {
  const a = new Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(a);
  return a;
}

/** Runs a handshake of `pkg` over HTTP on `agent`'s connection; returns the last status. */
async function login(sspi: SspiDispatcher, port: number, agent: Agent, pkg: string, authData: object): Promise<number> {
  const client = await clientContext(sspi, { package: pkg, authData, targetName: 'HTTP/127.0.0.1' });
  try {
    let token = await client.step();
    for (;;) {
      const r = await send(port, {
        agent,
        headers: { authorization: `${pkg} ${Buffer.from(token!).toString('base64')}` },
      });
      const back = headerValues(r, 'www-authenticate')[0];
      if (r.status !== 401 || back === undefined || back === pkg) return r.status;
      token = await client.step(new Uint8Array(Buffer.from(back.slice(pkg.length + 1), 'base64')));
    }
  } finally {
    client.dispose();
  }
}

describe('connection-bound state', () => {
  it('a context idle past the timeout is disposed: the connection must authenticate again', async () => {
    const sspi = await testSspi();
    server = await startServer(createServer, { sspi, schemes: [ntlmScheme()], idleTimeoutMs: 1500 });
    const agent = connection();
    expect(await login(sspi, server.port, agent, 'NTLM', { ...USER })).toBe(200);
    expect((await send(server.port, { agent })).status).toBe(200);
    // Generous margins: the machine running the tests may be loaded.
    await new Promise((r) => setTimeout(r, 3000));
    expect(server.auth.connectionCount).toBe(0);
    expect((await send(server.port, { agent })).status).toBe(401);
  });

  it('beyond maxConnections the least recently used context goes', async () => {
    const sspi = await testSspi();
    server = await startServer(createServer, { sspi, schemes: [ntlmScheme()], maxConnections: 2 });
    const [a, b, c] = [connection(), connection(), connection()];
    for (const agent of [a, b, c]) expect(await login(sspi, server.port, agent, 'NTLM', { ...USER })).toBe(200);
    expect(server.auth.connectionCount).toBe(2);
    expect((await send(server.port, { agent: a })).status).toBe(401);
    expect((await send(server.port, { agent: c })).status).toBe(200);
  });

  it('authPersistNonNTLM off: a non-NTLM authentication covers its own request only; NTLM still persists', async () => {
    const sspi = await testSspi([createMockPackage().module]);
    server = await startServer(createServer, {
      sspi,
      schemes: [{ scheme: 'Mock' }, ntlmScheme()],
      persist: { nonNtlm: false },
    });
    const mock = connection();
    expect(await login(sspi, server.port, mock, 'Mock', { user: 'alice', password: 'alice-password' })).toBe(200);
    expect((await send(server.port, { agent: mock })).status).toBe(401);
    const ntlm = connection();
    expect(await login(sspi, server.port, ntlm, 'NTLM', { ...USER })).toBe(200);
    expect((await send(server.port, { agent: ntlm })).status).toBe(200);
  });

  it('authPersistNonNTLM on (the default): the non-NTLM authentication carries the connection', async () => {
    const sspi = await testSspi([createMockPackage().module]);
    server = await startServer(createServer, { sspi, schemes: [{ scheme: 'Mock' }] });
    const mock = connection();
    expect(await login(sspi, server.port, mock, 'Mock', { user: 'alice', password: 'alice-password' })).toBe(200);
    expect((await send(server.port, { agent: mock })).status).toBe(200);
  });
});
