/**
 * In Windows: the conformance suite (@sspkit/conformance) against one Windows package, named by the
 * first argument (Kerberos, Negotiate, NTLM). Credentials: the environment's (the lab's ccache and
 * keytab through KRB5CCNAME / KRB5_KTNAME); SSPKIT_USER, SSPKIT_DOMAIN, SSPKIT_PASSWORD give the
 * explicit identity for the checks that need a password; SSPKIT_TARGET the service; SSPKIT_ONLY a
 * comma-separated list of check ids to run alone.
 */
import { runConformance } from '@sspkit/conformance';
import { createWindowsPackage, isMappedPackage } from '../../src/index.js';
import { main } from './support.js';

const env = (k: string): string => process.env[k] ?? '';

await main(async () => {
  const name = process.argv[2] ?? '';
  if (!isMappedPackage(name)) throw new Error(`not a Windows package the provider maps: ${name}`);
  const pkg = createWindowsPackage(name);
  const only = env('SSPKIT_ONLY');
  const report = await runConformance({
    ...(only !== '' ? { only: only.split(',') } : {}),
    module: pkg.module,
    source: `@sspkit/provider-windows:${name}`,
    client: {
      authData: { user: env('SSPKIT_USER'), domain: env('SSPKIT_DOMAIN'), password: env('SSPKIT_PASSWORD') },
      targetName: env('SSPKIT_TARGET'),
      expectedUser: env('SSPKIT_EXPECTED_USER'),
    },
  });
  return {
    package: report.package.name,
    baseline: report.baseline,
    summary: report.summary,
    checks: report.checks.map((c) => ({
      id: c.id,
      outcome: c.outcome,
      required: c.required,
      ...('seen' in c ? { seen: c.seen, expected: c.expected, step: c.step } : {}),
      ...('reason' in c ? { reason: c.reason } : {}),
    })),
  };
});
