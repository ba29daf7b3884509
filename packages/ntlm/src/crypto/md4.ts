/**
 * MD4 (RFC 1320), written by hand because Node 20's OpenSSL 3 default provider does not offer it
 * and the npm candidates are unmaintained. NTLM only hashes short inputs (passwords), so a plain
 * single-shot implementation is enough.
 */

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/** MD4 digest of `data` (16 bytes). */
export function md4(data: Uint8Array): Uint8Array {
  const bitLen = data.length * 8;
  // Pad with 0x80, zeros to 56 mod 64, then the 64-bit little-endian bit length.
  const padded = new Uint8Array(((data.length + 8) >>> 6) * 64 + 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, bitLen >>> 0, true);
  view.setUint32(padded.length - 4, Math.floor(bitLen / 0x1_0000_0000), true);

  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  const x = new Uint32Array(16);

  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) x[i] = view.getUint32(off + i * 4, true);
    const aa = a;
    const bb = b;
    const cc = c;
    const dd = d;
    const w = (i: number): number => x[i] ?? 0;

    // Round 1: F(x,y,z) = (x & y) | (~x & z)
    for (const k of [0, 4, 8, 12]) {
      a = rotl((a + ((b & c) | (~b & d)) + w(k)) | 0, 3);
      d = rotl((d + ((a & b) | (~a & c)) + w(k + 1)) | 0, 7);
      c = rotl((c + ((d & a) | (~d & b)) + w(k + 2)) | 0, 11);
      b = rotl((b + ((c & d) | (~c & a)) + w(k + 3)) | 0, 19);
    }
    // Round 2: G(x,y,z) = majority, constant 0x5a827999
    for (const k of [0, 1, 2, 3]) {
      a = rotl((a + ((b & c) | (b & d) | (c & d)) + w(k) + 0x5a827999) | 0, 3);
      d = rotl((d + ((a & b) | (a & c) | (b & c)) + w(k + 4) + 0x5a827999) | 0, 5);
      c = rotl((c + ((d & a) | (d & b) | (a & b)) + w(k + 8) + 0x5a827999) | 0, 9);
      b = rotl((b + ((c & d) | (c & a) | (d & a)) + w(k + 12) + 0x5a827999) | 0, 13);
    }
    // Round 3: H(x,y,z) = x ^ y ^ z, constant 0x6ed9eba1
    for (const k of [0, 2, 1, 3]) {
      a = rotl((a + (b ^ c ^ d) + w(k) + 0x6ed9eba1) | 0, 3);
      d = rotl((d + (a ^ b ^ c) + w(k + 8) + 0x6ed9eba1) | 0, 9);
      c = rotl((c + (d ^ a ^ b) + w(k + 4) + 0x6ed9eba1) | 0, 11);
      b = rotl((b + (c ^ d ^ a) + w(k + 12) + 0x6ed9eba1) | 0, 15);
    }
    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }

  const out = new Uint8Array(16);
  const ov = new DataView(out.buffer);
  ov.setUint32(0, a >>> 0, true);
  ov.setUint32(4, b >>> 0, true);
  ov.setUint32(8, c >>> 0, true);
  ov.setUint32(12, d >>> 0, true);
  padded.fill(0);
  x.fill(0);
  return out;
}
