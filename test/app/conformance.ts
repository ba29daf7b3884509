/**
 * Before trusting a package (ours, a third party's, a new version), run the conformance suite on it
 * programmatically with the configuration the application uses (`node dist/conformance.js`).
 */
import { runConformance } from '@sspkit/conformance';
import { SecStatus } from '@sspkit/core';
import { InMemoryAccountStore, createNtlmModule } from '@sspkit/ntlm';

const password = 'Conformance-Passw0rd!';
const accounts = new InMemoryAccountStore().addPassword('EXAMPLE', 'probe', password);
const report = await runConformance({
  // The suite runs client and server in this process: the reflection pattern NTLM refuses by default.
  module: createNtlmModule({ accounts, domain: 'EXAMPLE', computer: 'APP1', allowReflection: true }),
  source: '@sspkit/ntlm',
  client: { authData: { user: 'probe', domain: 'EXAMPLE', password }, targetName: 'HTTP/app.example' },
  // NTLM's sequence number sits inside its MAC (MS-NLMP 3.4.4.2): a replay fails as an altered message.
  documented: {
    'per-message.replay': [SecStatus.SEC_E_MESSAGE_ALTERED, SecStatus.SEC_E_OUT_OF_SEQUENCE],
    'per-message.reorder': [SecStatus.SEC_E_MESSAGE_ALTERED, SecStatus.SEC_E_OUT_OF_SEQUENCE],
  },
});
const failed = report.checks.filter((c) => c.outcome === 'fail').map((c) => c.id);
console.log(JSON.stringify({ package: report.package.name, ok: report.ok, summary: report.summary, failed }));
process.exitCode = report.ok ? 0 : 1;
