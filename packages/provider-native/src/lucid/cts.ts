/**
 * AES in CBC mode with ciphertext stealing and a zero IV (RFC 3962 §5, used unchanged by RFC 8009
 * §5): CBC over the zero-padded input, then the last two ciphertext blocks swapped and the result
 * cut to the input's length. For one block it is plain AES.
 *
 * node:crypto's cost is per call (~0.5 µs), not per byte, at message sizes of a few blocks, so one
 * long-lived CBC encipher and one ECB decipher serve every message of a key. The encipher keeps
 * chaining from the previous message's last block; XORing that block into the new first block
 * cancels it, which makes each message start from the zero IV as the RFC requires.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { Cipher, Decipher } from 'node:crypto';

const ZERO_IV = Buffer.alloc(16);
/** Above this size a per-message CBC decipher is cheaper than XORing in JS. */
const CBC_DECRYPT_FROM = 1024;
const SCRATCH = 256;

/** One AES key used for CBC-CTS encryption and decryption. */
export class AesCts {
  readonly #algorithm: string;
  readonly #key: Buffer;
  #enc: Cipher;
  #dec: Decipher;
  /** The last ciphertext block the encipher produced: its IV for the next call. */
  readonly #chain = new Uint8Array(16);
  /** Scratch for short messages' padded input (allocation showed in the 64-byte profile). */
  readonly #pad = Buffer.alloc(SCRATCH);
  /** Views of #pad by block count, made once (a subarray per call showed in the profile too). */
  readonly #padViews: Buffer[] = Array.from({ length: SCRATCH / 16 + 1 }, (_, i) => this.#pad.subarray(0, 16 * i));
  readonly #stolen = Buffer.alloc(16);

  constructor(key: Uint8Array) {
    if (key.length !== 16 && key.length !== 32) throw new RangeError('AES key of 16 or 32 bytes expected');
    this.#algorithm = `aes-${key.length * 8}`;
    this.#key = Buffer.from(key);
    this.#enc = createCipheriv(`${this.#algorithm}-cbc`, this.#key, ZERO_IV).setAutoPadding(false);
    this.#dec = createDecipheriv(`${this.#algorithm}-ecb`, this.#key, null).setAutoPadding(false);
  }

  /** One AES block encryption (what key derivation needs). */
  encryptBlock(block: Uint8Array): Buffer {
    return this.encrypt(block);
  }

  /** CBC-CTS encryption of `plain` (at least 16 bytes). */
  encrypt(plain: Uint8Array): Buffer {
    const n = plain.length;
    if (n < 16) throw new RangeError('CBC-CTS needs at least one block');
    const m = (n + 15) & ~15;
    const padded = m <= SCRATCH ? this.#padViews[m >> 4]! : Buffer.alloc(m);
    padded.set(plain, 0);
    padded.fill(0, n);
    const chain = this.#chain;
    for (let i = 0; i < 16; i++) padded[i]! ^= chain[i]!;
    const c = this.#enc.update(padded);
    padded.fill(0);
    for (let i = 0; i < 16; i++) chain[i] = c[m - 16 + i]!;
    if (n === 16) return c;
    // Swap the last two blocks; the stolen block is cut to the final partial length.
    const r = n - (m - 16);
    const out = Buffer.allocUnsafe(n);
    c.copy(out, 0, 0, m - 32);
    c.copy(out, m - 32, m - 16, m);
    c.copy(out, m - 16, m - 32, m - 32 + r);
    c.fill(0);
    return out;
  }

  /** CBC-CTS decryption; `ct` is at least 16 bytes. */
  decrypt(ct: Uint8Array): Buffer {
    const n = ct.length;
    if (n < 16) throw new RangeError('CBC-CTS needs at least one block');
    if (n === 16) return this.#dec.update(ct);
    const k = (n + 15) >> 4;
    const r = n - 16 * (k - 1);
    const last = 16 * (k - 1);
    const prev = last - 16;
    const out = Buffer.allocUnsafe(n);
    // Every block but the stolen one is decrypted first; position prev holds C_k, whose decryption
    // dk gives back both P_k and the tail of C_{k-1} that was stolen (D(C_k) = C_{k-1} ^ (P_k ‖ 0)).
    let d: Buffer;
    let dk: Buffer;
    if (n >= CBC_DECRYPT_FROM) {
      // The leading blocks through CBC proper (P_i = D(C_i) ^ C_{i-1}), natively.
      const cbc = createDecipheriv(`${this.#algorithm}-cbc`, this.#key, ZERO_IV).setAutoPadding(false);
      cbc.update(ct.subarray(0, prev)).copy(out, 0);
      d = this.#dec.update(ct.subarray(prev, last));
      dk = d;
    } else {
      d = this.#dec.update(r === 16 ? ct : ct.subarray(0, last));
      dk = d.subarray(prev, last);
      for (let i = 0; i < 16 && i < prev; i++) out[i] = d[i]!;
      for (let i = 16; i < prev; i++) out[i] = d[i]! ^ ct[i - 16]!;
    }
    const ck1 = this.#stolen;
    for (let i = 0; i < r; i++) {
      ck1[i] = ct[last + i]!;
      out[last + i] = dk[i]! ^ ct[last + i]!;
    }
    for (let i = r; i < 16; i++) ck1[i] = dk[i]!;
    const dk1 = r === 16 && n < CBC_DECRYPT_FROM ? d.subarray(last, last + 16) : this.#dec.update(ck1);
    for (let i = 0; i < 16; i++) out[prev + i] = dk1[i]! ^ (prev >= 16 ? ct[prev - 16 + i]! : 0);
    d.fill(0);
    ck1.fill(0);
    return out;
  }

  /**
   * Drops the cipher contexts: OpenSSL cleanses a context's key schedule when it is freed (at the
   * next garbage collection), and the key copy kept here is zeroed now.
   */
  wipe(): void {
    this.#key.fill(0);
    this.#chain.fill(0);
    this.#enc.final();
    this.#dec.final();
  }
}
