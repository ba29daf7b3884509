import { describe, expect, it } from 'vitest';
import { lookupAlgorithm } from '../src/crypto/algorithms.js';
import type { DigestAlgorithm } from '../src/crypto/algorithms.js';
import { ha2, hashHex, responseDigest, sessionHa1, userRealmPasswordHash } from '../src/crypto/http-digest.js';
import { parseCredentials } from '../src/messages/credentials.js';
import { parseChallenge } from '../src/messages/challenge.js';

function alg(name: string): DigestAlgorithm {
  const a = lookupAlgorithm(name);
  if (a === undefined) throw new Error(name);
  return a;
}

describe('RFC 7616 §3.9.1 (Mufasa, http-auth@example.org)', () => {
  const nonce = '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v';
  const cnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
  const cases = [
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ] as const;
  for (const [name, expected] of cases) {
    it(`computes the ${name} response of §3.9.1`, () => {
      const a = alg(name);
      const ha1 = userRealmPasswordHash(a, 'Mufasa', 'http-auth@example.org', 'Circle of Life');
      const h2 = ha2(a, { method: 'GET', uri: '/dir/index.html', qop: 'auth' });
      expect(responseDigest(a, { ha1, nonce, nc: 1, cnonce, qop: 'auth', ha2: h2 })).toBe(expected);
    });
    it(`parses the ${name} Authorization header of §3.9.1`, () => {
      const header = `Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=${name}, nonce="${nonce}", nc=00000001, cnonce="${cnonce}", qop=auth, response="${expected}", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`;
      const parsed = parseCredentials(header);
      expect(parsed.ok && parsed.value.response).toBe(expected);
      expect(parsed.ok && parsed.value.nc).toBe(1);
      expect(parsed.ok && parsed.value.algorithm.name).toBe(name);
    });
  }
  it('parses the §3.9.1 challenge', () => {
    const c = parseChallenge(
      `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="${nonce}", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`,
    );
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.value.qop).toEqual(['auth', 'auth-int']);
    expect(c.value.algorithm.name).toBe('SHA-256');
    expect(c.value.opaque).toBe('FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS');
  });
});

describe('RFC 2617 §3.5 (Mufasa, testrealm@host.com)', () => {
  it('computes the response 6629fae49393a05397450978507c4ef1', () => {
    const a = alg('MD5');
    const ha1 = userRealmPasswordHash(a, 'Mufasa', 'testrealm@host.com', 'Circle Of Life');
    const h2 = ha2(a, { method: 'GET', uri: '/dir/index.html', qop: 'auth' });
    const r = responseDigest(a, {
      ha1,
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      nc: 1,
      cnonce: '0a4f113b',
      qop: 'auth',
      ha2: h2,
    });
    expect(r).toBe('6629fae49393a05397450978507c4ef1');
  });
  it('parses the §3.5 header with its escaped and quoted fields', () => {
    const p = parseCredentials(
      'Digest username="Mufasa",\r\n realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"'.replace(
        '\r\n',
        '',
      ),
    );
    expect(p.ok && p.value.username).toBe('Mufasa');
  });
});

describe('session and auth-int variants (RFC 7616 §3.4.2, §3.4.3)', () => {
  it('MD5-sess rekeys HA1 with nonce and cnonce', () => {
    const a = alg('MD5-sess');
    const base = userRealmPasswordHash(a, 'u', 'r', 'p');
    expect(sessionHa1(a, base, 'n', 'c')).toBe(hashHex(a, base, 'n', 'c'));
    expect(sessionHa1(alg('MD5'), base, 'n', 'c')).toBe(base);
  });
  it('auth-int HA2 covers H(body)', () => {
    const a = alg('SHA-256');
    expect(ha2(a, { method: 'POST', uri: '/x', qop: 'auth-int', bodyHash: hashHex(a, 'abc') })).toBe(
      hashHex(a, 'POST', '/x', hashHex(a, 'abc')),
    );
    expect(ha2(a, { method: 'POST', uri: '/x', qop: 'auth-int', bodyHash: hashHex(a, 'abc') })).not.toBe(
      ha2(a, { method: 'POST', uri: '/x', qop: 'auth-int', bodyHash: hashHex(a, 'abd') }),
    );
  });
  it('SHA-512-256 is the truncated SHA-512/256, not a truncated SHA-512 (RFC 7616 §3.2)', () => {
    // FIPS 180-4 SHA-512/256("abc").
    expect(hashHex(alg('SHA-512-256'), 'abc')).toBe('53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23');
  });
});
