import {
  AscReq,
  IscReq,
  SecBufferType,
  SecPkgCred,
  SecStatus,
  createSspi,
  secBuffer,
  secBufferDesc,
} from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { parseAuthenticationInfo } from '../src/messages/authentication-info.js';
import { parseChallenge } from '../src/messages/challenge.js';
import { parseCredentials } from '../src/messages/credentials.js';
import { createDigestModule } from '../src/module.js';
import { parseSaslChallenge, parseSaslResponse } from '../src/sasl/messages.js';

// A small seeded generator (mulberry32) so a failure reproduces.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'Digest ',
  'username',
  'realm',
  'nonce',
  'uri',
  'response',
  'qop',
  'nc',
  'cnonce',
  'algorithm',
  '=',
  '"',
  '\\',
  ',',
  ' ',
  'auth',
  'auth-int',
  'MD5',
  'SHA-256',
  '00000001',
  'x',
  '\u00e9',
  '\u0000',
  '\r\n',
  'username*',
  "UTF-8''%",
  'rspauth',
  'charset=utf-8',
  'md5-sess',
];

function randomMessage(next: () => number): string {
  let s = '';
  const n = Math.floor(next() * 30);
  for (let i = 0; i < n; i++)
    s +=
      next() < 0.8 ? (PIECES[Math.floor(next() * PIECES.length)] ?? '') : String.fromCharCode(Math.floor(next() * 256));
  return s;
}

describe('parsers never throw (seeded fuzz, 4000 messages built from Digest fragments and random octets)', () => {
  it('returns a Result for every input', () => {
    const next = rng(7616);
    for (let i = 0; i < 4000; i++) {
      const m = randomMessage(next);
      for (const parse of [
        parseCredentials,
        parseChallenge,
        parseAuthenticationInfo,
        parseSaslChallenge,
        parseSaslResponse,
      ]) {
        const r = parse(m);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(['INVALID_TOKEN', 'ILLEGAL_MESSAGE', 'QOP_NOT_SUPPORTED']).toContain(r.error.code);
      }
    }
  });

  it('AcceptSecurityContext answers every garbage token with a status, never SEC_E_INTERNAL_ERROR', async () => {
    const sspi = await createSspi({ modules: [createDigestModule()] });
    const cred = await sspi.acquireCredentialsHandle({ package: 'Digest', credentialUse: SecPkgCred.BOTH });
    if (cred.credential === undefined) throw new Error('credential');
    const next = rng(2831);
    for (let i = 0; i < 600; i++) {
      const token = Buffer.from(randomMessage(next), 'latin1');
      const http = i % 2 === 0;
      const a = await sspi.acceptSecurityContext({
        credential: cred.credential,
        contextReq: http ? AscReq.HTTP : 0,
        input: secBufferDesc(secBuffer(SecBufferType.TOKEN, token)),
      });
      expect(a.status).not.toBe(SecStatus.SEC_E_INTERNAL_ERROR);
      if (a.context !== undefined) sspi.deleteSecurityContext(a.context);
      const c = await sspi.initializeSecurityContext({
        credential: cred.credential,
        contextReq: http ? IscReq.HTTP : 0,
        input: secBufferDesc(secBuffer(SecBufferType.TOKEN, token)),
      });
      expect(c.status).not.toBe(SecStatus.SEC_E_INTERNAL_ERROR);
      if (c.context !== undefined) sspi.deleteSecurityContext(c.context);
    }
  });
});
