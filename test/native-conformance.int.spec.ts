/**
 * The shared conformance suite (@sspkit/conformance) for Kerberos and Negotiate, against the lab
 * KDC. Checks whose gate the package does not meet are reported as skipped with the reason.
 */
import { afterAll, describe, it } from 'vitest';
import { defineConformanceSuite } from '@sspkit/conformance';
import { kerberosModule, negotiateModule } from '@sspkit/provider-native';
import { startLab, stopLab } from './native/lab.js';

// The lab must exist before the suite is defined (its options carry the lab's paths and password).
const lab = await startLab();
afterAll(async () => {
  await stopLab(lab);
});

for (const [packageName, module] of [
  ['Kerberos', kerberosModule],
  ['Negotiate-MIT', negotiateModule],
] as const) {
  defineConformanceSuite({
    module,
    packageName,
    source: '@sspkit/provider-native',
    title: `SSPI conformance: ${packageName} (native GSSAPI)`,
    test: { describe, it },
    client: {
      authData: { user: 'alice', domain: lab.realm, password: lab.password },
      targetName: 'HTTP/localhost',
      expectedUser: lab.userPrincipal,
    },
    server: { authData: { keytab: lab.serviceKeytab } },
  });
}
