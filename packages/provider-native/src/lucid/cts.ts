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
const SCRATCH = 256;

/** One AES key used for CBC-CTS encryption and decryption. */
export class AesCts {
  readonly #key: Buffer;
  readonly #enc: Cipher;
  /** CBC decipher for whole messages; ECB for single blocks (the stolen block's partner). */
  readonly #dec: Decipher;
  readonly #ecb: Decipher;
  /** The last ciphertext block each long-lived CBC context saw: its IV for the next call. */
  readonly #chain = new Uint8Array(16);
  readonly #decChain = new Uint8Array(16);
  /** Scratch for short messages (allocation showed in the 64-byte profile), and views of it by size. */
  readonly #pad = Buffer.alloc(SCRATCH);
  readonly #padViews: Buffer[] = Array.from({ length: SCRATCH / 16 + 1 }, (_, i) => this.#pad.subarray(0, 16 * i));
  readonly #order = Buffer.alloc(SCRATCH);
  readonly #input = Buffer.alloc(SCRATCH);
  readonly #inputViews: Buffer[] = [];
  readonly #orderViews: Buffer[] = Array.from({ length: SCRATCH / 16 + 1 }, (_, i) => this.#order.subarray(0, 16 * i));

  constructor(key: Uint8Array) {
    if (key.length !== 16 && key.length !== 32) throw new RangeError('AES key of 16 or 32 bytes expected');
    const algorithm = `aes-${key.length * 8}`;
    this.#key = Buffer.from(key);
    this.#enc = createCipheriv(`${algorithm}-cbc`, this.#key, ZERO_IV).setAutoPadding(false);
    this.#dec = createDecipheriv(`${algorithm}-cbc`, this.#key, ZERO_IV).setAutoPadding(false);
    this.#ecb = createDecipheriv(`${algorithm}-ecb`, this.#key, null).setAutoPadding(false);
  }

  /** One AES block encryption (what key derivation needs). */
  encryptBlock(block: Uint8Array): Buffer {
    return this.encrypt(block);
  }

  /**
   * The input area for encryptPrepared(n): a buffer of at least n bytes (rounded up to the block)
   * to write the plaintext into, saving a copy. It is this key's scratch for short messages, so it
   * is valid until the next call on this key.
   */
  plainBuffer(n: number): Buffer {
    const m = (n + 15) & ~15;
    return m <= SCRATCH ? this.#padViews[m >> 4]! : Buffer.alloc(m);
  }

  /**
   * An area of exactly n bytes to assemble a ciphertext in before decrypt() (this key's scratch
   * for short messages, valid until the next call on this key), saving an allocation.
   */
  cipherBuffer(n: number): Buffer {
    return n <= SCRATCH ? (this.#inputViews[n] ??= this.#input.subarray(0, n)) : Buffer.allocUnsafe(n);
  }

  /** CBC-CTS encryption of `plain` (at least 16 bytes). */
  encrypt(plain: Uint8Array): Buffer {
    const buf = this.plainBuffer(plain.length);
    buf.set(plain, 0);
    return this.encryptPrepared(buf, plain.length);
  }

  /**
   * CBC-CTS encryption of the first n bytes of `buf` (from plainBuffer; its first block is
   * changed). The scratch keeps the last short plaintext until the next call or wipe().
   */
  encryptPrepared(buf: Buffer, n: number): Buffer {
    if (n < 16) throw new RangeError('CBC-CTS needs at least one block');
    const m = buf.length;
    for (let i = n; i < m; i++) buf[i] = 0;
    const chain = this.#chain;
    for (let i = 0; i < 16; i++) buf[i]! ^= chain[i]!;
    const c = this.#enc.update(buf);
    for (let i = 0; i < 16; i++) chain[i] = c[m - 16 + i]!;
    if (n === m) {
      if (n === 16) return c;
      // Swap the last two blocks (full final block: nothing is cut).
      for (let i = m - 32; i < m - 16; i++) {
        const t = c[i]!;
        c[i] = c[i + 16]!;
        c[i + 16] = t;
      }
      return c;
    }
    // Swap the last two blocks; the stolen block is cut to the final partial length.
    const r = n - (m - 16);
    const out = Buffer.allocUnsafe(n);
    c.copy(out, 0, 0, m - 32);
    c.copy(out, m - 32, m - 16, m);
    c.copy(out, m - 16, m - 32, m - 32 + r);
    return out;
  }

  /** CBC-CTS decryption; `ct` is at least 16 bytes. The result may be longer than asked for: see n. */
  decrypt(ct: Uint8Array): Buffer {
    const n = ct.length;
    if (n < 16) throw new RangeError('CBC-CTS needs at least one block');
    if (n === 16) return this.#ecb.update(ct);
    const k = (n + 15) >> 4;
    const r = n - 16 * (k - 1);
    const last = 16 * (k - 1);
    const prev = last - 16;
    const m = 16 * k;
    // Back into CBC order, C_1 … C_{k-1} C_k, for one native CBC call; a stolen tail is first
    // recovered from D(C_k) = C_{k-1} ^ (P_k ‖ 0).
    const buf = m <= SCRATCH ? this.#orderViews[k]! : Buffer.alloc(m);
    if (m <= SCRATCH) {
      // Short messages: byte loops beat three views and three set() calls.
      for (let i = 0; i < prev; i++) buf[i] = ct[i]!;
      for (let i = 0; i < r; i++) buf[prev + i] = ct[last + i]!;
      for (let i = 0; i < 16; i++) buf[last + i] = ct[prev + i]!;
    } else {
      buf.set(ct.subarray(0, prev), 0);
      buf.set(ct.subarray(last, n), prev);
      buf.set(ct.subarray(prev, last), last);
    }
    if (r < 16) {
      const dk = this.#ecb.update(buf.subarray(last, m));
      for (let i = r; i < 16; i++) buf[prev + i] = dk[i]!;
    }
    const p = this.#dec.update(buf);
    // The long-lived context chained from the previous message's last block: undo it on block 1.
    const chain = this.#decChain;
    for (let i = 0; i < 16; i++) {
      p[i]! ^= chain[i]!;
      chain[i] = buf[last + i]!;
    }
    return n === m ? p : p.subarray(0, n);
  }

  /**
   * Zeroes the key copy and scratch and finalises the cipher contexts: OpenSSL cleanses a
   * context's key schedule when it is freed (at the next garbage collection).
   */
  wipe(): void {
    this.#key.fill(0);
    this.#chain.fill(0);
    this.#decChain.fill(0);
    this.#pad.fill(0);
    this.#order.fill(0);
    this.#input.fill(0);
    this.#enc.final();
    this.#dec.final();
    this.#ecb.final();
  }
}
