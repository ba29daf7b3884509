/**
 * `WWW-Authenticate: Digest …` (RFC 7616 §3.3, RFC 2617 §3.2.1): parse strictly, serialise
 * canonically. Unknown parameters are kept aside (RFC 7616: they must be ignored, not rejected).
 */
import { DEFAULT_ALGORITHM, lookupAlgorithm } from '../crypto/algorithms.js';
import type { DigestAlgorithm } from '../crypto/algorithms.js';
import { DigestErrorCode, fail, ok } from '../errors.js';
import type { Result } from '../errors.js';
import { DEFAULT_LIMITS, formatAuthParams, indexParams, parseAuthParams, stripScheme } from './auth-params.js';
import type { AuthParam, AuthParamLimits } from './auth-params.js';
import { splitList } from './qop.js';
import type { HttpQop } from './qop.js';

/** A parsed Digest challenge. */
export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string;
  /** Protection space URIs, space separated on the wire. */
  readonly domain?: readonly string[];
  readonly stale: boolean;
  readonly algorithm: DigestAlgorithm;
  /** Offered qop values; empty means an RFC 2069 server (no qop, no cnonce). */
  readonly qop: readonly HttpQop[];
  /** `charset=UTF-8` (the only value RFC 7616 allows). */
  readonly utf8: boolean;
  readonly userhash: boolean;
}

/** Parses a challenge; the `Digest` scheme prefix is required. Never throws. */
export function parseChallenge(header: string, limits: AuthParamLimits = DEFAULT_LIMITS): Result<DigestChallenge> {
  const body = stripScheme(header, 'Digest');
  if (!body.ok) return fail(body.error.code, body.error.message);
  const params = parseAuthParams(body.value, limits);
  if (!params.ok) return fail(params.error.code, params.error.message);
  const index = indexParams(params.value);
  if (!index.ok) return fail(index.error.code, index.error.message);
  const get = (name: string): AuthParam | undefined => index.value.get(name)?.[0];

  const realm = get('realm');
  const nonce = get('nonce');
  if (realm === undefined) return fail(DigestErrorCode.InvalidToken, 'challenge has no realm');
  if (nonce === undefined || nonce.value.length === 0)
    return fail(DigestErrorCode.InvalidToken, 'challenge has no nonce');

  let algorithm = DEFAULT_ALGORITHM;
  const alg = get('algorithm');
  if (alg !== undefined) {
    const found = lookupAlgorithm(alg.value);
    if (found === undefined) return fail(DigestErrorCode.QopNotSupported, 'challenge names an unsupported algorithm');
    algorithm = found;
  }

  const qop: HttpQop[] = [];
  const qopParam = get('qop');
  if (qopParam !== undefined) {
    for (const q of splitList(qopParam.value)) {
      if ((q === 'auth' || q === 'auth-int') && !qop.includes(q)) qop.push(q);
    }
    // A qop list with only unknown values leaves nothing we can answer with.
    if (qop.length === 0) return fail(DigestErrorCode.QopNotSupported, 'challenge offers no supported qop');
  }

  const charset = get('charset');
  if (charset !== undefined && charset.value.toLowerCase() !== 'utf-8') {
    return fail(DigestErrorCode.IllegalMessage, 'challenge charset is not UTF-8');
  }
  const stale = get('stale');
  const userhash = get('userhash');
  const opaque = get('opaque');
  const domain = get('domain');
  return ok({
    realm: realm.value,
    nonce: nonce.value,
    ...(opaque !== undefined ? { opaque: opaque.value } : {}),
    ...(domain !== undefined ? { domain: domain.value.split(/[ \t]+/).filter((d) => d.length > 0) } : {}),
    stale: stale !== undefined && stale.value.toLowerCase() === 'true',
    algorithm,
    qop,
    utf8: charset !== undefined,
    userhash: userhash !== undefined && userhash.value.toLowerCase() === 'true',
  });
}

/** Serialises a challenge as the value of `WWW-Authenticate` (scheme included). */
export function formatChallenge(c: DigestChallenge): string {
  const params: Array<readonly [string, string, boolean]> = [['realm', c.realm, true]];
  if (c.domain !== undefined && c.domain.length > 0) params.push(['domain', c.domain.join(' '), true]);
  params.push(['nonce', c.nonce, true]);
  if (c.opaque !== undefined) params.push(['opaque', c.opaque, true]);
  if (c.stale) params.push(['stale', 'true', false]);
  params.push(['algorithm', c.algorithm.name, false]);
  if (c.qop.length > 0) params.push(['qop', c.qop.join(', '), true]);
  if (c.utf8) params.push(['charset', 'UTF-8', false]);
  if (c.userhash) params.push(['userhash', 'true', false]);
  return `Digest ${formatAuthParams(params)}`;
}
