/**
 * SpGetContextToken: the server's view of the authenticated client. The token holds the client
 * principal, its realm, the local account gss_localname maps it to (uid, gid, supplementary groups
 * from the user database), and what the KDC vouched for: the names of the authorization-data
 * attributes (PAC buffers as `urn:mspac:*`) and authentication indicators, and — when the ticket
 * carries a PAC with logon information, as Active Directory and Samba AD issue — the user's SID and
 * every group SID the PAC grants (decoded by ../pac/logon-info.ts; MIT KDCs issue no such buffer).
 * Only attributes the library marks authenticated count: an unverified PAC grants nothing.
 */
import { SecStatus } from '@sspkit/core';
import type { AccessToken } from '@sspkit/core';
import {
  contextSourceName,
  displayName,
  importName,
  inquireContext,
  localName,
  localNameAsync,
  nameAttributes,
  oidToDotted,
} from '../ffi/index.js';
import type { NativeHandle } from '../ffi/index.js';
import { logonSummary } from '../pac/logon-summary.js';
import { cachedLocalAccount, cachedLocalAccountAsync } from './account-cache.js';
import { isSystemAccount, SYSTEM_ACCOUNT_REFUSED } from '../process/system-accounts.js';
import type { LogonResult } from '../pac/logon-summary.js';
import { statusFromError } from './failure.js';
import { packageInfo } from './info.js';
import type { NativeKind } from './info.js';
import type { CtxEntry, HandleTables, ResolvedAccount } from './state.js';

/** Builds the token for a complete server-side context. */
export function contextToken(
  tables: HandleTables,
  kind: NativeKind,
  handle: number,
): { status: number; token?: AccessToken } {
  const e = tables.contexts.get(handle);
  if (e === undefined) return { status: SecStatus.SEC_E_INVALID_HANDLE };
  if (e.side !== 'server' || !e.complete) return { status: SecStatus.SEC_E_NO_IMPERSONATION };
  let imported: NativeHandle | undefined;
  try {
    // The initiator's name is fetched on first use (see CtxEntry.source). An imported context has
    // no source-name handle of its own: re-import the displayed name.
    if (e.source === null && e.imported !== true) e.source = contextSourceName(e.ctx);
    const principal = e.source !== null ? displayName(e.source.ptr).text : inquireContext(e.ctx).source;
    const source = e.source ?? (imported = importName(principal, 'principal'));
    const at = principal.lastIndexOf('@');
    const user = at > 0 ? principal.slice(0, at) : principal;
    const realm = at > 0 ? principal.slice(at + 1) : '';
    // Resolved on worker threads when the context completed if the user database may wait on a
    // network (prefetchAccount); otherwise here, synchronously (local files only). An imported
    // context was not prefetched and is looked up here either way. Both go through the short-lived
    // account cache (account-cache.ts): the user database is not re-read on every request.
    const resolved = e.account ?? resolveAccount(source);
    // root and system accounts are never a client's local account unless the acceptor's
    // credential allows it (NativeAuthData.allowSystemAccounts): see process/system-accounts.ts.
    const refused =
      resolved.account !== null && isSystemAccount(resolved.account.uid) && e.allowSystemAccounts !== true;
    const local = refused ? null : resolved.local;
    const account = refused ? null : resolved.account;
    // Authorization data the KDC vouched for (RFC 6680 attributes: PAC buffers, indicators…).
    // Only authenticated attributes count; an imported context's re-imported name has none.
    const authz = e.source !== null ? nameAttributes(e.source.ptr, tokenReads).filter((a) => a.authenticated) : [];
    const indicators = authz.find((a) => a.name === 'auth-indicators')?.displayValues ?? [];
    const logon = logonInfo(authz.find((a) => a.name === 'urn:mspac:logon-info')?.values[0]);
    const token: AccessToken = {
      authenticationPackage: packageInfo(kind).name,
      user: principal,
      ...(realm !== '' ? { domain: realm } : {}),
      groups: [...(account?.groupNames ?? []), ...('info' in logon ? logon.info.groupSids : [])],
      ...(account !== null
        ? { localAccount: { name: account.name, uid: account.uid, gid: account.gid, groups: [...account.groups] } }
        : {}),
      attributes: {
        principal,
        shortName: user,
        mechanism: oidToDotted(e.negotiated),
        delegatedCredential: e.delegated !== null,
        authorizationData: authz.map((a) => a.name),
        pac: authz.some((a) => a.name.startsWith('urn:mspac:')),
        ...(indicators.length > 0 ? { authIndicators: indicators } : {}),
        ...(local !== null ? { localName: local } : {}),
        ...(refused ? { localAccountRefused: SYSTEM_ACCOUNT_REFUSED } : {}),
        ...(account !== null ? { localHome: account.home } : {}),
        ...pacAttributes(logon),
      },
    };
    return { status: SecStatus.SEC_E_OK, token };
  } catch (err) {
    return { status: statusFromError(err) };
  } finally {
    imported?.release();
  }
}

/** The attributes whose values the token shows; of the others it needs only the names and flags. */
function tokenReads(attribute: string): boolean {
  return attribute === 'auth-indicators' || attribute === 'urn:mspac:logon-info';
}

function resolveAccount(source: NativeHandle): ResolvedAccount {
  const local = localName(source.ptr, null);
  return { local, account: local === null ? null : cachedLocalAccount(local) };
}

/**
 * Resolves a completed server context's local name and account on worker threads (gss_localname
 * and getpwnam_r/getgrouplist/getgrgid_r through koffi's async calls) and keeps them on the entry.
 * A failure leaves the entry unresolved: the token then falls back to the synchronous lookup.
 */
export async function prefetchAccount(e: CtxEntry): Promise<void> {
  try {
    if (e.source === null && e.imported !== true) e.source = contextSourceName(e.ctx);
    const source = e.source;
    if (source === null) return;
    const local = await localNameAsync(source);
    e.account = { local, account: local === null ? null : await cachedLocalAccountAsync(local) };
  } catch {
    // The synchronous path in contextToken reports whatever went wrong.
  }
}

type Logon = LogonResult | Record<string, never>;

/** The logon-information buffer's summary (decoded once per distinct buffer), its error, or nothing. */
function logonInfo(raw: Buffer | undefined): Logon {
  return raw === undefined ? {} : logonSummary(raw);
}

/** What the token says about the PAC's logon information (an undecodable one grants no group). */
function pacAttributes(logon: Logon): Record<string, string | readonly string[]> {
  if ('error' in logon) return { pacLogonInfoError: logon.error };
  if (!('info' in logon)) return {};
  const k = logon.info;
  return {
    ...(k.userSid !== null ? { userSid: k.userSid } : {}),
    pacGroupSids: [...k.groupSids],
    pacEffectiveName: k.effectiveName,
    ...(k.fullName !== '' ? { pacFullName: k.fullName } : {}),
    pacLogonDomain: k.logonDomainName,
    pacLogonServer: k.logonServer,
  };
}
