/**
 * Downgrade attacks on Digest (issue 17): the challenge travels unauthenticated, so a man in the middle
 * can rewrite the algorithm an HTTP server offers, or the ciphers a SASL server offers. Both sides must
 * hold to what they were configured (or asked) for.
 */
import { describe, expect, it } from 'vitest';
import type { Result } from '../src/errors.js';
import { HttpClientContext } from '../src/http/client-context.js';
import { HttpServerContext } from '../src/http/server-context.js';
import { HttpServerCredential } from '../src/http/server-credential.js';
import { MemoryUserStore } from '../src/stores/memory-user-store.js';

const users = new MemoryUserStore([{ username: 'Mufasa', realm: 'zoo', password: 'Circle of Life' }]);

function value<T>(r: Result<T>): T {
  if (!r.ok) throw r.error;
  return r.value;
}

describe('HTTP Digest algorithm downgrade', () => {
  it('a SHA-256 server refuses an MD5 answer to a challenge a man in the middle rewrote', async () => {
    const server = new HttpServerContext(new HttpServerCredential({ realm: 'zoo', users, algorithm: 'SHA-256' }));
    const challenge = value(await server.accept(undefined, {})).token ?? '';
    expect(challenge).toContain('algorithm=SHA-256');
    const rewritten = challenge.replace('algorithm=SHA-256', 'algorithm=MD5');
    const client = new HttpClientContext({ username: 'Mufasa', password: 'Circle of Life' });
    const answer = value(client.initialize(rewritten, '/a', { method: 'GET' })).token ?? '';
    expect(answer).toContain('algorithm=MD5');
    const r = await server.accept(answer, { method: 'GET', uri: '/a' });
    expect(r.ok ? 'ok' : r.error.code).toBe('QOP_NOT_SUPPORTED');
  });

  it('acceptAlgorithms is the explicit opt-out: listed algorithms are accepted too', async () => {
    const cred = new HttpServerCredential({ realm: 'zoo', users, algorithm: 'SHA-256', acceptAlgorithms: ['SHA-256', 'MD5'] });
    const server = new HttpServerContext(cred);
    const challenge = (value(await server.accept(undefined, {})).token ?? '').replace('algorithm=SHA-256', 'algorithm=MD5');
    const client = new HttpClientContext({ username: 'Mufasa', password: 'Circle of Life' });
    const answer = value(client.initialize(challenge, '/a', { method: 'GET' })).token ?? '';
    expect(value(await server.accept(answer, { method: 'GET', uri: '/a' })).next).toBe('done');
  });
});
