/** SecPkgInfo for the two native packages. */
import { SecPkgFlag } from '@sspkit/core';
import type { SecPkgInfo } from '@sspkit/core';

/** Which native package an adapter instance serves. */
export type NativeKind = 'Kerberos' | 'Negotiate';

// What GSSAPI over MIT krb5 really offers: no datagram contexts, no NTLM fallback, no logon.
const COMMON =
  SecPkgFlag.INTEGRITY |
  SecPkgFlag.PRIVACY |
  SecPkgFlag.TOKEN_ONLY |
  SecPkgFlag.CONNECTION |
  SecPkgFlag.EXTENDED_ERROR |
  SecPkgFlag.IMPERSONATION |
  SecPkgFlag.ACCEPT_WIN32_NAME |
  SecPkgFlag.GSS_COMPATIBLE |
  SecPkgFlag.MUTUAL_AUTH |
  SecPkgFlag.DELEGATION |
  SecPkgFlag.READONLY_WITH_CHECKSUM;

/** Windows' cbMaxToken for Kerberos/Negotiate (48000 since Windows 8 / 2012). */
export const MAX_TOKEN = 48000;

/** The package description for `kind`. RPC ids: RPC_C_AUTHN_GSS_KERBEROS 16, _NEGOTIATE 9. */
export function packageInfo(kind: NativeKind): SecPkgInfo {
  return kind === 'Kerberos'
    ? {
        name: 'Kerberos',
        comment: 'Kerberos V5 through the system GSSAPI (MIT krb5)',
        capabilities: (COMMON | SecPkgFlag.NEGOTIABLE) >>> 0,
        version: 1,
        rpcId: 16,
        maxToken: MAX_TOKEN,
      }
    : {
        name: 'Negotiate-MIT',
        comment: 'SPNEGO (RFC 4178) through the system GSSAPI, Kerberos only',
        capabilities: (COMMON | SecPkgFlag.NEGOTIABLE) >>> 0,
        version: 1,
        rpcId: 9,
        maxToken: MAX_TOKEN,
      };
}
