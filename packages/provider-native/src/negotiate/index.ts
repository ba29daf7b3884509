/** The Negotiate package: SPNEGO (RFC 4178) through GSSAPI; it negotiates Kerberos only. */
import { nativeModule } from '../adapter/tables.js';

/** Module for `Negotiate`. */
export const negotiateModule = nativeModule('Negotiate');

/**
 * SpLsaModeInitialize of the Negotiate package, so this file is itself a loadable package module.
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
