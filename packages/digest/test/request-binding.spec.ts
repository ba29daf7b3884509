/**
 * A Digest response is bound to one request: its method and URI (RFC 7616 §3.4.6). Regressions for
 * issue 17 (no URI buffer accepted any URI) and issue 16 (the stale re-answer and the URI statuses).
 */
import { describe, expect, it } from 'vitest';
import type { Result } from '../src/errors.js';
import { HttpClientContext } from '../src/http/client-context.js';
import { HttpServerContext } from '../src/http/server-context.js';
import { HttpServerCredential } from '../src/http/server-credential.js';
import type { HttpServerOptions } from '../src/http/server-credential.js';
import { MemoryUserStore } from '../src/stores/memory-user-store.js';

const users = new MemoryUserStore([{ username: 'Mufasa', realm: 'zoo', password: 'Circle of Life' }]);

function value<T>(r: Result<T>): T {
  if (!r.ok) throw r.error;
  return r.value;
}

async function answerFor(server: HttpServerContext, uri: string): Promise<string> {
  const challenge = value(await server.accept(undefined, {})).token ?? '';
  return (
    value(
      new HttpClientContext({ username: 'Mufasa', password: 'Circle of Life' }).initialize(challenge, uri, {
        method: 'GET',
      }),
    ).token ?? ''
  );
}

const outcome = (r: Result<{ next: string; completeNeeded: boolean }>) =>
  r.ok ? (r.value.completeNeeded ? 'complete-needed' : r.value.next) : r.error.code;

describe('the request URI is required', () => {
  const setup = (options: Partial<HttpServerOptions> = {}) =>
    new HttpServerContext(new HttpServerCredential({ realm: 'zoo', users, ...options }));

  it('a response for /public presented on a request whose URI the caller did not pass is not accepted', async () => {
    const server = setup();
    const stolen = await answerFor(server, '/public');
    // The caller passes the method only: the package cannot know the request is for /admin.
    expect(outcome(await server.accept(stolen, { method: 'GET' }))).toBe('complete-needed');
    expect(outcome(await server.complete({}))).toBe('INVALID_PARAMETER');
  });

  it('given the URI, a response for another one is ILLEGAL_MESSAGE (RFC 7616 §3.4.6: 400 Bad Request)', async () => {
    const server = setup();
    const stolen = await answerFor(server, '/public');
    expect(outcome(await server.accept(stolen, { method: 'GET', uri: '/admin' }))).toBe('ILLEGAL_MESSAGE');
    expect(outcome(await server.accept(stolen, { method: 'GET', uri: '/public' }))).toBe('done');
  });

  it('allowMissingUri is the explicit opt-out', async () => {
    const server = setup({ allowMissingUri: true });
    expect(outcome(await server.accept(await answerFor(server, '/public'), { method: 'GET' }))).toBe('done');
  });
});

describe('an unknown user is refused where and how a wrong password is (no enumeration)', () => {
  const setup = () => new HttpServerContext(new HttpServerCredential({ realm: 'zoo', users }));
  const answer = async (server: HttpServerContext, username: string, password: string) => {
    const challenge = value(await server.accept(undefined, {})).token ?? '';
    return (
      value(new HttpClientContext({ username, password }).initialize(challenge, '/a', { method: 'GET' })).token ?? ''
    );
  };

  it('with the method still unknown, both get COMPLETE_NEEDED first, then the same status', async () => {
    for (const [username, password] of [
      ['Mufasa', 'wrong'],
      ['Nobody', 'wrong'],
    ] as const) {
      const server = setup();
      expect(outcome(await server.accept(await answer(server, username, password), { uri: '/a' })), username).toBe(
        'complete-needed',
      );
      expect(outcome(await server.complete({ method: 'GET' })), username).toBe('LOGON_DENIED');
    }
  });
});

describe('a tampered URI: mismatch versus rewritten digest-uri', () => {
  it('on a later request, uri= rewritten together with the request line is MESSAGE_ALTERED', async () => {
    const server = new HttpServerContext(new HttpServerCredential({ realm: 'zoo', users }));
    const challenge = value(await server.accept(undefined, {})).token ?? '';
    const client = new HttpClientContext({ username: 'Mufasa', password: 'Circle of Life' });
    const first = value(client.initialize(challenge, '/public', { method: 'GET' })).token ?? '';
    expect(outcome(await server.accept(first, { method: 'GET', uri: '/public' }))).toBe('done');
    const later = value(client.nextRequest('GET', '/public', {})).replace('uri="/public"', 'uri="/admin"');
    expect(outcome(await server.accept(later, { method: 'GET', uri: '/admin' }))).toBe('complete-needed');
    expect(outcome(await server.complete({}))).toBe('MESSAGE_ALTERED');
  });
});
