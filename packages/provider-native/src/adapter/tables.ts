/**
 * The SSP/AP function tables of a native package, shared by Kerberos (krb5 mechanism) and
 * Negotiate (SPNEGO mechanism): one adapter, parametrised by the mechanism, so the two cannot drift.
 */
import { SecPkgInterfaceVersion, SecStatus } from '@sspkit/core';
import type { SecpkgFunctionTable, SecpkgUserFunctionTable, SecurityPackageModule } from '@sspkit/core';
import { isAvailable } from '../ffi/index.js';
import type { GssMech } from '../ffi/index.js';
import { queryAttribute } from './attributes.js';
import { acquire, free, queryCredentialAttribute } from './credentials.js';
import { acceptLeg, initLeg } from './handshake.js';
import { packageInfo } from './info.js';
import type { NativeKind } from './info.js';
import { makeSignature, sealMessage, unsealMessage, verifySignature } from './messages.js';
import { invalidReplayOptions } from './replay.js';
import type { NativeReplayOptions } from './replay.js';
import { HandleTables } from './state.js';
import { contextToken } from './token.js';
import { exportContext, importContext } from './transfer.js';

const MECH: Readonly<Record<NativeKind, GssMech>> = { Kerberos: 'krb5', Negotiate: 'spnego' };

function num(h: number | bigint): number {
  return Number(h);
}

/** Builds the two tables of one native package over fresh handle tables. */
function nativeTables(
  kind: NativeKind,
  options: NativeModuleOptions,
): {
  lsa: SecpkgFunctionTable;
  user: SecpkgUserFunctionTable;
  tables: HandleTables;
} {
  const tables = new HandleTables();
  const mech = MECH[kind];
  const lsa: SecpkgFunctionTable = {
    // Refusing here leaves the package out of the registry instead of failing later calls.
    initialize: () => (isAvailable().available ? SecStatus.SEC_E_OK : SecStatus.SEC_E_SECPKG_NOT_FOUND),
    shutdown: () => {
      for (const h of [...tables.contexts.keys()]) tables.dropContext(h);
      for (const h of [...tables.creds.keys()]) free(tables, h);
      tables.targets.clear();
      return SecStatus.SEC_E_OK;
    },
    getInfo: () => ({ status: SecStatus.SEC_E_OK, packageInfo: packageInfo(kind) }),
    acquireCredentialsHandle: (principal, use, _logonId, authData) => acquire(tables, mech, principal, use, authData),
    queryCredentialsAttributes: (h, attr) => queryCredentialAttribute(tables, num(h), attr),
    freeCredentialsHandle: (h) => free(tables, num(h)),
    initLsaModeContext: (cred, ctx, target, req, _rep, input, output) =>
      initLeg(
        tables,
        mech,
        cred === undefined ? undefined : num(cred),
        ctx === undefined ? undefined : num(ctx),
        target,
        req,
        input,
        output,
      ),
    acceptLsaModeContext: (cred, ctx, input, req, _rep, output) =>
      acceptLeg(
        tables,
        mech,
        cred === undefined ? undefined : num(cred),
        ctx === undefined ? undefined : num(ctx),
        req,
        input,
        output,
        options,
      ),
    deleteContext: (h) => (tables.dropContext(num(h)) ? SecStatus.SEC_E_OK : SecStatus.SEC_E_INVALID_HANDLE),
    queryContextAttributes: (h, attr) => queryAttribute(tables, kind, num(h), attr),
  };
  const user: SecpkgUserFunctionTable = {
    instanceInit: () => SecStatus.SEC_E_OK,
    makeSignature: (h, qop, desc) => makeSignature(tables, num(h), qop, desc),
    verifySignature: (h, desc, _seq, qop) => verifySignature(tables, num(h), desc, qop),
    sealMessage: (h, qop, desc) => sealMessage(tables, num(h), qop, desc),
    unsealMessage: (h, desc, _seq, qop) => unsealMessage(tables, num(h), desc, qop),
    getContextToken: (h) => contextToken(tables, kind, num(h)),
    queryContextAttributes: (h, attr) => queryAttribute(tables, kind, num(h), attr),
    exportContext: (h, flags) => exportContext(tables, num(h), flags),
    importContext: (packed) => importContext(tables, mech, packed),
    failureCause: (h) => tables.contexts.get(num(h))?.lastFailure,
  };
  return { lsa, user, tables };
}

/**
 * Options of a native package module: the package-wide defaults of what an acceptor credential may
 * also set in its auth data (the credential's settings win).
 */
export type NativeModuleOptions = NativeReplayOptions;

/** A package module (SpLsaModeInitialize / SpUserModeInitialize) for one native package. */
export function nativeModule(kind: NativeKind, options: NativeModuleOptions = {}): SecurityPackageModule {
  const bad = invalidReplayOptions(options);
  if (bad !== undefined) throw new TypeError(`${kind} module options: ${bad}`);
  let built: ReturnType<typeof nativeTables> | undefined;
  const get = (): ReturnType<typeof nativeTables> => (built ??= nativeTables(kind, options));
  return {
    spLsaModeInitialize: () => ({
      status: SecStatus.SEC_E_OK,
      packageVersion: SecPkgInterfaceVersion.VERSION,
      tables: [get().lsa],
    }),
    spUserModeInitialize: () => ({
      status: SecStatus.SEC_E_OK,
      packageVersion: SecPkgInterfaceVersion.VERSION,
      tables: [get().user],
    }),
  };
}
