import { Buffer } from 'node:buffer';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupAlgorithm } from '../src/crypto/algorithms.js';
import { userhash } from '../src/crypto/http-digest.js';
import { NonceIssuer } from '../src/crypto/nonce.js';
import { loadHtdigestStore, parseHtdigest } from '../src/stores/htdigest.js';
import { MemoryUserStore } from '../src/stores/memory-user-store.js';
import { MemoryNonceCountStore } from '../src/stores/nonce-count-store.js';
import { baseHa1For } from '../src/stores/user-store.js';

const MD5 = lookupAlgorithm('MD5');
const SHA256 = lookupAlgorithm('SHA-256');
if (MD5 === undefined || SHA256 === undefined) throw new Error('table');

describe('NonceIssuer', () => {
  let now = 1_000_000;
  const issuer = new NonceIssuer({ key: Buffer.alloc(32, 7), lifetimeMs: 1000, now: () => now });
  it('accepts its own nonce, flags it stale after the lifetime', () => {
    const n = issuer.issue('realm', 'op');
    expect(issuer.check(n, 'realm', 'op')).toBe('valid');
    now += 1001;
    expect(issuer.check(n, 'realm', 'op')).toBe('stale');
  });
  it('rejects a nonce for another realm, opaque or key, and tampered or malformed nonces', () => {
    const n = issuer.issue('realm');
    expect(issuer.check(n, 'other')).toBe('invalid');
    expect(issuer.check(n, 'realm', 'x')).toBe('invalid');
    expect(new NonceIssuer({ key: Buffer.alloc(32, 8), now: () => now }).check(n, 'realm')).toBe('invalid');
    const raw = Buffer.from(n, 'base64');
    raw[3] = (raw[3] ?? 0) ^ 1;
    expect(issuer.check(raw.toString('base64'), 'realm')).toBe('invalid');
    expect(issuer.check('short', 'realm')).toBe('invalid');
  });
  it('reads each nonce its own issue time, asked in any order (a timestamp past 2^32 ms too)', () => {
    let t = 1_733_000_000_123;
    const clock = new NonceIssuer({ key: Buffer.alloc(32, 9), lifetimeMs: 1000, now: () => t });
    const a = clock.issue('realm');
    t += 5_000;
    const b = clock.issue('realm');
    for (const [nonce, at] of [
      [a, 1_733_000_000_123],
      [b, 1_733_000_005_123],
      [a, 1_733_000_000_123],
    ] as const)
      expect(clock.issuedAt(nonce)).toBe(at);
    expect(clock.isExpired(a)).toBe(true);
    expect(clock.isExpired(b)).toBe(false);
  });

  it('shares validity between instances holding the same key (stateless)', () => {
    const other = new NonceIssuer({ key: Buffer.alloc(32, 7), lifetimeMs: 1000, now: () => now });
    expect(other.check(issuer.issue('r'), 'r')).toBe('valid');
  });
});

// A retention time that never passes, for tests about counts alone.
const LIVE = Number.MAX_SAFE_INTEGER;

describe('MemoryNonceCountStore', () => {
  it('accepts increasing counts and rejects replays', () => {
    const s = new MemoryNonceCountStore({ window: 0 });
    expect(s.record('n', 1, LIVE)).toBe('fresh');
    expect(s.record('n', 1, LIVE)).toBe('replay');
    expect(s.record('n', 2, LIVE)).toBe('fresh');
    expect(s.record('n', 1, LIVE)).toBe('replay');
    expect(s.record('m', 1, LIVE)).toBe('fresh');
    expect(s.record('n', 0, LIVE)).toBe('replay');
  });
  it('accepts late counts once inside the window', () => {
    const s = new MemoryNonceCountStore({ window: 2 });
    expect(s.record('n', 5, LIVE)).toBe('fresh');
    expect(s.record('n', 3, LIVE)).toBe('fresh');
    expect(s.record('n', 3, LIVE)).toBe('replay');
    expect(s.peek('n', 4)).toBe('fresh');
    expect(s.record('n', 2, LIVE)).toBe('replay');
    expect(s.record('n', 40, LIVE)).toBe('fresh');
    expect(s.record('n', 5, LIVE)).toBe('replay');
  });
  it('refuse-new: never forgets a live nonce; once full it refuses new nonces and old counts stay replays', () => {
    // Regression: the store used to evict the oldest nonce at capacity, reopening its counts to replay.
    let now = 1_000;
    const s = new MemoryNonceCountStore({ maxNonces: 2, now: () => now, whenFull: 'refuse-new' });
    expect(s.record('a', 1, 5_000)).toBe('fresh');
    expect(s.record('b', 1, 5_000)).toBe('fresh');
    expect(s.record('c', 1, 5_000)).toBe('full');
    expect(s.size).toBe(2);
    expect(s.record('a', 1, 5_000)).toBe('replay');
    // Known nonces still advance while the store is full.
    expect(s.record('a', 2, 5_000)).toBe('fresh');
    now = 5_000;
    expect(s.record('c', 1, 9_000)).toBe('full');
    now = 5_001;
    expect(s.record('c', 1, 9_000)).toBe('fresh');
    expect(s.size).toBe(1);
  });
  it('drops each nonce after its own retention time, whatever the order it arrived in', () => {
    let now = 0;
    const s = new MemoryNonceCountStore({ maxNonces: 3, now: () => now, whenFull: 'refuse-new' });
    s.record('late', 1, 300);
    s.record('early', 1, 100);
    s.record('mid', 1, 200);
    now = 150;
    expect(s.record('x', 1, 1_000)).toBe('fresh');
    expect(s.peek('early', 1)).toBe('fresh');
    expect(s.record('late', 1, 300)).toBe('replay');
    expect(s.record('mid', 1, 200)).toBe('replay');
    expect(s.record('y', 1, 1_000)).toBe('full');
  });
  it('expire-oldest (default): a full store retires the oldest key and refuses it, and every older one, for good', () => {
    const now = 1_000;
    const s = new MemoryNonceCountStore({ maxNonces: 2, now: () => now });
    expect(s.record('a', 1, 5_000)).toBe('fresh');
    expect(s.record('b', 1, 6_000)).toBe('fresh');
    // A new client is served: 'a' (retained the shortest) is forgotten and the floor rises to 5 000.
    expect(s.record('c', 1, 7_000)).toBe('fresh');
    expect(s.size).toBe(2);
    expect(s.floor).toBe(5_000);
    // 'a' is never vouched for again (its count 1 would otherwise be "fresh"), nor any key as old.
    expect(s.record('a', 1, 5_000)).toBe('full');
    expect(s.record('a', 2, 5_000)).toBe('full');
    expect(s.record('older', 1, 4_000)).toBe('full');
    // Keys retained longer keep working, and their replays stay replays.
    expect(s.record('b', 1, 6_000)).toBe('replay');
    expect(s.record('b', 2, 6_000)).toBe('fresh');
  });
  it('refuses to vouch for a nonce already past its retention', () => {
    const s = new MemoryNonceCountStore({ now: () => 10_000 });
    expect(s.record('old', 1, 9_999)).toBe('replay');
    expect(s.size).toBe(0);
  });
});

describe('user stores', () => {
  it('serves a password user for every algorithm and an HA1 user only for its own', () => {
    const pw = { username: 'Mufasa', realm: 'testrealm@host.com', password: 'Circle Of Life' };
    expect(baseHa1For(pw, MD5)).toBe('939e7578ed9e3c518a452acee763bce9');
    expect(baseHa1For(pw, SHA256)).toHaveLength(64);
    const ha = { username: 'u', realm: 'r', ha1: { MD5: 'AB'.repeat(16) } };
    expect(baseHa1For(ha, MD5)).toBe('ab'.repeat(16));
    expect(baseHa1For(ha, SHA256)).toBeUndefined();
  });
  it('finds users by userhash', () => {
    const store = new MemoryUserStore([{ username: 'Jäsøn Doe', realm: 'api@example.org', password: 'x' }]);
    const h = userhash(SHA256, Buffer.from('Jäsøn Doe', 'utf8').toString('latin1'), 'api@example.org');
    expect(store.lookupByUserhash(h, 'api@example.org', SHA256)?.username).toBe('Jäsøn Doe');
    expect(store.lookupByUserhash(h, 'other', SHA256)).toBeUndefined();
  });
  it('finds userhash users through an index kept current by add and remove', () => {
    const store = new MemoryUserStore([{ username: 'a', realm: 'r', password: 'x' }]);
    const hashOf = (name: string, realm = 'r') => userhash(SHA256, name, realm);
    expect(store.lookupByUserhash(hashOf('a'), 'r', SHA256)?.username).toBe('a');
    store.add({ username: 'b', realm: 'r', password: 'y' });
    store.add({ username: 'c', realm: 'other', password: 'z' });
    expect(store.lookupByUserhash(hashOf('b').toUpperCase(), 'r', SHA256)?.username).toBe('b');
    expect(store.lookupByUserhash(hashOf('c'), 'r', SHA256)).toBeUndefined();
    expect(store.lookupByUserhash(hashOf('c', 'other'), 'other', SHA256)?.username).toBe('c');
    store.remove('a', 'r');
    expect(store.lookupByUserhash(hashOf('a'), 'r', SHA256)).toBeUndefined();
    // -sess shares its base algorithm's index; MD5 has its own.
    const sess = lookupAlgorithm('SHA-256-sess');
    if (sess === undefined) throw new Error('table');
    expect(store.lookupByUserhash(hashOf('b'), 'r', sess)?.username).toBe('b');
    expect(store.lookupByUserhash(hashOf('b'), 'r', MD5)).toBeUndefined();
    expect(store.lookupByUserhash(userhash(MD5, 'b', 'r'), 'r', MD5)?.username).toBe('b');
  });
  it('does not rehash the users on each userhash lookup (precomputed index)', () => {
    let reads = 0;
    const users = Array.from({ length: 50 }, (_, i) => ({ username: `u${i}`, realm: 'r', password: 'p' }));
    const store = new MemoryUserStore(users);
    // Count how often the store reads user records: an index reads each once, a scan every time.
    for (const u of store.users()) {
      const name = u.username;
      Object.defineProperty(u, 'username', { get: () => (reads++, name) });
    }
    const wanted = userhash(SHA256, 'u7', 'r');
    store.lookupByUserhash(wanted, 'r', SHA256);
    const first = reads;
    for (let i = 0; i < 10; i++)
      expect(store.lookupByUserhash(i % 2 === 0 ? wanted : '0'.repeat(64), 'r', SHA256)?.username).toBe(
        i % 2 === 0 ? 'u7' : undefined,
      );
    expect(reads - first).toBeLessThanOrEqual(5);
  });
  it('reads htdigest and group files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'digest-store-'));
    // What `htdigest -c f testrealm@host.com Mufasa` writes for "Circle Of Life".
    writeFileSync(join(dir, 'users'), 'Mufasa:testrealm@host.com:939e7578ed9e3c518a452acee763bce9\n\n');
    writeFileSync(join(dir, 'groups'), 'admins: Mufasa other\nstaff: Mufasa\n');
    const store = loadHtdigestStore(join(dir, 'users'), join(dir, 'groups'));
    rmSync(dir, { recursive: true, force: true });
    const user = store.lookup('Mufasa', 'testrealm@host.com');
    expect(user?.groups).toEqual(['admins', 'staff']);
    expect(user !== undefined && baseHa1For(user, MD5)).toBe('939e7578ed9e3c518a452acee763bce9');
  });
  it('names a bad htdigest line without echoing it', () => {
    try {
      parseHtdigest('ok:r:939e7578ed9e3c518a452acee763bce9\nbad:r:secretsecret');
      expect.unreachable();
    } catch (e) {
      expect(String(e)).toContain('line 2');
      expect(String(e)).not.toContain('secretsecret');
    }
  });
});
