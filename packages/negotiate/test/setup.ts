/** A registry with Negotiate over a stand-in "Kerberos" (the Mock, two legs: mutual) and the real NTLM. */
import { createSspi, SecPkgFlag } from '@sspkit/core';
import type { SspiDispatcher } from '@sspkit/core';
import { MockPackage } from '@sspkit/provider-mock';
import { createNegotiateModule } from '../src/index.js';
import type { NegotiateConfig } from '../src/index.js';
import { ntlmForInProcessPair } from './ntlm-pair.js';

/** The Mock under the name Kerberos: Negotiate maps that name to the krb5 OID. */
export function fakeKerberos(): MockPackage {
  return new MockPackage({
    name: 'Kerberos',
    legs: 2,
    capabilities:
      SecPkgFlag.INTEGRITY |
      SecPkgFlag.PRIVACY |
      SecPkgFlag.CONNECTION |
      SecPkgFlag.MUTUAL_AUTH |
      SecPkgFlag.NEGOTIABLE,
  });
}

export async function negotiateSspi(
  options: { kerberos?: MockPackage | false; config?: NegotiateConfig } = {},
): Promise<SspiDispatcher> {
  const modules = [createNegotiateModule(options.config ?? {}), ntlmForInProcessPair()];
  const krb = options.kerberos === undefined ? fakeKerberos() : options.kerberos;
  if (krb) modules.push(krb.module);
  return createSspi({ modules });
}
