/**
 * The byte helpers every security package needs for its secrets: zeroing, joining, and comparing
 * without a timing side channel. They live in the contract package because every package already
 * depends on it and each was written two or three times before.
 */
import { Buffer } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';

/**
 * Overwrites each given byte array with zeros (what FreeContextBuffer does to secret-bearing
 * output). Anything that is not a Uint8Array (an absent key, a caller's bad argument) is skipped.
 */
export function wipe(...buffers: unknown[]): void {
  for (const b of buffers) if (b instanceof Uint8Array) b.fill(0);
}

/** The byte arrays joined into a new one. */
export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Whether two MACs, digests or keys are equal, in a time that does not depend on where they differ
 * (node:crypto's timingSafeEqual). Strings compare as their UTF-8 bytes (Digest's hex digests).
 * Different lengths compare unequal; the length is not secret (the algorithm fixes it), but the
 * comparison still runs so the time stays flat.
 */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const x = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
  const y = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}
