/**
 * HMAC-SHA-1 (RFC 2104) with the key's inner and outer states computed once, for the RFC 3962
 * enctypes' checksums over short messages. Long inputs go to node:crypto, whose fixed per-call
 * cost no longer matters there and whose native SHA-1 is ~10× faster per byte than this one.
 */
import { createHmac } from 'node:crypto';
import { sha1Block } from './sha1-block.js';

const IV = [0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0];
/** Above this many bytes node:crypto is faster than the JS compression (measured ~300–500 B). */
const NATIVE_FROM = 512;

/** An HMAC-SHA-1 key: its two precomputed states, and the raw key for node:crypto. */
export class HmacSha1Key {
  readonly #inner = new Int32Array(5);
  readonly #outer = new Int32Array(5);
  readonly #raw: Buffer;
  readonly #st = new Int32Array(5);
  readonly #blk = new Uint8Array(64);
  /** The outer hash's only block: the inner digest, then padding that never changes (84 bytes). */
  readonly #outerBlk = new Uint8Array(64);

  constructor(key: Uint8Array) {
    // Kerberos keys are 16 or 32 bytes: never longer than a block, so never hashed first.
    if (key.length > 64) throw new RangeError('HMAC key longer than a block');
    this.#raw = Buffer.from(key);
    const pad = new Uint8Array(64);
    for (const [state, byte] of [
      [this.#inner, 0x36],
      [this.#outer, 0x5c],
    ] as const) {
      pad.fill(byte);
      for (let i = 0; i < key.length; i++) pad[i] = (key[i] ?? 0) ^ byte;
      state.set(IV);
      sha1Block(state, pad, 0);
    }
    pad.fill(0);
    this.#outerBlk[20] = 0x80;
    this.#outerBlk[62] = (84 * 8) >>> 8;
    this.#outerBlk[63] = (84 * 8) & 0xff;
  }

  /** HMAC over buf[start, end); its first `outLen` bytes written to out[outOff]. */
  macRange(buf: Uint8Array, start: number, end: number, out: Uint8Array, outOff: number, outLen: number): void {
    if (end - start >= NATIVE_FROM) {
      this.#native([buf.subarray(start, end)], out, outOff, outLen);
      return;
    }
    const st = this.#st;
    const blk = this.#blk;
    st.set(this.#inner);
    let i = start;
    for (; i + 64 <= end; i += 64) sha1Block(st, buf, i);
    let fill = 0;
    while (i < end) blk[fill++] = buf[i++]!;
    this.#complete(fill, end - start, out, outOff, outLen);
  }

  /**
   * HMAC over the concatenation of `parts`, its first `outLen` bytes written to out[outOff].
   * One buffered pass: parts need not be block-aligned.
   */
  mac(parts: readonly Uint8Array[], out: Uint8Array, outOff: number, outLen: number): void {
    let total = 0;
    for (const p of parts) total += p.length;
    if (total >= NATIVE_FROM) {
      this.#native(parts, out, outOff, outLen);
      return;
    }
    const st = this.#st;
    const blk = this.#blk;
    st.set(this.#inner);
    let fill = 0;
    for (const p of parts) {
      let i = 0;
      if (fill > 0) {
        while (fill < 64 && i < p.length) blk[fill++] = p[i++]!;
        if (fill === 64) {
          sha1Block(st, blk, 0);
          fill = 0;
        }
      }
      // Whole blocks straight from the input when nothing is buffered.
      if (fill === 0) for (; i + 64 <= p.length; i += 64) sha1Block(st, p, i);
      while (i < p.length) blk[fill++] = p[i++]!;
    }
    this.#complete(fill, total, out, outOff, outLen);
  }

  #native(parts: readonly Uint8Array[], out: Uint8Array, outOff: number, outLen: number): void {
    const h = createHmac('sha1', this.#raw);
    for (const p of parts) h.update(p);
    out.set(h.digest().subarray(0, outLen), outOff);
  }

  /**
   * Pads the inner hash (`fill` bytes buffered, `bytes` hashed after the key block), runs the
   * outer one and writes the output. The block buffer keeps the message's last bytes until the
   * next call or wipe(); the caller's own buffers hold the same message anyway.
   */
  #complete(fill: number, bytes: number, out: Uint8Array, outOff: number, outLen: number): void {
    const st = this.#st;
    const blk = this.#blk;
    this.#finish(st, blk, fill, 64 + bytes);
    const ob = this.#outerBlk;
    for (let i = 0; i < 5; i++) {
      const v = st[i]!;
      ob[i * 4] = v >>> 24;
      ob[i * 4 + 1] = v >>> 16;
      ob[i * 4 + 2] = v >>> 8;
      ob[i * 4 + 3] = v;
    }
    st.set(this.#outer);
    sha1Block(st, ob, 0);
    for (let i = 0; i < outLen; i++) out[outOff + i] = st[i >> 2]! >>> (24 - 8 * (i & 3));
  }

  /** SHA-1 padding (FIPS 180-4 §5.1.1) of the `fill` buffered bytes, for a message of `bytes` bytes. */
  #finish(st: Int32Array, blk: Uint8Array, fill: number, bytes: number): void {
    blk[fill++] = 0x80;
    if (fill > 56) {
      while (fill < 64) blk[fill++] = 0;
      sha1Block(st, blk, 0);
      fill = 0;
    }
    while (fill < 56) blk[fill++] = 0;
    const bits = bytes * 8;
    const hi = Math.floor(bits / 0x100000000);
    blk[56] = hi >>> 24;
    blk[57] = hi >>> 16;
    blk[58] = hi >>> 8;
    blk[59] = hi;
    blk[60] = bits >>> 24;
    blk[61] = bits >>> 16;
    blk[62] = bits >>> 8;
    blk[63] = bits;
    sha1Block(st, blk, 0);
  }

  /** Wipes the key material (the precomputed states are as secret as the key). */
  wipe(): void {
    this.#st.fill(0);
    this.#blk.fill(0);
    this.#outerBlk.fill(0, 0, 20);
    this.#inner.fill(0);
    this.#outer.fill(0);
    this.#raw.fill(0);
  }
}
