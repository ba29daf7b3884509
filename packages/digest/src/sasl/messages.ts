/**
 * SASL DIGEST-MD5 messages (RFC 2831 §2.1.1 digest-challenge, §2.1.2 digest-response, §2.1.3
 * response-auth). Same auth-param syntax as HTTP, no scheme prefix; `realm` may repeat in a challenge.
 */
import { DigestErrorCode, fail, ok } from '../errors.js';
import type { Result } from '../errors.js';
import { formatAuthParams, indexParams, parseAuthParams } from '../messages/auth-params.js';
import type { AuthParam, AuthParamLimits } from '../messages/auth-params.js';
import { formatNc } from '../messages/credentials.js';
import { splitList } from '../messages/qop.js';
import type { SaslQop } from '../messages/qop.js';
import { isSaslCipher } from './ciphers.js';
import type { SaslCipher } from './ciphers.js';

// RFC 2831 §2.1.1 / §2.1.2: a challenge must not exceed 2048 octets, a response 4096.
const CHALLENGE_LIMITS: AuthParamLimits = { maxLength: 2048, maxValueLength: 1024, maxParams: 32 };
const RESPONSE_LIMITS: AuthParamLimits = { maxLength: 4096, maxValueLength: 1024, maxParams: 32 };

/** A parsed digest-challenge. */
export interface SaslChallenge {
  readonly realms: readonly string[];
  readonly nonce: string;
  readonly qop: readonly SaslQop[];
  readonly ciphers: readonly SaslCipher[];
  readonly stale: boolean;
  readonly maxbuf: number;
  readonly utf8: boolean;
}

/** A parsed digest-response. */
export interface SaslResponse {
  readonly username: string;
  readonly realm?: string;
  readonly nonce: string;
  readonly cnonce: string;
  readonly nc: number;
  readonly qop: SaslQop;
  readonly digestUri: string;
  readonly response: string;
  readonly maxbuf?: number;
  readonly utf8: boolean;
  readonly cipher?: SaslCipher;
  readonly authzid?: string;
}

function indexed(
  text: string,
  limits: AuthParamLimits,
  repeatable: ReadonlySet<string>,
): Result<(n: string) => AuthParam[]> {
  const params = parseAuthParams(text, limits);
  if (!params.ok) return fail(params.error.code, params.error.message);
  const index = indexParams(params.value, repeatable);
  if (!index.ok) return fail(index.error.code, index.error.message);
  return ok((n: string) => index.value.get(n) ?? []);
}

function parseMaxbuf(value: string | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,8}$/.test(value)) return null;
  const n = Number(value);
  // RFC 2831: maxbuf is 16 MiB - 1 at most and must exceed 16 (an empty message plus its MAC).
  return n > 16 && n <= 0xffffff ? n : null;
}

/** Parses a digest-challenge. Never throws. */
export function parseSaslChallenge(text: string): Result<SaslChallenge> {
  const got = indexed(text, CHALLENGE_LIMITS, new Set(['realm']));
  if (!got.ok) return fail(got.error.code, got.error.message);
  const get = got.value;
  const nonce = get('nonce')[0];
  if (nonce === undefined) return fail(DigestErrorCode.InvalidToken, 'challenge has no nonce');
  const algorithm = get('algorithm')[0];
  if (algorithm === undefined) return fail(DigestErrorCode.InvalidToken, 'challenge has no algorithm');
  if (algorithm.value.toLowerCase() !== 'md5-sess')
    return fail(DigestErrorCode.IllegalMessage, 'challenge algorithm must be md5-sess');
  const qopParam = get('qop')[0];
  const qop = (qopParam !== undefined ? splitList(qopParam.value) : ['auth']).filter(
    (q): q is SaslQop => q === 'auth' || q === 'auth-int' || q === 'auth-conf',
  );
  if (qop.length === 0) return fail(DigestErrorCode.QopNotSupported, 'challenge offers no supported qop');
  const cipherParam = get('cipher')[0];
  const ciphers = cipherParam !== undefined ? splitList(cipherParam.value).filter(isSaslCipher) : [];
  const maxbuf = parseMaxbuf(get('maxbuf')[0]?.value);
  if (maxbuf === null) return fail(DigestErrorCode.IllegalMessage, 'challenge maxbuf out of range');
  const charset = get('charset')[0];
  if (charset !== undefined && charset.value.toLowerCase() !== 'utf-8')
    return fail(DigestErrorCode.IllegalMessage, 'challenge charset must be utf-8');
  const stale = get('stale')[0];
  return ok({
    realms: get('realm').map((r) => r.value),
    nonce: nonce.value,
    qop,
    ciphers,
    stale: stale !== undefined && stale.value.toLowerCase() === 'true',
    maxbuf: maxbuf ?? 65536,
    utf8: charset !== undefined,
  });
}

/** Serialises a digest-challenge. */
export function formatSaslChallenge(c: SaslChallenge): string {
  const params: Array<readonly [string, string, boolean]> = c.realms.map((r) => ['realm', r, true] as const);
  params.push(['nonce', c.nonce, true], ['qop', c.qop.join(','), true]);
  if (c.stale) params.push(['stale', 'true', false]);
  if (c.maxbuf !== 65536) params.push(['maxbuf', String(c.maxbuf), false]);
  if (c.utf8) params.push(['charset', 'utf-8', false]);
  params.push(['algorithm', 'md5-sess', false]);
  if (c.qop.includes('auth-conf') && c.ciphers.length > 0) params.push(['cipher', c.ciphers.join(','), true]);
  return formatAuthParams(params);
}

/** Parses a digest-response. Never throws. */
export function parseSaslResponse(text: string): Result<SaslResponse> {
  const got = indexed(text, RESPONSE_LIMITS, new Set());
  if (!got.ok) return fail(got.error.code, got.error.message);
  const get = (n: string): string | undefined => got.value(n)[0]?.value;
  for (const name of ['username', 'nonce', 'cnonce', 'nc', 'digest-uri', 'response']) {
    if (get(name) === undefined) return fail(DigestErrorCode.InvalidToken, `response has no ${name}`);
  }
  const nc = get('nc') ?? '';
  if (!/^[0-9a-fA-F]{8}$/.test(nc)) return fail(DigestErrorCode.IllegalMessage, 'nc is not 8 hex digits');
  const response = (get('response') ?? '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(response)) return fail(DigestErrorCode.IllegalMessage, 'response is not 32 hex digits');
  const qopText = (get('qop') ?? 'auth').toLowerCase();
  if (qopText !== 'auth' && qopText !== 'auth-int' && qopText !== 'auth-conf')
    return fail(DigestErrorCode.QopNotSupported, 'unsupported qop');
  const cipherText = get('cipher')?.toLowerCase();
  if (cipherText !== undefined && !isSaslCipher(cipherText))
    return fail(DigestErrorCode.QopNotSupported, 'unsupported cipher');
  if (qopText === 'auth-conf' && cipherText === undefined)
    return fail(DigestErrorCode.IllegalMessage, 'auth-conf without cipher');
  const maxbuf = parseMaxbuf(get('maxbuf'));
  if (maxbuf === null) return fail(DigestErrorCode.IllegalMessage, 'maxbuf out of range');
  const charset = get('charset');
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8')
    return fail(DigestErrorCode.IllegalMessage, 'charset must be utf-8');
  const realm = get('realm');
  const authzid = get('authzid');
  return ok({
    username: get('username') ?? '',
    ...(realm !== undefined ? { realm } : {}),
    nonce: get('nonce') ?? '',
    cnonce: get('cnonce') ?? '',
    nc: Number.parseInt(nc, 16),
    qop: qopText,
    digestUri: get('digest-uri') ?? '',
    response,
    ...(maxbuf !== undefined ? { maxbuf } : {}),
    utf8: charset !== undefined,
    ...(cipherText !== undefined && isSaslCipher(cipherText) ? { cipher: cipherText } : {}),
    ...(authzid !== undefined ? { authzid } : {}),
  });
}

/** Serialises a digest-response. */
export function formatSaslResponse(r: SaslResponse): string {
  const params: Array<readonly [string, string, boolean]> = [];
  if (r.utf8) params.push(['charset', 'utf-8', false]);
  params.push(['username', r.username, true]);
  if (r.realm !== undefined) params.push(['realm', r.realm, true]);
  params.push(
    ['nonce', r.nonce, true],
    ['nc', formatNc(r.nc), false],
    ['cnonce', r.cnonce, true],
    ['digest-uri', r.digestUri, true],
  );
  if (r.maxbuf !== undefined) params.push(['maxbuf', String(r.maxbuf), false]);
  params.push(['response', r.response, false], ['qop', r.qop, false]);
  if (r.cipher !== undefined) params.push(['cipher', r.cipher, false]);
  if (r.authzid !== undefined) params.push(['authzid', r.authzid, true]);
  return formatAuthParams(params);
}

/** Parses response-auth (`rspauth=<32 hex>`). Never throws. */
export function parseSaslResponseAuth(text: string): Result<string> {
  const got = indexed(text, CHALLENGE_LIMITS, new Set());
  if (!got.ok) return fail(got.error.code, got.error.message);
  const rspauth = got.value('rspauth')[0]?.value.toLowerCase();
  if (rspauth === undefined || !/^[0-9a-f]{32}$/.test(rspauth))
    return fail(DigestErrorCode.IllegalMessage, 'rspauth missing or not 32 hex digits');
  return ok(rspauth);
}
