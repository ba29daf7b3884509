/**
 * MIT's SPNEGO through GSSAPI, registered as `Negotiate-MIT`: it negotiates Kerberos only. The package
 * called `Negotiate` is @sspkit/negotiate; this one stays as an interop reference and benchmark baseline.
 */
import { nativeModule } from '../adapter/tables.js';

/** Module for `Negotiate-MIT`. */
export const negotiateModule = nativeModule('Negotiate');

/**
 * SpLsaModeInitialize of the Negotiate-MIT package, so this file is itself a loadable package module.
 * @public
 */
export const spLsaModeInitialize = negotiateModule.spLsaModeInitialize;
