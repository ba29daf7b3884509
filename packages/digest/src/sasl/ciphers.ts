/** The SASL DIGEST-MD5 ciphers (RFC 2831 §2.1.1 `cipher-opts`), strongest first. */

/** A cipher name as negotiated on the wire. */
export type SaslCipher = '3des' | 'rc4' | 'des' | 'rc4-56' | 'rc4-40';

/** Every cipher the package implements, in preference order. */
export const SASL_CIPHERS: readonly SaslCipher[] = ['3des', 'rc4', 'des', 'rc4-56', 'rc4-40'];

/**
 * The default on both sides: the only DIGEST-MD5 ciphers whose keys cannot be brute-forced (3des:
 * two-key triple DES, 112 bits; rc4: 128 bits). `des` (56), `rc4-56` and `rc4-40` are export-grade
 * (RFC 2831 §2.1.2 names their key sizes; RFC 6331 §2 lists their weakness among the reasons the
 * mechanism is historic) and are offered or accepted only when an application lists them.
 */
export const STRONG_SASL_CIPHERS: readonly SaslCipher[] = ['3des', 'rc4'];

/** Key length n of RFC 2831 §2.4 (how many octets of H(A1) feed Kcc/Kcs). */
export function cipherKeySeedLength(cipher: SaslCipher): number {
  if (cipher === 'rc4-40') return 5;
  if (cipher === 'rc4-56') return 7;
  return 16;
}

/** Cipher block size (1 for the stream cipher). */
export function cipherBlockSize(cipher: SaslCipher): number {
  return cipher === 'des' || cipher === '3des' ? 8 : 1;
}

/** Whether a name is one of {@link SASL_CIPHERS}. */
export function isSaslCipher(name: string): name is SaslCipher {
  return (SASL_CIPHERS as readonly string[]).includes(name);
}
