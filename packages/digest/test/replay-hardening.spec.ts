/**
 * Replay protection of the HTTP Digest server (RFC 7616 §3.4 and §5.4: a server should not accept
 * the same nonce count twice). Regressions for review findings: a full nonce-count store that forgot
 * a live nonce, credentials sharing a nonce key but not the record of counts, and `userhash=true`
 * accepted although the server never offered it.
 */
import { describe, expect, it } from 'vitest';
import { ha2, responseDigest, userhash, userRealmPasswordHash } from '../src/crypto/http-digest.js';
import { formatCredentials } from '../src/messages/credentials.js';
import { NonceIssuer } from '../src/crypto/nonce.js';
import { DigestErrorCode, isDigestError } from '../src/errors.js';
import type { Result } from '../src/errors.js';
import { HttpClientContext } from '../src/http/client-context.js';
import { HttpServerContext } from '../src/http/server-context.js';
import { HttpServerCredential } from '../src/http/server-credential.js';
import { MemoryUserStore } from '../src/stores/memory-user-store.js';
import { MemoryNonceCountStore } from '../src/stores/nonce-count-store.js';
import type { DigestAlgorithm } from '../src/crypto/algorithms.js';
import type { Step } from '../src/step.js';
import type { DigestUser, UserStore } from '../src/stores/user-store.js';

const users = new MemoryUserStore([
  { username: 'victim', realm: 'zoo', password: 'v-pass' },
  { username: 'eve', realm: 'zoo', password: 'e-pass' },
]);
const PASSWORDS: Record<string, string> = { victim: 'v-pass', eve: 'e-pass' };

function value<T>(r: Result<T>): T {
  if (!r.ok) throw r.error;
  return r.value;
}

/** A fresh challenge from `cred`, answered by `username`: the Authorization value. */
async function authorization(cred: HttpServerCredential, username: string, uri = '/x'): Promise<string> {
  const challenge = value(await new HttpServerContext(cred).accept(undefined, {})).token ?? '';
  return (
    value(
      new HttpClientContext({ username, password: PASSWORDS[username] ?? '' }, {}).initialize(challenge, uri, {
        method: 'GET',
      }),
    ).token ?? ''
  );
}

/** What a server context answers to an Authorization value: OK, a stale challenge, or an error code. */
async function verdict(cred: HttpServerCredential, authz: string, uri = '/x'): Promise<string> {
  const r: Result<Step> = await new HttpServerContext(cred).accept(authz, { method: 'GET', uri });
  if (!r.ok) return r.error.code;
  if (r.value.next === 'continue') return (r.value.token ?? '').includes('stale=true') ? 'stale' : 'continue';
  return 'ok';
}

describe('a full nonce-count store never reopens a live nonce to replay', () => {
  it('serves new clients by retiring the oldest nonce early: its old counts are never accepted again', async () => {
    let now = 1_000_000_000;
    const nonces = new NonceIssuer({ lifetimeMs: 60_000, now: () => now });
    const cred = new HttpServerCredential({
      realm: 'zoo',
      users,
      nonces,
      nonceCounts: new MemoryNonceCountStore({ maxNonces: 3, now: () => now }),
    });
    const victim = await authorization(cred, 'victim', '/secret');
    expect(await verdict(cred, victim, '/secret')).toBe('ok');
    expect(await verdict(cred, victim, '/secret')).toBe(DigestErrorCode.OutOfSequence);
    // A legitimate user fills the store with fresh nonces, issued later than the victim's...
    for (let i = 0; i < 2; i++) {
      now += 10;
      expect(await verdict(cred, await authorization(cred, 'eve'))).toBe('ok');
    }
    // ...and the next new client is still served (no cliff): the victim's nonce, the oldest, is
    // retired. Its recorded count is forgotten, so the nonce is refused as stale, never replayed.
    now += 10;
    expect(await verdict(cred, await authorization(cred, 'eve'))).toBe('ok');
    expect(await verdict(cred, victim, '/secret')).toBe('stale');
  });

  it('refuse-new keeps the old behaviour: new nonces get stale=true until the old ones expire', async () => {
    let now = 1_000_000_000;
    const nonces = new NonceIssuer({ lifetimeMs: 60_000, now: () => now });
    const store = new MemoryNonceCountStore({ maxNonces: 3, now: () => now, whenFull: 'refuse-new' });
    const cred = new HttpServerCredential({ realm: 'zoo', users, nonces, nonceCounts: store });
    const victim = await authorization(cred, 'victim', '/secret');
    expect(await verdict(cred, victim, '/secret')).toBe('ok');
    for (let i = 0; i < 2; i++) expect(await verdict(cred, await authorization(cred, 'eve'))).toBe('ok');
    expect(await verdict(cred, await authorization(cred, 'eve'))).toBe('stale');
    expect(await verdict(cred, victim, '/secret')).toBe(DigestErrorCode.OutOfSequence);
    now += 60_000 + 60_000 + 1;
    expect(await verdict(cred, await authorization(cred, 'eve'))).toBe('ok');
  });

  it('the default store follows the nonce issuer clock', async () => {
    let now = 1_000_000_000;
    const cred = new HttpServerCredential({
      realm: 'zoo',
      users,
      nonces: new NonceIssuer({ lifetimeMs: 1_000, now: () => now }),
    });
    const victim = await authorization(cred, 'victim');
    expect(await verdict(cred, victim)).toBe('ok');
    now += 500;
    expect(await verdict(cred, victim)).toBe(DigestErrorCode.OutOfSequence);
    now += 2_000;
    expect(await verdict(cred, victim)).toBe('stale');
  });
});

describe('credentials that accept the same nonces share one record of counts', () => {
  const key = new Uint8Array(32).fill(7);

  it('refuses a keyed nonce issuer without a nonceCounts store (UNKNOWN_CREDENTIALS)', () => {
    try {
      new HttpServerCredential({ realm: 'zoo', users, opaque: 'o', nonces: new NonceIssuer({ key }) });
      expect.unreachable();
    } catch (e) {
      expect(isDigestError(e) && e.code).toBe(DigestErrorCode.UnknownCredentials);
    }
  });

  it('a response accepted by instance A is a replay on instance B when they share the store', async () => {
    const nonceCounts = new MemoryNonceCountStore();
    const a = new HttpServerCredential({
      realm: 'zoo',
      users,
      opaque: 'o',
      nonces: new NonceIssuer({ key }),
      nonceCounts,
    });
    const b = new HttpServerCredential({
      realm: 'zoo',
      users,
      opaque: 'o',
      nonces: new NonceIssuer({ key }),
      nonceCounts,
    });
    const authz = await authorization(a, 'victim');
    expect(await verdict(a, authz)).toBe('ok');
    expect(await verdict(b, authz)).toBe(DigestErrorCode.OutOfSequence);
  });

  it('two credentials given one (unkeyed) issuer get one default store', async () => {
    const nonces = new NonceIssuer();
    const a = new HttpServerCredential({ realm: 'zoo', users, opaque: 'o', nonces });
    const b = new HttpServerCredential({ realm: 'zoo', users, opaque: 'o', nonces });
    expect(a.nonceCounts).toBe(b.nonceCounts);
    const authz = await authorization(a, 'victim');
    expect(await verdict(a, authz)).toBe('ok');
    expect(await verdict(b, authz)).toBe(DigestErrorCode.OutOfSequence);
  });
});

describe('userhash only when offered', () => {
  it('rejects userhash=true unasked with ILLEGAL_MESSAGE, before any store lookup', async () => {
    let hashLookups = 0;
    const store: UserStore = {
      lookup: (u, r) => users.lookup(u, r),
      lookupByUserhash: (h: string, r: string, a: DigestAlgorithm): DigestUser | undefined => {
        hashLookups++;
        return users.lookupByUserhash(h, r, a);
      },
    };
    for (const offered of [false, true]) {
      const cred = new HttpServerCredential({ realm: 'zoo', users: store, userhash: offered });
      const challenge = value(await new HttpServerContext(cred).accept(undefined, {})).token ?? '';
      const nonce = /nonce="([^"]+)"/.exec(challenge)?.[1] ?? '';
      const opaque = /opaque="([^"]+)"/.exec(challenge)?.[1] ?? '';
      const hashed = userhash(cred.algorithm, 'victim', 'zoo');
      const header = `Digest username="${hashed}", realm="zoo", uri="/", nonce="${nonce}", nc=00000001, cnonce="x", qop=auth, response="${'0'.repeat(32)}", opaque="${opaque}", userhash=true`;
      const r = await new HttpServerContext(cred).accept(header, { method: 'GET', uri: '/' });
      expect(r.ok).toBe(false);
      // Offered: the user is found and only the (wrong) response fails.
      expect(!r.ok && r.error.code).toBe(offered ? DigestErrorCode.LogonDenied : DigestErrorCode.IllegalMessage);
      expect(hashLookups).toBe(offered ? 1 : 0);
    }
  });
});

describe('nonce counts are kept per (nonce, user)', () => {
  it("another user answering the victim's nonce with nc=ffffffff does not deny the victim", async () => {
    const cred = new HttpServerCredential({ realm: 'zoo', users });
    const server = new HttpServerContext(cred);
    const challenge = value(await server.accept(undefined, {})).token ?? '';
    const client = new HttpClientContext({ username: 'victim', password: 'v-pass' }, {});
    const first = value(client.initialize(challenge, '/x', { method: 'GET' })).token ?? '';
    expect(value(await server.accept(first, { method: 'GET', uri: '/x' })).next).toBe('done');
    // Eve saw the nonce (it travels in clear) and answers it with her own password at the last count.
    const nonce = /nonce="([^"]+)"/.exec(challenge)?.[1] ?? '';
    const opaque = /opaque="([^"]+)"/.exec(challenge)?.[1] ?? '';
    const a = cred.algorithm;
    const nc = 0xffffffff;
    const ha1 = userRealmPasswordHash(a, 'eve', 'zoo', 'e-pass');
    const response = responseDigest(a, {
      ha1,
      nonce,
      qop: 'auth',
      nc,
      cnonce: 'c',
      ha2: ha2(a, { method: 'GET', uri: '/x', qop: 'auth' }),
    });
    const burn = formatCredentials({
      username: 'eve',
      usernameExt: false,
      realm: 'zoo',
      uri: '/x',
      nonce,
      response,
      algorithm: a,
      opaque,
      qop: 'auth',
      nc,
      cnonce: 'c',
      userhash: false,
    });
    expect(await verdict(cred, burn)).toBe('ok');
    // The victim's next request on its nonce (nc=2) still goes through.
    const next = value(client.nextRequest('GET', '/x', {}));
    expect(await verdict(cred, next)).toBe('ok');
    expect(await verdict(cred, next)).toBe(DigestErrorCode.OutOfSequence);
  });
});
