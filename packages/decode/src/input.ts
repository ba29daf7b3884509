/**
 * How `explain()` reads what a user pastes: a header line (`Authorization: Negotiate …`,
 * `WWW-Authenticate: …` with one or several challenges, split by core's `splitChallenges`), a scheme
 * and its token, or a bare token in base64 (standard or URL-safe), hex, or raw bytes.
 */

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
