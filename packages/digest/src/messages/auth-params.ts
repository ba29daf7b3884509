/**
 * The `#auth-param` list shared by every Digest message (RFC 7235 §2.1 for HTTP, RFC 2831 §7.1 for
 * SASL): `name=token` or `name="quoted string"`, comma separated, empty elements tolerated.
 *
 * Input is a *byte string*: one JS char per octet (latin1), exactly what `node:http` hands over for
 * header values and what `bytesToWire()` makes of a SecBuffer. Keeping octets as octets means the
 * hashes are computed over the bytes the peer sent, whatever charset it used.
 */
import { DigestErrorCode, fail, ok } from '../errors.js';
import type { Result } from '../errors.js';

/** One parsed parameter; `name` is lower-cased, `value` has its quoted-pairs resolved. */
export interface AuthParam {
  readonly name: string;
  readonly value: string;
  readonly quoted: boolean;
}

/** Size limits that keep a hostile peer from making the parser work hard. */
export interface AuthParamLimits {
  /** Longest accepted message, in octets. */
  readonly maxLength: number;
  /** Longest accepted single value, in octets. */
  readonly maxValueLength: number;
  /** Most parameters accepted in one message. */
  readonly maxParams: number;
}

/** Defaults: generous for real peers (Apache caps a header line at 8 KiB), small for attackers. */
export const DEFAULT_LIMITS: AuthParamLimits = { maxLength: 16_384, maxValueLength: 4_096, maxParams: 32 };

// tchar of RFC 7230 §3.2.6 as a lookup table by char code (the parser's hot path).
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
  TCHAR[c.charCodeAt(0)] = 1;

/** Whether `c` may appear in an RFC 7230 token. */
export function isTokenChar(c: string): boolean {
  const code = c.charCodeAt(0);
  return c.length === 1 && code < 128 && TCHAR[code] === 1;
}

// The parser's hot path works on char codes: no one-char string per step.
const isTokenCode = (code: number): boolean => code < 128 && TCHAR[code] === 1;

function isWs(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

// One `name = token / quoted-string` with the whitespace around it (RFC 7235 §2.1, RFC 7230 §3.2.6).
// qdtext excludes `\` and `"`, so the alternation never backtracks: linear in the input.
const PARAM =
  /[ \t]*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)[ \t]*=[ \t]*(?:"((?:[\t\x20\x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t\x20-\x7e\x80-\xff])*)"|([!#$%&'*+\-.^_`|~0-9A-Za-z]+))[ \t]*/y;

/** Parses an auth-param list; never throws. */
export function parseAuthParams(input: string, limits: AuthParamLimits = DEFAULT_LIMITS): Result<AuthParam[]> {
  // Every request of an HTTP server comes through here: well-formed lists take one regular
  // expression per parameter; anything else goes to the scanner below, which says what is wrong.
  return wellFormed(input, limits) ?? scanAuthParams(input, limits);
}

function wellFormed(input: string, limits: AuthParamLimits): Result<AuthParam[]> | undefined {
  if (input.length > limits.maxLength) return undefined;
  const params: AuthParam[] = [];
  const n = input.length;
  let i = 0;
  for (;;) {
    let c = input.charCodeAt(i);
    while (c === 0x20 || c === 0x09 || c === 0x2c) c = input.charCodeAt(++i);
    if (i >= n) return ok(params);
    PARAM.lastIndex = i;
    const m = PARAM.exec(input);
    if (m === null) return undefined;
    const quoted = m[2] !== undefined;
    const raw = m[2] ?? m[3] ?? '';
    const value = quoted && raw.includes('\\') ? raw.replace(/\\([^])/g, '$1') : raw;
    if (value.length > limits.maxValueLength || params.length >= limits.maxParams) return undefined;
    params.push({ name: (m[1] ?? '').toLowerCase(), value, quoted });
    i = PARAM.lastIndex;
    if (i < n && input.charCodeAt(i) !== 0x2c) return undefined;
  }
}

/**
 * The reference scanner, one char at a time, with a precise reason for every refusal. For a
 * well-formed list {@link parseAuthParams} answers the same, faster (test/auth-params.spec.ts
 * compares the two on random and mutated lists).
 */
export function scanAuthParams(input: string, limits: AuthParamLimits = DEFAULT_LIMITS): Result<AuthParam[]> {
  if (input.length > limits.maxLength) {
    return fail(DigestErrorCode.InvalidToken, `message longer than ${limits.maxLength} octets`);
  }
  const params: AuthParam[] = [];
  let i = 0;
  const n = input.length;
  const skipWs = (): void => {
    for (let c = input.charCodeAt(i); c === 0x20 || c === 0x09; c = input.charCodeAt(i)) i++;
  };
  for (;;) {
    skipWs();
    if (i >= n) break;
    if (input[i] === ',') {
      i++;
      continue;
    }
    const nameStart = i;
    while (i < n && isTokenCode(input.charCodeAt(i))) i++;
    if (i === nameStart) return fail(DigestErrorCode.InvalidToken, `unexpected character at offset ${i}`);
    const name = input.slice(nameStart, i).toLowerCase();
    skipWs();
    if (input[i] !== '=') return fail(DigestErrorCode.InvalidToken, `parameter "${name}" has no value`);
    i++;
    skipWs();
    let value: string;
    let quoted = false;
    if (input[i] === '"') {
      quoted = true;
      i++;
      const parts: string[] = [];
      let closed = false;
      let runStart = i;
      while (i < n) {
        const code = input.charCodeAt(i);
        if (code === 0x22) {
          parts.push(input.slice(runStart, i));
          i++;
          closed = true;
          break;
        }
        if (code === 0x5c) {
          parts.push(input.slice(runStart, i));
          const next = input.charCodeAt(i + 1);
          if (Number.isNaN(next) || !isQuotedPairChar(next)) {
            return fail(DigestErrorCode.InvalidToken, `bad escape in parameter "${name}"`);
          }
          parts.push(input.charAt(i + 1));
          i += 2;
          runStart = i;
          continue;
        }
        if (!isQdText(code)) return fail(DigestErrorCode.InvalidToken, `bad character in parameter "${name}"`);
        i++;
      }
      if (!closed) return fail(DigestErrorCode.InvalidToken, `unterminated quoted string in parameter "${name}"`);
      value = parts.length === 1 ? (parts[0] ?? '') : parts.join('');
    } else {
      const valueStart = i;
      while (i < n && isTokenCode(input.charCodeAt(i))) i++;
      if (i === valueStart)
        return fail(DigestErrorCode.InvalidToken, `parameter "${name}" has an empty or invalid value`);
      value = input.slice(valueStart, i);
    }
    if (value.length > limits.maxValueLength) {
      return fail(DigestErrorCode.InvalidToken, `parameter "${name}" longer than ${limits.maxValueLength} octets`);
    }
    params.push({ name, value, quoted });
    if (params.length > limits.maxParams) return fail(DigestErrorCode.InvalidToken, 'too many parameters');
    skipWs();
    if (i >= n) break;
    if (input[i] !== ',') return fail(DigestErrorCode.InvalidToken, `expected "," after parameter "${name}"`);
    i++;
  }
  return ok(params);
}

// qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text (RFC 7230 §3.2.6)
export function isQdText(code: number): boolean {
  return (
    code === 0x09 ||
    code === 0x20 ||
    code === 0x21 ||
    (code >= 0x23 && code <= 0x5b) ||
    (code >= 0x5d && code <= 0x7e) ||
    (code >= 0x80 && code <= 0xff)
  );
}

// quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
export function isQuotedPairChar(code: number): boolean {
  return code === 0x09 || (code >= 0x20 && code <= 0x7e) || (code >= 0x80 && code <= 0xff);
}

/** Splits `Digest <params>` into the scheme check and the parameter text; never throws. */
export function stripScheme(input: string, scheme: string): Result<string> {
  const trimmed = input.replace(/^[ \t]+/, '');
  const head = trimmed.slice(0, scheme.length);
  if (head.toLowerCase() !== scheme.toLowerCase()) return fail(DigestErrorCode.InvalidToken, `not a ${scheme} message`);
  const rest = trimmed.slice(scheme.length);
  if (rest.length > 0 && !isWs(rest[0])) return fail(DigestErrorCode.InvalidToken, `not a ${scheme} message`);
  return ok(rest);
}

/** Index of parameters by name, rejecting duplicates (each directive may appear once). */
export function indexParams(
  params: readonly AuthParam[],
  repeatable: ReadonlySet<string> = new Set(),
): Result<Map<string, AuthParam[]>> {
  const map = new Map<string, AuthParam[]>();
  for (const p of params) {
    const list = map.get(p.name);
    if (list === undefined) {
      map.set(p.name, [p]);
    } else if (repeatable.has(p.name)) {
      list.push(p);
    } else {
      return fail(DigestErrorCode.InvalidToken, `duplicate parameter "${p.name}"`);
    }
  }
  return ok(map);
}

/** Quotes a value as an RFC 7230 quoted-string; rejects octets that cannot travel in a header. */
export function quote(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (!isQuotedPairChar(code)) throw new RangeError('value contains a character that cannot be quoted');
  }
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Serialises parameters in order; `quoted: false` values must already be tokens. */
export function formatAuthParams(params: ReadonlyArray<readonly [string, string, boolean]>): string {
  return params.map(([name, value, quoted]) => `${name}=${quoted ? quote(value) : value}`).join(', ');
}
