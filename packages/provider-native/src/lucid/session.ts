/**
 * RFC 4121 per-message tokens made and checked in TypeScript from the keys and sequence numbers
 * of an established context (ffi/lucid.ts): MIC tokens (§4.2.6.1) and Wrap tokens (§4.2.6.2) with
 * and without confidentiality, in the two layouts SSPI uses — one token buffer (gss_wrap's form,
 * any RRC accepted), and the in-place header + data layout of EncryptMessage, whose header holds
 * the trailer rotated in (RRC = EC + 16 + checksum length, as MIT's and Windows' IOV calls make).
 * The checks and their order follow MIT (k5sealv3iov.c): direction, token id, filler, RRC, then
 * the checksum, the encrypted header copy, and last the sequence number.
 */
import { GssRoutine } from '../ffi/major.js';
import type { UsageKeys } from './enctypes.js';
import { badSig, defective, tokenError } from './failures.js';
import { KeyUsage } from './keys.js';
import type { ContextKeys } from './keys.js';
import type { SeqState } from './seqstate.js';
import { SEQSTATE_BYTES } from './seqstate.js';
import { confounder, copyInto, equalMacAt, hasSignOnly, interleave, rotateLeft } from './token-parts.js';
import type { DataPiece } from './token-parts.js';

const TOK_MIC = 0x0404;
const TOK_WRAP = 0x0504;
/** RFC 4121 §4.2.2 flags. */
const SENT_BY_ACCEPTOR = 0x01;
const SEALED = 0x02;
const ACCEPTOR_SUBKEY = 0x04;
const ZERO_IV = new Uint8Array(16);

export type { DataPiece } from './token-parts.js';

export class Rfc4121Session {
  /** The next sending number's high and low 32-bit halves (BigInt arithmetic allocates). */
  #sendHi: number;
  #sendLo: number;
  readonly #want = new Uint8Array(24);
  readonly #wantViews: Uint8Array[] = [];
  readonly #recv: SeqState;
  readonly #keys: ContextKeys;
  readonly #initiate: boolean;

  constructor(keys: ContextKeys, initiate: boolean, sendSeq: bigint, recv: SeqState) {
    this.#keys = keys;
    this.#initiate = initiate;
    this.#sendHi = Number((sendSeq >> 32n) & 0xffffffffn);
    this.#sendLo = Number(sendSeq & 0xffffffffn);
    this.#recv = recv;
  }

  /** The checksum / encryption-trailer length of the sender's enctype. */
  get macLength(): number {
    return this.#sendKeys(true).profile.macLength;
  }

  /** MIC token length; also the header of an integrity-only wrap in the in-place layout. */
  get signedHeaderLength(): number {
    return 16 + this.macLength;
  }

  /** Header of a sealed wrap in the in-place layout: token header, rotated trailer, confounder. */
  get sealedHeaderLength(): number {
    return 16 + 16 + this.macLength + 16;
  }

  /** The four usages' keys, looked up once (sealing and signing, sending and receiving). */
  readonly #cache: (UsageKeys | undefined)[] = [];

  #sendKeys(seal: boolean): UsageKeys {
    const slot = seal ? 0 : 1;
    return (this.#cache[slot] ??= this.#keys.keys(this.#usage(true, seal), true));
  }

  #recvKeys(seal: boolean, flags: number): UsageKeys {
    const sub = (flags & ACCEPTOR_SUBKEY) !== 0;
    const slot = (seal ? 2 : 3) + (sub ? 2 : 0);
    return (this.#cache[slot] ??= this.#keys.keys(this.#usage(false, seal), sub));
  }

  /** RFC 4121 §2: the usage of a token sent (or received) by this side. */
  #usage(sending: boolean, seal: boolean): number {
    const initiatorSends = this.#initiate === sending;
    if (seal) return initiatorSends ? KeyUsage.INITIATOR_SEAL : KeyUsage.ACCEPTOR_SEAL;
    return initiatorSends ? KeyUsage.INITIATOR_SIGN : KeyUsage.ACCEPTOR_SIGN;
  }

  /** Writes a token header (EC and RRC zero) with the next sequence number, and consumes it. */
  #header(out: Uint8Array, tokId: number, sealed: boolean): void {
    out[0] = tokId >>> 8;
    out[1] = tokId & 0xff;
    out[2] =
      (this.#initiate ? 0 : SENT_BY_ACCEPTOR) |
      (sealed ? SEALED : 0) |
      (this.#keys.haveAcceptorSubkey ? ACCEPTOR_SUBKEY : 0);
    out[3] = 0xff;
    // Byte stores: Buffer#fill's argument checks showed in the 64-byte profile.
    const filler = tokId === TOK_MIC ? 0xff : 0;
    out[4] = filler;
    out[5] = filler;
    out[6] = filler;
    out[7] = filler;
    const hi = this.#sendHi;
    const lo = this.#sendLo;
    out[8] = hi >>> 24;
    out[9] = hi >>> 16;
    out[10] = hi >>> 8;
    out[11] = hi;
    out[12] = lo >>> 24;
    out[13] = lo >>> 16;
    out[14] = lo >>> 8;
    out[15] = lo;
    if (lo === 0xffffffff) {
      this.#sendLo = 0;
      this.#sendHi = (hi + 1) >>> 0;
    } else this.#sendLo = lo + 1;
  }

  /** The first checks of a received token's header; returns its flags. */
  #checkHeader(call: string, hdr: Uint8Array, tokId: number): number {
    if (hdr.length < 16) throw defective(call, 'token shorter than its header');
    const flags = hdr[2]!;
    if ((flags & SENT_BY_ACCEPTOR) !== (this.#initiate ? SENT_BY_ACCEPTOR : 0))
      throw badSig(call, 'token sent in the wrong direction');
    if (((hdr[0]! << 8) | hdr[1]!) !== tokId) throw defective(call, 'wrong token id');
    if (hdr[3] !== 0xff) throw defective(call, 'bad filler');
    return flags;
  }

  #sequence(call: string, hdr: Uint8Array): void {
    const hi = ((hdr[8]! << 24) | (hdr[9]! << 16) | (hdr[10]! << 8) | hdr[11]!) >>> 0;
    const lo = ((hdr[12]! << 24) | (hdr[13]! << 16) | (hdr[14]! << 8) | hdr[15]!) >>> 0;
    const bits = this.#recv.checkParts(hi, lo);
    if (bits !== 0) throw tokenError(call, bits, 'sequence number check');
  }

  /** GetMIC (RFC 4121 §4.2.6.1) over the concatenation of `parts`. */
  getMic(parts: readonly Uint8Array[]): Buffer {
    const k = this.#sendKeys(false);
    const tok = Buffer.allocUnsafe(16 + k.checksum.length);
    this.#header(tok, TOK_MIC, false);
    k.checksum.mac([...parts, tok.subarray(0, 16)], tok, 16);
    return tok;
  }

  /** VerifyMIC; throws the GssError MIT would give (BAD_SIG, DEFECTIVE_TOKEN, sequence bits). */
  verifyMic(parts: readonly Uint8Array[], token: Uint8Array): void {
    const call = 'verify_mic';
    const flags = this.#checkHeader(call, token, TOK_MIC);
    const k = this.#recvKeys(false, flags);
    const L = k.checksum.length;
    if (token.length !== 16 + L) throw badSig(call, 'checksum of the wrong length');
    const want = this.#wantOf(L);
    k.checksum.mac([...parts, token.subarray(0, 16)], want, 0);
    if (!equalMacAt(want, token, 16)) throw badSig(call, 'checksum mismatch');
    this.#sequence(call, token);
  }

  /** Wrap in gss_wrap's form: one token, RRC 0, EC 0 when sealed. */
  wrap(encrypt: boolean, data: Uint8Array): Buffer {
    // Wrap tokens use the SEAL usage with or without confidentiality (MIT k5sealv3.c).
    const k = this.#sendKeys(true);
    const L = k.profile.macLength;
    const dlen = data.length;
    if (!encrypt) {
      const tok = Buffer.allocUnsafe(16 + dlen + L);
      this.#header(tok, TOK_WRAP, false);
      tok.set(data, 16);
      k.checksum.mac([data, tok.subarray(0, 16)], tok, 16 + dlen);
      tok[5] = L;
      return tok;
    }
    const tok = Buffer.allocUnsafe(48 + dlen + L);
    this.#header(tok, TOK_WRAP, true);
    // confounder ‖ data ‖ header copy, written straight into the cipher's input area.
    const n = 32 + dlen;
    const plain = k.cipher.plainBuffer(n);
    confounder(plain, 0);
    plain.set(data, 16);
    for (let i = 0; i < 16; i++) plain[16 + dlen + i] = tok[i]!;
    if (!k.profile.macsCiphertext) k.integrity.macRange(plain, 0, n, tok, 48 + dlen);
    const c = k.cipher.encryptPrepared(plain, n);
    tok.set(c, 16);
    if (k.profile.macsCiphertext) k.integrity.mac([ZERO_IV, c], tok, 48 + dlen);
    return tok;
  }

  /** Unwrap of a whole token (any RRC); returns the message and whether it was sealed. */
  unwrap(token: Uint8Array): { readonly message: Uint8Array; readonly encrypted: boolean } {
    const call = 'unwrap';
    const flags = this.#checkHeader(call, token, TOK_WRAP);
    const ec = (token[4]! << 8) | token[5]!;
    const rrc = (token[6]! << 8) | token[7]!;
    const rotated = token.length > 16 && rrc % (token.length - 16) !== 0;
    const body = rotated ? rotateLeft(token.subarray(16), rrc) : token;
    const at = rotated ? 0 : 16;
    const len = body.length - at;
    if ((flags & SEALED) !== 0) {
      const k = this.#recvKeys(true, flags);
      const L = k.profile.macLength;
      if (len < 32 + ec + L) throw defective(call, 'sealed token too short');
      const c = body.subarray(at, body.length - L);
      const plain = this.#open(call, k, c, body, body.length - L, [], 0, token);
      this.#sequence(call, token);
      return { message: plain.subarray(16, plain.length - ec - 16), encrypted: true };
    }
    const k = this.#recvKeys(true, flags);
    const L = k.checksum.length;
    if (ec !== L || len < L) throw defective(call, 'checksum length');
    const data = body.subarray(at, body.length - L);
    this.#checkSigned(call, k, [data], token, body, body.length - L);
    this.#sequence(call, token);
    return { message: data, encrypted: false };
  }

  /** The MAC scratch of length n. */
  #wantOf(n: number): Uint8Array {
    return (this.#wantViews[n] ??= this.#want.subarray(0, n));
  }

  /**
   * Decrypts and checks sealed data: `c` the ciphertext, the MAC at macBuf[macAt]. Returns the
   * plaintext (confounder ‖ data ‖ filler ‖ header copy) once the MAC and the header copy match.
   */
  #open(
    call: string,
    k: UsageKeys,
    c: Uint8Array,
    macBuf: Uint8Array,
    macAt: number,
    pieces: readonly DataPiece[],
    dlen: number,
    hdr: Uint8Array,
  ): Buffer {
    const L = k.profile.macLength;
    const want = this.#wantOf(L);
    const signOnly = hasSignOnly(pieces);
    let plain: Buffer;
    if (k.profile.macsCiphertext) {
      // Encrypt-then-MAC (RFC 8009 §5): nothing is decrypted before the MAC matches.
      k.integrity.mac(signOnly ? interleave(c, pieces, dlen, [ZERO_IV]) : [ZERO_IV, c], want, 0);
      if (!equalMacAt(want, macBuf, macAt)) throw badSig(call, 'integrity check of the ciphertext failed');
      plain = k.cipher.decrypt(c);
    } else {
      plain = k.cipher.decrypt(c);
      if (signOnly) k.integrity.mac(interleave(plain, pieces, dlen, []), want, 0);
      else k.integrity.macRange(plain, 0, plain.length, want, 0);
      if (!equalMacAt(want, macBuf, macAt)) throw badSig(call, 'integrity check of the plaintext failed');
    }
    // RFC 4121 §4.2.4: the decrypted header copy must match, RRC (bytes 6–7) aside.
    const at = plain.length - 16;
    let differs = false;
    for (let i = 0; i < 16; i++) if (i !== 6 && i !== 7 && plain[at + i] !== hdr[i]) differs = true;
    if (differs) throw tokenError(call, GssRoutine.DEFECTIVE_TOKEN, 'the encrypted header copy differs');
    return plain;
  }

  /** Checks an integrity-only token's checksum (at macBuf[macAt]) over the data and the header. */
  #checkSigned(
    call: string,
    k: UsageKeys,
    data: Uint8Array[],
    hdr: Uint8Array,
    macBuf: Uint8Array,
    macAt: number,
  ): void {
    // The checksum covers the header with EC and RRC zeroed (RFC 4121 §4.2.4).
    const zeroed = Uint8Array.from(hdr.subarray(0, 16));
    zeroed.fill(0, 4, 8);
    const want = this.#wantOf(k.checksum.length);
    k.checksum.mac([...data, zeroed], want, 0);
    if (!equalMacAt(want, macBuf, macAt)) throw badSig(call, 'checksum mismatch');
  }

  /**
   * Wrap in place (EncryptMessage): `header` receives the token header and the rotated trailer
   * (its length must be at least sealedHeaderLength / signedHeaderLength), DATA pieces are
   * encrypted where they lie, SIGN_ONLY pieces only enter the checksum. Returns the header's length.
   */
  wrapInPlace(encrypt: boolean, header: Uint8Array, pieces: readonly DataPiece[]): number {
    const k = this.#sendKeys(true);
    const L = k.profile.macLength;
    const signOnly = hasSignOnly(pieces);
    if (!encrypt) {
      this.#header(header, TOK_WRAP, false);
      k.checksum.mac([...pieces.map((p) => p.data), header.subarray(0, 16)], header, 16);
      header[5] = L;
      header[7] = L;
      return 16 + L;
    }
    let dlen = 0;
    for (const p of pieces) if (!p.signOnly) dlen += p.data.length;
    const n = 32 + dlen;
    const plain = k.cipher.plainBuffer(n);
    confounder(plain, 0);
    let at = 16;
    for (const p of pieces)
      if (!p.signOnly) {
        plain.set(p.data, at);
        at += p.data.length;
      }
    this.#header(header, TOK_WRAP, true);
    for (let i = 0; i < 16; i++) plain[16 + dlen + i] = header[i]!;
    // Trailer rotated into the header (RRC = 16 + L): E(header copy) ‖ MAC, then E(confounder).
    if (!k.profile.macsCiphertext) {
      if (signOnly) k.integrity.mac(interleave(plain.subarray(0, n), pieces, dlen, []), header, 32);
      else k.integrity.macRange(plain, 0, n, header, 32);
    }
    const c = k.cipher.encryptPrepared(plain, n);
    if (k.profile.macsCiphertext)
      k.integrity.mac(signOnly ? interleave(c, pieces, dlen, [ZERO_IV]) : [ZERO_IV, c], header, 32);
    for (let i = 0; i < 16; i++) {
      header[16 + i] = c[16 + dlen + i]!;
      header[32 + L + i] = c[i]!;
    }
    at = 16;
    for (const p of pieces)
      if (!p.signOnly) {
        copyInto(p.data, c, at);
        at += p.data.length;
      }
    header[7] = 16 + L;
    return 48 + L;
  }

  /** Unwrap in place (DecryptMessage with TOKEN + DATA); returns whether the token was sealed. */
  unwrapInPlace(header: Uint8Array, pieces: readonly DataPiece[]): boolean {
    const call = 'unwrap_iov';
    const flags = this.#checkHeader(call, header, TOK_WRAP);
    const ec = (header[4]! << 8) | header[5]!;
    const rrc = (header[6]! << 8) | header[7]!;
    if ((flags & SEALED) === 0) {
      const k = this.#recvKeys(true, flags);
      const L = k.checksum.length;
      // Exactly the header and its checksum: bytes past them would pass unchecked (MIT refuses them too).
      if (ec !== L || rrc !== L || header.length !== 16 + L) throw defective(call, 'checksum length or RRC');
      this.#checkSigned(
        call,
        k,
        pieces.map((p) => p.data),
        header,
        header,
        16,
      );
      this.#sequence(call, header);
      return false;
    }
    const k = this.#recvKeys(true, flags);
    const L = k.profile.macLength;
    if (rrc !== ec + 16 + L) throw defective(call, 'RRC does not match the trailer');
    if (header.length !== 32 + rrc) throw defective(call, 'header not the length of its trailer and confounder');
    let dlen = 0;
    for (const p of pieces) if (!p.signOnly) dlen += p.data.length;
    // Undo the rotation: E(confounder) ‖ E(data) ‖ E(filler ‖ header copy), then the MAC.
    const c = k.cipher.cipherBuffer(32 + dlen + ec);
    for (let i = 0; i < 16; i++) c[i] = header[16 + rrc + i]!;
    let at = 16;
    for (const p of pieces)
      if (!p.signOnly) {
        c.set(p.data, at);
        at += p.data.length;
      }
    for (let i = 0; i < 16 + ec; i++) c[16 + dlen + i] = header[16 + i]!;
    const plain = this.#open(call, k, c, header, 32 + ec, pieces, dlen, header);
    this.#sequence(call, header);
    at = 16;
    for (const p of pieces)
      if (!p.signOnly) {
        copyInto(p.data, plain, at);
        at += p.data.length;
      }
    return true;
  }

  /** Send number and receive window, for ExportSecurityContext. */
  saveState(): Buffer {
    const out = Buffer.alloc(8 + SEQSTATE_BYTES);
    out.writeUInt32BE(this.#sendHi, 0);
    out.writeUInt32BE(this.#sendLo, 4);
    this.#recv.save(out, 8);
    return out;
  }

  wipe(): void {
    this.#cache.length = 0;
    this.#keys.wipe();
  }
}
