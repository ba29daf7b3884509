/**
 * The RFC 7235 §2.1 `credentials` / `challenge` syntax shared by the server and the client:
 * `auth-scheme [ 1*SP ( token68 / #auth-param ) ]`. Only the framing is read here; what the token or
 * the parameters mean is the security package's business.
 */
import { Buffer } from 'node:buffer';

/** A header value split into its scheme and the rest, as sent. */
export interface SchemeAndRest {
  readonly scheme: string;
  /** Everything after the scheme and its separating spaces ('' when there is none). */
  readonly rest: string;
}

// RFC 7230 §3.2.6 tchar.
const SCHEME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;
// RFC 7235 §2.1 token68.
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Splits `Scheme rest`; undefined when the value does not start with a scheme token. */
export function splitScheme(value: string): SchemeAndRest | undefined {
  const v = value.trim();
  const m = SCHEME.exec(v);
  if (m === null) return undefined;
  const scheme = m[0];
  const after = v.slice(scheme.length);
  if (after !== '' && !/^[ \t]/.test(after)) return undefined;
  return { scheme, rest: after.trim() };
}

/**
 * Decodes a token68 carrying base64 (RFC 4559 §4, and the NTLM/Kerberos schemes that follow it).
 * Strict: canonical padding only, no whitespace inside; undefined otherwise.
 */
export function decodeBase64Token(rest: string): Uint8Array | undefined {
  if (rest === '' || !TOKEN68.test(rest) || rest.length % 4 !== 0 || !BASE64.test(rest)) return undefined;
  const bytes = Buffer.from(rest, 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** `Scheme base64(token)`, or the bare scheme when there is no token. */
export function formatTokenHeader(scheme: string, token: Uint8Array | undefined): string {
  return token !== undefined && token.length > 0 ? `${scheme} ${Buffer.from(token).toString('base64')}` : scheme;
}

/** Header values are latin1 on the wire (RFC 7230 §3.2.4: obs-text is opaque octets). */
export function headerBytes(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, 'latin1'));
}

export function bytesToHeader(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}
