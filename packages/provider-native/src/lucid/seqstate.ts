/**
 * Receive-side replay and ordering checks for RFC 4121 sequence numbers (RFC 4121 §4.2.6.1 leaves
 * the policy to the implementation). The rules are MIT's (util_seqstate.c), so that a context
 * answers the same whether the library or sspkit unwraps: numbers are taken relative to the peer's
 * initial one; a number at or past the expected one is accepted (a skip reports a gap when
 * sequencing was requested); an older one is looked up in a 64-number window (duplicate, or out of
 * order when sequencing); older than the window is "old" (or "unseq" when sequencing).
 *
 * The 64-bit quantities are kept as pairs of 32-bit numbers: this runs on every unwrap, and BigInt
 * arithmetic allocates (it showed in the 64-byte profile as garbage-collection time).
 */
import { GssSupplementary } from '../ffi/major.js';

const TWO32 = 0x100000000;

/** The exported form's size: base, next, recvmap (8 bytes each, big-endian), flags. */
export const SEQSTATE_BYTES = 25;

export class SeqState {
  #baseHi: number;
  #baseLo: number;
  #nextHi = 0;
  #nextLo = 0;
  /** Bit i set: number next-1-i (relative) was seen. */
  #mapHi = 0;
  #mapLo = 0;

  constructor(
    base: bigint,
    readonly replay: boolean,
    readonly sequence: boolean,
  ) {
    this.#baseHi = Number((base >> 32n) & 0xffffffffn);
    this.#baseLo = Number(base & 0xffffffffn);
  }

  /** Records `seq` and returns the GSS supplementary bits it raises (0 when in order). */
  check(seq: bigint): number {
    return this.checkParts(Number((seq >> 32n) & 0xffffffffn), Number(seq & 0xffffffffn));
  }

  /** `check` for a number given as its high and low 32-bit halves. */
  checkParts(hi: number, lo: number): number {
    if (!this.replay && !this.sequence) return 0;
    // rel = seq - base (mod 2^64)
    let relLo = lo - this.#baseLo;
    let relHi = hi - this.#baseHi - (relLo < 0 ? 1 : 0);
    relLo = relLo < 0 ? relLo + TWO32 : relLo;
    relHi = relHi < 0 ? relHi + TWO32 : relHi;
    const nHi = this.#nextHi;
    const nLo = this.#nextLo;
    if (relHi > nHi || (relHi === nHi && relLo >= nLo)) {
      const offset = relHi - nHi > 1 ? Infinity : (relHi - nHi) * TWO32 + relLo - nLo;
      this.#shift(offset + 1);
      this.#mapLo = (this.#mapLo | 1) >>> 0;
      // next = rel + 1 (mod 2^64)
      if (relLo === TWO32 - 1) {
        this.#nextLo = 0;
        this.#nextHi = relHi === TWO32 - 1 ? 0 : relHi + 1;
      } else {
        this.#nextLo = relLo + 1;
        this.#nextHi = relHi;
      }
      return offset > 0 && this.sequence ? GssSupplementary.GAP_TOKEN : 0;
    }
    const offset = nHi - relHi > 1 ? Infinity : (nHi - relHi) * TWO32 + nLo - relLo;
    if (offset > 64) return this.sequence ? GssSupplementary.UNSEQ_TOKEN : GssSupplementary.OLD_TOKEN;
    const j = offset - 1;
    const seen = j < 32 ? (this.#mapLo >>> j) & 1 : (this.#mapHi >>> (j - 32)) & 1;
    if (this.replay && seen !== 0) return GssSupplementary.DUPLICATE_TOKEN;
    if (j < 32) this.#mapLo = (this.#mapLo | (1 << j)) >>> 0;
    else this.#mapHi = (this.#mapHi | (1 << (j - 32))) >>> 0;
    return this.sequence ? GssSupplementary.UNSEQ_TOKEN : 0;
  }

  /** The 64-bit window shifted left by k ≥ 1 bits. */
  #shift(k: number): void {
    if (k >= 64) {
      this.#mapHi = 0;
      this.#mapLo = 0;
    } else if (k >= 32) {
      this.#mapHi = (this.#mapLo << (k - 32)) >>> 0;
      this.#mapLo = 0;
    } else {
      this.#mapHi = ((this.#mapHi << k) | (this.#mapLo >>> (32 - k))) >>> 0;
      this.#mapLo = (this.#mapLo << k) >>> 0;
    }
  }

  /** The state as bytes (for ExportSecurityContext). */
  save(out: Buffer, at: number): void {
    out.writeUInt32BE(this.#baseHi, at);
    out.writeUInt32BE(this.#baseLo, at + 4);
    out.writeUInt32BE(this.#nextHi, at + 8);
    out.writeUInt32BE(this.#nextLo, at + 12);
    out.writeUInt32BE(this.#mapHi, at + 16);
    out.writeUInt32BE(this.#mapLo, at + 20);
    out[at + 24] = (this.replay ? 1 : 0) | (this.sequence ? 2 : 0);
  }

  /** A state saved by `save`. */
  static load(buf: Uint8Array, at: number): SeqState {
    const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    const flags = b[at + 24] ?? 0;
    const s = new SeqState(b.readBigUInt64BE(at), (flags & 1) !== 0, (flags & 2) !== 0);
    s.#nextHi = b.readUInt32BE(at + 8);
    s.#nextLo = b.readUInt32BE(at + 12);
    s.#mapHi = b.readUInt32BE(at + 16);
    s.#mapLo = b.readUInt32BE(at + 20);
    return s;
  }
}
