/**
 * RC4 (ARCFOUR), written by hand because Node's OpenSSL 3 default provider no longer offers it and
 * loading the legacy provider is a process-wide switch an embedding application may not allow. RC4 is
 * needed only for SASL DIGEST-MD5 `cipher=rc4|rc4-40|rc4-56` (RFC 2831 §2.4); tested against RFC 6229.
 * The state is kept between calls because RFC 2831 runs one keystream over the whole session.
 */
export class Rc4 {
  readonly #s = new Uint8Array(256);
  #i = 0;
  #j = 0;

  constructor(key: Uint8Array) {
    if (key.length === 0 || key.length > 256) throw new RangeError('RC4 key must be 1..256 octets');
    const s = this.#s;
    for (let i = 0; i < 256; i++) s[i] = i;
    let j = 0;
    for (let i = 0; i < 256; i++) {
      const si = s[i] as number;
      j = (j + si + (key[i % key.length] as number)) & 0xff;
      s[i] = s[j] as number;
      s[j] = si;
    }
  }

  /** Encrypts or decrypts (the same operation), advancing the keystream. */
  update(data: Uint8Array): Uint8Array {
    const s = this.#s;
    const out = new Uint8Array(data.length);
    let i = this.#i;
    let j = this.#j;
    for (let k = 0; k < data.length; k++) {
      i = (i + 1) & 0xff;
      const si = s[i] as number;
      j = (j + si) & 0xff;
      const sj = s[j] as number;
      s[i] = sj;
      s[j] = si;
      out[k] = (data[k] as number) ^ (s[(si + sj) & 0xff] as number);
    }
    this.#i = i;
    this.#j = j;
    return out;
  }
}
