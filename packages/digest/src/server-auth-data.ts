/**
 * Strict reading of the inbound pAuthData record ({@link DigestServerAuthData}). A server
 * credential decides who may log on, so anything this package does not understand (an unknown or
 * misspelt field, a wrong type, an unknown algorithm) is refused rather than ignored: an ignored
 * field could silently leave a server on defaults its author meant to replace.
 */
import { lookupAlgorithm } from './crypto/algorithms.js';
import { NonceIssuer } from './crypto/nonce.js';
import type { DigestServerAuthData } from './credentials.js';
import { DigestErrorCode, fail, ok } from './errors.js';
import type { Result } from './errors.js';
import { isSaslCipher } from './sasl/ciphers.js';

type Check = (value: unknown) => boolean;

const isString: Check = (v) => typeof v === 'string';
const isBoolean: Check = (v) => typeof v === 'boolean';
const hasMethods =
  (...names: string[]): Check =>
  (v) =>
    typeof v === 'object' && v !== null && names.every((n) => typeof (v as Record<string, unknown>)[n] === 'function');
const listOf =
  (item: Check): Check =>
  (v) =>
    Array.isArray(v) && v.length > 0 && v.every(item);
const oneOf =
  (...values: string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v);
const isAlgorithm: Check = (v) => typeof v === 'string' && lookupAlgorithm(v) !== undefined;

// Every field of DigestServerAuthData and what its value must be.
const FIELDS: Readonly<Record<string, Check>> = {
  kind: (v) => v === 'digest-server',
  realm: isString,
  users: hasMethods('lookup'),
  htdigestFile: isString,
  groupFile: isString,
  algorithm: isAlgorithm,
  acceptAlgorithms: listOf(isAlgorithm),
  qop: listOf(oneOf('auth', 'auth-int')),
  userhash: isBoolean,
  allowMissingUri: isBoolean,
  // Echoed verbatim in a quoted header value and the nonce MAC: printable ASCII only.
  opaque: (v) => typeof v === 'string' && /^[\x20-\x7e]*$/.test(v),
  nonces: (v) => v instanceof NonceIssuer,
  nonceKey: (v) => v instanceof Uint8Array && v.length >= 16,
  nonceLifetimeMs: (v) => typeof v === 'number' && Number.isFinite(v) && v > 0,
  nonceCounts: hasMethods('record', 'peek'),
  saslQop: listOf(oneOf('auth', 'auth-int', 'auth-conf')),
  ciphers: listOf((v) => typeof v === 'string' && isSaslCipher(v)),
  digestUri: isString,
};

/** Whether pAuthData claims to be a Digest server record (it may still be malformed). */
export function isServerAuthDataRecord(authData: unknown): boolean {
  return (
    typeof authData === 'object' &&
    authData !== null &&
    (authData as Record<string, unknown>)['kind'] === 'digest-server'
  );
}

/**
 * Validates a `kind: 'digest-server'` record: UNKNOWN_CREDENTIALS for an unknown field, a bad value
 * or a contradictory combination, NO_CREDENTIALS when it names no user source. Messages name the
 * field, never its value.
 */
export function parseServerAuthData(authData: object): Result<DigestServerAuthData> {
  const record = authData as Record<string, unknown>;
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined) continue;
    const check = FIELDS[name];
    if (check === undefined)
      return fail(DigestErrorCode.UnknownCredentials, `unknown field "${name}" in Digest server auth data`);
    if (!check(value))
      return fail(DigestErrorCode.UnknownCredentials, `field "${name}" of Digest server auth data has a bad value`);
  }
  const d = authData as DigestServerAuthData;
  if (d.users !== undefined && d.htdigestFile !== undefined)
    return fail(DigestErrorCode.UnknownCredentials, 'give users or htdigestFile, not both');
  if (d.groupFile !== undefined && d.htdigestFile === undefined)
    return fail(DigestErrorCode.UnknownCredentials, 'groupFile needs htdigestFile');
  if (d.users === undefined && d.htdigestFile === undefined)
    return fail(DigestErrorCode.NoCredentials, 'Digest server auth data names no users (users or htdigestFile)');
  // A key given here can be given to other instances too: they must share one replay store, or a
  // response accepted by one instance replays on another (see README, "Nonces").
  if (d.nonceCounts === undefined && (d.nonceKey !== undefined || d.nonces?.sharedKey === true)) {
    return fail(
      DigestErrorCode.UnknownCredentials,
      'nonceKey (or a keyed nonce issuer) needs a shared nonceCounts store',
    );
  }
  return ok(d);
}
