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
import { digestOutcome, weaker } from './bitflip/digest-outcome.js';
import type { DigestPolicy } from './bitflip/digest-outcome.js';
import { bitflipMatrix } from './bitflip/matrix.js';

const ntlmAccounts = new InMemoryAccountStore().addPassword('EXAMPLE', 'alice', 'Bitflip-Passw0rd!');
const ntlmUser = { user: 'alice', domain: 'EXAMPLE', password: 'Bitflip-Passw0rd!' };

interface Case {
  readonly name: string;
  readonly package: string;
  readonly modules: readonly SecurityPackageModule[];
  readonly client: { readonly authData: AuthData; readonly targetName: string; readonly requirements?: number };
  readonly server?: { readonly authData?: AuthData; readonly requirements?: number };
  /**
   * Whether a success after a mutation is legitimate somewhere in this protocol (then it must still
   * complete as the genuine user): false where every byte of every token is checked.
   */
  readonly tolerates: boolean;
  /**
   * Digest: what a tolerated run settled on (qop, cipher, algorithm) may not be weaker than the
   * genuine run's, unless this policy (the configuration's allowed ciphers / algorithms) allows it.
   */
  readonly downgrade?: DigestPolicy;
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
    // Every byte is bound: the AUTHENTICATE message by its MIC over all three messages (MS-NLMP
    // §3.1.5.1.2), the challenge through the NTLMv2 response; a flip nowhere succeeds.
    tolerates: false,
  },
  {
    name: 'Digest (SASL)',
    package: 'Digest',
    modules: [digestModule],
    client: { authData: { user: 'alice', password: 'alice-password' }, targetName: 'imap/bitflip.test' },
    // Directive names are case-insensitive and unknown directives are ignored (RFC 2831 §2.1), and
    // the challenge has no integrity protection of its own: a flip in a directive name or in an
    // option offered but not chosen (a qop, cipher or charset) still authenticates alice.
    tolerates: true,
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
    // As for SASL: auth-param names are case-insensitive (RFC 7235 §2.1), unknown ones are ignored
    // and algorithm defaults to MD5 (RFC 7616 §3.3, §3.4).
    tolerates: true,
  },
  {
    name: 'Digest (SASL, confidentiality)',
    package: 'Digest',
    modules: [digestModule],
    client: {
      authData: { user: 'alice', password: 'alice-password' },
      targetName: 'imap/bitflip.test',
      requirements: IscReq.CONFIDENTIALITY | IscReq.INTEGRITY,
    },
    // The challenge offers every qop and the default ciphers (3des, rc4): a flipped challenge may
    // change which of the client's ciphers it picks (both are its policy), never the layer below auth-conf.
    tolerates: true,
    downgrade: { ciphers: digest.STRONG_SASL_CIPHERS },
  },
  {
    name: 'Digest (HTTP, SHA-256)',
    package: 'Digest',
    modules: [digestModule],
    client: {
      authData: { user: 'alice', password: 'alice-password' },
      targetName: '/bitflip',
      requirements: IscReq.HTTP | IscReq.CONNECTION,
    },
    // The client answers every algorithm by default; this server offers and accepts SHA-256 only, so
    // nothing weaker is allowed (Digest README, Security policy: Algorithm).
    server: {
      authData: {
        kind: 'digest-server',
        realm: 'sspkit',
        users: new digest.MemoryUserStore(digest.DEFAULT_DIGEST_DEFAULTS.users),
        algorithm: 'SHA-256',
        // The matrix passes no request URI buffer, as the default-credential case above.
        allowMissingUri: true,
      },
      requirements: AscReq.HTTP | AscReq.CONNECTION,
    },
    tolerates: true,
    downgrade: {},
  },
  {
    name: 'Mock',
    package: 'Mock',
    modules: [mockModule],
    client: { authData: { user: 'alice', password: 'alice-password' }, targetName: 'HTTP/mock' },
    tolerates: false,
  },
  {
    name: 'Negotiate (NTLM inside)',
    package: 'Negotiate',
    modules: [createNegotiateModule({ packages: ['NTLM'] }), ntlmForInProcessPair()],
    client: { authData: { ...NTLM_USER }, targetName: 'HTTP/srv1.example' },
    // negState is not covered by the mechListMIC (RFC 4178 §4.2.2, §5): accept-incomplete flipped to
    // request-mic, or accept-completed to accept-incomplete on the last reply, changes nothing.
    tolerates: true,
  },
];

describe.each(CASES)('$name bit flips and truncations', (c) => {
  it('never answers a tampered token with INTERNAL_ERROR, an empty continue or another user', async () => {
    const sspi = await createSspi({ modules: [...c.modules] });
    const report = await bitflipMatrix({
      sspi,
      package: c.package,
      client: c.client,
      server: c.server ?? {},
      ...(c.downgrade ? { outcome: (_s, run) => digestOutcome(run) } : {}),
    });
    if (c.downgrade) {
      const policy = c.downgrade;
      const genuine = report.genuineOutcome!;
      const downgrades = report.outcomes.flatMap((leg, i) =>
        leg.flatMap((o, j) => {
          const why = weaker(genuine, o ?? '', policy);
          return why === undefined ? [] : [`leg ${i} ${JSON.stringify(report.tolerated[i]![j])}: ${why}`];
        }),
      );
      expect(downgrades).toEqual([]);
    }
    expect(report.legs.length).toBeGreaterThanOrEqual(2);
    expect(report.violations).toEqual([]);
    // A mutation past the end of every fresh token in 20 tries is skipped: rare.
    expect(report.skipped).toBeLessThan(report.runs / 100);
    expect(report.statuses.get(SecStatus.SEC_E_INTERNAL_ERROR)).toBeUndefined();
    if (!c.tolerates) expect(report.tolerated.flat()).toEqual([]);
  }, 120_000);
});

describe('the Digest downgrade check itself', () => {
  const genuine = 'qop=auth-conf cipher=3des algorithm=md5-sess';
  it('flags a weaker layer, cipher or algorithm unless the policy allows it', () => {
    expect(weaker(genuine, 'qop=auth-int cipher=none algorithm=md5-sess', {})).toMatch(/qop auth-int below auth-conf/);
    expect(weaker(genuine, 'qop=auth-conf cipher=des algorithm=md5-sess', {})).toMatch(/cipher des below 3des/);
    expect(weaker(genuine, 'qop=auth-conf cipher=des algorithm=md5-sess', { ciphers: ['des'] })).toBeUndefined();
    expect(weaker(genuine, 'qop=auth-conf cipher=rc4 algorithm=md5-sess', {})).toBeUndefined();
    const sha = 'qop=auth cipher=none algorithm=sha-256';
    expect(weaker(sha, 'qop=auth cipher=none algorithm=md5', {})).toMatch(/algorithm md5 below sha-256/);
    expect(weaker(sha, 'qop=auth cipher=none algorithm=md5', { algorithms: ['md5'] })).toBeUndefined();
  });
  it('reads the choice from the client answer', () => {
    const answer = 'username="alice",realm="r",nonce="n",cnonce="c",nc=00000001,qop=auth-conf,cipher=rc4,response=abc';
    expect(digestOutcome({ tokens: [Buffer.from('realm="r"'), Buffer.from(answer)] })).toBe(
      'qop=auth-conf cipher=rc4 algorithm=md5-sess',
    );
    const http = 'Digest username="alice", realm="r", uri="/", algorithm=SHA-256, response="x", qop=auth, nc=1';
    expect(digestOutcome({ tokens: [Buffer.from(http)] })).toBe('qop=auth cipher=none algorithm=sha-256');
  });
});
