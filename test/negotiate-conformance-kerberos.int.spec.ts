/**
 * The conformance suite against Negotiate with Kerberos inside (MIT through the native binding),
 * against the lab KDC. Negotiate and Kerberos are loaded as one module, so the harness's fresh
 * registry holds both.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { defineConformanceSuite, runConformance } from '@sspkit/conformance';
import type { ConformanceOptions } from '@sspkit/conformance';
import { createNegotiateModule } from '@sspkit/negotiate';
import { kerberosModule } from '@sspkit/provider-native';
import { bundleModules } from './negotiate/bundle.js';
import { startLab, stopLab } from './native/lab.js';

// The lab must exist before the suite is defined (its options carry the lab's paths and password).
const lab = await startLab();
afterAll(async () => {
  await stopLab(lab);
});

function options(): ConformanceOptions {
  return {
    module: bundleModules(createNegotiateModule({ packages: ['Kerberos'] }), kerberosModule),
    packageName: 'Negotiate',
    source: '@sspkit/negotiate + @sspkit/provider-native',
    client: {
      authData: { user: 'alice', domain: lab.realm, password: lab.password },
      targetName: 'HTTP/localhost',
      expectedUser: lab.userPrincipal,
    },
    server: { authData: { keytab: lab.serviceKeytab } },
    skip: {
      // Windows semantics: a network logon through Negotiate belongs to the package that authenticated
      // it (Kerberos here; SECPKG_ATTR_NEGOTIATION_PACKAGE says the same), while this check expects the
      // name of the package under test.
      'token.server': 'the token names the negotiated package (Kerberos), as on Windows, not "Negotiate"',
    },
  };
}

defineConformanceSuite({
  ...options(),
  title: 'SSPI conformance: Negotiate (Kerberos inside)',
  test: { describe, it },
});

describe('Negotiate (Kerberos inside) conformance report', () => {
  it('has no failing check', async () => {
    const report = await runConformance(options());
    expect(report.checks.filter((c) => c.outcome === 'fail').map((c) => [c.id, c.step, c.seen])).toEqual([]);
  });
});
