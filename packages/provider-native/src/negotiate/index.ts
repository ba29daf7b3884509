/** The Negotiate package: SPNEGO (RFC 4178) through GSSAPI; it negotiates Kerberos only. */
import { nativeModule } from '../adapter/tables.js';

/** Module for `Negotiate`. */
export const negotiateModule = nativeModule('Negotiate');

/**
 * SpLsaModeInitialize of the Negotiate package, so this file is itself a loadable package module.
 * @public
 */
export const spLsaModeInitialize = negotiateModule.spLsaModeInitialize;
