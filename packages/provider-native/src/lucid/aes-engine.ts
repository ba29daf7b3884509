/**
 * The AES primitive under the CBC-CTS code (cts.ts): one key's long-lived CBC contexts, which keep
 * chaining from the previous call's last block, with no padding. Two implementations: node:crypto's
 * Cipher objects (below, always available, the reference) and OpenSSL's EVP_CIPHER_CTX called
 * through koffi (ffi/evp.ts), which writes in place instead of allocating an output per call.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { Cipher, Decipher } from 'node:crypto';

/** One AES key (16 or 32 bytes) for CBC in both directions and single-block ECB decryption. */
export interface AesEngine {
  /** Where the output lands: `true` in the input buffer itself, `false` in a new buffer. */
  readonly inPlace: boolean;
  /** CBC encryption of buf[0, n) (n a multiple of 16), chained from the previous call. */
  encryptCbc(buf: Buffer, n: number): Buffer;
  /** CBC decryption of buf[0, n) (n a multiple of 16), chained from the previous call. */
  decryptCbc(buf: Buffer, n: number): Buffer;
  /** ECB decryption of one block (the stolen block's partner); the result is valid until the next call. */
  decryptBlock(block: Buffer): Buffer;
  /** Releases the contexts (their key schedules cleansed); every later call throws. */
  free(): void;
}

/** Builds an engine for a key; the caller wipes its copy of the key afterwards. */
export type AesEngineFactory = (key: Uint8Array) => AesEngine;

const ZERO_IV = Buffer.alloc(16);

/**
 * node:crypto's long-lived Cipher/Decipher objects: ~0.5–0.8 µs per update() at a few blocks
 * (an output ArrayBuffer per call). Freed contexts are finalised; OpenSSL cleanses a context's key
 * schedule when V8 collects it.
 */
class NodeAesEngine implements AesEngine {
  readonly inPlace = false;
  readonly #enc: Cipher;
  readonly #dec: Decipher;
  readonly #ecb: Decipher;
  #freed = false;

  constructor(key: Uint8Array) {
    const algorithm = `aes-${key.length * 8}`;
    this.#enc = createCipheriv(`${algorithm}-cbc`, key, ZERO_IV).setAutoPadding(false);
    this.#dec = createDecipheriv(`${algorithm}-cbc`, key, ZERO_IV).setAutoPadding(false);
    this.#ecb = createDecipheriv(`${algorithm}-ecb`, key, null).setAutoPadding(false);
  }

  encryptCbc(buf: Buffer, n: number): Buffer {
    this.#live();
    return this.#enc.update(n === buf.length ? buf : buf.subarray(0, n));
  }

  decryptCbc(buf: Buffer, n: number): Buffer {
    this.#live();
    return this.#dec.update(n === buf.length ? buf : buf.subarray(0, n));
  }

  decryptBlock(block: Buffer): Buffer {
    this.#live();
    return this.#ecb.update(block);
  }

  #live(): void {
    if (this.#freed) throw new Error('the AES key was wiped');
  }

  free(): void {
    if (this.#freed) return;
    this.#freed = true;
    this.#enc.final();
    this.#dec.final();
    this.#ecb.final();
  }
}

/** The node:crypto engine (the fallback when OpenSSL's EVP cannot be called directly). */
export const nodeAesEngine: AesEngineFactory = (key) => new NodeAesEngine(key);
