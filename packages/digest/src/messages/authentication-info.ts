/**
 * `Authentication-Info` (RFC 7616 §3.5, RFC 7615; RFC 2617 §3.2.3): the server's proof (`rspauth`)
 * and optional `nextnonce`. The header has no scheme prefix.
 */
import { DigestErrorCode, fail, ok } from '../errors.js';
import type { Result } from '../errors.js';
import { DEFAULT_LIMITS, formatAuthParams, indexParams, parseAuthParams } from './auth-params.js';
import type { AuthParamLimits } from './auth-params.js';
import { formatNc } from './credentials.js';
import type { HttpQop } from './qop.js';

/** A parsed `Authentication-Info` value. */
export interface AuthenticationInfo {
  readonly rspauth?: string;
  readonly nextnonce?: string;
  readonly qop?: HttpQop;
  readonly cnonce?: string;
  readonly nc?: number;
}

/** Parses an `Authentication-Info` value. Never throws. */
export function parseAuthenticationInfo(
  header: string,
  limits: AuthParamLimits = DEFAULT_LIMITS,
): Result<AuthenticationInfo> {
  const params = parseAuthParams(header, limits);
  if (!params.ok) return fail(params.error.code, params.error.message);
  const index = indexParams(params.value);
  if (!index.ok) return fail(index.error.code, index.error.message);
  const get = (name: string): string | undefined => index.value.get(name)?.[0]?.value;
  const qop = get('qop')?.toLowerCase();
  if (qop !== undefined && qop !== 'auth' && qop !== 'auth-int')
    return fail(DigestErrorCode.IllegalMessage, 'unknown qop in Authentication-Info');
  const ncText = get('nc');
  if (ncText !== undefined && !/^[0-9a-fA-F]{8}$/.test(ncText))
    return fail(DigestErrorCode.IllegalMessage, 'nc is not 8 hex digits');
  const rspauth = get('rspauth')?.toLowerCase();
  if (rspauth !== undefined && !/^[0-9a-f]+$/.test(rspauth))
    return fail(DigestErrorCode.IllegalMessage, 'rspauth is not hex');
  const nextnonce = get('nextnonce');
  const cnonce = get('cnonce');
  return ok({
    ...(rspauth !== undefined ? { rspauth } : {}),
    ...(nextnonce !== undefined ? { nextnonce } : {}),
    ...(qop !== undefined ? { qop } : {}),
    ...(cnonce !== undefined ? { cnonce } : {}),
    ...(ncText !== undefined ? { nc: Number.parseInt(ncText, 16) } : {}),
  });
}

/** Serialises an `Authentication-Info` value. */
export function formatAuthenticationInfo(info: AuthenticationInfo): string {
  const params: Array<readonly [string, string, boolean]> = [];
  if (info.nextnonce !== undefined) params.push(['nextnonce', info.nextnonce, true]);
  if (info.qop !== undefined) params.push(['qop', info.qop, false]);
  if (info.rspauth !== undefined) params.push(['rspauth', info.rspauth, true]);
  if (info.cnonce !== undefined) params.push(['cnonce', info.cnonce, true]);
  if (info.nc !== undefined) params.push(['nc', formatNc(info.nc), false]);
  return formatAuthParams(params);
}
