/**
 * Byte-level helpers of the RFC 4121 token code (session.ts): confounders, MAC comparison, RRC
 * rotation, and the MAC input when SIGN_ONLY buffers sit between encrypted ones.
 */
import { randomFillSync } from 'node:crypto';

/** A DATA buffer of the message: encrypted (or signed) in place, or only signed (SIGN_ONLY). */
export interface DataPiece {
  readonly data: Uint8Array;
  readonly signOnly: boolean;
}

// Confounders come from a pooled CSPRNG draw: one randomFillSync per 256 messages, not per message.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
export function confounder(out: Uint8Array, at: number): void {
  if (poolAt + 16 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  for (let i = 0; i < 16; i++) {
    out[at + i] = pool[poolAt + i]!;
    pool[poolAt + i] = 0;
  }
  poolAt += 16;
}

/**
 * Constant-time comparison: every byte is looked at whatever differs (a native timingSafeEqual
 * call cost ~0.2 µs, 5 % of a 64-byte wrap and unwrap, for 12 to 24 bytes).
 */
export function equalMacAt(want: Uint8Array, buf: Uint8Array, at: number): boolean {
  if (at < 0 || at + want.length > buf.length) return false;
  let diff = 0;
  for (let i = 0; i < want.length; i++) diff |= want[i]! ^ buf[at + i]!;
  return diff === 0;
}

export function rotateLeft(body: Uint8Array, by: number): Uint8Array {
  const n = by % body.length;
  if (n === 0) return body;
  const out = new Uint8Array(body.length);
  out.set(body.subarray(n), 0);
  out.set(body.subarray(0, n), body.length - n);
  return out;
}

/** The MAC's input for encrypted data: the stream's pieces, with SIGN_ONLY buffers in their places. */
export function interleave(
  stream: Uint8Array,
  pieces: readonly DataPiece[],
  dlen: number,
  lead: Uint8Array[],
): Uint8Array[] {
  const parts = [...lead, stream.subarray(0, 16)];
  let at = 16;
  for (const p of pieces) {
    if (p.signOnly) parts.push(p.data);
    else {
      parts.push(stream.subarray(at, at + p.data.length));
      at += p.data.length;
    }
  }
  parts.push(stream.subarray(16 + dlen));
  return parts;
}

export function hasSignOnly(pieces: readonly DataPiece[]): boolean {
  for (const p of pieces) if (p.signOnly) return true;
  return false;
}

/** dst ← src[at, at + dst.length): a byte loop for short pieces (no view), set() for long ones. */
export function copyInto(dst: Uint8Array, src: Uint8Array, at: number): void {
  const n = dst.length;
  if (n > 256) dst.set(src.subarray(at, at + n), 0);
  else for (let i = 0; i < n; i++) dst[i] = src[at + i]!;
}
