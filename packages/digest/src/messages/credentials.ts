/**
 * `Authorization: Digest …` (RFC 7616 §3.4, RFC 2617 §3.2.2): parse strictly, serialise canonically.
 * `username` is kept as a byte string (the octets the hash covers); `username*` (RFC 7616 §3.4.4,
 * RFC 5987 ext-value) is decoded into the same form.
 */
import { DEFAULT_ALGORITHM, lookupAlgorithm } from '../crypto/algorithms.js';
import type { DigestAlgorithm } from '../crypto/algorithms.js';
import { DigestErrorCode, fail, ok } from '../errors.js';
import type { Result } from '../errors.js';
import { DEFAULT_LIMITS, formatAuthParams, indexParams, parseAuthParams, stripScheme } from './auth-params.js';
import type { AuthParam, AuthParamLimits } from './auth-params.js';
import type { HttpQop } from './qop.js';

/** A parsed Digest response (the client's credentials). */
export interface DigestCredentials {
  /** User name octets as hashed (or the userhash hex when `userhash` is true). */
  readonly username: string;
  /** The name arrived as `username*` (RFC 5987 encoding). */
  readonly usernameExt: boolean;
  readonly realm: string;
  readonly uri: string;
  readonly nonce: string;
  readonly response: string;
  readonly algorithm: DigestAlgorithm;
  readonly opaque?: string;
  /** Absent for RFC 2069 clients. */
  readonly qop?: HttpQop;
  readonly cnonce?: string;
  /** Nonce count as a number (8 hex digits on the wire). */
  readonly nc?: number;
  readonly userhash: boolean;
}

const HEX8 = /^[0-9a-fA-F]{8}$/;
const HEX = /^[0-9a-fA-F]+$/;

/** Formats a nonce count as the 8 lower-case hex digits RFC 7616 §3.4 requires. */
export function formatNc(nc: number): string {
  return nc.toString(16).padStart(8, '0');
}

/** Decodes an RFC 5987 ext-value (`UTF-8''percent-encoded`) into a byte string. */
export function decodeExtValue(value: string): Result<string> {
  const m = /^([A-Za-z0-9!#$%&+\-^_`{}~]+)'([A-Za-z0-9-]*)'(.*)$/.exec(value);
  if (m === null || (m[1] ?? '').toLowerCase() !== 'utf-8')
    return fail(DigestErrorCode.IllegalMessage, 'username* is not a UTF-8 ext-value');
  const encoded = m[3] ?? '';
  let out = '';
  for (let i = 0; i < encoded.length; i++) {
    const c = encoded[i] ?? '';
    if (c === '%') {
      const hex = encoded.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex))
        return fail(DigestErrorCode.IllegalMessage, 'username* has a bad percent escape');
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 2;
    } else if (/^[A-Za-z0-9!#$&+\-.^_`|~]$/.test(c)) {
      out += c;
    } else {
      return fail(DigestErrorCode.IllegalMessage, 'username* has a character that must be escaped');
    }
  }
  return ok(out);
}

/** Encodes a byte string (UTF-8 octets) as an RFC 5987 ext-value. */
export function encodeExtValue(wire: string): string {
  let out = "UTF-8''";
  for (let i = 0; i < wire.length; i++) {
    const c = wire[i] ?? '';
    out += /^[A-Za-z0-9!#$&+\-.^_`|~]$/.test(c)
      ? c
      : `%${wire.charCodeAt(i).toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Parses a Digest `Authorization` value; the `Digest` scheme prefix is required. Never throws. */
export function parseCredentials(header: string, limits: AuthParamLimits = DEFAULT_LIMITS): Result<DigestCredentials> {
  const body = stripScheme(header, 'Digest');
  if (!body.ok) return fail(body.error.code, body.error.message);
  const params = parseAuthParams(body.value, limits);
  if (!params.ok) return fail(params.error.code, params.error.message);
  const index = indexParams(params.value);
  if (!index.ok) return fail(index.error.code, index.error.message);
  const get = (name: string): AuthParam | undefined => index.value.get(name)?.[0];

  const plain = get('username');
  const ext = get('username*');
  if (plain !== undefined && ext !== undefined)
    return fail(DigestErrorCode.IllegalMessage, 'both username and username* present');
  let username: string;
  if (ext !== undefined) {
    const decoded = decodeExtValue(ext.value);
    if (!decoded.ok) return fail(decoded.error.code, decoded.error.message);
    username = decoded.value;
  } else if (plain !== undefined) {
    username = plain.value;
  } else {
    return fail(DigestErrorCode.InvalidToken, 'response has no username');
  }

  const required = ['realm', 'uri', 'nonce', 'response'] as const;
  for (const name of required) {
    if (get(name) === undefined) return fail(DigestErrorCode.InvalidToken, `response has no ${name}`);
  }
  let algorithm = DEFAULT_ALGORITHM;
  const alg = get('algorithm');
  if (alg !== undefined) {
    const found = lookupAlgorithm(alg.value);
    if (found === undefined) return fail(DigestErrorCode.QopNotSupported, 'response names an unsupported algorithm');
    algorithm = found;
  }
  const response = (get('response')?.value ?? '').toLowerCase();
  if (response.length !== algorithm.hexLength || !HEX.test(response)) {
    return fail(DigestErrorCode.IllegalMessage, 'response digest has the wrong length or is not hex');
  }

  const qopParam = get('qop');
  const cnonce = get('cnonce');
  const ncParam = get('nc');
  let qop: HttpQop | undefined;
  let nc: number | undefined;
  if (qopParam !== undefined) {
    const q = qopParam.value.toLowerCase();
    if (q !== 'auth' && q !== 'auth-int')
      return fail(DigestErrorCode.QopNotSupported, 'response names an unsupported qop');
    qop = q;
    if (cnonce === undefined || cnonce.value.length === 0)
      return fail(DigestErrorCode.InvalidToken, 'qop present but cnonce missing');
    if (ncParam === undefined) return fail(DigestErrorCode.InvalidToken, 'qop present but nc missing');
    if (!HEX8.test(ncParam.value)) return fail(DigestErrorCode.IllegalMessage, 'nc is not 8 hex digits');
    nc = Number.parseInt(ncParam.value, 16);
  } else if (cnonce !== undefined || ncParam !== undefined) {
    return fail(DigestErrorCode.IllegalMessage, 'cnonce or nc present without qop');
  } else if (algorithm.session) {
    // -sess needs a cnonce for HA1, which only qop responses carry.
    return fail(DigestErrorCode.IllegalMessage, 'session algorithm without qop');
  }

  const userhash = get('userhash');
  const opaque = get('opaque');
  return ok({
    username,
    usernameExt: ext !== undefined,
    realm: get('realm')?.value ?? '',
    uri: get('uri')?.value ?? '',
    nonce: get('nonce')?.value ?? '',
    response,
    algorithm,
    ...(opaque !== undefined ? { opaque: opaque.value } : {}),
    ...(qop !== undefined ? { qop } : {}),
    ...(cnonce !== undefined ? { cnonce: cnonce.value } : {}),
    ...(nc !== undefined ? { nc } : {}),
    userhash: userhash !== undefined && userhash.value.toLowerCase() === 'true',
  });
}

/** Serialises credentials as the value of `Authorization` (scheme included). */
export function formatCredentials(c: DigestCredentials): string {
  const params: Array<readonly [string, string, boolean]> = [];
  params.push(c.usernameExt ? ['username*', encodeExtValue(c.username), false] : ['username', c.username, true]);
  params.push(
    ['realm', c.realm, true],
    ['uri', c.uri, true],
    ['algorithm', c.algorithm.name, false],
    ['nonce', c.nonce, true],
  );
  if (c.qop !== undefined && c.nc !== undefined && c.cnonce !== undefined) {
    params.push(['nc', formatNc(c.nc), false], ['cnonce', c.cnonce, true], ['qop', c.qop, false]);
  }
  params.push(['response', c.response, true]);
  if (c.opaque !== undefined) params.push(['opaque', c.opaque, true]);
  if (c.userhash) params.push(['userhash', 'true', false]);
  return `Digest ${formatAuthParams(params)}`;
}
