/**
 * Downgrade attacks on Digest (issue 17): the challenge travels unauthenticated, so a man in the middle
 * can rewrite the algorithm an HTTP server offers, or the ciphers a SASL server offers. Both sides must
 * hold to what they were configured (or asked) for.
 */
import { Buffer } from 'node:buffer';
import { IscReq, SecBufferType, SecPkgCred, createSspi, secBuffer, secBufferDesc, statusName } from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DIGEST_DEFAULTS, createDigestModule } from '../src/module.js';
import { SASL_CIPHERS } from '../src/sasl/ciphers.js';
import { SaslClientContext } from '../src/sasl/client-context.js';
import { SaslServerContext } from '../src/sasl/server-context.js';
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
    const cred = new HttpServerCredential({
      realm: 'zoo',
      users,
      algorithm: 'SHA-256',
      acceptAlgorithms: ['SHA-256', 'MD5'],
    });
    const server = new HttpServerContext(cred);
    const challenge = (value(await server.accept(undefined, {})).token ?? '').replace(
      'algorithm=SHA-256',
      'algorithm=MD5',
    );
    const client = new HttpClientContext({ username: 'Mufasa', password: 'Circle of Life' });
    const answer = value(client.initialize(challenge, '/a', { method: 'GET' })).token ?? '';
    expect(value(await server.accept(answer, { method: 'GET', uri: '/a' })).next).toBe('done');
  });
});

describe('SASL DIGEST-MD5 cipher downgrade', () => {
  const realm = 'elwood.innosoft.com';
  const saslUsers = new MemoryUserStore([{ username: 'chris', realm, password: 'secret' }]);

  it('a client that asked for confidentiality refuses a challenge rewritten to offer only rc4-40', async () => {
    const server = new SaslServerContext({ realm, users: saslUsers, ciphers: SASL_CIPHERS });
    const challenge = value(await server.accept(undefined)).token ?? '';
    const rewritten = challenge.replace(/cipher="[^"]*"/, 'cipher="rc4-40"');
    expect(rewritten).toContain('cipher="rc4-40"');
    const client = new SaslClientContext({ username: 'chris', password: 'secret' }, { confidentiality: true });
    const r = client.initialize(rewritten, `imap/${realm}`);
    expect(r.ok ? 'ok' : r.error.code).toBe('QOP_NOT_SUPPORTED');
  });

  it('a default server offers only 3des and rc4, and refuses a client that picks a weak cipher', async () => {
    const server = new SaslServerContext({ realm, users: saslUsers });
    const challenge = value(await server.accept(undefined)).token ?? '';
    expect(/cipher="([^"]*)"/.exec(challenge)?.[1]).toBe('3des,rc4');
    // A client willing to go weak, answering a challenge rewritten to list rc4-40.
    const client = new SaslClientContext(
      { username: 'chris', password: 'secret' },
      { confidentiality: true, ciphers: ['rc4-40'] },
    );
    const answer =
      value(client.initialize(challenge.replace(/cipher="[^"]*"/, 'cipher="rc4-40"'), `imap/${realm}`)).token ?? '';
    const r = await server.accept(answer);
    expect(r.ok ? 'ok' : r.error.code).toBe('QOP_NOT_SUPPORTED');
  });

  it('through the package: a module lists weak client ciphers only when told to (saslClientCiphers)', async () => {
    for (const [defaults, expected] of [
      [DEFAULT_DIGEST_DEFAULTS, 'SEC_E_QOP_NOT_SUPPORTED'],
      [{ ...DEFAULT_DIGEST_DEFAULTS, saslClientCiphers: SASL_CIPHERS }, 'SEC_I_CONTINUE_NEEDED'],
    ] as const) {
      const sspi = await createSspi({ modules: [createDigestModule(defaults)] });
      const cred = await sspi.acquireCredentialsHandle({
        package: 'Digest',
        credentialUse: SecPkgCred.OUTBOUND,
        authData: { user: 'chris', password: 'secret' },
      });
      const server = new SaslServerContext({ realm, users: saslUsers, ciphers: ['rc4-40'] });
      const challenge = Buffer.from(value(await server.accept(undefined)).token ?? '', 'latin1');
      const r = await sspi.initializeSecurityContext({
        ...(cred.credential !== undefined ? { credential: cred.credential } : {}),
        targetName: `imap/${realm}`,
        contextReq: IscReq.CONFIDENTIALITY | IscReq.ALLOCATE_MEMORY,
        input: secBufferDesc(secBuffer(SecBufferType.TOKEN, challenge)),
        output: secBufferDesc(secBuffer(SecBufferType.TOKEN)),
      });
      expect(statusName(r.status)).toBe(expected);
    }
  });
});
