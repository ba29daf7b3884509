/**
 * AES through OpenSSL's EVP (src/ffi/evp.ts) under the RFC 4121 tokens: the same bytes as
 * node:crypto, every native context freed when the security context is deleted (counted over
 * 100,000 contexts), and the node:crypto fallback when EVP cannot be loaded. RFC 3962 vectors for
 * both engines: lucid-crypto.spec.ts; interop with MIT: test/native-rfc4121*.int.spec.ts.
 */
import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { evpAesEngine, evpAvailability, liveEvpContexts } from '../src/ffi/evp.js';
import { nodeAesEngine } from '../src/lucid/aes-engine.js';
import { AesCts } from '../src/lucid/cts.js';
import { sessionFromLucid } from '../src/lucid/index.js';
import { dropContextHolding } from './fixtures/dropped-context.js';
import type { Rfc4121Session } from '../src/lucid/index.js';

/** An initiator and acceptor session over the same random keys (what a handshake would give both). */
function pair(
  make: typeof sessionFromLucid,
  enctype = 18,
  keyLength = 32,
): { client: Rfc4121Session; server: Rfc4121Session } {
  const key = randomBytes(keyLength);
  const sub = randomBytes(keyLength);
  const side = (initiate: boolean): Rfc4121Session =>
    make(
      {
        initiate,
        protocol: 1,
        sendSeq: 0n,
        recvSeq: 0n,
        ctxKey: { enctype, key: Buffer.from(key) },
        acceptorSubkey: { enctype, key: Buffer.from(sub) },
      },
      0,
    )!;
  return { client: side(true), server: side(false) };
}

describe('AES through EVP', () => {
  it("is the process's own OpenSSL (the one node:crypto uses)", () => {
    expect(evpAvailability()).toEqual({ available: true, source: 'the process (the OpenSSL Node is linked with)' });
  });

  it('gives node:crypto’s bytes for every length 16–300 and a few long ones, chained across messages', () => {
    const evp = evpAesEngine()!;
    for (const keyLength of [16, 32]) {
      const key = randomBytes(keyLength);
      const a = new AesCts(key, evp);
      const b = new AesCts(key, nodeAesEngine);
      const lengths = [...Array.from({ length: 285 }, (_, i) => 16 + i), 1000, 4097, 65_536 + 48];
      for (const n of lengths) {
        const m = randomBytes(n);
        const c = Buffer.from(a.encrypt(m));
        expect(c.equals(b.encrypt(m))).toBe(true);
        expect(Buffer.from(a.decrypt(c)).subarray(0, n).equals(m)).toBe(true);
        expect(Buffer.from(b.decrypt(c)).subarray(0, n).equals(m)).toBe(true);
      }
      a.wipe();
      b.wipe();
    }
  });

  it('a wiped key refuses to work instead of reaching a freed context', () => {
    const aes = new AesCts(randomBytes(32), evpAesEngine()!);
    aes.wipe();
    expect(() => aes.encrypt(randomBytes(32))).toThrow(/wiped/);
    expect(() => aes.decrypt(randomBytes(32))).toThrow(/wiped/);
  });

  it('frees every context it made: 100,000 security contexts made, used and deleted leave none live', () => {
    const before = liveEvpContexts();
    const msg = Buffer.alloc(64, 7);
    let peak = 0;
    for (let i = 0; i < 50_000; i++) {
      const { client, server } = pair(sessionFromLucid);
      const token = client.wrap(true, msg);
      expect(server.unwrap(token).message.length).toBe(64);
      peak = Math.max(peak, liveEvpContexts() - before);
      dropContextHolding(client);
      dropContextHolding(server);
    }
    // Each side holds one AES key per usage it used (three contexts each); key derivation's
    // temporary keys are freed at once.
    expect(peak).toBe(6);
    expect(liveEvpContexts()).toBe(before);
  }, 120_000);

  it('a key dropped without wipe() has its contexts freed by the finaliser', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const before = liveEvpContexts();
    const evp = evpAesEngine()!;
    ((): void => {
      for (let i = 0; i < 100; i++) new AesCts(randomBytes(32), evp).encrypt(randomBytes(32));
    })();
    expect(liveEvpContexts()).toBe(before + 300);
    for (let i = 0; i < 50 && liveEvpContexts() > before; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(liveEvpContexts()).toBe(before);
  });
});

describe('without EVP', () => {
  it.each([
    ['/nonexistent/libcrypto.so.3', /OpenSSL's EVP is not usable: \/nonexistent\/libcrypto\.so\.3: /],
    ['none', /SSPKIT_LIBCRYPTO=none/],
  ])('SSPKIT_LIBCRYPTO=%s: node:crypto makes the same tokens, no EVP context is made', async (setting, reason) => {
    vi.stubEnv('SSPKIT_LIBCRYPTO', setting);
    vi.resetModules();
    try {
      const evp = await import('../src/ffi/evp.js');
      const lucid = await import('../src/lucid/index.js');
      const av = evp.evpAvailability();
      expect(av.available).toBe(false);
      expect(!av.available && av.reason).toMatch(reason);
      expect(evp.evpAesEngine()).toBeNull();
      // The fallback's sessions against EVP sessions of the same keys, both ways, sealed and not.
      const key = randomBytes(32);
      const lucidOf = (initiate: boolean): Parameters<typeof sessionFromLucid>[0] => ({
        initiate,
        protocol: 1,
        sendSeq: 0n,
        recvSeq: 0n,
        ctxKey: { enctype: 18, key: Buffer.from(key) },
        acceptorSubkey: null,
      });
      const fallbackClient = lucid.sessionFromLucid(lucidOf(true), 0)!;
      const fallbackServer = lucid.sessionFromLucid(lucidOf(false), 0)!;
      const evpClient = sessionFromLucid(lucidOf(true), 0)!;
      const evpServer = sessionFromLucid(lucidOf(false), 0)!;
      for (const n of [0, 1, 15, 16, 17, 64, 200, 5000]) {
        const msg = randomBytes(n);
        for (const seal of [true, false]) {
          expect(Buffer.from(evpServer.unwrap(fallbackClient.wrap(seal, msg)).message).equals(msg)).toBe(true);
          expect(Buffer.from(fallbackServer.unwrap(evpClient.wrap(seal, msg)).message).equals(msg)).toBe(true);
        }
      }
      expect(evp.liveEvpContexts()).toBe(0);
      for (const s of [fallbackClient, fallbackServer, evpClient, evpServer]) s.wipe();
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
