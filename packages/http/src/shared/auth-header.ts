/**
 * The RFC 7235 §2.1 `credentials` / `challenge` syntax shared by the server and (later) the client:
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

/** One challenge of a `WWW-Authenticate` / `Proxy-Authenticate` list. */
export interface Challenge {
  readonly scheme: string;
  /** The token68 or the auth-param list, as sent ('' when there is none). */
  readonly rest: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68_PREFIX = /^[A-Za-z0-9\-._~+/]+=*/;

/**
 * Splits a challenge list (RFC 7235 §4.1: `1#challenge`, each `auth-scheme [ 1*SP ( token68 /
 * #auth-param ) ]`), as Node and undici hand it over when a response carries several headers (joined
 * with ", "). A comma ends a challenge only where the next element is a scheme word rather than
 * `name=value`; quoted strings are skipped whole. Never throws.
 */
export function splitChallenges(s: string): Challenge[] {
  const out: Challenge[] = [];
  const n = s.length;
  let i = 0;
  const isT = (c: string | undefined): boolean => c !== undefined && TCHAR.test(c);
  const ws = (): void => {
    while (i < n && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && isT(s[i])) i++;
    return s.slice(start, i);
  };
  while (i < n) {
    while (i < n && (s[i] === ',' || s[i] === ' ' || s[i] === '\t')) i++;
    if (i >= n) break;
    const scheme = token();
    if (scheme === '') break; // not a challenge list past this point
    ws();
    const start = i;
    const t68 = TOKEN68_PREFIX.exec(s.slice(i));
    const after = i + (t68?.[0].length ?? 0);
    let j = after;
    while (j < n && (s[j] === ' ' || s[j] === '\t')) j++;
    if (t68 !== null && (j >= n || s[j] === ',')) {
      out.push({ scheme, rest: s.slice(start, after) });
      i = j;
      continue;
    }
    let end = i;
    for (;;) {
      ws();
      if (token() === '') break;
      ws();
      if (s[i] !== '=') {
        i = end;
        break;
      }
      i++;
      ws();
      if (s[i] === '"') {
        i++;
        while (i < n && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
        i = Math.min(n, i + 1);
      } else {
        while (i < n && s[i] !== ',' && s[i] !== ' ' && s[i] !== '\t') i++;
      }
      end = i;
      ws();
      if (s[i] !== ',') break;
      let k = i;
      while (k < n && (s[k] === ',' || s[k] === ' ' || s[k] === '\t')) k++;
      let m = k;
      while (m < n && isT(s[m])) m++;
      while (m < n && (s[m] === ' ' || s[m] === '\t')) m++;
      if (s[m] !== '=') break;
      i = k;
    }
    out.push({ scheme, rest: s.slice(start, end).trim() });
    i = Math.max(i, end);
  }
  return out;
}
