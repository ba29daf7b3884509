/**
 * n-fold (RFC 3961 §5.1): the input repeated to the least common multiple of the two lengths, each
 * repetition rotated right by 13 more bits, then added in output-sized chunks with end-around carry
 * (ones'-complement addition). Used only to stretch the five-byte key-usage constants when keys are
 * derived, so a BigInt formulation is clear and fast enough.
 */

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function toBig(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** The n-fold of `input` to `outBytes` bytes. */
export function nfold(input: Uint8Array, outBytes: number): Uint8Array {
  const inBytes = input.length;
  if (inBytes === 0 || outBytes === 0) throw new RangeError('n-fold of nothing');
  const lcm = (inBytes * outBytes) / gcd(inBytes, outBytes);
  const inBits = BigInt(inBytes * 8);
  const inMask = (1n << inBits) - 1n;
  const x = toBig(input);
  let long = 0n;
  for (let j = 0; j < lcm / inBytes; j++) {
    const r = BigInt((13 * j) % (inBytes * 8));
    const rotated = ((x >> r) | (x << (inBits - r))) & inMask;
    long = (long << inBits) | rotated;
  }
  const outBits = BigInt(outBytes * 8);
  const outMask = (1n << outBits) - 1n;
  let sum = 0n;
  for (let k = 0; k < lcm / outBytes; k++) {
    sum += (long >> (BigInt(k) * outBits)) & outMask;
    while (sum > outMask) sum = (sum & outMask) + (sum >> outBits);
  }
  const out = new Uint8Array(outBytes);
  for (let i = outBytes - 1; i >= 0; i--) {
    out[i] = Number(sum & 0xffn);
    sum >>= 8n;
  }
  return out;
}
