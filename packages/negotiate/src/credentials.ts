/**
 * A Negotiate credential is one credential of each usable package, acquired through its table, as
 * Windows' Negotiate holds one per package. A package whose AcquireCredentialsHandle fails (no
 * Kerberos ticket, no NTLM identity) is simply not offered; only when none succeeds does the acquire fail.
 */
import { SecStatus, isSuccess, statusName } from '@sspkit/core';
import type { AcquireCredentialsResult, AuthData, LsaSecHandle, Luid } from '@sspkit/core';
import type { Mechanism } from './mechanisms.js';
import { resolveMechanisms } from './mechanisms.js';
import { applyPackageList } from './package-list.js';
import type { NegotiateState } from './state.js';

/**
 * pAuthData Negotiate understands: a SEC_WINNT_AUTH_IDENTITY(_EX) handed to every package (its
 * `packageList` restricts them), or per-package auth data by package name (an sspkit extension for
 * packages whose auth data differ, e.g. a keytab for Kerberos and an account store for NTLM).
 */
export interface NegotiateAuthData {
  readonly packageList?: string;
  readonly packages?: Readonly<Record<string, AuthData>>;
}

/** One package's credential inside a Negotiate credential. */
export interface InnerCredential {
  readonly mech: Mechanism;
  readonly handle: LsaSecHandle;
}

export interface NegotiateCredential {
  readonly use: number;
  readonly principal: string | undefined;
  readonly entries: readonly InnerCredential[];
  /** Why the other packages are not in `entries` (for causes). */
  readonly skipped: readonly string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** The auth data one package receives: its own entry, else the shared identity without Negotiate's fields. */
function authDataFor(authData: AuthData | undefined, name: string): AuthData | undefined {
  if (!isObject(authData)) return undefined;
  const per = authData['packages'];
  if (isObject(per)) {
    const key = Object.keys(per).find((k) => k.toLowerCase() === name.toLowerCase());
    const own = key === undefined ? undefined : per[key];
    // An empty entry means "this package, with its defaults" (the logged-on user, the default keytab).
    return isObject(own) && Object.keys(own).length > 0 ? own : undefined;
  }
  const { packageList: _list, packages: _packages, ...rest } = authData;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/** SpAcquireCredentialsHandle for Negotiate. */
export async function acquireCredential(
  state: NegotiateState,
  principal: string | undefined,
  use: number,
  logonId: Luid | undefined,
  authData: AuthData | undefined,
): Promise<AcquireCredentialsResult> {
  const helpers = state.helpers;
  if (!helpers) return { status: SecStatus.SEC_E_INTERNAL_ERROR, cause: new Error('Negotiate was not initialised') };
  const listText =
    isObject(authData) && typeof authData['packageList'] === 'string' ? authData['packageList'] : undefined;
  const list = applyPackageList(listText, state.packages);
  if (!list.ok) return { status: SecStatus.SEC_E_INVALID_PARAMETER, cause: new Error(list.reason) };
  const { mechs, skipped: unresolved } = resolveMechanisms(helpers, list.packages, state.info.name);
  const entries: InnerCredential[] = [];
  const skipped = [...unresolved];
  const causes: unknown[] = [];
  let firstStatus: number | undefined;
  let expiry: bigint | undefined;
  for (const mech of mechs) {
    const acquire = mech.located.functionTable.acquireCredentialsHandle;
    if (!acquire) {
      skipped.push(`${mech.name}: no AcquireCredentialsHandle`);
      continue;
    }
    let r: AcquireCredentialsResult;
    try {
      r = await acquire(principal, use, logonId, authDataFor(authData, mech.name), undefined, undefined);
    } catch (e) {
      skipped.push(`${mech.name}: threw`);
      causes.push(e);
      continue;
    }
    if (!isSuccess(r.status) || r.credentialHandle === undefined) {
      skipped.push(`${mech.name}: ${statusName(r.status)}`);
      firstStatus ??= r.status;
      if (r.cause !== undefined) causes.push(r.cause);
      continue;
    }
    entries.push({ mech, handle: r.credentialHandle });
    if (r.expirationTime !== undefined && (expiry === undefined || r.expirationTime < expiry))
      expiry = r.expirationTime;
  }
  if (entries.length === 0) {
    const message = `no package gave a credential (${skipped.join('; ') || 'none configured'})`;
    // The most preferred package's own answer (a wrong password stays SEC_E_LOGON_DENIED).
    const status = firstStatus ?? SecStatus.SEC_E_NO_CREDENTIALS;
    return { status, cause: new Error(message, causes.length > 0 ? { cause: causes[0] } : undefined) };
  }
  const h = state.nextHandle();
  state.creds.set(h, { use, principal, entries, skipped });
  return { status: SecStatus.SEC_E_OK, credentialHandle: h, ...(expiry !== undefined && { expirationTime: expiry }) };
}

/** Frees every inner credential. */
export function freeCredential(state: NegotiateState, h: LsaSecHandle): number {
  const cred = state.creds.get(h);
  if (!cred) return SecStatus.SEC_E_INVALID_HANDLE;
  state.creds.delete(h);
  for (const e of cred.entries) {
    try {
      e.mech.located.functionTable.freeCredentialsHandle?.(e.handle);
    } catch {
      // a package that throws while freeing keeps its own handle; ours is gone
    }
  }
  return SecStatus.SEC_E_OK;
}
