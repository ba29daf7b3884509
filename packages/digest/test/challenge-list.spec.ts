/**
 * RFC 7235 §4.1 / §2.1 challenge lists (issue 16): Node joins several `WWW-Authenticate` lines with
 * ", ", and a server may offer other schemes beside Digest. The client must split the list, keep the
 * Digest challenges and answer the strongest algorithm it allows, instead of refusing the value.
 */
import { describe, expect, it } from 'vitest';
import type { Result } from '../src/errors.js';
import { HttpClientContext } from '../src/http/client-context.js';
import { HttpServerContext } from '../src/http/server-context.js';
import { HttpServerCredential } from '../src/http/server-credential.js';
import { parseChallengeList, selectDigestChallenge } from '../src/messages/challenge-list.js';
import { MemoryUserStore } from '../src/stores/memory-user-store.js';

function value<T>(r: Result<T>): T {
  if (!r.ok) throw r.error;
  return r.value;
}

const SHA = 'Digest realm="a", nonce="n1", qop="auth", algorithm=SHA-256';
const MD5 = 'Digest realm="a", nonce="n2", qop="auth, auth-int", algorithm=MD5';

describe('parseChallengeList', () => {
  it('splits schemes, auth-params (commas inside quotes included) and token68', () => {
    const list = value(
      parseChallengeList(
        `Negotiate, ${MD5}, Basic realm="x, y", NTLM TlRMTVNTUAABAAAAB4IIAAAAAAAAAAAAAAAAAAAAAAA=,Bearer abc.def-ghi~+/==`,
      ),
    );
    expect(list.map((c) => c.scheme)).toEqual(['Negotiate', 'Digest', 'Basic', 'NTLM', 'Bearer']);
    expect(list[1]?.params.map((p) => `${p.name}=${p.value}`)).toEqual([
      'realm=a',
      'nonce=n2',
      'qop=auth, auth-int',
      'algorithm=MD5',
    ]);
    expect(list[1]?.text).toBe(MD5);
    expect(list[2]?.params).toEqual([{ name: 'realm', value: 'x, y', quoted: true }]);
    expect(list[3]?.token68).toBe('TlRMTVNTUAABAAAAB4IIAAAAAAAAAAAAAAAAAAAAAAA=');
    expect(list[4]?.token68).toBe('abc.def-ghi~+/==');
  });

  it('tolerates empty list elements and whitespace (RFC 7230 §7), refuses what is not a challenge list', () => {
    expect(value(parseChallengeList(` , ${SHA} ,, Negotiate ,`)).map((c) => c.scheme)).toEqual(['Digest', 'Negotiate']);
    // A truncated challenge must not read as "a challenge plus a bare scheme" (conformance: truncated tokens).
    const truncated = `${SHA.slice(0, SHA.indexOf('qop') + 2)}`;
    expect(truncated.endsWith(', qo')).toBe(true);
    expect(parseChallengeList(truncated).ok).toBe(false);
    for (const bad of ['', ',', '=x', 'Digest realm="a', 'Digest realm=a, =b', 'Digest realm=a b', 'Digest\x01']) {
      expect(parseChallengeList(bad).ok, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('selectDigestChallenge', () => {
  it('picks the strongest offered algorithm the client allows, whatever the order', () => {
    for (const header of [`${SHA}, ${MD5}`, `${MD5}, ${SHA}`, `Negotiate, ${MD5}, ${SHA}`]) {
      expect(value(selectDigestChallenge(header)).algorithm.name, header).toBe('SHA-256');
      expect(value(selectDigestChallenge(header, ['MD5'])).algorithm.name, header).toBe('MD5');
    }
    const none = selectDigestChallenge(MD5, ['SHA-256']);
    expect(!none.ok && none.error.code).toBe('QOP_NOT_SUPPORTED');
    const noDigest = selectDigestChallenge('Negotiate, Basic realm="x"');
    expect(!noDigest.ok && noDigest.error.code).toBe('INVALID_TOKEN');
  });

  it('skips a Digest challenge it cannot use (unknown algorithm) when another is usable', () => {
    expect(value(selectDigestChallenge(`Digest realm="a", nonce="x", algorithm=SHA-1, ${MD5}`)).nonce).toBe('n2');
  });
});

describe('the HTTP client answers a joined WWW-Authenticate value', () => {
  it('answers the SHA-256 challenge of "Negotiate, <MD5>, <SHA-256>", which the server verifies', async () => {
    const users = new MemoryUserStore([{ username: 'Mufasa', realm: 'zoo', password: 'Circle of Life' }]);
    const sha = new HttpServerContext(new HttpServerCredential({ realm: 'zoo', users, algorithm: 'SHA-256' }));
    const md5 = new HttpServerContext(new HttpServerCredential({ realm: 'zoo', users, algorithm: 'MD5' }));
    const joined = `Negotiate, ${value(await md5.accept(undefined, {})).token ?? ''}, ${value(await sha.accept(undefined, {})).token ?? ''}`;
    const client = new HttpClientContext({ username: 'Mufasa', password: 'Circle of Life' });
    const answer = value(client.initialize(joined, '/a', { method: 'GET' })).token ?? '';
    expect(answer).toContain('algorithm=SHA-256');
    expect(value(await sha.accept(answer, { method: 'GET', uri: '/a' })).next).toBe('done');
  });

  it('a client limited to SHA-256 refuses a list that offers only MD5 (no silent fallback)', () => {
    const client = new HttpClientContext(
      { username: 'Mufasa', password: 'Circle of Life' },
      { algorithms: ['SHA-256'] },
    );
    const r = client.initialize(`Negotiate, ${MD5}`, '/a', { method: 'GET' });
    expect(!r.ok && r.error.code).toBe('QOP_NOT_SUPPORTED');
  });

  it('a bare parameter list (no scheme) is still one Digest challenge', () => {
    const client = new HttpClientContext({ username: 'Mufasa', password: 'Circle of Life' });
    expect(value(client.initialize('realm="a", nonce="n", qop="auth"', '/a', { method: 'GET' })).token).toContain(
      'Digest username="Mufasa"',
    );
  });
});
