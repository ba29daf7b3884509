/**
 * The SSP/AP function tables of one Windows package: every member a thin call into secur32 with the
 * handle tables in between, one implementation shared by Negotiate, Kerberos, NTLM and WDigest (the
 * package name is all that differs, as in secur32's own dispatch).
 */
import { SecPkgInterfaceVersion, SecStatus } from '@sspkit/core';
import type { SecPkgInfo, SecpkgFunctionTable, SecpkgUserFunctionTable, SecurityPackageModule } from '@sspkit/core';
import { windowsLibrary, isAvailable } from '../ffi/library.js';
import { systemPackageName } from '../names.js';
import type { NamingPolicy, WindowsPackageName } from '../names.js';
import { queryAttribute } from './attributes.js';
import { acquire, freeCredential } from './credentials.js';
import { acceptLeg, deleteContext, initLeg } from './handshake.js';
import { enumeratePackages } from './info.js';
import { completeAuthToken, makeSignature, sealMessage, unsealMessage, verifySignature } from './messages.js';
import { HandleTables } from './state.js';
import type { Native } from './state.js';
import { contextToken } from './token.js';
import { exportContext, importContext, impersonate, revert } from './transfer.js';

const num = (h: number | bigint): number => Number(h);

/** One Windows package: its module, and the real Impersonate/Revert on its own context handles. */
export interface WindowsPackage {
  readonly windowsName: WindowsPackageName;
  readonly module: SecurityPackageModule;
  /** The package's handle tables (their sizes are what leak checks read). */
  readonly tables: HandleTables;
  /** ImpersonateSecurityContext on a context handle of this package (an LSA handle, as the tables see it). */
  impersonate(contextHandle: number): { status: number; cause?: unknown };
  /** RevertSecurityContext. */
  revert(contextHandle: number): number;
}

/** Options of {@link createWindowsPackage}. */
export interface WindowsPackageOptions {
  /** How the package is named in a registry (default `'windows'`: its Windows name). */
  readonly naming?: NamingPolicy;
  /** The native side (tests pass a fake; default: secur32.dll through koffi, Windows only). */
  readonly native?: Native;
}

/** The package's SecPkgInfo as secur32 enumerates it, under the registry name the policy gives. */
function infoFor(native: Native, windowsName: WindowsPackageName, name: string): SecPkgInfo | undefined {
  const found = enumeratePackages(native).packages.find((p) => p.name.toLowerCase() === windowsName.toLowerCase());
  return found ? { ...found, name } : undefined;
}

/** Builds the tables of one Windows package. Nothing native is touched until the registry initialises it. */
export function createWindowsPackage(
  windowsName: WindowsPackageName,
  options: WindowsPackageOptions = {},
): WindowsPackage {
  const tables = new HandleTables();
  const name = systemPackageName(windowsName, options.naming ?? 'windows');
  let nativeSide: Native | undefined = options.native;
  const n = (): Native => (nativeSide ??= windowsLibrary());
  let info: SecPkgInfo | undefined;
  // Windows' Kerberos and Negotiate cbMaxToken (48000 since Windows 8) when secur32 has not said.
  const maxToken = (): number => (info && info.maxToken > 0 ? info.maxToken : 48000);
  const lsa: SecpkgFunctionTable = {
    // Refusing here leaves the package out of the registry (off Windows, or not enumerated by secur32).
    initialize: () => {
      if (!options.native && !isAvailable().available) return SecStatus.SEC_E_SECPKG_NOT_FOUND;
      info = infoFor(n(), windowsName, name);
      return info ? SecStatus.SEC_E_OK : SecStatus.SEC_E_SECPKG_NOT_FOUND;
    },
    shutdown: () => {
      for (const h of [...tables.contexts.keys()]) deleteContext(n(), tables, h);
      for (const h of [...tables.creds.keys()]) freeCredential(n(), tables, h);
      return SecStatus.SEC_E_OK;
    },
    getInfo: () =>
      info
        ? { status: SecStatus.SEC_E_OK, packageInfo: info }
        : { status: SecStatus.SEC_E_OK, packageInfo: placeholderInfo(name) },
    acquireCredentialsHandle: (principal, use, _logonId, authData) =>
      acquire(n(), tables, windowsName, principal, use, authData),
    freeCredentialsHandle: (h) => freeCredential(n(), tables, num(h)),
    initLsaModeContext: (cred, ctx, target, req, rep, input, output) =>
      initLeg(n(), tables, opt(cred), opt(ctx), target, req, rep, input, output, maxToken()),
    acceptLsaModeContext: (cred, ctx, input, req, rep, output) =>
      acceptLeg(n(), tables, opt(cred), opt(ctx), req, rep, input, output, maxToken()),
    deleteContext: (h) => deleteContext(n(), tables, num(h)),
    queryContextAttributes: (h, attr) => queryAttribute(n(), tables, name, num(h), attr),
  };
  const user: SecpkgUserFunctionTable = {
    instanceInit: () => SecStatus.SEC_E_OK,
    makeSignature: (h, qop, desc, seq) => makeSignature(n(), tables, num(h), qop, desc, seq),
    verifySignature: (h, desc, seq, qop) => verifySignature(n(), tables, num(h), desc, seq, qop),
    sealMessage: (h, qop, desc, seq) => sealMessage(n(), tables, num(h), qop, desc, seq),
    unsealMessage: (h, desc, seq, qop) => unsealMessage(n(), tables, num(h), desc, seq, qop),
    getContextToken: (h) => contextToken(n(), tables, name, num(h)),
    queryContextAttributes: (h, attr) => queryAttribute(n(), tables, name, num(h), attr),
    completeAuthToken: (h, desc) => completeAuthToken(n(), tables, num(h), desc),
    exportContext: (h, flags) => exportContext(n(), tables, num(h), flags),
    importContext: (packed) => importContext(n(), tables, windowsName, packed),
    failureCause: (h) => tables.contexts.get(num(h))?.lastFailure,
  };
  const module: SecurityPackageModule = {
    spLsaModeInitialize: () => ({
      status: SecStatus.SEC_E_OK,
      packageVersion: SecPkgInterfaceVersion.VERSION,
      tables: [lsa],
    }),
    spUserModeInitialize: () => ({
      status: SecStatus.SEC_E_OK,
      packageVersion: SecPkgInterfaceVersion.VERSION,
      tables: [user],
    }),
  };
  return {
    windowsName,
    module,
    tables,
    impersonate: (h) => impersonate(n(), tables, h),
    revert: (h) => revert(n(), tables, h),
  };
}

function opt(h: number | bigint | undefined): number | undefined {
  return h === undefined ? undefined : Number(h);
}

/** What GetInfo says before Initialize has read secur32's own description (the registry asks after). */
function placeholderInfo(name: string): SecPkgInfo {
  return {
    name,
    comment: 'Windows security package (secur32.dll)',
    capabilities: 0,
    version: 1,
    rpcId: 0xffff,
    maxToken: 0,
  };
}
