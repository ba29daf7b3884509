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
  it('shares validity between instances holding the same key (stateless)', () => {
    const other = new NonceIssuer({ key: Buffer.alloc(32, 7), lifetimeMs: 1000, now: () => now });
    expect(other.check(issuer.issue('r'), 'r')).toBe('valid');
  });
});

describe('MemoryNonceCountStore', () => {
  it('accepts increasing counts and rejects replays', () => {
    const s = new MemoryNonceCountStore({ window: 0 });
    expect(s.record('n', 1)).toBe('fresh');
    expect(s.record('n', 1)).toBe('replay');
    expect(s.record('n', 2)).toBe('fresh');
    expect(s.record('n', 1)).toBe('replay');
    expect(s.record('m', 1)).toBe('fresh');
    expect(s.record('n', 0)).toBe('replay');
  });
  it('accepts late counts once inside the window', () => {
    const s = new MemoryNonceCountStore({ window: 2 });
    expect(s.record('n', 5)).toBe('fresh');
    expect(s.record('n', 3)).toBe('fresh');
    expect(s.record('n', 3)).toBe('replay');
    expect(s.peek('n', 4)).toBe('fresh');
    expect(s.record('n', 2)).toBe('replay');
    expect(s.record('n', 40)).toBe('fresh');
    expect(s.record('n', 5)).toBe('replay');
  });
  it('forgets the oldest nonce beyond its capacity', () => {
    const s = new MemoryNonceCountStore({ maxNonces: 2 });
    s.record('a', 1);
    s.record('b', 1);
    s.record('c', 1);
    expect(s.size).toBe(2);
    expect(s.peek('a', 1)).toBe('fresh');
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
