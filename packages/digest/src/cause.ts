/**
 * Causes: every failed handshake leg carries one (`LsaModeContextResult.cause`,
 * `AcquireCredentialsResult.cause`), every failed per-message call leaves one for the user table's
 * `failureCause` slot. A cause is a DigestError (the protocol layers' own account) or, for failures
 * no DigestErrorCode names (a bad handle, a short output buffer), an Error saying which input was
 * wrong. Messages name a parameter or a rule, never a password, an HA1, a key or message contents.
 */
import type { DigestError } from './errors.js';

/** What a failure is reported with: the protocol error itself, or a plain reason. */
export function causeOf(why: string | DigestError): Error {
  if (typeof why !== 'string') return why;
  const e = new Error(why);
  e.name = 'DigestFailure';
  return e;
}

/** A failed result with its cause. */
export function failure(status: number, why: string | DigestError): { status: number; cause: Error } {
  return { status, cause: causeOf(why) };
}
