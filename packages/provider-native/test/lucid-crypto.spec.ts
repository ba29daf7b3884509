/**
 * The crypto under sspkit's RFC 4121 tokens (src/lucid) against published vectors: RFC 3961
 * Appendix A.1 (n-fold), RFC 3962 Appendix B (AES-CBC-CTS), RFC 8009 Appendix A (KDF-HMAC-SHA2
 * key derivation and checksums), RFC 2202 §3 (HMAC-SHA-1), and the hand-written SHA-1 against
 * node:crypto on every length 0–300. Interop with MIT on real contexts: test/native-rfc4121.int.spec.ts.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evpAesEngine } from '../src/ffi/evp.js';
import { nodeAesEngine } from '../src/lucid/aes-engine.js';
import type { AesEngineFactory } from '../src/lucid/aes-engine.js';
import { AesCts } from '../src/lucid/cts.js';
import { Enctype, kdfHmacSha2, profileOf } from '../src/lucid/enctypes.js';
import { HmacSha1Key } from '../src/lucid/hmac-sha1.js';
import { nfold } from '../src/lucid/nfold.js';
import { SeqState } from '../src/lucid/seqstate.js';
import { GssSupplementary } from '../src/ffi/major.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
/** Both AES engines: OpenSSL's EVP through koffi (what contexts use) and node:crypto (the fallback). */
const evp = evpAesEngine();
const ENGINES: [string, AesEngineFactory][] = [['node:crypto', nodeAesEngine]];
if (evp !== null) ENGINES.push(['EVP', evp]);

describe('RFC 3961 n-fold (Appendix A.1)', () => {
  it.each([
    ['012345', 8, 'be072631276b1955'],
    ['password', 7, '78a07b6caf85fa'],
    ['Rough Consensus, and Running Code', 8, 'bb6ed30870b7f0e0'],
    ['password', 21, '59e4a8ca7c0385c3c37b3f6d2000247cb6e6bd5b3e'],
    ['MASSACHVSETTS INSTITVTE OF TECHNOLOGY', 24, 'db3b0d8f0b061e603282b308a50841229ad798fab9540c1b'],
    ['Q', 21, '518a54a215a8452a518a54a215a8452a518a54a215'],
    ['ba', 21, 'fb25d531ae8974499f52fd92ea9857c4ba24cf297e'],
    ['kerberos', 8, '6b65726265726f73'],
    ['kerberos', 16, '6b65726265726f737b9b5b2b93132b93'],
    ['kerberos', 21, '8372c236344e5f1550cd0747e15d62ca7a5a3bcea4'],
    ['kerberos', 32, '6b65726265726f737b9b5b2b93132b935c9bdcdad95c9899c4cae4dee6d6cae4'],
  ])('%s to %i bytes', (input, n, want) => {
    expect(Buffer.from(nfold(Buffer.from(input), n)).toString('hex')).toBe(want);
  });
});

describe.each(ENGINES)('RFC 3962 AES-CBC-CTS (Appendix B, key "chicken teriyaki", IV 0), %s', (_, engine) => {
  const input = Buffer.from("I would like the General Gau's Chicken, please, and wonton soup.");
  it.each([
    [17, 'c6353568f2bf8cb4d8a580362da7ff7f97'],
    [31, 'fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5'],
    [32, '39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25ecfe584'],
    [47, '97687268d6ecccc0c07b25e25ecfe584b3fffd940c16a18c1b5549d2f838029e39312523a78662d5be7fcbcc98ebf5'],
    [48, '97687268d6ecccc0c07b25e25ecfe5849dad8bbb96c4cdc03bc103e1a194bbd839312523a78662d5be7fcbcc98ebf5a8'],
    [
      64,
      '97687268d6ecccc0c07b25e25ecfe58439312523a78662d5be7fcbcc98ebf5a8' +
        '4807efe836ee89a526730dbc2f7bc8409dad8bbb96c4cdc03bc103e1a194bbd8',
    ],
  ])('%i bytes', (n, want) => {
    const aes = new AesCts(Buffer.from('chicken teriyaki'), engine);
    // Twice on the same key: the long-lived encipher must restart from the zero IV every message.
    for (let i = 0; i < 2; i++) {
      const c = aes.encrypt(input.subarray(0, n));
      expect(c.toString('hex')).toBe(want);
      expect(aes.decrypt(c)).toEqual(input.subarray(0, n));
    }
  });

  it('round-trips every length 16–3000 (both decryption paths)', () => {
    const aes = new AesCts(randomBytes(32), engine);
    for (let n = 16; n <= 3000; n += n < 100 ? 1 : 37) {
      const m = randomBytes(n);
      expect(aes.decrypt(aes.encrypt(m))).toEqual(m);
    }
  });
});

describe('RFC 8009 (Appendix A)', () => {
  const usage2 = (kind: number): Uint8Array => Uint8Array.of(0, 0, 0, 2, kind);
  it('derives Kc, Ke, Ki for aes128-cts-hmac-sha256-128', () => {
    const base = hex('3705d96080c17728a0e800eab6e0d23c');
    expect(kdfHmacSha2('sha256', base, usage2(0x99), 128).toString('hex')).toBe('b31a018a48f54776f403e9a396325dc3');
    expect(kdfHmacSha2('sha256', base, usage2(0xaa), 128).toString('hex')).toBe('9b197dd1e8c5609d6e67c3e37c62c72e');
    expect(kdfHmacSha2('sha256', base, usage2(0x55), 128).toString('hex')).toBe('9fda0e56ab2d85e1569a688696c26a6c');
  });
  it('derives Kc, Ke, Ki for aes256-cts-hmac-sha384-192', () => {
    const base = hex('6d404d37faf79f9df0d33568d320669800eb4836472ea8a026d16b7182460c52');
    expect(kdfHmacSha2('sha384', base, usage2(0x99), 192).toString('hex')).toBe(
      'ef5718be86cc84963d8bbb5031e9f5c4ba41f28faf69e73d',
    );
    expect(kdfHmacSha2('sha384', base, usage2(0xaa), 256).toString('hex')).toBe(
      '56ab22bee63d82d7bc5227f6773f8ea7a5eb1c825160c38312980c442e5c7e49',
    );
    expect(kdfHmacSha2('sha384', base, usage2(0x55), 192).toString('hex')).toBe(
      '69b16514e3cd8e56b82010d5c73012b622c4d00ffc23ed1f',
    );
  });
  it.each([
    [Enctype.AES128_CTS_HMAC_SHA256_128, '3705d96080c17728a0e800eab6e0d23c', 'd78367186643d67b411cba9139fc1dee'],
    [
      Enctype.AES256_CTS_HMAC_SHA384_192,
      '6d404d37faf79f9df0d33568d320669800eb4836472ea8a026d16b7182460c52',
      '45ee791567eefca37f4ac1e0222de80d43c3bfa06699672a',
    ],
  ])('checksums with enctype %i', (enctype, base, want) => {
    const keys = profileOf(enctype)!.derive(hex(base), 2, evp ?? nodeAesEngine);
    const out = new Uint8Array(keys.checksum.length);
    keys.checksum.mac([hex('000102030405060708090a0b0c0d0e0f1011121314')], out, 0);
    expect(Buffer.from(out).toString('hex')).toBe(want);
  });
});

describe('HMAC-SHA-1 with precomputed states', () => {
  it('matches RFC 2202 test cases 1 and 2', () => {
    const out = new Uint8Array(20);
    new HmacSha1Key(Buffer.alloc(20, 0x0b)).mac([Buffer.from('Hi There')], out, 0, 20);
    expect(Buffer.from(out).toString('hex')).toBe('b617318655057264e28bc0b6fb378c8ef146be00');
    new HmacSha1Key(Buffer.from('Jefe')).mac([Buffer.from('what do ya want for nothing?')], out, 0, 20);
    expect(Buffer.from(out).toString('hex')).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
  });
  it('matches node:crypto on every length 0–300 and across split parts, and past the native cut-over', () => {
    const key = randomBytes(32);
    const h = new HmacSha1Key(key);
    const out = new Uint8Array(12);
    for (const n of [...Array.from({ length: 301 }, (_, i) => i), 511, 512, 513, 4096]) {
      const m = randomBytes(n);
      const want = createHmac('sha1', key).update(m).digest().subarray(0, 12);
      h.mac([m], out, 0, 12);
      expect(Buffer.from(out), `length ${n}`).toEqual(want);
      const cut = n >> 1;
      h.mac([m.subarray(0, cut), Buffer.alloc(0), m.subarray(cut)], out, 0, 12);
      expect(Buffer.from(out), `length ${n} split`).toEqual(want);
    }
  });
});

describe('receive window (MIT util_seqstate.c semantics)', () => {
  const { DUPLICATE_TOKEN, GAP_TOKEN, OLD_TOKEN, UNSEQ_TOKEN } = GssSupplementary;
  it('replay and sequence: in order, duplicate, gap, late, too old', () => {
    const s = new SeqState(1000n, true, true);
    expect(s.check(1000n)).toBe(0);
    expect(s.check(1000n)).toBe(DUPLICATE_TOKEN);
    expect(s.check(1002n)).toBe(GAP_TOKEN);
    expect(s.check(1001n)).toBe(UNSEQ_TOKEN);
    expect(s.check(1001n)).toBe(DUPLICATE_TOKEN);
    expect(s.check(1100n)).toBe(GAP_TOKEN);
    expect(s.check(1003n)).toBe(UNSEQ_TOKEN);
  });
  it('replay only: late is fine, too old is OLD; wraps around 2^64', () => {
    const s = new SeqState((1n << 64n) - 1n, true, false);
    expect(s.check((1n << 64n) - 1n)).toBe(0);
    expect(s.check(1n)).toBe(0);
    expect(s.check(0n)).toBe(0);
    expect(s.check(0n)).toBe(DUPLICATE_TOKEN);
    expect(s.check(200n)).toBe(0);
    expect(s.check(5n)).toBe(OLD_TOKEN);
  });
  it('neither flag: nothing is checked', () => {
    const s = new SeqState(5n, false, false);
    expect(s.check(5n)).toBe(0);
    expect(s.check(5n)).toBe(0);
  });
  it('survives save and load', () => {
    const s = new SeqState(7n, true, true);
    s.check(7n);
    s.check(9n);
    const b = Buffer.alloc(25);
    s.save(b, 0);
    const t = SeqState.load(b, 0);
    expect(t.check(9n)).toBe(DUPLICATE_TOKEN);
    expect(t.check(8n)).toBe(UNSEQ_TOKEN);
    expect(t.check(10n)).toBe(0);
  });
});
