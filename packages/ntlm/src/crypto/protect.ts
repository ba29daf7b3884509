import { crc32 } from 'node:zlib';
import { createHmac } from 'node:crypto';
import { constantTimeEqual as safeEqual, wipe } from '@sspkit/core';
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

/** CRC32 over the parts as one message (§3.4.4.1), without joining them. */
const crcOf = (parts: readonly ProtectPart[]): number => {
  let crc = 0;
  for (const p of parts) crc = crc32(p.data, crc);
  return crc;
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
    // Copies, so the caller's buffers stay as they were; EncryptMessage uses sealInPlace.
    const outputs = parts.map((p) => (p.confidential ? new Uint8Array(p.data) : p.data));
    const signature = this.sealInPlace(outputs.map((data, i) => ({ data, confidential: parts[i]!.confidential })));
    return { outputs, signature };
  }

  /** UNSEAL(): decrypts the confidential parts and verifies the signature; undefined on mismatch. */
  unseal(parts: readonly ProtectPart[], signature: Uint8Array): Uint8Array[] | undefined {
    const outputs = parts.map((p) => (p.confidential ? new Uint8Array(p.data) : p.data));
    const ok = this.unsealInPlace(
      outputs.map((data, i) => ({ data, confidential: parts[i]!.confidential })),
      signature,
    );
    return ok ? outputs : undefined;
  }

  /**
   * SEAL() on the caller's buffers, as EncryptMessage works: the confidential parts are encrypted in
   * place and the signature is returned. The checksum is over the plaintext, so it is computed first;
   * the keystream order is still the spec's (message, then checksum, MS-NLMP §3.4.4.2).
   */
  sealInPlace(parts: readonly ProtectPart[]): Uint8Array {
    const st = this.#out;
    const seq = this.#nextSeq(st);
    // Both checksums are over the plaintext: computed before the parts are encrypted.
    const digest = st.signingKey ? this.#hmac(st.signingKey, seq, parts) : undefined;
    const crc = digest ? 0 : crcOf(parts);
    for (const p of parts) if (p.confidential) st.handle.process(p.data);
    return digest ? this.#signatureV2(st, seq, digest) : this.#signatureV1(st, seq, crc);
  }

  /**
   * UNSEAL() on the caller's buffers, as DecryptMessage works: false when the signature does not
   * match. A refused message's confidential parts are zeroed, so no unauthenticated plaintext is
   * handed back (the keystream has moved on either way, see the README's "Security policy").
   */
  unsealInPlace(parts: readonly ProtectPart[], signature: Uint8Array): boolean {
    const st = this.#in;
    for (const p of parts) if (p.confidential) st.handle.process(p.data);
    if (signature.length !== SIGNATURE_SIZE) {
      for (const p of parts) if (p.confidential) p.data.fill(0);
      return false;
    }
    const seq = this.#nextSeq(st);
    const expected = st.signingKey
      ? this.#signatureV2(st, seq, this.#hmac(st.signingKey, seq, parts))
      : this.#signatureV1(st, seq, crcOf(parts));
    const ok = this.#matches(expected, signature);
    if (!ok) for (const p of parts) if (p.confidential) p.data.fill(0);
    return ok;
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
    const seq = this.#nextSeq(st);
    const parts = [{ data: message, confidential: false }];
    return st.signingKey
      ? this.#signatureV2(st, seq, this.#hmac(st.signingKey, seq, parts))
      : this.#signatureV1(st, seq, crcOf(parts));
  }

  #nextSeq(st: DirectionState): Uint8Array {
    const seq = u32le(st.seqNum);
    st.seqNum = (st.seqNum + 1) >>> 0;
    return seq;
  }

  // HMAC_MD5(SigningKey, SeqNum ‖ Message) with the message given in parts, so they are never joined.
  #hmac(key: Uint8Array, seq: Uint8Array, parts: readonly ProtectPart[]): Uint8Array {
    const h = createHmac('md5', key).update(seq);
    for (const p of parts) h.update(p.data);
    return h.digest();
  }

  // MS-NLMP §3.4.4.2: HMAC_MD5(SigningKey, SeqNum ‖ Message)[0..7], RC4'd when keys were exchanged.
  #signatureV2(st: DirectionState, seq: Uint8Array, digest: Uint8Array): Uint8Array {
    const checksum = digest.subarray(0, 8);
    if (this.#opts.keyExchange) st.handle.process(checksum);
    const sig = new Uint8Array(SIGNATURE_SIZE);
    sig[0] = 1;
    sig.set(checksum, 4);
    sig.set(seq, 12);
    return sig;
  }

  // MS-NLMP §3.4.4.1 (NTLMv1 without ESS): RandomPad, CRC32 and SeqNum all run through RC4.
  #signatureV1(st: DirectionState, seq: Uint8Array, crc: number): Uint8Array {
    const sig = new Uint8Array(SIGNATURE_SIZE);
    sig[0] = 1;
    sig.set(u32le(crc), 8);
    sig.set(seq, 12);
    st.handle.process(sig.subarray(4));
    return sig;
  }
}
