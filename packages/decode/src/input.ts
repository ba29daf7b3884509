/**
 * How `explain()` reads what a user pastes: a header line (`Authorization: Negotiate …`,
 * `WWW-Authenticate: …` with one or several challenges, RFC 7235 §4.1), a scheme and its token, or a
 * bare token in base64 (standard or URL-safe), hex, or raw bytes.
 */

/** One challenge or credentials: the scheme word and what follows it. */
export interface SchemePart {
  readonly scheme: string;
  readonly rest: string;
}

const HEADERS = [
  'authorization',
  'proxy-authorization',
  'www-authenticate',
  'proxy-authenticate',
  'authentication-info',
  'proxy-authentication-info',
] as const;

export type HeaderName = (typeof HEADERS)[number];

/** `Name: value` when Name is one of the authentication headers. */
export function headerLine(s: string): { name: HeaderName; display: string; value: string } | undefined {
  const m = /^([A-Za-z-]+)[ \t]*:[ \t]*(.*)$/s.exec(s);
  if (m === null) return undefined;
  const name = (m[1] ?? '').toLowerCase();
  const known = HEADERS.find((h) => h === name);
  return known === undefined ? undefined : { name: known, display: m[1] ?? name, value: (m[2] ?? '').trim() };
}

const isTchar = (c: string | undefined): boolean => c !== undefined && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(c);
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

/**
 * Splits a header value into challenges (RFC 7235 §4.1: `1#challenge`, each `auth-scheme [ 1*SP
 * ( token68 / #auth-param ) ]`). A comma ends a challenge only where the next element is a scheme
 * word rather than `name=value`; quoted strings are skipped whole. Never throws.
 */
export function splitChallenges(s: string): SchemePart[] {
  const out: SchemePart[] = [];
  let i = 0;
  const n = s.length;
  const ws = (): void => {
    while (i < n && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && isTchar(s[i])) i++;
    return s.slice(start, i);
  };
  const skipValue = (): void => {
    if (s[i] === '"') {
      i++;
      while (i < n && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
      i = Math.min(n, i + 1);
    } else {
      while (i < n && s[i] !== ',' && s[i] !== ' ' && s[i] !== '\t') i++;
    }
  };
  while (i < n) {
    while (i < n && (s[i] === ',' || s[i] === ' ' || s[i] === '\t')) i++;
    if (i >= n) break;
    const scheme = token();
    if (scheme === '') {
      out.push({ scheme: '', rest: s.slice(i).trim() });
      break;
    }
    ws();
    const start = i;
    const t68 = TOKEN68.exec(s.slice(i));
    const after = i + (t68?.[0].length ?? 0);
    let j = after;
    while (j < n && (s[j] === ' ' || s[j] === '\t')) j++;
    if (t68 !== null && (j >= n || s[j] === ',')) {
      i = j;
      out.push({ scheme, rest: s.slice(start, after) });
      continue;
    }
    // #auth-param: stop before a comma whose next element is a bare scheme word.
    let end = i;
    for (;;) {
      ws();
      const name = token();
      if (name === '') break;
      ws();
      if (s[i] !== '=') {
        i = end; // not a parameter: leave it for the caller's next round
        break;
      }
      i++;
      ws();
      skipValue();
      end = i;
      ws();
      if (s[i] !== ',') break;
      let k = i;
      while (k < n && (s[k] === ',' || s[k] === ' ' || s[k] === '\t')) k++;
      let m = k;
      while (m < n && isTchar(s[m])) m++;
      while (m < n && (s[m] === ' ' || s[m] === '\t')) m++;
      if (s[m] !== '=') break;
      i = k;
    }
    out.push({ scheme, rest: s.slice(start, end).trim() });
    i = Math.max(i, end);
  }
  return out;
}

/** Strict base64 (standard or URL-safe, padding optional): the bytes, or undefined. */
export function fromBase64(s: string): Uint8Array | undefined {
  const t = s.replace(/\s+/g, '');
  if (t.length === 0 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(t) || t.length % 4 === 1) return undefined;
  const b = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Hex (whitespace and `:` separators allowed): the bytes, or undefined. */
export function fromHex(s: string): Uint8Array | undefined {
  const t = s.replace(/[\s:]+/g, '').replace(/^0x/i, '');
  if (t.length === 0 || t.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(t)) return undefined;
  return new Uint8Array(Buffer.from(t, 'hex'));
}

/** True when bytes read as printable text (what a pasted token or header is). */
export function isText(b: Uint8Array): boolean {
  for (const c of b) if (c < 0x09 || (c > 0x0d && c < 0x20) || c > 0x7e) return false;
  return b.length > 0;
}
