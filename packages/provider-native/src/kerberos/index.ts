/** The Kerberos package: the krb5 GSS mechanism behind the SSP/AP tables. */
import type { SecurityPackageModule } from '@sspkit/core';
import { nativeModule } from '../adapter/tables.js';
import type { NativeModuleOptions } from '../adapter/tables.js';

/** Module for `Kerberos` (pass it to `createSspi({ modules })` or `Registry.load`). */
export const kerberosModule = nativeModule('Kerberos');

/**
 * A `Kerberos` module of its own (own handle tables) with package-wide options, e.g. the
 * `replayStore` every server instance shares: `createKerberosModule({ replayStore })`.
 */
export function createKerberosModule(options: NativeModuleOptions = {}): SecurityPackageModule {
  return nativeModule('Kerberos', options);
}

/**
 * SpLsaModeInitialize of the Kerberos package, so this file is itself a loadable package module.
 * @public
 */
export const spLsaModeInitialize = kerberosModule.spLsaModeInitialize;
const userModeInitialize = kerberosModule.spUserModeInitialize;
if (userModeInitialize === undefined) throw new Error('the Kerberos module has no user table');
/**
 * SpUserModeInitialize of the Kerberos package: with both initialisers this file is a complete package
 * module, loaded by path (`sspkit conformance packages/provider-native/src/kerberos/index.ts`).
 * @public
 */
export const spUserModeInitialize = userModeInitialize;
