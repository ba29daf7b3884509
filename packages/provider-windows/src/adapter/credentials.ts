/** AcquireCredentialsHandle / FreeCredentialsHandle over secur32. */
import { SecStatus, isSuccess } from '@sspkit/core';
import type { AcquireCredentialsResult, AuthData } from '@sspkit/core';
import { Layout, wipeAndFree } from '../marshal/memory.js';
import { isIdentity, marshalIdentity, releaseIdentity } from '../marshal/identity.js';
import type { MarshalledIdentity } from '../marshal/identity.js';
import { causeOf, inline, offLoop } from './call.js';
import { timeStampOf } from './state.js';
import type { HandleTables, Native } from './state.js';

/**
 * AcquireCredentialsHandleW. No auth data (or `{}`): the current user's logon session. A
 * SEC_WINNT_AUTH_IDENTITY-shaped object: explicit credentials, laid out as SEC_WINNT_AUTH_IDENTITY_W
 * (or _EXW with a Negotiate package list); with a password the package may ask a KDC at once (Wine's
 * Kerberos does), so that call runs off the event loop.
 */
export async function acquire(
  native: Native,
  tables: HandleTables,
  packageName: string,
  principal: string | undefined,
  use: number,
  authData: AuthData | undefined,
): Promise<AcquireCredentialsResult> {
  const { memory, secur32 } = native;
  const empty = authData === undefined || Object.keys(authData).length === 0;
  if (!empty && !isIdentity(authData)) {
    return {
      status: SecStatus.SEC_E_UNKNOWN_CREDENTIALS,
      cause: new Error('the Windows packages take no auth data or a SEC_WINNT_AUTH_IDENTITY (user, domain, password)'),
    };
  }
  const identity: MarshalledIdentity | undefined = empty ? undefined : marshalIdentity(memory, authData);
  const handle = memory.alloc(Layout.SEC_HANDLE);
  const expiry = memory.alloc(8);
  let kept = false;
  try {
    const args = [
      principal ?? null,
      packageName,
      use,
      null,
      identity?.struct.address ?? null,
      null,
      null,
      handle.address,
      expiry.address,
    ] as const;
    const s = identity
      ? await offLoop(secur32.AcquireCredentialsHandleW, 'acquire-identity', ...args)
      : inline(secur32.AcquireCredentialsHandleW, 'acquire', ...args);
    if (!isSuccess(s.status)) return { status: s.status, cause: causeOf('AcquireCredentialsHandle', s) };
    kept = true;
    const expirationTime = timeStampOf(expiry);
    const credentialHandle = tables.addCred({ handle, use, expiry: expirationTime });
    return { status: s.status, credentialHandle, expirationTime };
  } finally {
    if (identity) releaseIdentity(memory, identity);
    memory.free(expiry);
    if (!kept) wipeAndFree(memory, handle);
  }
}

/** FreeCredentialsHandle, then the handle's memory. */
export function freeCredential(native: Native, tables: HandleTables, h: number): number {
  const entry = tables.dropCred(h);
  if (!entry) return SecStatus.SEC_E_INVALID_HANDLE;
  const s = inline(native.secur32.FreeCredentialsHandle, 'other', entry.handle.address);
  wipeAndFree(native.memory, entry.handle);
  return s.status;
}
