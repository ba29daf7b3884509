/**
 * SEC_WINNT_AUTH_IDENTITY_W and SEC_WINNT_AUTH_IDENTITY_EXW (sspi.h, rpcdce.h) in native memory, for
 * AcquireCredentialsHandle's pAuthData. The strings are our own UTF-16 copies, so the password is
 * wiped from native memory as soon as the call returns (koffi's own string conversion would leave a
 * copy we cannot clear). Lengths are in characters, without the terminating NUL.
 */
import { SecWinntAuthIdentityFlag } from '@sspkit/core';
import type { SecWinntAuthIdentity } from '@sspkit/core';
import { Layout, allocWide, putPointer, putUlong, wipeAndFree } from './memory.js';
import type { NativeBlock, NativeMemory } from './memory.js';

/** An identity laid out in native memory; release it with {@link releaseIdentity}. */
export interface MarshalledIdentity {
  readonly struct: NativeBlock;
  readonly strings: readonly NativeBlock[];
}

/** True when `data` is a SEC_WINNT_AUTH_IDENTITY-shaped object (user, domain, password, packageList). */
export function isIdentity(data: unknown): data is SecWinntAuthIdentity {
  if (typeof data !== 'object' || data === null) return false;
  const keys = Object.keys(data);
  if (keys.length === 0) return false;
  const allowed = new Set(['user', 'domain', 'password', 'packageList']);
  return keys.every((k) => allowed.has(k) && typeof (data as Record<string, unknown>)[k] === 'string');
}

/**
 * Lays out the identity: the plain W structure, or the EX one when a Negotiate package list is given
 * (SEC_WINNT_AUTH_IDENTITY_VERSION in Version, the structure's size in Length).
 */
export function marshalIdentity(memory: NativeMemory, id: SecWinntAuthIdentity): MarshalledIdentity {
  const strings: NativeBlock[] = [];
  const wide = (s: string | undefined): { address: bigint; length: number } => {
    if (s === undefined) return { address: 0n, length: 0 };
    const b = allocWide(memory, s);
    strings.push(b);
    return { address: b.address, length: s.length };
  };
  const user = wide(id.user);
  const domain = wide(id.domain);
  const password = wide(id.password);
  if (id.packageList === undefined) {
    const struct = memory.alloc(Layout.AUTH_IDENTITY_W);
    putPointer(struct, 0, user.address);
    putUlong(struct, 8, user.length);
    putPointer(struct, 16, domain.address);
    putUlong(struct, 24, domain.length);
    putPointer(struct, 32, password.address);
    putUlong(struct, 40, password.length);
    putUlong(struct, 44, SecWinntAuthIdentityFlag.UNICODE);
    return { struct, strings };
  }
  const list = wide(id.packageList);
  const struct = memory.alloc(Layout.AUTH_IDENTITY_EXW);
  putUlong(struct, 0, SecWinntAuthIdentityFlag.VERSION_EX);
  putUlong(struct, 4, Layout.AUTH_IDENTITY_EXW);
  putPointer(struct, 8, user.address);
  putUlong(struct, 16, user.length);
  putPointer(struct, 24, domain.address);
  putUlong(struct, 32, domain.length);
  putPointer(struct, 40, password.address);
  putUlong(struct, 48, password.length);
  putUlong(struct, 52, SecWinntAuthIdentityFlag.UNICODE);
  putPointer(struct, 56, list.address);
  putUlong(struct, 64, list.length);
  return { struct, strings };
}

/** Wipes the password (and every other string) from native memory and frees the identity. */
export function releaseIdentity(memory: NativeMemory, m: MarshalledIdentity): void {
  for (const s of m.strings) wipeAndFree(memory, s);
  wipeAndFree(memory, m.struct);
}
