/**
 * MIT's SPNEGO through GSSAPI, registered as `Negotiate-MIT`: it negotiates Kerberos only. The package
 * called `Negotiate` is @sspkit/negotiate; this one stays as an interop reference and benchmark baseline.
 */
import type { SecurityPackageModule } from '@sspkit/core';
import { nativeModule } from '../adapter/tables.js';
import type { NativeModuleOptions } from '../adapter/tables.js';

/** Module for `Negotiate-MIT`. */
export const negotiateModule = nativeModule('Negotiate');

/** A `Negotiate-MIT` module of its own with package-wide options (`{ replayStore }`, …). */
export function createNegotiateMitModule(options: NativeModuleOptions = {}): SecurityPackageModule {
  return nativeModule('Negotiate', options);
}

/**
 * SpLsaModeInitialize of the Negotiate-MIT package, so this file is itself a loadable package module.
 * @public
 */
export const spLsaModeInitialize = negotiateModule.spLsaModeInitialize;
const userModeInitialize = negotiateModule.spUserModeInitialize;
if (userModeInitialize === undefined) throw new Error('the Negotiate module has no user table');
/**
 * SpUserModeInitialize of the Negotiate package: with both initialisers this file is a complete package
 * module, loaded by path (`sspkit conformance packages/provider-native/src/negotiate/index.ts`).
 * @public
 */
export const spUserModeInitialize = userModeInitialize;
