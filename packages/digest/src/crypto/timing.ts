/** Constant-time comparison for digests and MACs. */
import { Buffer } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';

/** Compares two byte strings or byte arrays without leaking where they differ. */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const x = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
  const y = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
  // Length is not secret (it follows from the algorithm); compare anyway so timing stays flat.
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}
