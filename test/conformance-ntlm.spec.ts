/**
 * The conformance suite against the NTLM package. NTLM's own choices are declared as documented
 * statuses.
 */
import { describe, expect, it } from 'vitest';
import { SecStatus } from '@sspkit/core';
import { InMemoryAccountStore, createNtlmModule } from '@sspkit/ntlm';
import { defineConformanceSuite, runConformance } from '@sspkit/conformance';
import type { ConformanceOptions } from '@sspkit/conformance';

const PASSWORD = 'Conformance-Passw0rd!';

function options(): ConformanceOptions {
  const accounts = new InMemoryAccountStore().addPassword('EXAMPLE', 'alice', PASSWORD);
  return {
    // Client and server share this process: the harness is the reflection pattern, so it opts out.
    module: createNtlmModule({ accounts, domain: 'EXAMPLE', computer: 'SRV1', allowReflection: true }),
    source: '@sspkit/ntlm',
    client: { authData: { user: 'alice', domain: 'EXAMPLE', password: PASSWORD }, targetName: 'HTTP/srv1.example' },
    // With Extended Session Security the sequence number is inside the HMAC (MS-NLMP §3.4.4.2), so a
    // replayed or reordered message simply fails the MAC: NTLM answers SEC_E_MESSAGE_ALTERED.
    documented: {
      'per-message.replay': [SecStatus.SEC_E_MESSAGE_ALTERED, SecStatus.SEC_E_OUT_OF_SEQUENCE],
      'per-message.reorder': [SecStatus.SEC_E_MESSAGE_ALTERED, SecStatus.SEC_E_OUT_OF_SEQUENCE],
    },
  };
}

defineConformanceSuite({ ...options(), test: { describe, it } });

describe('NTLM conformance report', () => {
  it('has no failing check', async () => {
    const report = await runConformance(options());
    expect(report.checks.filter((c) => c.outcome === 'fail').map((c) => [c.id, c.step, c.seen])).toEqual([]);
  });
});
