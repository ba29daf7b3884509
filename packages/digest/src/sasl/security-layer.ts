/**
 * The RFC 2831 §2.3 (integrity) and §2.4 (confidentiality) security layers of SASL DIGEST-MD5.
 *
 *   integrity:        msg ‖ HMAC-MD5(Ki, SeqNum ‖ msg)[0..10] ‖ 0x0001 ‖ SeqNum
 *   confidentiality:  CIPHER(Kc, msg ‖ pad ‖ HMAC-MD5(Ki, SeqNum ‖ msg)[0..10]) ‖ 0x0001 ‖ SeqNum
 *
 * Sequence numbers count per direction from 0. Cipher state (RC4 keystream, CBC chaining) persists
 * across messages, as in Cyrus SASL. The 4-octet length prefix of the SASL buffer is the transport's.
 */
import { Buffer } from 'node:buffer';
import { createHash, createHmac } from 'node:crypto';
import { DigestErrorCode, fail, ok } from '../errors.js';
import type { Result } from '../errors.js';
import { createDesStream } from '../crypto/des.js';
import { Rc4 } from '@sspkit/legacy-crypto';
import { constantTimeEqual } from '@sspkit/core';
import { cipherBlockSize, cipherKeySeedLength } from './ciphers.js';
import type { SaslCipher } from './ciphers.js';

const KIC = 'Digest session key to client-to-server signing key magic constant';
const KIS = 'Digest session key to server-to-client signing key magic constant';
const KCC = 'Digest H(A1) to client-to-server sealing key magic constant';
const KCS = 'Digest H(A1) to server-to-client sealing key magic constant';

/** Length of the integrity trailer: 10 MAC octets, 2 message-type octets, 4 sequence octets. */
export const TRAILER_LENGTH = 16;

/** The four RFC 2831 keys, from the 16-octet binary H(A1). */
export interface SaslKeys {
  readonly kic: Buffer;
  readonly kis: Buffer;
  readonly kcc?: Buffer;
  readonly kcs?: Buffer;
}

function md5(...parts: Array<Uint8Array | string>): Buffer {
  const h = createHash('md5');
  for (const p of parts) h.update(typeof p === 'string' ? Buffer.from(p, 'latin1') : p);
  return h.digest();
}

/** Derives Kic/Kis (RFC 2831 §2.3) and, for a cipher, Kcc/Kcs (§2.4). */
export function deriveSaslKeys(ha1: Uint8Array, cipher: SaslCipher | undefined): SaslKeys {
  const keys = { kic: md5(ha1, KIC), kis: md5(ha1, KIS) };
  if (cipher === undefined) return keys;
  const seed = ha1.subarray(0, cipherKeySeedLength(cipher));
  return { ...keys, kcc: md5(seed, KCC), kcs: md5(seed, KCS) };
}

interface Stream {
  update(data: Uint8Array): Uint8Array;
  /** Overwrites key material the stream holds in JavaScript memory (RC4's schedule). */
  wipe(): void;
}

function createStream(cipher: SaslCipher, kc: Buffer, encrypt: boolean): Stream {
  // OpenSSL keeps the DES key schedule in its own memory, freed with the cipher object.
  if (cipher === 'des' || cipher === '3des') return { ...createDesStream(cipher, kc, encrypt), wipe: () => undefined };
  // rc4-40 and rc4-56 weaken Kc by deriving it from 5 or 7 octets of H(A1) (cipherKeySeedLength);
  // the RC4 key itself is all 16 octets of Kc, as Cyrus SASL (the reference peer) keys it.
  const rc4 = new Rc4(kc);
  return { update: (d) => rc4.update(d), wipe: () => rc4.wipe() };
}

/** Options of a {@link SaslSecurityLayer}. */
export interface SaslSecurityLayerOptions {
  readonly role: 'client' | 'server';
  /** Binary H(A1) of the authentication. */
  readonly ha1: Uint8Array;
  /** The negotiated cipher; absent for `auth-int`. */
  readonly cipher?: SaslCipher;
}

/** One side's sending and receiving security layer. */
export class SaslSecurityLayer {
  readonly #sendKi: Buffer;
  readonly #recvKi: Buffer;
  readonly #sendCipher: Stream | undefined;
  readonly #recvCipher: Stream | undefined;
  readonly #blockSize: number;
  #sendSeq = 0;
  #recvSeq = 0;

  constructor(options: SaslSecurityLayerOptions) {
    const keys = deriveSaslKeys(options.ha1, options.cipher);
    const client = options.role === 'client';
    this.#sendKi = client ? keys.kic : keys.kis;
    this.#recvKi = client ? keys.kis : keys.kic;
    this.#blockSize = options.cipher !== undefined ? cipherBlockSize(options.cipher) : 1;
    if (options.cipher !== undefined && keys.kcc !== undefined && keys.kcs !== undefined) {
      this.#sendCipher = createStream(options.cipher, client ? keys.kcc : keys.kcs, true);
      this.#recvCipher = createStream(options.cipher, client ? keys.kcs : keys.kcc, false);
    }
  }

  /** Overwrites the integrity keys and the cipher state; the layer is unusable afterwards. */
  wipe(): void {
    this.#sendKi.fill(0);
    this.#recvKi.fill(0);
    this.#sendCipher?.wipe();
    this.#recvCipher?.wipe();
  }

  /** Whether confidentiality is available (a cipher was negotiated). */
  get confidential(): boolean {
    return this.#sendCipher !== undefined;
  }

  /** Next sequence numbers, for diagnostics and tests. */
  get sequence(): { send: number; receive: number } {
    return { send: this.#sendSeq, receive: this.#recvSeq };
  }

  /** Integrity-protects a message: returns the 16-octet trailer to append (RFC 2831 §2.3). */
  sign(message: Uint8Array): Buffer {
    const seq = this.#nextSend();
    return Buffer.concat([mac(this.#sendKi, seq, message), typeAndSeq(seq)]);
  }

  /** Checks an integrity trailer against the message and the expected sequence number. */
  verify(message: Uint8Array, trailer: Uint8Array): Result<void> {
    if (trailer.length !== TRAILER_LENGTH)
      return fail(DigestErrorCode.InvalidToken, 'integrity trailer must be 16 octets');
    const expected = this.#recvSeq;
    const check = this.#checkTrailer(this.#recvKi, expected, message, trailer.subarray(0, 10), trailer.subarray(10));
    if (!check.ok) return check;
    this.#recvSeq = (this.#recvSeq + 1) >>> 0;
    return ok(undefined);
  }

  /** Seals a message (RFC 2831 §2.4): returns the whole protected buffer, ciphertext then type and seq. */
  seal(message: Uint8Array): Buffer {
    if (this.#sendCipher === undefined) throw new Error('no cipher negotiated');
    const seq = this.#nextSend();
    const padLen = this.#blockSize === 1 ? 0 : this.#blockSize - ((message.length + 10) % this.#blockSize);
    const plain = Buffer.concat([message, Buffer.alloc(padLen, padLen), mac(this.#sendKi, seq, message)]);
    return Buffer.concat([this.#sendCipher.update(plain), typeAndSeq(seq)]);
  }

  /** Opens a sealed buffer produced by the peer's {@link seal}. */
  unseal(sealed: Uint8Array): Result<Buffer> {
    if (this.#recvCipher === undefined) return fail(DigestErrorCode.InvalidState, 'no cipher negotiated');
    const minimum = 10 + 6 + (this.#blockSize === 1 ? 0 : 1);
    if (sealed.length < minimum)
      return fail(DigestErrorCode.IncompleteMessage, 'sealed message shorter than its framing');
    const body = sealed.subarray(0, sealed.length - 6);
    if (body.length % this.#blockSize !== 0)
      return fail(DigestErrorCode.InvalidToken, 'sealed message is not a whole number of blocks');
    const plain = Buffer.from(this.#recvCipher.update(body));
    let padLen = 0;
    if (this.#blockSize > 1) {
      padLen = plain[plain.length - 11] ?? 0;
      if (padLen < 1 || padLen > this.#blockSize || padLen > plain.length - 10)
        return fail(DigestErrorCode.MessageAltered, 'bad padding in sealed message');
    }
    const message = plain.subarray(0, plain.length - 10 - padLen);
    const check = this.#checkTrailer(
      this.#recvKi,
      this.#recvSeq,
      message,
      plain.subarray(plain.length - 10),
      sealed.subarray(sealed.length - 6),
    );
    if (!check.ok) return fail(check.error.code, check.error.message);
    this.#recvSeq = (this.#recvSeq + 1) >>> 0;
    return ok(Buffer.from(message));
  }

  #checkTrailer(
    ki: Buffer,
    expected: number,
    message: Uint8Array,
    mac10: Uint8Array,
    typeSeq: Uint8Array,
  ): Result<void> {
    const view = Buffer.from(typeSeq.buffer, typeSeq.byteOffset, typeSeq.byteLength);
    if (view.readUInt16BE(0) !== 1) return fail(DigestErrorCode.MessageAltered, 'message type in trailer altered');
    const seq = view.readUInt32BE(2);
    if (constantTimeEqual(mac(ki, expected, message), mac10)) {
      // A valid MAC for the expected number with another number in clear: the field was altered.
      return seq === expected ? ok(undefined) : fail(DigestErrorCode.MessageAltered, 'sequence field altered');
    }
    // A genuine message of the peer, but not the one expected next: replayed or reordered.
    if (seq !== expected && constantTimeEqual(mac(ki, seq, message), mac10))
      return fail(DigestErrorCode.OutOfSequence, 'sequence number out of order');
    return fail(DigestErrorCode.MessageAltered, 'integrity check failed');
  }

  #nextSend(): number {
    const seq = this.#sendSeq;
    this.#sendSeq = (this.#sendSeq + 1) >>> 0;
    return seq;
  }
}

function mac(ki: Buffer, seq: number, message: Uint8Array): Buffer {
  const s = Buffer.alloc(4);
  s.writeUInt32BE(seq, 0);
  return createHmac('md5', ki).update(s).update(message).digest().subarray(0, 10);
}

function typeAndSeq(seq: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUInt16BE(1, 0);
  b.writeUInt32BE(seq, 2);
  return b;
}
