/**
 * Deterministic byte mutations of corpus entries (the classic fuzzer set: bit flips, byte
 * insert/delete/duplicate, truncation, splicing, length-field corruption), driven by a seeded PRNG
 * so a run is reproduced by its seed.
 */

/** mulberry32: small, fast and seedable; the quality a mutation schedule needs, not a crypto RNG. */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  u32(): number {
    this.#s = (this.#s + 0x6d2b79f5) >>> 0;
    let t = this.#s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  below(n: number): number {
    return n <= 0 ? 0 : this.u32() % n;
  }
  chance(p: number): boolean {
    return this.u32() / 0x100000000 < p;
  }
}

/** Values that break length and offset arithmetic: zero, one, sign edges, all-ones, near the end. */
const INTERESTING = [
  0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
];

function writeUint(out: Uint8Array, at: number, width: number, value: number, littleEndian: boolean): void {
  for (let i = 0; i < width && at + i < out.length; i++) {
    const shift = littleEndian ? i * 8 : (width - 1 - i) * 8;
    out[at + i] = Math.floor(value / 2 ** shift) & 0xff;
  }
}

type Mutator = (b: Uint8Array, rng: Rng, other: Uint8Array) => Uint8Array;

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const MUTATORS: readonly Mutator[] = [
  // bit flip
  (b, rng) => {
    if (b.length === 0) return b;
    const out = b.slice();
    const i = rng.below(out.length);
    out[i] = (out[i] ?? 0) ^ (1 << rng.below(8));
    return out;
  },
  // random byte
  (b, rng) => {
    if (b.length === 0) return b;
    const out = b.slice();
    out[rng.below(out.length)] = rng.below(256);
    return out;
  },
  // insert random bytes
  (b, rng) => {
    const at = rng.below(b.length + 1);
    const ins = Uint8Array.from({ length: 1 + rng.below(16) }, () => rng.below(256));
    return concat(b.subarray(0, at), ins, b.subarray(at));
  },
  // delete a range
  (b, rng) => {
    if (b.length === 0) return b;
    const at = rng.below(b.length);
    const n = 1 + rng.below(Math.min(32, b.length - at));
    return concat(b.subarray(0, at), b.subarray(at + n));
  },
  // duplicate a range
  (b, rng) => {
    if (b.length === 0) return b;
    const at = rng.below(b.length);
    const n = 1 + rng.below(Math.min(64, b.length - at));
    return concat(b.subarray(0, at + n), b.subarray(at, at + n), b.subarray(at + n));
  },
  // truncate
  (b, rng) => b.subarray(0, rng.below(b.length + 1)).slice(),
  // splice: a prefix of this entry, a suffix of another
  (b, rng, other) => concat(b.subarray(0, rng.below(b.length + 1)), other.subarray(rng.below(other.length + 1))),
  // length-field corruption: an interesting 8/16/32-bit value, either endianness (NTLM and NDR are
  // little-endian, DER lengths big-endian)
  (b, rng) => {
    if (b.length === 0) return b;
    const out = b.slice();
    const width = [1, 2, 4][rng.below(3)] ?? 2;
    const pick = rng.below(INTERESTING.length + 2);
    const value = INTERESTING[pick] ?? (pick === INTERESTING.length ? b.length + 1 : Math.max(0, b.length - 1));
    writeUint(out, rng.below(out.length), width, value, rng.chance(0.6));
    return out;
  },
];

/** One to four stacked mutations of `input`; `pool` supplies the splice partner. */
export function mutate(input: Uint8Array, rng: Rng, pool: readonly Uint8Array[]): Uint8Array {
  let out = input;
  const rounds = 1 + rng.below(4);
  for (let i = 0; i < rounds; i++) {
    const other = pool[rng.below(pool.length)] ?? input;
    out = MUTATORS[rng.below(MUTATORS.length)]!(out, rng, other);
  }
  return out;
}
