import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { saslResponse, saslRspauth, saslUserHash } from '../src/sasl/compute.js';
import {
  formatSaslResponse,
  parseSaslChallenge,
  parseSaslResponse,
  parseSaslResponseAuth,
} from '../src/sasl/messages.js';

// RFC 2831 §4, first example (IMAP): user chris, password secret.
const challenge = 'realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth",algorithm=md5-sess,charset=utf-8';
const response =
  'charset=utf-8,username="chris",realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",nc=00000001,cnonce="OA6MHXh6VqTrRk",digest-uri="imap/elwood.innosoft.com",response=d388dad90d4bbd760a152321f2143af7,qop=auth';

describe('RFC 2831 §4 example exchange (IMAP)', () => {
  const input = {
    userHash: saslUserHash('chris', 'elwood.innosoft.com', Buffer.from('secret'), true),
    nonce: 'OA6MG9tEQGm2hh',
    cnonce: 'OA6MHXh6VqTrRk',
    nc: 1,
    qop: 'auth' as const,
    digestUri: 'imap/elwood.innosoft.com',
  };
  it('parses the server challenge', () => {
    const c = parseSaslChallenge(challenge);
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.value.realms).toEqual(['elwood.innosoft.com']);
    expect(c.value.qop).toEqual(['auth']);
    expect(c.value.utf8).toBe(true);
  });
  it('computes response=d388dad90d4bbd760a152321f2143af7', () => {
    expect(saslResponse(input)).toBe('d388dad90d4bbd760a152321f2143af7');
  });
  it('computes rspauth=ea40f60335c427b5527b84dbabcdfffd', () => {
    expect(saslRspauth(input)).toBe('ea40f60335c427b5527b84dbabcdfffd');
    const r = parseSaslResponseAuth('rspauth=ea40f60335c427b5527b84dbabcdfffd');
    expect(r.ok && r.value).toBe('ea40f60335c427b5527b84dbabcdfffd');
  });
  it('parses and re-serialises the client response', () => {
    const r = parseSaslResponse(response);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ username: 'chris', nc: 1, digestUri: 'imap/elwood.innosoft.com', qop: 'auth' });
    const again = parseSaslResponse(formatSaslResponse(r.value));
    expect(again.ok && again.value).toEqual(r.value);
  });
});

describe('RFC 2831 §4 second example (ACAP)', () => {
  it('computes response=6084c6db3fede7352c551284490fd0fc and rspauth=2f0b3d7c3c2e486600ef710726aa2eae', () => {
    const input = {
      userHash: saslUserHash('chris', 'elwood.innosoft.com', Buffer.from('secret'), true),
      nonce: 'OA9BSXrbuRhWay',
      cnonce: 'OA9BSuZWMSpW8m',
      nc: 1,
      qop: 'auth' as const,
      digestUri: 'acap/elwood.innosoft.com',
    };
    expect(saslResponse(input)).toBe('6084c6db3fede7352c551284490fd0fc');
    expect(saslRspauth(input)).toBe('2f0b3d7c3c2e486600ef710726aa2eae');
  });
});

describe('digest-challenge strictness (RFC 2831 §2.1.1)', () => {
  it('allows several realms but not two nonces', () => {
    const ok = parseSaslChallenge('realm="a",realm="b",nonce="n",algorithm=md5-sess');
    expect(ok.ok && ok.value.realms).toEqual(['a', 'b']);
    const bad = parseSaslChallenge('nonce="n",nonce="m",algorithm=md5-sess');
    expect(!bad.ok && bad.error.code).toBe('INVALID_TOKEN');
  });
  it('requires algorithm=md5-sess', () => {
    const missing = parseSaslChallenge('nonce="n"');
    expect(!missing.ok && missing.error.code).toBe('INVALID_TOKEN');
    const wrong = parseSaslChallenge('nonce="n",algorithm=md5');
    expect(!wrong.ok && wrong.error.code).toBe('ILLEGAL_MESSAGE');
  });
  it('rejects a challenge over 2048 octets', () => {
    const r = parseSaslChallenge(`nonce="${'x'.repeat(2100)}",algorithm=md5-sess`);
    expect(!r.ok && r.error.code).toBe('INVALID_TOKEN');
  });
  it('rejects auth-conf without a cipher in a response', () => {
    const r = parseSaslResponse(response.replace('qop=auth', 'qop=auth-conf'));
    expect(!r.ok && r.error.code).toBe('ILLEGAL_MESSAGE');
  });
});
