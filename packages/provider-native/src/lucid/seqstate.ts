/**
 * Receive-side replay and ordering checks for RFC 4121 sequence numbers (RFC 4121 §4.2.6.1 leaves
 * the policy to the implementation). The rules are MIT's (util_seqstate.c), so that a context
 * answers the same whether the library or sspkit unwraps: numbers are taken relative to the peer's
 * initial one; a number at or past the expected one is accepted (a skip reports a gap when
 * sequencing was requested); an older one is looked up in a 64-number window (duplicate, or out of
 * order when sequencing); older than the window is "old" (or "unseq" when sequencing).
 */
import { GssSupplementary } from '../ffi/major.js';

const MASK64 = (1n << 64n) - 1n;

/** The exported form's size: base, next, recvmap, flags. */
export const SEQSTATE_BYTES = 25;

export class SeqState {
  #base: bigint;
  #next = 0n;
  #recvmap = 0n;

  constructor(
    base: bigint,
    readonly replay: boolean,
    readonly sequence: boolean,
  ) {
    this.#base = base & MASK64;
  }

  /** Records `seq` and returns the GSS supplementary bits it raises (0 when in order). */
  check(seq: bigint): number {
    if (!this.replay && !this.sequence) return 0;
    const rel = (seq - this.#base) & MASK64;
    if (rel >= this.#next) {
      const offset = rel - this.#next;
      this.#recvmap = offset >= 63n ? 1n : ((this.#recvmap << (offset + 1n)) | 1n) & MASK64;
      this.#next = (rel + 1n) & MASK64;
      return offset > 0n && this.sequence ? GssSupplementary.GAP_TOKEN : 0;
    }
    const offset = this.#next - rel;
    if (offset > 64n) return this.sequence ? GssSupplementary.UNSEQ_TOKEN : GssSupplementary.OLD_TOKEN;
    const bit = 1n << (offset - 1n);
    if (this.replay && (this.#recvmap & bit) !== 0n) return GssSupplementary.DUPLICATE_TOKEN;
    this.#recvmap |= bit;
    return this.sequence ? GssSupplementary.UNSEQ_TOKEN : 0;
  }

  /** The state as bytes (for ExportSecurityContext). */
  save(out: Buffer, at: number): void {
    out.writeBigUInt64BE(this.#base, at);
    out.writeBigUInt64BE(this.#next, at + 8);
    out.writeBigUInt64BE(this.#recvmap, at + 16);
    out[at + 24] = (this.replay ? 1 : 0) | (this.sequence ? 2 : 0);
  }

  /** A state saved by `save`. */
  static load(buf: Uint8Array, at: number): SeqState {
    const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    const flags = b[at + 24] ?? 0;
    const s = new SeqState(b.readBigUInt64BE(at), (flags & 1) !== 0, (flags & 2) !== 0);
    s.#next = b.readBigUInt64BE(at + 8);
    s.#recvmap = b.readBigUInt64BE(at + 16);
    return s;
  }
}
