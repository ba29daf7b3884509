/**
 * Decryption of Kerberos EncryptedData for the explainer's `--keytab` mode. Written by hand because
 * no maintained npm package implements the RFC 3961 profiles; every primitive is node:crypto (AES,
 * HMAC) or @sspkit/legacy-crypto (RC4). Decrypt-only: the explainer never produces a token.
 *   - aes128/aes256-cts-hmac-sha1-96 (etypes 17, 18): RFC 3961 §5.3 simplified profile, RFC 3962.
 *   - aes128-cts-hmac-sha256-128 / aes256-cts-hmac-sha384-192 (etypes 19, 20): RFC 8009.
 *   - rc4-hmac (etype 23): RFC 4757 §4.
 * Integrity is always checked (constant-time) before a plaintext is returned.
 */
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { Rc4 } from '@sspkit/legacy-crypto';

export type DecryptResult =
  { readonly ok: true; readonly plain: Uint8Array } | { readonly ok: false; readonly reason: string };

/** RFC 3961 §5.1 n-fold: folds `input` to `n` bytes with 13-bit right rotations and ones' complement addition. */
export function nfold(input: Uint8Array, n: number): Uint8Array {
  const k = input.length;
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const lcm = (n * k) / gcd(n, k);
  const big = new Uint8Array(lcm);
  const bitsK = k * 8;
  for (let copy = 0; copy < lcm / k; copy++) {
    const rot = (13 * copy) % bitsK;
    for (let i = 0; i < k; i++) {
      // bit-wise right rotation of the input by `rot` bits
      let v = 0;
      for (let b = 0; b < 8; b++) {
        const src = (((i * 8 + b - rot) % bitsK) + bitsK) % bitsK;
        const bit = ((input[src >> 3] ?? 0) >> (7 - (src & 7))) & 1;
        v = (v << 1) | bit;
      }
      big[copy * k + i] = v;
    }
  }
  const out = new Uint8Array(n);
  for (let off = 0; off < lcm; off += n) {
    let carry = 0;
    for (let i = n - 1; i >= 0; i--) {
      const s = (out[i] ?? 0) + (big[off + i] ?? 0) + carry;
      out[i] = s & 0xff;
      carry = s >> 8;
    }
    for (let i = n - 1; carry !== 0 && i >= 0; i--) {
      const s = (out[i] ?? 0) + carry;
      out[i] = s & 0xff;
      carry = s >> 8;
    }
  }
  return out;
}

const aesName = (key: Uint8Array, mode: 'ecb' | 'cbc'): string => `aes-${key.length * 8}-${mode}`;

function aesEcbEncrypt(key: Uint8Array, block: Uint8Array): Uint8Array {
  const c = createCipheriv(aesName(key, 'ecb'), key, null).setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

/** RFC 3961 §5.3 DK with the AES "random-to-key" identity (RFC 3962 §4): DR iterated to the key size. */
function dkAes(key: Uint8Array, constant: Uint8Array): Uint8Array {
  let block = nfold(constant, 16);
  const out: Uint8Array[] = [];
  let have = 0;
  while (have < key.length) {
    block = aesEcbEncrypt(key, block);
    out.push(block);
    have += block.length;
  }
  return Buffer.concat(out).subarray(0, key.length);
}

const usageConstant = (usage: number, kind: number): Uint8Array =>
  Uint8Array.of((usage >>> 24) & 0xff, (usage >>> 16) & 0xff, (usage >>> 8) & 0xff, usage & 0xff, kind);

/** AES-CBC with ciphertext stealing, CS3 (the last two blocks swapped, RFC 3962 §5), IV zero. */
export function ctsDecrypt(key: Uint8Array, c: Uint8Array): Uint8Array | undefined {
  const iv = new Uint8Array(16);
  if (c.length < 16) return undefined;
  const decipher = (data: Uint8Array): Uint8Array => {
    const d = createDecipheriv(aesName(key, 'cbc'), key, iv).setAutoPadding(false);
    return Buffer.concat([d.update(data), d.final()]);
  };
  if (c.length === 16) return decipher(c);
  const n = Math.ceil(c.length / 16);
  const d = c.length - 16 * (n - 1); // bytes in the final (partial) block, 1..16
  const head = c.subarray(0, 16 * (n - 2));
  const x = c.subarray(16 * (n - 2), 16 * (n - 1)); // the original last block
  const y = c.subarray(16 * (n - 1)); // the original next-to-last block, cut to d bytes
  const dx = createDecipheriv(aesName(key, 'ecb'), key, null).setAutoPadding(false);
  const dn = Buffer.concat([dx.update(x), dx.final()]);
  const prev = Buffer.concat([y, dn.subarray(d)]);
  const plain = decipher(Buffer.concat([head, prev, x]));
  return plain.subarray(0, c.length);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function decryptAesSha1(key: Uint8Array, usage: number, cipher: Uint8Array): DecryptResult {
  if (cipher.length < 16 + 12) return { ok: false, reason: 'cipher shorter than a confounder and a checksum' };
  const ke = dkAes(key, usageConstant(usage, 0xaa));
  const ki = dkAes(key, usageConstant(usage, 0x55));
  const c = cipher.subarray(0, cipher.length - 12);
  const h = cipher.subarray(cipher.length - 12);
  const p = ctsDecrypt(ke, c);
  if (p === undefined) return { ok: false, reason: 'cipher too short' };
  const mac = createHmac('sha1', ki).update(p).digest().subarray(0, 12);
  ke.fill(0);
  ki.fill(0);
  if (!equal(mac, h)) return { ok: false, reason: 'integrity check failed (wrong key, or the token was altered)' };
  return { ok: true, plain: p.subarray(16) };
}

/** RFC 8009 §3 KDF-HMAC-SHA2 (SP 800-108 counter mode, one or two blocks). */
function kdfHmacSha2(key: Uint8Array, label: Uint8Array, bits: number, hash: 'sha256' | 'sha384'): Uint8Array {
  const k = Buffer.alloc(4);
  k.writeUInt32BE(bits);
  const out = createHmac(hash, key)
    .update(Uint8Array.of(0, 0, 0, 1))
    .update(label)
    .update(Uint8Array.of(0))
    .update(k)
    .digest();
  return out.subarray(0, bits / 8);
}

function decryptAesSha2(key: Uint8Array, usage: number, cipher: Uint8Array): DecryptResult {
  const hash = key.length === 16 ? 'sha256' : 'sha384';
  const hlen = key.length === 16 ? 16 : 24;
  if (cipher.length < 16 + hlen) return { ok: false, reason: 'cipher shorter than a confounder and a checksum' };
  const ke = kdfHmacSha2(key, usageConstant(usage, 0xaa), key.length * 8, hash);
  const ki = kdfHmacSha2(key, usageConstant(usage, 0x55), hlen * 8, hash);
  const c = cipher.subarray(0, cipher.length - hlen);
  const h = cipher.subarray(cipher.length - hlen);
  const mac = createHmac(hash, ki).update(new Uint8Array(16)).update(c).digest().subarray(0, hlen);
  ki.fill(0);
  if (!equal(mac, h)) {
    ke.fill(0);
    return { ok: false, reason: 'integrity check failed (wrong key, or the token was altered)' };
  }
  const p = ctsDecrypt(ke, c);
  ke.fill(0);
  if (p === undefined) return { ok: false, reason: 'cipher too short' };
  return { ok: true, plain: p.subarray(16) };
}

function decryptRc4Hmac(key: Uint8Array, usage: number, cipher: Uint8Array): DecryptResult {
  if (cipher.length < 16 + 8) return { ok: false, reason: 'cipher shorter than a checksum and a confounder' };
  // RFC 4757 §4: message type 3 (and 9) are folded to 8; the types this tool decrypts keep their number.
  const t = usage === 3 || usage === 9 ? 8 : usage;
  const tb = Buffer.alloc(4);
  tb.writeUInt32LE(t);
  const k1 = createHmac('md5', key).update(tb).digest();
  const checksum = cipher.subarray(0, 16);
  const k3 = createHmac('md5', k1).update(checksum).digest();
  const rc4 = new Rc4(k3);
  const plain = rc4.update(cipher.subarray(16));
  rc4.wipe();
  const mac = createHmac('md5', k1).update(plain).digest();
  k1.fill(0);
  k3.fill(0);
  if (!equal(mac, checksum))
    return { ok: false, reason: 'integrity check failed (wrong key, or the token was altered)' };
  return { ok: true, plain: plain.subarray(8) };
}

/** Key sizes per etype, for refusing a key of the wrong kind up front. */
const KEY_BYTES: Readonly<Record<number, number>> = { 17: 16, 18: 32, 19: 16, 20: 32, 23: 16 };

/** Decrypts the cipher of an EncryptedData of `etype` with `key` for key usage `usage`. */
export function decrypt(etype: number, key: Uint8Array, usage: number, cipher: Uint8Array): DecryptResult {
  const want = KEY_BYTES[etype];
  if (want === undefined) return { ok: false, reason: `etype ${etype} is not supported by this decoder` };
  if (key.length !== want) return { ok: false, reason: `a ${key.length}-byte key cannot be a key of etype ${etype}` };
  switch (etype) {
    case 17:
    case 18:
      return decryptAesSha1(key, usage, cipher);
    case 19:
    case 20:
      return decryptAesSha2(key, usage, cipher);
    default:
      return decryptRc4Hmac(key, usage, cipher);
  }
}
