/**
 * RC4 (ARCFOUR), written by hand: OpenSSL 3 moved it to the legacy provider, and loading that provider
 * is a process-wide switch an embedding application may not allow. The state is kept between calls:
 * NTLM sealing runs one keystream per direction (MS-NLMP §3.4.3), SASL DIGEST-MD5 one per session
 * (RFC 2831 §2.4). Tested against RFC 6229.
 */
export class Rc4 {
  readonly #s = new Uint8Array(256);
  #i = 0;
  #j = 0;

  constructor(key: Uint8Array) {
    if (key.length === 0 || key.length > 256) throw new RangeError('RC4 key must be 1..256 bytes');
    const s = this.#s;
    for (let i = 0; i < 256; i++) s[i] = i;
    let j = 0;
    for (let i = 0; i < 256; i++) {
      const si = s[i] ?? 0;
      j = (j + si + (key[i % key.length] ?? 0)) & 0xff;
      s[i] = s[j] ?? 0;
      s[j] = si;
    }
  }

  /** Encrypts or decrypts `data` (same operation), advancing the keystream. Returns a new array. */
  update(data: Uint8Array): Uint8Array {
    const out = new Uint8Array(data.length);
    const s = this.#s;
    let i = this.#i;
    let j = this.#j;
    for (let n = 0; n < data.length; n++) {
      i = (i + 1) & 0xff;
      const si = s[i] ?? 0;
      j = (j + si) & 0xff;
      const sj = s[j] ?? 0;
      s[i] = sj;
      s[j] = si;
      out[n] = (data[n] ?? 0) ^ (s[(si + sj) & 0xff] ?? 0);
    }
    this.#i = i;
    this.#j = j;
    return out;
  }

  /** Overwrites the key schedule so the key cannot be recovered from memory. */
  wipe(): void {
    this.#s.fill(0);
    this.#i = 0;
    this.#j = 0;
  }
}

/** One-shot RC4 of `data` under `key` (MS-NLMP §6 calls it RC4K); the key schedule is wiped after. */
export function rc4Once(key: Uint8Array, data: Uint8Array): Uint8Array {
  const c = new Rc4(key);
  const out = c.update(data);
  c.wipe();
  return out;
}
