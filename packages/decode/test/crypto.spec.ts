import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ctsDecrypt, decrypt, nfold } from '../src/kerberos/crypto.js';

const h = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const t = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

describe('n-fold (RFC 3961 Appendix A.1 vectors)', () => {
  it.each([
    ['012345', 64, 'be072631276b1955'],
    ['password', 56, '78a07b6caf85fa'],
    ['Rough Consensus, and Running Code', 64, 'bb6ed30870b7f0e0'],
    ['password', 168, '59e4a8ca7c0385c3c37b3f6d2000247cb6e6bd5b3e'],
    ['MASSACHVSETTS INSTITVTE OF TECHNOLOGY', 192, 'db3b0d8f0b061e603282b308a50841229ad798fab9540c1b'],
    ['Q', 168, '518a54a215a8452a518a54a215a8452a518a54a215'],
    ['ba', 168, 'fb25d531ae8974499f52fd92ea9857c4ba24cf297e'],
    ['kerberos', 64, '6b65726265726f73'],
    ['kerberos', 128, '6b65726265726f737b9b5b2b93132b93'],
    ['kerberos', 168, '8372c236344e5f1550cd0747e15d62ca7a5a3bcea4'],
    ['kerberos', 256, '6b65726265726f737b9b5b2b93132b935c9bdcdad95c9899c4cae4dee6d6cae4'],
  ])('%s folded to %i bits', (input, bits, expected) => {
    expect(Buffer.from(nfold(t(input), bits / 8)).toString('hex')).toBe(expected);
  });
});

describe('AES-CBC-CTS (RFC 3962 Appendix B vectors, key "chicken teriyaki", IV 0)', () => {
  const key = t('chicken teriyaki');
  it.each([
    ['4920776f756c64206c696b652074686520', 'c6353568f2bf8cb4d8a580362da7ff7f97'],
    [
      '4920776f756c64206c696b65207468652047656e6572616c20476175277320',
      'fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5',
    ],
    [
      '4920776f756c64206c696b65207468652047656e6572616c2047617527732043',
      '39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25ecfe584',
    ],
    [
      '4920776f756c64206c696b65207468652047656e6572616c20476175277320436869636b656e2c20706c656173652c',
      '97687268d6ecccc0c07b25e25ecfe584b3fffd940c16a18c1b5549d2f838029e39312523a78662d5be7fcbcc98ebf5',
    ],
  ])('decrypts %s', (plain, cipher) => {
    expect(Buffer.from(ctsDecrypt(key, h(cipher)) ?? []).toString('hex')).toBe(plain);
  });

  it('agrees with plain CBC where no stealing happens (one block)', () => {
    const block = h('00112233445566778899aabbccddeeff');
    const c = createCipheriv('aes-128-cbc', key, new Uint8Array(16)).setAutoPadding(false).update(block);
    expect(Buffer.from(ctsDecrypt(key, c) ?? []).toString('hex')).toBe('00112233445566778899aabbccddeeff');
  });
});

describe('EncryptedData decryption', () => {
  // RFC 8009 Appendix A, "Sample results for encryption", aes128-cts-hmac-sha256-128, key usage 2,
  // empty plaintext; and aes256-cts-hmac-sha384-192 with a 6-byte plaintext.
  it('aes128-cts-hmac-sha256-128 (RFC 8009 Appendix A)', () => {
    const key = h('3705d96080c17728a0e800eab6e0d23c');
    const cipher = h('ef85fb890bb8472f4dab20394dca781dad877eda39d50c870c0d5a0a8e48c718');
    const r = decrypt(19, key, 2, cipher);
    expect(r.ok && r.plain.length).toBe(0);
  });

  it('aes256-cts-hmac-sha384-192 (RFC 8009 Appendix A)', () => {
    const key = h('6d404d37faf79f9df0d33568d320669800eb4836472ea8a026d16b7182460c52');
    const cipher = h(
      '40013e2df58e8751957d2878bcd2d6fe101ccfd556cb1eae79db3c3ee86429f2b2a602ac86fef6ecb647d6295fae077a1feb517508d2c16b4192e01f62',
    );
    const r = decrypt(20, key, 2, cipher);
    expect(r.ok && Buffer.from(r.plain).toString('hex')).toBe('000102030405060708090a0b0c0d0e0f1011121314');
  });

  it('refuses a flipped bit, a wrong key size and an unknown etype, without throwing', () => {
    const key = h('3705d96080c17728a0e800eab6e0d23c');
    const cipher = h('ef85fb890bb8472f4dab20394dca781dad877eda39d50c870c0d5a0a8e48c718');
    cipher[3] = (cipher[3] ?? 0) ^ 1;
    expect(decrypt(19, key, 2, cipher).ok).toBe(false);
    expect(decrypt(18, key, 2, cipher)).toMatchObject({ ok: false, reason: expect.stringMatching(/key/) });
    expect(decrypt(3, key, 2, cipher)).toMatchObject({ ok: false, reason: expect.stringMatching(/not supported/) });
    expect(decrypt(17, key, 2, new Uint8Array(5)).ok).toBe(false);
    expect(decrypt(23, key, 2, new Uint8Array(5)).ok).toBe(false);
  });
});
