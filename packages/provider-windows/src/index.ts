/**
 * @sspkit/provider-windows: Windows' own security packages (secur32.dll) behind sspkit's SSP/AP
 * tables. The FFI layer (src/ffi) is the only code that loads koffi, and only on Windows.
 */
import { MAPPED_PACKAGES } from './names.js';
import { createWindowsPackage } from './adapter/tables.js';
import type { WindowsPackage, WindowsPackageOptions } from './adapter/tables.js';
import { processToken } from './adapter/token.js';
import { windowsLibrary } from './ffi/library.js';
import type { AccessToken } from '@sspkit/core';

export { isAvailable } from './ffi/library.js';
export type { Availability } from './ffi/library.js';
export { createWindowsPackage } from './adapter/tables.js';
export type { WindowsPackage, WindowsPackageOptions } from './adapter/tables.js';
export { liveHandleCount } from './adapter/state.js';
export {
  MAPPED_PACKAGES,
  SSPKIT_PREFIX,
  SYSTEM_PREFIX,
  isMappedPackage,
  providerOf,
  renamePackage,
  sspkitPackageName,
  systemPackageName,
} from './names.js';
export type { NamingPolicy, WindowsPackageName } from './names.js';
export { mapSecur32Status, ntStatusMappings } from './status.js';
export type { MappedStatus, Secur32Call } from './status.js';

/**
 * One {@link WindowsPackage} per package the provider maps (Negotiate, Kerberos, NTLM, WDigest). Load
 * each `module` into a registry; the ones secur32 does not enumerate (Wine has no WDigest) refuse
 * to initialise and are left out, with the reason, as a missing package should be.
 */
export function windowsPackages(options: WindowsPackageOptions = {}): WindowsPackage[] {
  return MAPPED_PACKAGES.map((name) => createWindowsPackage(name, options));
}

/** The access token this process runs with (OpenProcessToken), in sspkit's token shape; Windows only. */
export function currentProcessToken(): AccessToken | undefined {
  return processToken(windowsLibrary());
}
