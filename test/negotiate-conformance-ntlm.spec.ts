/**
 * The conformance suite against Negotiate with NTLM inside (no KDC needed). Negotiate and the NTLM it
 * composes are loaded as one module, so the harness's fresh registry holds both.
 */
import { describe, expect, it } from 'vitest';
import { SecStatus } from '@sspkit/core';
import { defineConformanceSuite, runConformance } from '@sspkit/conformance';
import type { ConformanceOptions } from '@sspkit/conformance';
import { createNegotiateModule } from '@sspkit/negotiate';
import { ntlmForInProcessPair, NTLM_USER } from '../packages/negotiate/test/ntlm-pair.js';
import { bundleModules } from './negotiate/bundle.js';

function options(): ConformanceOptions {
  return {
    module: bundleModules(createNegotiateModule({ packages: ['NTLM'] }), ntlmForInProcessPair()),
    packageName: 'Negotiate',
    source: '@sspkit/negotiate + @sspkit/ntlm',
    client: { authData: { ...NTLM_USER }, targetName: 'HTTP/srv1.example' },
    // The chosen package answers per-message calls: NTLM's documented statuses (see conformance-ntlm).
    skip: {
      // Windows semantics: a network logon through Negotiate belongs to the package that authenticated
      // it (the token says NTLM or Kerberos; SECPKG_ATTR_NEGOTIATION_PACKAGE says the same), while
      // this check expects the name of the package under test.
      'token.server': 'the token names the negotiated package (NTLM), as on Windows, not "Negotiate"',
      // Negotiate hands export to the chosen package, and NTLM has no ExportSecurityContext.
      'export-import.continues-stream': 'NTLM, the package inside, does not export contexts',
    },
    documented: {
      'per-message.replay': [SecStatus.SEC_E_MESSAGE_ALTERED, SecStatus.SEC_E_OUT_OF_SEQUENCE],
      'per-message.reorder': [SecStatus.SEC_E_MESSAGE_ALTERED, SecStatus.SEC_E_OUT_OF_SEQUENCE],
    },
  };
}

defineConformanceSuite({ ...options(), title: 'SSPI conformance: Negotiate (NTLM inside)', test: { describe, it } });

describe('Negotiate (NTLM inside) conformance report', () => {
  it('has no failing check', async () => {
    const report = await runConformance(options());
    expect(report.checks.filter((c) => c.outcome === 'fail').map((c) => [c.id, c.step, c.seen])).toEqual([]);
  });
});
