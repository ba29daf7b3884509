import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import type { Result } from '../src/errors.js';
import { SASL_CIPHERS } from '../src/sasl/ciphers.js';
import { SaslClientContext } from '../src/sasl/client-context.js';
import { SaslServerContext } from '../src/sasl/server-context.js';
import { MemoryUserStore } from '../src/stores/memory-user-store.js';

const users = new MemoryUserStore([
  { username: 'chris', realm: 'elwood.innosoft.com', password: 'secret', groups: ['staff'] },
]);

function value<T>(r: Result<T>): T {
  if (!r.ok) throw r.error;
  return r.value;
}

async function handshake(
  options: { integrity?: boolean; confidentiality?: boolean; ciphers?: (typeof SASL_CIPHERS)[number][] },
  password = 'secret',
) {
  // Weak ciphers are opt-in on both sides (README, Security policy): the per-cipher cases list them.
  const ciphers = options.ciphers !== undefined ? { ciphers: options.ciphers } : {};
  const server = new SaslServerContext({
    realm: 'elwood.innosoft.com',
    users,
    digestUri: 'imap/elwood.innosoft.com',
    ...ciphers,
  });
  const client = new SaslClientContext({ username: 'chris', password }, options);
  const challenge = value(await server.accept(undefined));
  const response = value(client.initialize(challenge.token ?? '', 'imap/elwood.innosoft.com'));
  expect(response.next).toBe('continue');
  const final = await server.accept(response.token);
  return { server, client, final };
}

describe('SASL DIGEST-MD5 client ↔ server', () => {
  it('authenticates with qop=auth and mutual rspauth', async () => {
    const { server, client, final } = await handshake({});
    const f = value(final);
    expect(f.token).toMatch(/^rspauth=[0-9a-f]{32}$/);
    expect(value(client.initialize(f.token ?? '', '')).next).toBe('done');
    expect(server.identity).toMatchObject({ username: 'chris', groups: ['staff'] });
    expect(server.layer).toBeUndefined();
  });
  it('rejects a wrong password', async () => {
    const { final } = await handshake({}, 'nope');
    expect(!final.ok && final.error.code).toBe('LOGON_DENIED');
  });
  it('auth-int: signed messages both ways', async () => {
    const { server, client, final } = await handshake({ integrity: true });
    value(client.initialize(value(final).token ?? '', ''));
    expect(server.negotiated.qop).toBe('auth-int');
    const msg = Buffer.from('A001 SELECT INBOX');
    expect(server.layer?.verify(msg, client.layer?.sign(msg) ?? Buffer.alloc(0)).ok).toBe(true);
    const back = Buffer.from('* OK');
    expect(client.layer?.verify(back, server.layer?.sign(back) ?? Buffer.alloc(0)).ok).toBe(true);
  });
  for (const cipher of SASL_CIPHERS) {
    it(`auth-conf with ${cipher}`, async () => {
      const { server, client, final } = await handshake({ confidentiality: true, ciphers: [cipher] });
      value(client.initialize(value(final).token ?? '', ''));
      expect(server.negotiated).toEqual({ qop: 'auth-conf', cipher });
      const sealed = client.layer?.seal(Buffer.from('secret mail')) ?? Buffer.alloc(0);
      expect(
        value(server.layer?.unseal(sealed) ?? { ok: false as const, error: new Error('x') as never }).toString(),
      ).toBe('secret mail');
    });
  }
  it('non-ASCII names and passwords: both sides fold UTF-8 to Latin-1 where RFC 2831 §2.1.2.1 says so', async () => {
    for (const [username, password] of [
      ['José', 'pässwörd'],
      ['Jäsøn Ωmega', 'пароль'],
    ] as const) {
      const store = new MemoryUserStore([{ username, realm: 'elwood.innosoft.com', password }]);
      const server = new SaslServerContext({ realm: 'elwood.innosoft.com', users: store });
      const client = new SaslClientContext({ username, password });
      const challenge = value(await server.accept(undefined));
      const response = value(client.initialize(challenge.token ?? '', 'imap/elwood.innosoft.com'));
      const final = value(await server.accept(response.token));
      expect(value(client.initialize(final.token ?? '', '')).next).toBe('done');
      expect(server.identity?.username).toBe(username);
    }
  });

  it('fails with QOP_NOT_SUPPORTED instead of dropping a requested layer the server cannot give', async () => {
    // Regression: the client used to fall back to auth-int or auth, sending "sealed" data in clear.
    const cases = [
      { server: { qop: ['auth', 'auth-int'] as const }, client: { confidentiality: true } },
      {
        server: { qop: ['auth', 'auth-int', 'auth-conf'] as const, ciphers: ['rc4-40'] as const },
        client: { confidentiality: true, ciphers: ['3des', 'rc4'] as const },
      },
      { server: { qop: ['auth'] as const }, client: { integrity: true } },
    ];
    for (const c of cases) {
      const server = new SaslServerContext({ realm: 'elwood.innosoft.com', users, ...c.server });
      const client = new SaslClientContext({ username: 'chris', password: 'secret' }, c.client);
      const r = client.initialize(value(await server.accept(undefined)).token ?? '', 'imap/elwood.innosoft.com');
      expect(!r.ok && r.error.code, JSON.stringify(c)).toBe('QOP_NOT_SUPPORTED');
    }
  });
  it('prefers 3des, then rc4, over the weak ciphers (which a client must list to accept)', async () => {
    const cases = [
      [['rc4-40', 'des', 'rc4', '3des'], '3des', undefined],
      [['rc4-40', 'rc4-56', 'des', 'rc4'], 'rc4', undefined],
      [['rc4-40', 'des'], 'des', SASL_CIPHERS],
    ] as const;
    for (const [offered, chosen, accepted] of cases) {
      const server = new SaslServerContext({ realm: 'elwood.innosoft.com', users, ciphers: offered });
      const client = new SaslClientContext(
        { username: 'chris', password: 'secret' },
        { confidentiality: true, ...(accepted !== undefined ? { ciphers: accepted } : {}) },
      );
      value(client.initialize(value(await server.accept(undefined)).token ?? '', 'imap/elwood.innosoft.com'));
      expect(client.negotiated.cipher).toBe(chosen);
    }
  });

  it('non-ASCII realms: one wire form (UTF-8) in the challenge, the response and the comparison', async () => {
    for (const realm of ['zoö', 'Zoo Ω']) {
      const server = new SaslServerContext({
        realm,
        users: new MemoryUserStore([{ username: 'v', realm, password: 'pw' }]),
      });
      for (const secret of [
        { username: 'v', password: 'pw' },
        { username: 'v', password: 'pw', realm },
      ]) {
        const s = new SaslServerContext({
          realm,
          users: new MemoryUserStore([{ username: 'v', realm, password: 'pw' }]),
        });
        const client = new SaslClientContext(secret);
        const response = value(client.initialize(value(await s.accept(undefined)).token ?? '', 'imap/h'));
        expect(value(client.initialize(value(await s.accept(response.token)).token ?? '', '')).next).toBe('done');
        expect(s.identity?.realm).toBe(realm);
      }
      expect(value(await server.accept(undefined)).token).toContain(
        `realm="${Buffer.from(realm, 'utf8').toString('latin1')}"`,
      );
    }
  });

  it('a forged rspauth fails on the client', async () => {
    const { client } = await handshake({});
    const r = client.initialize('rspauth=00000000000000000000000000000000', '');
    expect(!r.ok && r.error.code).toBe('MUTUAL_AUTH_FAILED');
  });
});
