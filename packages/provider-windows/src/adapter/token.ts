/**
 * QuerySecurityContextToken → sspkit's AccessToken: the real Windows token of the client, read with
 * GetTokenInformation (TokenUser, TokenGroups, TokenPrivileges), the user's name from
 * LookupAccountSidW and privilege names from LookupPrivilegeNameW. The token HANDLE is closed before
 * the call returns (CloseHandle), so no kernel handle outlives it.
 */
import { SecStatus, isSuccess } from '@sspkit/core';
import type { AccessToken } from '@sspkit/core';
import type { NativeBlock } from '../marshal/memory.js';
import {
  TokenInformationClass,
  enabledGroups,
  parseTokenGroups,
  parseTokenPrivileges,
  parseTokenUser,
} from '../marshal/token-info.js';
import { causeOf, inline } from './call.js';
import { countTokenHandle } from './state.js';
import type { HandleTables, Native } from './state.js';

/** GetTokenInformation into a block of the size it asks for (the size query fails by design). */
function tokenInformation(native: Native, token: bigint, cls: number): NativeBlock | undefined {
  const { memory, advapi32 } = native;
  const size = memory.alloc(4);
  try {
    advapi32.GetTokenInformation(token, cls, null, 0, size.address);
    const n = new DataView(size.bytes.buffer, size.bytes.byteOffset).getUint32(0, true);
    if (n === 0) return undefined;
    const b = memory.alloc(n);
    if (advapi32.GetTokenInformation(token, cls, b.address, n, size.address) === 0) {
      memory.free(b);
      return undefined;
    }
    return b;
  } finally {
    memory.free(size);
  }
}

/** LookupAccountSidW: `{ name, domain }` of a SID, or undefined when it does not resolve. */
function accountOf(native: Native, sid: bigint): { name: string; domain: string } | undefined {
  const { memory, advapi32 } = native;
  const name = memory.alloc(512);
  const domain = memory.alloc(512);
  const counts = memory.alloc(12); // cchName, cchDomain, SID_NAME_USE
  try {
    const c = new DataView(counts.bytes.buffer, counts.bytes.byteOffset);
    c.setUint32(0, 256, true);
    c.setUint32(4, 256, true);
    const ok = advapi32.LookupAccountSidW(
      null,
      sid,
      name.address,
      counts.address,
      domain.address,
      counts.address + 4n,
      counts.address + 8n,
    );
    if (ok === 0) return undefined;
    return { name: memory.readWide({ address: name.address }), domain: memory.readWide({ address: domain.address }) };
  } finally {
    memory.free(name);
    memory.free(domain);
    memory.free(counts);
  }
}

/** LookupPrivilegeNameW for a LUID (`SeChangeNotifyPrivilege`…), or its number when unknown. */
function privilegeName(native: Native, luid: bigint): string {
  const { memory, advapi32 } = native;
  const l = memory.alloc(8);
  const out = memory.alloc(256);
  const count = memory.alloc(4);
  try {
    new DataView(l.bytes.buffer, l.bytes.byteOffset).setBigInt64(0, luid, true);
    new DataView(count.bytes.buffer, count.bytes.byteOffset).setUint32(0, 128, true);
    if (advapi32.LookupPrivilegeNameW(null, l.address, out.address, count.address) === 0) return `LUID ${luid}`;
    return memory.readWide({ address: out.address });
  } finally {
    memory.free(l);
    memory.free(out);
    memory.free(count);
  }
}

/** The client's access token as sspkit's token shape (server contexts). */
export function contextToken(
  native: Native,
  tables: HandleTables,
  pkg: string,
  h: number,
): { status: number; token?: AccessToken; cause?: unknown } {
  const entry = tables.contexts.get(h);
  if (!entry) return { status: SecStatus.SEC_E_INVALID_HANDLE };
  const { memory, advapi32 } = native;
  const out = memory.alloc(8);
  try {
    const s = inline(native.secur32.QuerySecurityContextToken, 'query', entry.handle.address, out.address);
    if (!isSuccess(s.status)) return { status: s.status, cause: causeOf('QuerySecurityContextToken', s) };
    const handle = memory.pointerAt(out, 0);
    if (handle === null) return { status: SecStatus.SEC_E_NO_IMPERSONATION };
    countTokenHandle(1);
    try {
      return { status: SecStatus.SEC_E_OK, token: readToken(native, handle.address, pkg) };
    } finally {
      advapi32.CloseHandle(handle.address);
      countTokenHandle(-1);
    }
  } finally {
    memory.free(out);
  }
}

/** TOKEN_QUERY (winnt.h): enough to read a token's user, groups and privileges. */
const TOKEN_QUERY = 0x0008;

/**
 * The calling process's own token in the same shape (OpenProcessToken): who this program runs as,
 * and a way to see the token reader work where no package hands out a client's token.
 */
export function processToken(native: Native): AccessToken | undefined {
  const { memory, advapi32 } = native;
  const out = memory.alloc(8);
  try {
    const proc = advapi32.GetCurrentProcess();
    if (advapi32.OpenProcessToken(proc, TOKEN_QUERY, out.address) === 0) return undefined;
    const handle = memory.pointerAt(out, 0);
    if (handle === null) return undefined;
    countTokenHandle(1);
    try {
      return readToken(native, handle.address, 'process');
    } finally {
      advapi32.CloseHandle(handle.address);
      countTokenHandle(-1);
    }
  } finally {
    memory.free(out);
  }
}

function readToken(native: Native, handle: bigint, pkg: string): AccessToken {
  const { memory } = native;
  const blocks: NativeBlock[] = [];
  const info = (cls: number): NativeBlock | undefined => {
    const b = tokenInformation(native, handle, cls);
    if (b) blocks.push(b);
    return b;
  };
  try {
    const userBlock = info(TokenInformationClass.TokenUser);
    const groupsBlock = info(TokenInformationClass.TokenGroups);
    const privBlock = info(TokenInformationClass.TokenPrivileges);
    const user = userBlock ? parseTokenUser(userBlock) : undefined;
    const groups = groupsBlock ? parseTokenGroups(groupsBlock) : [];
    const privileges = privBlock ? parseTokenPrivileges(privBlock).map((p) => privilegeName(native, p.luid)) : [];
    const userSidPointer = userBlock ? memory.pointerAt(userBlock, 0) : null;
    const account = userSidPointer ? accountOf(native, userSidPointer.address) : undefined;
    return {
      authenticationPackage: pkg,
      user: account?.name ?? user?.sid ?? '',
      ...(account?.domain ? { domain: account.domain } : {}),
      groups: enabledGroups(groups),
      attributes: {
        userSid: user?.sid ?? '',
        groupSids: groups.map((g) => g.sid),
        privileges,
      },
    };
  } finally {
    for (const b of blocks) memory.free(b);
  }
}
