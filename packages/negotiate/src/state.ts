/** Package-wide state of one Negotiate instance: configuration, helpers, handles. */
import { SecPkgFlag } from '@sspkit/core';
import type { LsaSecHandle, LsaSecpkgFunctionTable, SecPkgInfo } from '@sspkit/core';
import type { NegotiateContext } from './context.js';
import type { NegotiateCredential } from './credentials.js';

/** Settings for {@link createNegotiateModule}. */
export interface NegotiateConfig {
  /** Package name (default "Negotiate"); another name lets two instances coexist in one registry. */
  readonly name?: string;
  /** Packages to negotiate, in preference order (default Kerberos, then NTLM). */
  readonly packages?: readonly string[];
  /**
   * Answer an AcceptSecurityContext without an input token with a NegTokenInit2 ([MS-SPNG] §3.2.5.2),
   * for protocols where the server speaks first (SMB). Off by default: HTTP and most others start on
   * the client side, and there an empty first leg is the caller's mistake.
   */
  readonly serverInitiated?: boolean;
}

/** The default preference order, as Windows' Negotiate orders its packages. */
export const DEFAULT_PACKAGES: readonly string[] = ['Kerberos', 'NTLM'];

/**
 * cbMaxToken: the largest composed token plus SPNEGO framing. Windows reports 48256 for Negotiate
 * (Kerberos' 48000 and room for the wrapper).
 */
export const NEGOTIATE_MAX_TOKEN = 48256;

/** Negotiate's SecPkgInfo (RPC_C_AUTHN_GSS_NEGOTIATE = 9). */
export function negotiateInfo(name: string): SecPkgInfo {
  return {
    name,
    comment: 'SPNEGO (RFC 4178 / MS-SPNG) over the registered packages, pure TypeScript',
    capabilities:
      (SecPkgFlag.INTEGRITY |
        SecPkgFlag.PRIVACY |
        SecPkgFlag.TOKEN_ONLY |
        SecPkgFlag.CONNECTION |
        SecPkgFlag.MULTI_REQUIRED |
        SecPkgFlag.EXTENDED_ERROR |
        SecPkgFlag.IMPERSONATION |
        SecPkgFlag.ACCEPT_WIN32_NAME |
        SecPkgFlag.NEGOTIABLE |
        SecPkgFlag.GSS_COMPATIBLE |
        SecPkgFlag.MUTUAL_AUTH) >>>
      0,
    version: 1,
    rpcId: 9,
    maxToken: NEGOTIATE_MAX_TOKEN,
  };
}

export class NegotiateState {
  readonly config: NegotiateConfig;
  readonly info: SecPkgInfo;
  readonly creds = new Map<LsaSecHandle, NegotiateCredential>();
  readonly contexts = new Map<LsaSecHandle, NegotiateContext>();
  helpers: LsaSecpkgFunctionTable | undefined;
  #next = 1;

  constructor(config: NegotiateConfig) {
    this.config = config;
    this.info = negotiateInfo(config.name ?? 'Negotiate');
  }

  nextHandle(): number {
    return this.#next++;
  }

  get packages(): readonly string[] {
    return this.config.packages ?? DEFAULT_PACKAGES;
  }
}
