/**
 * A nonce-count store shared by several instances (Redis, `@sspkit/store-redis`) answers over the
 * network: it may be down or slow. Every verification awaits it, a rejection refuses the response
 * with a cause (SEC_E_NO_AUTHENTICATING_AUTHORITY), never accepts it; and a store that says it is
 * shared demands a configured nonce key, never one drawn per process.
 */
import { SecPkgCred, SecStatus, createSspi, statusName } from '@sspkit/core';
import { describe, expect, it } from 'vitest';
import { NonceIssuer } from '../src/crypto/nonce.js';
import { DigestErrorCode } from '../src/errors.js';
import type { Result } from '../src/errors.js';
import { HttpClientContext } from '../src/http/client-context.js';
import { HttpServerContext } from '../src/http/server-context.js';
import { HttpServerCredential } from '../src/http/server-credential.js';
import { createDigestModule } from '../src/module.js';
import { statusForCode } from '../src/status-map.js';
import { MemoryUserStore } from '../src/stores/memory-user-store.js';
import { MemoryNonceCountStore } from '../src/stores/nonce-count-store.js';
import type { NonceCountStore, NonceCountVerdict } from '../src/stores/nonce-count-store.js';
import type { Step } from '../src/step.js';

const users = new MemoryUserStore([{ username: 'alice', realm: 'zoo', password: 'a-pass' }]);
const key = new Uint8Array(32).fill(7);

/** A shared store whose backend can be switched off: then every call rejects, as a Redis client does. */
class SwitchableStore implements NonceCountStore {
  readonly shared = true;
  readonly inner = new MemoryNonceCountStore();
  down = false;
  record(nonce: string, nc: number, retainUntil: number): Promise<NonceCountVerdict> {
    return this.down
      ? Promise.reject(new Error('Connection is closed.'))
      : Promise.resolve(this.inner.record(nonce, nc, retainUntil));
  }
  peek(nonce: string, nc: number): Promise<NonceCountVerdict> {
    return this.down ? Promise.reject(new Error('Connection is closed.')) : Promise.resolve(this.inner.peek(nonce, nc));
  }
}

function value<T>(r: Result<T>): T {
  if (!r.ok) throw r.error;
  return r.value;
}

async function authorization(cred: HttpServerCredential): Promise<string> {
  const challenge = value(await new HttpServerContext(cred).accept(undefined, {})).token ?? '';
  const client = new HttpClientContext({ username: 'alice', password: 'a-pass' }, {});
  return value(client.initialize(challenge, '/x', { method: 'GET' })).token ?? '';
}

async function answer(cred: HttpServerCredential, authz: string): Promise<Result<Step>> {
  return new HttpServerContext(cred).accept(authz, { method: 'GET', uri: '/x' });
}

describe('a shared nonce-count store that does not answer fails closed', () => {
  it('refuses with AUTHORITY_UNAVAILABLE and a cause while down; the same response is accepted once back', async () => {
    const store = new SwitchableStore();
    const cred = new HttpServerCredential({
      realm: 'zoo',
      users,
      nonces: new NonceIssuer({ key }),
      nonceCounts: store,
    });
    const authz = await authorization(cred);
    store.down = true;
    const r = await answer(cred, authz);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(DigestErrorCode.AuthorityUnavailable);
    expect(r.error.message).toMatch(/nonce-count store did not answer \(Connection is closed\.\)/);
    expect(statusForCode(r.error.code)).toBe(SecStatus.SEC_E_NO_AUTHENTICATING_AUTHORITY);
    // Nothing was recorded while down: the count is still the client's to spend, once.
    store.down = false;
    expect((await answer(cred, authz)).ok).toBe(true);
    const again = await answer(cred, authz);
    expect(again.ok ? 'accepted' : again.error.code).toBe(DigestErrorCode.OutOfSequence);
  });

  it('refuses a verdict the interface does not know (a broken store) instead of reading it as fresh', async () => {
    const broken: NonceCountStore = {
      shared: true,
      record: () => Promise.resolve('ok' as unknown as NonceCountVerdict),
      peek: () => 'fresh',
    };
    const cred = new HttpServerCredential({
      realm: 'zoo',
      users,
      nonces: new NonceIssuer({ key }),
      nonceCounts: broken,
    });
    const r = await answer(cred, await authorization(cred));
    expect(r.ok ? 'accepted' : r.error.code).toBe(DigestErrorCode.AuthorityUnavailable);
  });
});

describe('a shared store demands a configured nonce key', () => {
  it('HttpServerCredential refuses a shared store with a per-process key', () => {
    expect(() => new HttpServerCredential({ realm: 'zoo', users, nonceCounts: new SwitchableStore() })).toThrow(
      /needs the nonce key configured/,
    );
    // The in-memory store is not shared: the single-process default stays as it was.
    expect(
      () => new HttpServerCredential({ realm: 'zoo', users, nonceCounts: new MemoryNonceCountStore() }),
    ).not.toThrow();
  });

  it('AcquireCredentialsHandle: SEC_E_UNKNOWN_CREDENTIALS with the cause; with nonceKey, SEC_E_OK', async () => {
    const sspi = await createSspi({ modules: [createDigestModule()] });
    const base = { kind: 'digest-server', realm: 'zoo', users, nonceCounts: new SwitchableStore() };
    const without = await sspi.acquireCredentialsHandle({
      package: 'Digest',
      credentialUse: SecPkgCred.INBOUND,
      authData: base,
    });
    expect(statusName(without.status)).toBe('SEC_E_UNKNOWN_CREDENTIALS');
    expect(String(without.cause)).toMatch(/nonce key configured/);
    const withKey = await sspi.acquireCredentialsHandle({
      package: 'Digest',
      credentialUse: SecPkgCred.INBOUND,
      authData: { ...base, nonceKey: key },
    });
    expect(statusName(withKey.status)).toBe('SEC_E_OK');
  });
});
