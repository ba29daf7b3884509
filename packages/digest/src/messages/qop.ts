/** Quality-of-protection values (RFC 7616 §3.3, RFC 2831 §2.1.1). */

/** The qop values HTTP Digest defines. */
export type HttpQop = 'auth' | 'auth-int';

/** The qop values SASL DIGEST-MD5 defines. */
export type SaslQop = 'auth' | 'auth-int' | 'auth-conf';

/** Splits a quoted qop list (`"auth, auth-int"`) into lower-cased tokens, dropping empties. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v.length > 0);
}
