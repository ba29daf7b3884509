/** The TS packages the dispatcher targets drive: each with the requirements that give it keys. */
import { AscReq, IscReq, SecPkgFlag } from '@sspkit/core';
import { createDigestModule } from '@sspkit/digest';
import { createNegotiateModule } from '@sspkit/negotiate';
import { InMemoryAccountStore, createNtlmModule } from '@sspkit/ntlm';
import { MockPackage } from '@sspkit/provider-mock';
import type { PackageSetup } from './sspi-harness.js';

const NTLM_USER = { user: 'alice', domain: 'EXAMPLE', password: 'Fuzz-Passw0rd!' };
const PROTECT = IscReq.INTEGRITY | IscReq.CONFIDENTIALITY | IscReq.MUTUAL_AUTH;

// Client and server share this process, which is the reflection pattern: the in-process pair opts out.
const ntlm = () =>
  createNtlmModule({
    accounts: new InMemoryAccountStore().addPassword(NTLM_USER.domain, NTLM_USER.user, NTLM_USER.password),
    domain: NTLM_USER.domain,
    computer: 'SRV1',
    allowReflection: true,
  });

export const SETUPS = {
  mock: {
    package: 'Mock',
    modules: () => [new MockPackage({ logLimit: 0 }).module],
    clientAuthData: { user: 'alice', password: 'alice-password' },
    clientReq: PROTECT,
    serverReq: AscReq.INTEGRITY | AscReq.CONFIDENTIALITY,
    targetName: 'host/fuzz',
    authenticatedLegs: [],
  },
  ntlm: {
    package: 'NTLM',
    modules: () => [ntlm()],
    clientAuthData: NTLM_USER,
    clientReq: PROTECT,
    serverReq: AscReq.INTEGRITY | AscReq.CONFIDENTIALITY,
    targetName: 'HTTP/srv1.example',
    // The MIC covers every byte of AUTHENTICATE ([MS-NLMP] §3.2.5.1.2).
    authenticatedLegs: [2],
  },
  'digest-sasl': {
    package: 'Digest',
    modules: () => [createDigestModule()],
    clientReq: PROTECT,
    serverReq: AscReq.INTEGRITY,
    targetName: 'imap/mail.example',
    authenticatedLegs: [],
  },
  // HTTP mode (RFC 7616 through the SSPI Digest layout): the challenge and the credentials legs.
  'digest-http': {
    package: 'Digest',
    modules: () => [createDigestModule()],
    clientReq: IscReq.HTTP,
    serverReq: AscReq.HTTP,
    targetName: '/index.html',
    authenticatedLegs: [],
  },
  negotiate: {
    package: 'Negotiate',
    modules: () => [createNegotiateModule({ packages: ['NTLM'] }), ntlm()],
    clientAuthData: NTLM_USER,
    clientReq: PROTECT,
    serverReq: AscReq.INTEGRITY | AscReq.CONFIDENTIALITY,
    targetName: 'HTTP/srv1.example',
    // DER is canonical and the NTLM AUTHENTICATE inside carries its MIC ([RFC 4178] §4.2.2).
    authenticatedLegs: [2],
  },
  // Negotiate over a stand-in Kerberos (the Mock under that name, which exports contexts): the packed
  // contexts Negotiate wraps for ImportSecurityContext.
  'negotiate-mock': {
    package: 'Negotiate',
    modules: () => [
      createNegotiateModule({ packages: ['Kerberos'] }),
      new MockPackage({
        name: 'Kerberos',
        legs: 2,
        logLimit: 0,
        capabilities:
          SecPkgFlag.INTEGRITY |
          SecPkgFlag.PRIVACY |
          SecPkgFlag.CONNECTION |
          SecPkgFlag.MUTUAL_AUTH |
          SecPkgFlag.NEGOTIABLE,
      }).module,
    ],
    clientAuthData: { user: 'alice', password: 'alice-password' },
    clientReq: PROTECT,
    serverReq: AscReq.INTEGRITY | AscReq.CONFIDENTIALITY,
    targetName: 'host/fuzz',
    authenticatedLegs: [],
  },
} satisfies Record<string, PackageSetup>;
