/** Milliseconds between 1601-01-01 and 1970-01-01 (FILETIME epoch vs Unix epoch). */
const EPOCH_DELTA_MS = 11_644_473_600_000n;

/** A Unix time in milliseconds as an 8-byte little-endian FILETIME (100 ns ticks since 1601). */
export function fileTime(unixMs: number): Uint8Array {
  const ticks = (BigInt(Math.floor(unixMs)) + EPOCH_DELTA_MS) * 10_000n;
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, ticks, true);
  return b;
}
