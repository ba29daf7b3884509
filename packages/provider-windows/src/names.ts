/**
 * How Windows' packages are named next to sspkit's own. A registry holds a name once, and sspkit has
 * TypeScript packages called NTLM, Negotiate and Digest, and a native Kerberos.
 *
 * - `'windows'` (the default): the system's packages take their Windows names (`Negotiate`, `Kerberos`,
 *   `NTLM`, `WDigest`), so an application written against SSPI asks for them as it would in C; sspkit's
 *   own packages stay selectable explicitly, registered under `sspkit-<name>` (see {@link renamePackage}).
 * - `'prefixed'`: sspkit's packages keep their names and the system's are `Windows-<name>`, for a
 *   program that wants sspkit's behaviour everywhere and the system's only when it asks.
 */
import type { SecurityPackageModule, SecpkgFunctionTable } from '@sspkit/core';
import { SecStatus } from '@sspkit/core';

/** The naming policy (see the module comment). */
export type NamingPolicy = 'windows' | 'prefixed';

/** Prefix of the system's packages under the `'prefixed'` policy. */
export const SYSTEM_PREFIX = 'Windows-';
/** Prefix of sspkit's own packages under the `'windows'` policy. */
export const SSPKIT_PREFIX = 'sspkit-';

/** The packages secur32 enumerates that the provider maps, by their Windows names. */
export const MAPPED_PACKAGES = ['Negotiate', 'Kerberos', 'NTLM', 'WDigest'] as const;
export type WindowsPackageName = (typeof MAPPED_PACKAGES)[number];

/** True for a name secur32 enumerates that the provider offers (case-insensitive, as SSPI looks names up). */
export function isMappedPackage(name: string): name is WindowsPackageName {
  return MAPPED_PACKAGES.some((n) => n.toLowerCase() === name.toLowerCase());
}

/** The registry name of a system package under `policy`. */
export function systemPackageName(windowsName: WindowsPackageName, policy: NamingPolicy): string {
  return policy === 'windows' ? windowsName : `${SYSTEM_PREFIX}${windowsName}`;
}

/** The registry name of one of sspkit's packages under `policy`. */
export function sspkitPackageName(name: string, policy: NamingPolicy): string {
  return policy === 'windows' ? `${SSPKIT_PREFIX}${name}` : name;
}

/** Which implementation a registered name belongs to under `policy`, for listings such as `sspkit packages`. */
export function providerOf(registeredName: string, policy: NamingPolicy): 'windows' | 'sspkit' {
  const lower = registeredName.toLowerCase();
  if (policy === 'prefixed') return lower.startsWith(SYSTEM_PREFIX.toLowerCase()) ? 'windows' : 'sspkit';
  return isMappedPackage(registeredName) ? 'windows' : 'sspkit';
}

/**
 * The same module with its packages registered under other names: `names[i]` for the i-th table
 * (undefined keeps the table's own). Every other member is the original, called on the original
 * table, so a package written as a class keeps its private state.
 */
export function renamePackage(
  module: SecurityPackageModule,
  names: readonly (string | undefined)[],
): SecurityPackageModule {
  const rename = (table: SecpkgFunctionTable, name: string | undefined): SecpkgFunctionTable => {
    if (name === undefined) return table;
    const out: Record<string, unknown> = {};
    for (const key of memberNames(table)) {
      const fn = (table as Record<string, unknown>)[key];
      if (typeof fn === 'function') out[key] = (fn as (...a: unknown[]) => unknown).bind(table);
    }
    out['getInfo'] = () => {
      const r = table.getInfo?.();
      if (!r?.packageInfo) return r ?? { status: SecStatus.SEC_E_INTERNAL_ERROR };
      return { ...r, packageInfo: { ...r.packageInfo, name } };
    };
    return out;
  };
  const renamed: SecurityPackageModule = {
    spLsaModeInitialize: async (v) => {
      const r = await module.spLsaModeInitialize(v);
      return { ...r, tables: r.tables.map((t, i) => rename(t, names[i])) };
    },
  };
  const user = module.spUserModeInitialize;
  if (user) renamed.spUserModeInitialize = (v) => user.call(module, v);
  return renamed;
}

/** Own and prototype method names (a class-based table keeps its members on the prototype). */
function memberNames(table: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = table; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const k of Object.getOwnPropertyNames(o)) if (k !== 'constructor') names.add(k);
  }
  return [...names];
}
