import { crc32 } from 'node:zlib';
import { concat, constantTimeEqual as safeEqual, wipe } from '@sspkit/core';
import { hmacMd5 } from './hashes.js';
import { sealKey, signKey } from './keys.js';
import type { Direction, KeyStrength } from './keys.js';
import { Rc4 } from '@sspkit/legacy-crypto';

/** Size of NTLMSSP_MESSAGE_SIGNATURE (MS-NLMP §2.2.2.9). */
export const SIGNATURE_SIZE = 16;

/** One input buffer of GSS_WrapEx / EncryptMessage: all are signed (v2), `confidential` ones encrypted. */
export interface ProtectPart {
  readonly data: Uint8Array;
  readonly confidential: boolean;
}

/** What the message protector needs from the finished handshake. */
export interface ProtectorOptions {
  readonly exportedSessionKey: Uint8Array;
  readonly isClient: boolean;
  readonly extendedSessionSecurity: boolean;
  readonly keyExchange: boolean;
  readonly strength: KeyStrength;
}

/** One direction's keys and state: the RC4 handle keeps running across messages (connection mode). */
class DirectionState {
  readonly signingKey: Uint8Array | undefined;
  readonly #sealKey: Uint8Array;
  handle: Rc4;
  seqNum = 0;

  constructor(opts: ProtectorOptions, direction: Direction) {
    this.#sealKey = sealKey(opts.exportedSessionKey, direction, opts.strength, opts.extendedSessionSecurity);
    this.handle = new Rc4(this.#sealKey);
    this.signingKey = opts.extendedSessionSecurity ? signKey(opts.exportedSessionKey, direction) : undefined;
  }

  /** A fresh keystream from the same sealing key; the sequence number runs on ([MS-SPNG] §3.3.5.1). */
  resetKeystream(): void {
    this.handle.wipe();
    this.handle = new Rc4(this.#sealKey);
  }

  wipe(): void {
    this.handle.wipe();
    wipe(this.#sealKey);
    wipe(this.signingKey);
  }
}

const u32le = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
};

/**
 * Message integrity and confidentiality after authentication (MS-NLMP §3.4): MAC / SEAL / UNSEAL with
 * per-direction keys and sequence numbers. Connection-oriented mode only (datagram is not supported).
 */
export class MessageProtector {
  readonly #out: DirectionState;
  readonly #in: DirectionState;
  readonly #opts: ProtectorOptions;

  constructor(opts: ProtectorOptions) {
    this.#opts = opts;
    const c2s: Direction = 'client-to-server';
    const s2c: Direction = 'server-to-client';
    this.#out = new DirectionState(opts, opts.isClient ? c2s : s2c);
    this.#in = new DirectionState(opts, opts.isClient ? s2c : c2s);
  }

  /** MAC() over `message` for the outbound direction (MS-NLMP §3.4.4); mirrors MakeSignature. */
  sign(message: Uint8Array): Uint8Array {
    return this.#mac(this.#out, message);
  }

  /** Checks a peer signature over `message` for the inbound direction; mirrors VerifySignature. */
  verify(message: Uint8Array, signature: Uint8Array): boolean {
    if (signature.length !== SIGNATURE_SIZE) return false;
    return this.#matches(this.#mac(this.#in, message), signature);
  }

  /** SEAL(): encrypts the confidential parts and signs all parts; mirrors EncryptMessage. */
  seal(parts: readonly ProtectPart[]): { readonly outputs: Uint8Array[]; readonly signature: Uint8Array } {
    const st = this.#out;
    const outputs = parts.map((p) => (p.confidential ? st.handle.update(p.data) : p.data));
    const signature = this.#mac(st, concat(...parts.map((p) => p.data)));
    return { outputs, signature };
  }

  /** UNSEAL(): decrypts the confidential parts and verifies the signature; undefined on mismatch. */
  unseal(parts: readonly ProtectPart[], signature: Uint8Array): Uint8Array[] | undefined {
    const st = this.#in;
    const outputs = parts.map((p) => (p.confidential ? st.handle.update(p.data) : p.data));
    if (signature.length !== SIGNATURE_SIZE) return undefined;
    const expected = this.#mac(st, concat(...outputs));
    return this.#matches(expected, signature) ? outputs : undefined;
  }

  /** Restarts one direction's RC4 keystream (after SPNEGO's mechListMIC, [MS-SPNG] §3.3.5.1). */
  resetKeystream(direction: 'outbound' | 'inbound'): void {
    (direction === 'outbound' ? this.#out : this.#in).resetKeystream();
  }

  /** Zeroes every key and keystream. */
  wipe(): void {
    this.#out.wipe();
    this.#in.wipe();
  }

  // Without ESS the 4-byte RandomPad is the sender's choice and is ignored on receipt (§3.4.4.1).
  #matches(expected: Uint8Array, received: Uint8Array): boolean {
    if (this.#in.signingKey) return safeEqual(expected, received);
    return (
      safeEqual(expected.subarray(0, 4), received.subarray(0, 4)) &&
      safeEqual(expected.subarray(8), received.subarray(8))
    );
  }

  #mac(st: DirectionState, message: Uint8Array): Uint8Array {
    const seq = u32le(st.seqNum);
    st.seqNum = (st.seqNum + 1) >>> 0;
    const sig = new Uint8Array(SIGNATURE_SIZE);
    sig[0] = 1;
    if (st.signingKey) {
      // MS-NLMP §3.4.4.2: HMAC_MD5(SigningKey, SeqNum ‖ Message)[0..7], RC4'd when keys were exchanged.
      let checksum = hmacMd5(st.signingKey, seq, message).subarray(0, 8);
      if (this.#opts.keyExchange) checksum = st.handle.update(checksum);
      sig.set(checksum, 4);
      sig.set(seq, 12);
      return sig;
    }
    // MS-NLMP §3.4.4.1 (NTLMv1 without ESS): RandomPad, CRC32 and SeqNum all run through RC4.
    sig.set(st.handle.update(new Uint8Array(4)), 4);
    sig.set(st.handle.update(u32le(crc32(message))), 8);
    sig.set(st.handle.update(seq), 12);
    return sig;
  }
}
