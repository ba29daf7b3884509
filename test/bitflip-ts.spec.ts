/**
 * Bit-flip and truncation matrices (issue 18 §2) for the TypeScript packages: NTLM, Digest (SASL
 * DIGEST-MD5 and HTTP Digest), Mock and Negotiate with NTLM inside. Every token each side receives is
 * flipped bit by bit and truncated at every length, each in a fresh pair of contexts
 * (see bitflip/matrix.ts), and never answered with INTERNAL_ERROR, an empty continue, or a success
 * as anyone but the genuine user.
 */
import { describe, expect, it } from 'vitest';
import { AscReq, createSspi, IscReq, SecStatus } from '@sspkit/core';
import type { AuthData, SecurityPackageModule } from '@sspkit/core';
import * as digest from '@sspkit/digest';
import { createNegotiateModule } from '@sspkit/negotiate';
import { createNtlmModule, InMemoryAccountStore } from '@sspkit/ntlm';
import * as mock from '@sspkit/provider-mock';
import { ntlmForInProcessPair, NTLM_USER } from '../packages/negotiate/test/ntlm-pair.js';
import { bitflipMatrix } from './bitflip/matrix.js';

const ntlmAccounts = new InMemoryAccountStore().addPassword('EXAMPLE', 'alice', 'Bitflip-Passw0rd!');
const ntlmUser = { user: 'alice', domain: 'EXAMPLE', password: 'Bitflip-Passw0rd!' };

interface Case {
  readonly name: string;
  readonly package: string;
  readonly modules: readonly SecurityPackageModule[];
  readonly client: { readonly authData: AuthData; readonly targetName: string; readonly requirements?: number };
  readonly server?: { readonly requirements?: number };
}

const digestModule = {
  spLsaModeInitialize: digest.spLsaModeInitialize,
  spUserModeInitialize: digest.spUserModeInitialize,
};
const mockModule = { spLsaModeInitialize: mock.spLsaModeInitialize, spUserModeInitialize: mock.spUserModeInitialize };

const CASES: readonly Case[] = [
  {
    name: 'NTLM',
    package: 'NTLM',
    // Client and server share this process: the reflection check is opted out, as in conformance.
    modules: [createNtlmModule({ accounts: ntlmAccounts, domain: 'EXAMPLE', allowReflection: true })],
    client: { authData: ntlmUser, targetName: 'HTTP/srv1.example' },
  },
  {
    name: 'Digest (SASL)',
    package: 'Digest',
    modules: [digestModule],
    client: { authData: { user: 'alice', password: 'alice-password' }, targetName: 'imap/bitflip.test' },
  },
  {
    name: 'Digest (HTTP)',
    package: 'Digest',
    modules: [digestModule],
    client: {
      authData: { user: 'alice', password: 'alice-password' },
      targetName: '/bitflip',
      requirements: IscReq.HTTP | IscReq.CONNECTION,
    },
    server: { requirements: AscReq.HTTP | AscReq.CONNECTION },
  },
  {
    name: 'Mock',
    package: 'Mock',
    modules: [mockModule],
    client: { authData: { user: 'alice', password: 'alice-password' }, targetName: 'HTTP/mock' },
  },
  {
    name: 'Negotiate (NTLM inside)',
    package: 'Negotiate',
    modules: [createNegotiateModule({ packages: ['NTLM'] }), ntlmForInProcessPair()],
    client: { authData: { ...NTLM_USER }, targetName: 'HTTP/srv1.example' },
  },
];

describe.each(CASES)('$name bit flips and truncations', (c) => {
  it('never answers a tampered token with INTERNAL_ERROR, an empty continue or another user', async () => {
    const sspi = await createSspi({ modules: [...c.modules] });
    const report = await bitflipMatrix({ sspi, package: c.package, client: c.client, server: c.server ?? {} });
    expect(report.legs.length).toBeGreaterThanOrEqual(2);
    expect(report.violations).toEqual([]);
    expect(report.statuses.get(SecStatus.SEC_E_INTERNAL_ERROR)).toBeUndefined();
  }, 120_000);
});
