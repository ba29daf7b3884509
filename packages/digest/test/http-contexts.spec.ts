import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { NonceIssuer } from '../src/crypto/nonce.js';
import type { Result } from '../src/errors.js';
import { HttpClientContext } from '../src/http/client-context.js';
import { HttpServerContext } from '../src/http/server-context.js';
import { HttpServerCredential } from '../src/http/server-credential.js';
import type { HttpServerOptions } from '../src/http/server-credential.js';
import { parseCredentials } from '../src/messages/credentials.js';
import { MemoryUserStore } from '../src/stores/memory-user-store.js';
import type { Step } from '../src/step.js';

const users = new MemoryUserStore([
  { username: 'Mufasa', realm: 'zoo', password: 'Circle of Life', groups: ['lions'] },
  { username: 'Jäsøn Doe', realm: 'zoo', password: 'Secret, or not?' },
]);

function value<T>(r: Result<T>): T {
  if (!r.ok) throw r.error;
  return r.value;
}

function setup(options: Partial<HttpServerOptions> = {}, password = 'Circle of Life', username = 'Mufasa') {
  const cred = new HttpServerCredential({ realm: 'zoo', users, ...options });
  const server = new HttpServerContext(cred);
  const client = new HttpClientContext({ username, password }, { mutual: true });
  return { cred, server, client };
}

async function challenge(server: HttpServerContext): Promise<string> {
  const s = value(await server.accept(undefined, {}));
  expect(s.next).toBe('continue');
  return s.token ?? '';
}

describe('HTTP Digest client ↔ server', () => {
  for (const algorithm of ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess', 'SHA-512-256', 'SHA-512-256-sess'] as const) {
    it(`authenticates with ${algorithm}, checks rspauth, then a second request via nextRequest`, async () => {
      const { server, client } = setup({ algorithm });
      const c = await challenge(server);
      const step = value(client.initialize(c, '/a', { method: 'GET' }));
      expect(step).toMatchObject({ next: 'done', completeNeeded: false });
      const done = value(await server.accept(step.token, { method: 'GET', uri: '/a' }));
      expect(done.next).toBe('done');
      expect(done.completeNeeded).toBe(false);
      expect(server.identity).toEqual({ username: 'Mufasa', realm: 'zoo', groups: ['lions'] });
      value(client.initialize(done.token ?? '', '/a', {}));
      expect(client.serverVerified).toBe(true);

      const next = value(client.nextRequest('POST', '/b', {}));
      expect(parseCredentials(next).ok && value(parseCredentials(next)).nc).toBe(2);
      const pending = value(await server.accept(next, { method: 'POST' }));
      expect(pending.completeNeeded).toBe(true);
      const verified = value(await server.complete({ uri: '/b' }));
      expect(verified.next).toBe('done');
      expect(server.requests).toBe(2);
    });
  }

  it('rejects a wrong password with LOGON_DENIED', async () => {
    const { server, client } = setup({}, 'wrong');
    const step = value(client.initialize(await challenge(server), '/', { method: 'GET' }));
    const r = await server.accept(step.token, { method: 'GET', uri: '/' });
    expect(!r.ok && r.error.code).toBe('LOGON_DENIED');
    expect(!r.ok && r.error.message).not.toContain('wrong');
  });

  it('rejects a replayed nonce count with OUT_OF_SEQUENCE, also on a fresh context', async () => {
    const { cred, server, client } = setup();
    const step = value(client.initialize(await challenge(server), '/', { method: 'GET' }));
    value(await server.accept(step.token, { method: 'GET', uri: '/' }));
    const again = await new HttpServerContext(cred).accept(step.token, { method: 'GET', uri: '/' });
    expect(!again.ok && again.error.code).toBe('OUT_OF_SEQUENCE');
    value(await server.accept(step.token, { method: 'GET', uri: '/' }));
    const replay = await server.complete({});
    expect(!replay.ok && replay.error.code).toBe('OUT_OF_SEQUENCE');
  });

  it('auth-int: the server asks for the body (COMPLETE_NEEDED) and detects a tampered one (MESSAGE_ALTERED)', async () => {
    const { server } = setup({ qop: ['auth-int'] });
    const client = new HttpClientContext({ username: 'Mufasa', password: 'Circle of Life' });
    const c = await challenge(server);
    // The client does not know the body yet either: it, too, completes later.
    const first = value(client.initialize(c, '/upload', { method: 'PUT' }));
    expect(first).toMatchObject({ completeNeeded: true, next: 'done' });
    const token = value(client.complete({ body: Buffer.from('payload') }));
    const pending = value(await server.accept(token, { method: 'PUT', uri: '/upload' }));
    expect(pending.completeNeeded).toBe(true);
    const tampered = await server.complete({ body: Buffer.from('pAyload') });
    expect(!tampered.ok && tampered.error.code).toBe('MESSAGE_ALTERED');

    const second = value(client.nextRequest('PUT', '/upload', { body: Buffer.from('two') }));
    value(await server.accept(second, { method: 'PUT', uri: '/upload' }));
    expect(value(await server.complete({ body: Buffer.from('two') })).next).toBe('done');
  });

  it('a stale nonce yields a stale=true challenge, and the client retries without the password', async () => {
    let now = 10_000_000;
    const nonces = new NonceIssuer({ lifetimeMs: 1000, now: () => now });
    const { server, client } = setup({ nonces });
    const step = value(client.initialize(await challenge(server), '/', { method: 'GET' }));
    now += 5000;
    const stale = value(await server.accept(step.token, { method: 'GET', uri: '/' }));
    expect(stale.next).toBe('continue');
    expect(stale.token).toContain('stale=true');
    const retry = value(client.initialize(stale.token ?? '', '/', { method: 'GET' }));
    expect(value(await server.accept(retry.token, { method: 'GET', uri: '/' })).next).toBe('done');
  });

  it('past half its lifetime, a nonce is answered with a nextnonce (RFC 7616 §3.5) that the client follows, nc from 1', async () => {
    let now = 10_000_000;
    const nonces = new NonceIssuer({ lifetimeMs: 1000, now: () => now });
    const { server, client } = setup({ nonces });
    const step = value(client.initialize(await challenge(server), '/', { method: 'GET' }));
    const young = value(await server.accept(step.token, { method: 'GET', uri: '/' }));
    expect(young.token).not.toContain('nextnonce');
    now += 600;
    const second = value(client.nextRequest('GET', '/b', {}));
    value(await server.accept(second, { method: 'GET', uri: '/b' }));
    const done = value(await server.complete({ method: 'GET', uri: '/b' }));
    expect(done.token).toMatch(/nextnonce="[^"]+"/);
    value(client.initialize(done.token ?? '', '/b', {}));
    const third = value(client.nextRequest('GET', '/c', {}));
    expect(third).toContain('nc=00000001');
    expect(third).toContain(`nonce="${/nextnonce="([^"]+)"/.exec(done.token ?? '')?.[1] ?? ''}"`);
    now += 700; // the first nonce is now stale; its successor is not
    value(await server.accept(third, { method: 'GET', uri: '/c' }));
    expect(value(await server.complete({ method: 'GET', uri: '/c' })).next).toBe('done');
  });

  it('a non-stale re-challenge means the credentials were refused', async () => {
    const { server, client } = setup();
    value(client.initialize(await challenge(server), '/', { method: 'GET' }));
    const r = client.initialize(await challenge(server), '/', { method: 'GET' });
    expect(!r.ok && r.error.code).toBe('LOGON_DENIED');
  });

  it('userhash and a UTF-8 user name (RFC 7616 §3.4.4)', async () => {
    for (const userhash of [true, false]) {
      const { server, client } = setup({ userhash, algorithm: 'SHA-256' }, 'Secret, or not?', 'Jäsøn Doe');
      const step = value(client.initialize(await challenge(server), '/doe.json', { method: 'GET' }));
      expect(step.token).toContain(userhash ? 'userhash=true' : "username*=UTF-8''J%C3%A4s%C3%B8n%20Doe");
      value(await server.accept(step.token, { method: 'GET', uri: '/doe.json' }));
      expect(server.identity?.username).toBe('Jäsøn Doe');
    }
  });

  it('a forged rspauth is MUTUAL_AUTH_FAILED on the client', async () => {
    const { server, client } = setup();
    const step = value(client.initialize(await challenge(server), '/', { method: 'GET' }));
    value(await server.accept(step.token, { method: 'GET', uri: '/' }));
    const r = client.initialize('rspauth="00000000000000000000000000000000", qop=auth, nc=00000001', '/', {});
    expect(!r.ok && r.error.code).toBe('MUTUAL_AUTH_FAILED');
  });

  it('malformed headers fail with typed errors, never a throw', async () => {
    const { server } = setup();
    for (const bad of [
      'Digest username="a',
      'Digest a=b, a=c',
      'Digest username="x"',
      'Basic abc',
      `Digest username="${'x'.repeat(20000)}"`,
    ]) {
      const r = await server.accept(bad, { method: 'GET' });
      expect(r.ok).toBe(false);
      expect(['INVALID_TOKEN', 'ILLEGAL_MESSAGE']).toContain(!r.ok && r.error.code);
    }
  });

  it('a mismatching request URI is ILLEGAL_MESSAGE', async () => {
    const { server, client } = setup();
    const step = value(client.initialize(await challenge(server), '/a', { method: 'GET' }));
    const r = await server.accept(step.token, { method: 'GET', uri: '/b' });
    expect(!r.ok && r.error.code).toBe('ILLEGAL_MESSAGE');
  });

  it('an htdigest (MD5-only) user cannot answer SHA-256', async () => {
    const store = new MemoryUserStore([{ username: 'u', realm: 'zoo', ha1: { MD5: '0'.repeat(32) } }]);
    const { server } = setup({ users: store, algorithm: 'SHA-256' });
    const client = new HttpClientContext({ username: 'u', password: 'p' });
    const step: Step = value(client.initialize(await challenge(server), '/', { method: 'GET' }));
    const r = await server.accept(step.token, { method: 'GET', uri: '/' });
    expect(!r.ok && r.error.code).toBe('LOGON_DENIED');
  });
});

describe('values that cannot travel in a header', () => {
  it('a user name with CR/LF travels percent-encoded as username* (charset=UTF-8), never raw', async () => {
    const { server } = setup();
    const client = new HttpClientContext({ username: 'evil\r\nX-Injected: 1', password: 'p' });
    const c = value(await server.accept(undefined, {}));
    const token = value(client.initialize(c.token ?? '', '/', { method: 'GET' })).token ?? '';
    expect(token).not.toMatch(/[\r\n]/);
    expect(token).toContain("username*=UTF-8''evil%0D%0AX-Injected%3A%201");
  });
  it('without charset=UTF-8 such a user name is refused with ILLEGAL_MESSAGE, not thrown', async () => {
    const { server } = setup({ utf8: false });
    const client = new HttpClientContext({ username: 'evil\r\nX-Injected: 1', password: 'p' });
    const c = value(await server.accept(undefined, {}));
    const r = client.initialize(c.token ?? '', '/', { method: 'GET' });
    expect(!r.ok && r.error.code).toBe('ILLEGAL_MESSAGE');
  });
  it('a realm with CR/LF makes the server refuse to challenge', async () => {
    const server = new HttpServerContext(new HttpServerCredential({ realm: 'bad\nrealm', users }));
    const r = await server.accept(undefined, {});
    expect(!r.ok && r.error.code).toBe('ILLEGAL_MESSAGE');
  });
});

describe('non-ASCII realms (one wire form for challenge, comparison and nonce MAC)', () => {
  it('authenticates in realms beyond ASCII and beyond Latin-1', async () => {
    // Regression: 'zoö' went out as Latin-1 but was hashed as UTF-8 (LOGON_DENIED); 'Zoo Ω' could not be challenged.
    for (const realm of ['zoö', 'Zoo Ω']) {
      const cred = new HttpServerCredential({
        realm,
        users: new MemoryUserStore([{ username: 'v', realm, password: 'pw' }]),
      });
      const server = new HttpServerContext(cred);
      const c = await challenge(server);
      expect(c).toContain(`realm="${Buffer.from(realm, 'utf8').toString('latin1')}"`);
      const client = new HttpClientContext({ username: 'v', password: 'pw', realm }, {});
      const step = value(client.initialize(c, '/', { method: 'GET' }));
      expect(value(await server.accept(step.token, { method: 'GET', uri: '/' })).next).toBe('done');
      expect(server.identity).toMatchObject({ username: 'v', realm });
    }
  });
  it('binds nonces to the realm octets: a nonce of realm "x©" is not one of realm "xΩ"', async () => {
    // Latin-1 folding would map Ω to 0xA9 (©), making the two realms share nonces under one key.
    const nonces = new NonceIssuer();
    const a = new HttpServerCredential({ realm: 'x©', users, nonces, opaque: 'o' });
    const b = new HttpServerCredential({ realm: 'xΩ', users, nonces, opaque: 'o' });
    const nonce = /nonce="([^"]+)"/.exec(await challenge(new HttpServerContext(a)))?.[1] ?? '';
    expect(nonces.check(nonce, a.wireRealm, 'o')).toBe('valid');
    expect(nonces.check(nonce, b.wireRealm, 'o')).toBe('invalid');
  });
});
