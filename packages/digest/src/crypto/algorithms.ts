/**
 * The Digest algorithm table (RFC 7616 §3.3 and its IANA registry, plus RFC 2617's MD5 / MD5-sess):
 * defined once, looked up case-insensitively, unknown names rejected by the caller.
 */

/** One Digest algorithm: the hash it uses and whether HA1 is re-keyed per session (`-sess`). */
export interface DigestAlgorithm {
  /** Name as it is written on the wire. */
  readonly name: DigestAlgorithmName;
  /** Name of the hash for `node:crypto`. */
  readonly hash: 'md5' | 'sha256' | 'sha512-256';
  /** `-sess` variant: HA1 = H(H(user:realm:pass):nonce:cnonce). */
  readonly session: boolean;
  /** Length of a hex digest, used to reject malformed responses early. */
  readonly hexLength: number;
  /** Name of the same algorithm without `-sess`, which is what a stored HA1 is keyed by. */
  readonly base: 'MD5' | 'SHA-256' | 'SHA-512-256';
}

/** Every algorithm name the package understands. */
export type DigestAlgorithmName = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256' | 'SHA-512-256-sess';

/** The table, in the order a server lists them in its challenges (strongest first). */
export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = [
  { name: 'SHA-512-256', hash: 'sha512-256', session: false, hexLength: 64, base: 'SHA-512-256' },
  { name: 'SHA-512-256-sess', hash: 'sha512-256', session: true, hexLength: 64, base: 'SHA-512-256' },
  { name: 'SHA-256', hash: 'sha256', session: false, hexLength: 64, base: 'SHA-256' },
  { name: 'SHA-256-sess', hash: 'sha256', session: true, hexLength: 64, base: 'SHA-256' },
  { name: 'MD5', hash: 'md5', session: false, hexLength: 32, base: 'MD5' },
  { name: 'MD5-sess', hash: 'md5', session: true, hexLength: 32, base: 'MD5' },
];

/** Finds an algorithm by its wire name, ignoring case (RFC 7616 §3.3: tokens are case-insensitive). */
export function lookupAlgorithm(name: string): DigestAlgorithm | undefined {
  const lower = name.toLowerCase();
  return DIGEST_ALGORITHMS.find((a) => a.name.toLowerCase() === lower);
}

/** The algorithm a message implies when it names none (RFC 7616 §3.3: MD5). */
export const DEFAULT_ALGORITHM: DigestAlgorithm = DIGEST_ALGORITHMS[4] as DigestAlgorithm;
