/**
 * AcquireCredentialsHandle over GSSAPI: the default credential, an explicit ccache or keytab (cred
 * store, never process.env), or a principal with a password.
 */
import { SecPkgCred, SecPkgCredAttr, SecStatus, timeStampFromMillis } from '@sspkit/core';
import type { AcquireCredentialsResult, AuthData, SecWinntAuthIdentity } from '@sspkit/core';
import { acquireCredFrom, acquireCredWithPassword, importName, inquireCred } from '../ffi/index.js';
import { KdcDeadlineError, kdcTimeout, withKdcDeadline } from './deadline.js';
import type { CredUsage, GssMech, NativeHandle } from '../ffi/index.js';
import { failure } from './failure.js';
import { invalidReplayOptions } from './replay.js';
import type { NativeReplayOptions } from './replay.js';
import { TicketPins } from './pins.js';
import type { HandleTables } from './state.js';
import { parseTarget } from './target.js';

/**
 * pAuthData accepted by the native packages besides SEC_WINNT_AUTH_IDENTITY. Paths take MIT
 * residual syntax (`FILE:/path`, `KCM:`, `KEYRING:…`); a bare path means `FILE:`.
 */
export interface NativeAuthData extends NativeReplayOptions {
  /** Initiator credentials from this ccache. */
  readonly ccache?: string;
  /** Acceptor keys from this keytab. */
  readonly keytab?: string;
  /** Initiator keys from this keytab (MIT obtains a TGT with them). */
  readonly clientKeytab?: string;
  /** Any further MIT cred-store entries (`rcache`, …). */
  readonly credStore?: Readonly<Record<string, string>>;
  /**
   * Acceptors: let a client's token map to root or a system account (uid below UID_MIN of
   * /etc/login.defs). Default false: such a token names no local account and says
   * `localAccountRefused: 'system-account'`, so `root@REALM` never becomes uid 0.
   */
  readonly allowSystemAccounts?: boolean;
  /**
   * Deadline, in ms, of calls that can wait on the KDC: this acquisition and the credential's first
   * initiator legs (default: the package's, `configureKdcDeadline`; 10 s). Also read from a
   * SEC_WINNT_AUTH_IDENTITY given as auth data.
   */
  readonly kdcTimeoutMs?: number;
}

function residual(value: string): string {
  return value.startsWith('/') ? `FILE:${value}` : value;
}

function isIdentity(a: AuthData): a is SecWinntAuthIdentity {
  return 'password' in a && typeof a.password === 'string';
}

function usageOf(flags: number): CredUsage | undefined {
  const both = SecPkgCred.INBOUND | SecPkgCred.OUTBOUND;
  if ((flags & both) === both) return 'BOTH';
  if ((flags & SecPkgCred.INBOUND) !== 0) return 'ACCEPT';
  if ((flags & SecPkgCred.OUTBOUND) !== 0) return 'INITIATE';
  return undefined;
}

/** `user@REALM` from an identity: the domain is the realm (upper-cased as Windows does). */
function principalOf(id: SecWinntAuthIdentity, fallback: string | undefined): string | undefined {
  const user = id.user ?? fallback;
  if (user === undefined || user === '') return undefined;
  if (user.includes('@') || id.domain === undefined || id.domain === '') return user;
  return `${user}@${id.domain.toUpperCase()}`;
}

/** SpAcquireCredentialsHandle. */
export async function acquire(
  tables: HandleTables,
  mech: GssMech,
  principalName: string | undefined,
  credentialUse: number,
  authData: AuthData | undefined,
): Promise<AcquireCredentialsResult> {
  const usage = usageOf(credentialUse);
  if (usage === undefined) return { status: SecStatus.SEC_E_INVALID_PARAMETER };
  let name: NativeHandle | undefined;
  let cred: NativeHandle | undefined;
  let passwordBased = false;
  const allowSystem =
    authData !== undefined && !isIdentity(authData) && (authData as NativeAuthData).allowSystemAccounts === true;
  const ownTimeout = (authData as { kdcTimeoutMs?: unknown } | undefined)?.kdcTimeoutMs;
  if (ownTimeout !== undefined && !(typeof ownTimeout === 'number' && ownTimeout > 0))
    return { status: SecStatus.SEC_E_INVALID_PARAMETER };
  const replay = authData !== undefined && !isIdentity(authData) ? replayOptionsOf(authData) : {};
  const badReplay = invalidReplayOptions(replay);
  if (badReplay !== undefined) return { status: SecStatus.SEC_E_INVALID_PARAMETER, cause: new Error(badReplay) };
  try {
    if (authData !== undefined && isIdentity(authData)) {
      if (usage === 'ACCEPT') return { status: SecStatus.SEC_E_UNSUPPORTED_FUNCTION };
      const principal = principalOf(authData, principalName);
      if (principal === undefined) return { status: SecStatus.SEC_E_INVALID_PARAMETER };
      name = importName(principal, 'principal');
      const password = Buffer.from(authData.password ?? '', 'utf8');
      const forName = name;
      try {
        cred = (
          await withKdcDeadline(
            kdcTimeout(ownTimeout),
            'AcquireCredentialsHandle',
            (signal) => acquireCredWithPassword({ name: forName, password, usage: 'INITIATE', mech, signal }),
            (late) => late.cred.release(),
          )
        ).cred;
      } finally {
        password.fill(0);
      }
      passwordBased = true;
    } else {
      const native = (authData ?? {}) as NativeAuthData;
      const store: Record<string, string> = { ...(native.credStore ?? {}) };
      if (native.ccache !== undefined) store['ccache'] = residual(native.ccache);
      if (native.keytab !== undefined) store['keytab'] = residual(native.keytab);
      if (native.clientKeytab !== undefined) store['client_keytab'] = residual(native.clientKeytab);
      if (principalName !== undefined && principalName !== '') {
        // An acceptor names a service (SPN or host-based form); an initiator names a user principal.
        const parsed =
          usage === 'INITIATE' ? { text: principalName, type: 'principal' as const } : parseTarget(principalName);
        name = importName(parsed.text, parsed.type);
      }
      const forName = name;
      cred = (
        await withKdcDeadline(
          kdcTimeout(ownTimeout),
          'AcquireCredentialsHandle',
          (signal) => acquireCredFrom({ ...(forName ? { name: forName } : {}), usage, mech, store, signal }),
          (late) => late.cred.release(),
        )
      ).cred;
    }
    const info = usage === 'ACCEPT' ? acceptorInfo(cred, principalName) : inquireCred(cred);
    const handle = tables.issue();
    tables.creds.set(handle, {
      initiator: usage === 'ACCEPT' ? null : cred,
      acceptor: usage === 'INITIATE' || passwordBased ? null : cred,
      owned: cred,
      usage,
      principal: info.name,
      pins: usage === 'ACCEPT' ? null : new TicketPins(mech),
      ...(allowSystem ? { allowSystemAccounts: true } : {}),
      ...(ownTimeout !== undefined ? { kdcTimeoutMs: ownTimeout } : {}),
      ...(usage !== 'INITIATE' && Object.keys(replay).length > 0 ? { replay } : {}),
    });
    const lifetimeMs = info.lifetime === 0xffffffff ? 0x7fffffff * 1000 : info.lifetime * 1000;
    return {
      status: SecStatus.SEC_E_OK,
      credentialHandle: handle,
      expirationTime: timeStampFromMillis(Date.now() + lifetimeMs),
    };
  } catch (err) {
    cred?.release();
    if (err instanceof KdcDeadlineError) return { status: err.sspiStatus, cause: err };
    return failure(err);
  } finally {
    name?.release();
  }
}

/** The replay settings named in the auth data (only those present). */
function replayOptionsOf(a: NativeAuthData): NativeReplayOptions {
  return {
    ...(a.replayStore !== undefined ? { replayStore: a.replayStore } : {}),
    ...(a.clockSkewSeconds !== undefined ? { clockSkewSeconds: a.clockSkewSeconds } : {}),
    ...(a.replayTimeoutMs !== undefined ? { replayTimeoutMs: a.replayTimeoutMs } : {}),
  };
}

// A default acceptor credential has no single name (any key in the keytab may be used).
function acceptorInfo(cred: NativeHandle, principalName: string | undefined): { name: string; lifetime: number } {
  try {
    return inquireCred(cred);
  } catch {
    return { name: principalName ?? '', lifetime: 0xffffffff };
  }
}

/** SpFreeCredentialsHandle. */
export function free(tables: HandleTables, handle: number): number {
  const e = tables.creds.get(handle);
  if (e === undefined) return SecStatus.SEC_E_INVALID_HANDLE;
  tables.creds.delete(handle);
  e.pins?.clear();
  e.owned.release();
  return SecStatus.SEC_E_OK;
}

/** SpQueryCredentialsAttributes: SECPKG_CRED_ATTR_NAMES only. */
export function queryCredentialAttribute(
  tables: HandleTables,
  handle: number,
  attribute: number,
): { status: number; buffer?: unknown } {
  const e = tables.creds.get(handle);
  if (e === undefined) return { status: SecStatus.SEC_E_INVALID_HANDLE };
  if (attribute !== SecPkgCredAttr.NAMES) return { status: SecStatus.SEC_E_UNSUPPORTED_FUNCTION };
  return { status: SecStatus.SEC_E_OK, buffer: { userName: e.principal } };
}
