/**
 * The enctypes whose RFC 4121 tokens sspkit makes itself: aes128/256-cts-hmac-sha1-96 (RFC 3962,
 * keys derived with RFC 3961's DK) and aes128-cts-hmac-sha256-128 / aes256-cts-hmac-sha384-192
 * (RFC 8009, keys derived with KDF-HMAC-SHA2). Anything else (DES, RC4, Camellia) stays with the
 * library. Each profile turns a base key and a key usage into the three keys RFC 3961 §5.3 names:
 * Kc (checksums), Ke (encryption), Ki (the encryption's integrity).
 */
import { createHmac } from 'node:crypto';
import type { AesEngineFactory } from './aes-engine.js';
import { AesCts } from './cts.js';
import { HmacSha1Key } from './hmac-sha1.js';
import { nfold } from './nfold.js';

/** RFC 3961 §8 / RFC 8009 §2 enctype numbers. */
export const Enctype = {
  AES128_CTS_HMAC_SHA1_96: 17,
  AES256_CTS_HMAC_SHA1_96: 18,
  AES128_CTS_HMAC_SHA256_128: 19,
  AES256_CTS_HMAC_SHA384_192: 20,
} as const;

/** A keyed MAC writing its (truncated) output into out[off]. */
export interface Mac {
  readonly length: number;
  mac(parts: readonly Uint8Array[], out: Uint8Array, off: number): void;
  /** The MAC of buf[start, end): the one-part case without building views. */
  macRange(buf: Uint8Array, start: number, end: number, out: Uint8Array, off: number): void;
  wipe(): void;
}

/** The keys of one key usage. */
export interface UsageKeys {
  readonly profile: Profile;
  /** Kc: the checksum of MIC tokens and integrity-only wrap tokens. */
  readonly checksum: Mac;
  /** Ke: AES-CTS. */
  readonly cipher: AesCts;
  /** Ki: the integrity of encrypted data (over plaintext for RFC 3962, over ciphertext for RFC 8009). */
  readonly integrity: Mac;
  wipe(): void;
}

/** What differs between the two families. */
export interface Profile {
  readonly enctype: number;
  readonly keyLength: number;
  /** h: the checksum and encryption-trailer length (RFC 3962: 12, RFC 8009: 16 or 24). */
  readonly macLength: number;
  /** RFC 8009 MACs the ciphertext (encrypt-then-MAC); RFC 3962 MACs the plaintext. */
  readonly macsCiphertext: boolean;
  /** The usage's keys; `engine` makes their AES contexts. */
  derive(base: Uint8Array, usage: number, engine: AesEngineFactory): UsageKeys;
}

class Sha1Mac implements Mac {
  readonly length = 12;
  readonly #key: HmacSha1Key;
  constructor(key: Uint8Array) {
    this.#key = new HmacSha1Key(key);
  }
  mac(parts: readonly Uint8Array[], out: Uint8Array, off: number): void {
    this.#key.mac(parts, out, off, 12);
  }
  macRange(buf: Uint8Array, start: number, end: number, out: Uint8Array, off: number): void {
    this.#key.macRange(buf, start, end, out, off, 12);
  }
  wipe(): void {
    this.#key.wipe();
  }
}

class Sha2Mac implements Mac {
  readonly #key: Buffer;
  constructor(
    readonly hash: 'sha256' | 'sha384',
    key: Uint8Array,
    readonly length: number,
  ) {
    this.#key = Buffer.from(key);
  }
  mac(parts: readonly Uint8Array[], out: Uint8Array, off: number): void {
    const h = createHmac(this.hash, this.#key);
    for (const p of parts) h.update(p);
    out.set(h.digest().subarray(0, this.length), off);
  }
  macRange(buf: Uint8Array, start: number, end: number, out: Uint8Array, off: number): void {
    this.mac([buf.subarray(start, end)], out, off);
  }
  wipe(): void {
    this.#key.fill(0);
  }
}

function usageConstant(usage: number, kind: number): Uint8Array {
  return Uint8Array.of(usage >>> 24, usage >>> 16, usage >>> 8, usage, kind);
}

/** RFC 3961 §5.3 key-usage constants' last byte. */
const KC = 0x99;
const KE = 0xaa;
const KI = 0x55;

/** DK(base, constant) for AES (RFC 3961 §5.1, RFC 3962 §6): DR's blocks, random-to-key the identity. */
function dkAes(base: Uint8Array, constant: Uint8Array, engine: AesEngineFactory): Buffer {
  const aes = new AesCts(base, engine);
  const out = Buffer.alloc(base.length);
  let block: Uint8Array = constant.length === 16 ? constant : nfold(constant, 16);
  for (let at = 0; at < out.length; at += 16) {
    block = aes.encryptBlock(block);
    out.set(block.subarray(0, Math.min(16, out.length - at)), at);
  }
  aes.wipe();
  return out;
}

/** KDF-HMAC-SHA2(key, label, k) of RFC 8009 §3 (SP 800-108 counter mode, one block). */
export function kdfHmacSha2(hash: 'sha256' | 'sha384', key: Uint8Array, label: Uint8Array, bits: number): Buffer {
  const k = Buffer.alloc(4);
  k.writeUInt32BE(bits, 0);
  const d = createHmac(hash, key)
    .update(Uint8Array.of(0, 0, 0, 1))
    .update(label)
    .update(Uint8Array.of(0))
    .update(k);
  return d.digest().subarray(0, bits / 8);
}

function usageKeys(
  profile: Profile,
  checksum: Mac,
  cipherKey: Buffer,
  integrity: Mac,
  engine: AesEngineFactory,
): UsageKeys {
  const cipher = new AesCts(cipherKey, engine);
  cipherKey.fill(0);
  return {
    profile,
    checksum,
    cipher,
    integrity,
    wipe(): void {
      checksum.wipe();
      cipher.wipe();
      integrity.wipe();
    },
  };
}

function rfc3962(enctype: number, keyLength: number): Profile {
  const profile: Profile = {
    enctype,
    keyLength,
    macLength: 12,
    macsCiphertext: false,
    derive(base, usage, engine) {
      const kc = dkAes(base, usageConstant(usage, KC), engine);
      const ki = dkAes(base, usageConstant(usage, KI), engine);
      const ke = dkAes(base, usageConstant(usage, KE), engine);
      const keys = usageKeys(profile, new Sha1Mac(kc), ke, new Sha1Mac(ki), engine);
      kc.fill(0);
      ki.fill(0);
      return keys;
    },
  };
  return profile;
}

function rfc8009(enctype: number, hash: 'sha256' | 'sha384', keyLength: number, macLength: number): Profile {
  const profile: Profile = {
    enctype,
    keyLength,
    macLength,
    macsCiphertext: true,
    derive(base, usage, engine) {
      const kc = kdfHmacSha2(hash, base, usageConstant(usage, KC), macLength * 8);
      const ke = kdfHmacSha2(hash, base, usageConstant(usage, KE), keyLength * 8);
      const ki = kdfHmacSha2(hash, base, usageConstant(usage, KI), macLength * 8);
      const keys = usageKeys(profile, new Sha2Mac(hash, kc, macLength), ke, new Sha2Mac(hash, ki, macLength), engine);
      kc.fill(0);
      ki.fill(0);
      return keys;
    },
  };
  return profile;
}

const PROFILES: ReadonlyMap<number, Profile> = new Map([
  [Enctype.AES128_CTS_HMAC_SHA1_96, rfc3962(Enctype.AES128_CTS_HMAC_SHA1_96, 16)],
  [Enctype.AES256_CTS_HMAC_SHA1_96, rfc3962(Enctype.AES256_CTS_HMAC_SHA1_96, 32)],
  [Enctype.AES128_CTS_HMAC_SHA256_128, rfc8009(Enctype.AES128_CTS_HMAC_SHA256_128, 'sha256', 16, 16)],
  [Enctype.AES256_CTS_HMAC_SHA384_192, rfc8009(Enctype.AES256_CTS_HMAC_SHA384_192, 'sha384', 32, 24)],
]);

/** The profile of an enctype sspkit implements, or undefined (the library keeps the context). */
export function profileOf(enctype: number): Profile | undefined {
  return PROFILES.get(enctype);
}
