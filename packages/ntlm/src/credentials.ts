import { ntHash } from './crypto/owf.js';
import { lmowfv1 } from './crypto/owf.js';

/** Client credentials: a password or an NT hash (pass-the-hash for service accounts and tests). */
export type NtlmCredentials =
  | { readonly user: string; readonly domain?: string; readonly password: string; readonly workstation?: string }
  | { readonly user: string; readonly domain?: string; readonly ntHash: Uint8Array; readonly workstation?: string };

/** Credentials reduced to what the protocol uses; the password itself is not kept. */
export interface ResolvedCredentials {
  readonly user: string;
  readonly domain: string;
  readonly workstation: string;
  readonly ntHash: Uint8Array;
  /** LM hash, kept only when NTLMv1 is enabled and a password (≤ 14 characters) was given. */
  readonly lmHash?: Uint8Array;
}

/**
 * Splits "DOMAIN\user" when no domain is given, hashes the password once and drops it.
 * "user@realm" is left as the user name: NTLM sends UPNs verbatim with an empty domain.
 */
export function resolveCredentials(c: NtlmCredentials, keepLmHash: boolean): ResolvedCredentials {
  let user = c.user;
  let domain = c.domain ?? '';
  const slash = user.indexOf('\\');
  if (c.domain === undefined && slash >= 0) {
    domain = user.slice(0, slash);
    user = user.slice(slash + 1);
  }
  const workstation = c.workstation ?? '';
  if ('password' in c) {
    const lm = keepLmHash ? lmowfv1(c.password) : undefined;
    return { user, domain, workstation, ntHash: ntHash(c.password), ...(lm ? { lmHash: lm } : {}) };
  }
  if (c.ntHash.length !== 16) throw new RangeError('an NT hash is 16 bytes');
  return { user, domain, workstation, ntHash: new Uint8Array(c.ntHash) };
}
