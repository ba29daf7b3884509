/** What EnumerateSecurityPackages says about Digest (SecPkgInfoW). */
import { SecPkgFlag } from '@sspkit/core';
import type { SecPkgInfo } from '@sspkit/core';

/** The package name, as Windows spells it (`SP_NAME_DIGEST`, lookups are case-insensitive). */
export const DIGEST_PACKAGE_NAME = 'Digest';

// RPC_C_AUTHN_DIGEST.
const RPC_ID_DIGEST = 21;

/** Largest handshake token the package produces (the Windows Digest SSP also reports 4096). */
export const DIGEST_MAX_TOKEN = 4096;

/** SecPkgInfoW of the Digest package. */
export const DIGEST_PACKAGE_INFO: SecPkgInfo = {
  name: DIGEST_PACKAGE_NAME,
  comment: 'HTTP Digest (RFC 7616, RFC 2617) and SASL DIGEST-MD5 (RFC 2831)',
  capabilities:
    SecPkgFlag.TOKEN_ONLY |
    SecPkgFlag.INTEGRITY |
    SecPkgFlag.PRIVACY |
    SecPkgFlag.CONNECTION |
    SecPkgFlag.IMPERSONATION |
    SecPkgFlag.ACCEPT_WIN32_NAME |
    SecPkgFlag.MUTUAL_AUTH,
  version: 1,
  rpcId: RPC_ID_DIGEST,
  maxToken: DIGEST_MAX_TOKEN,
};
