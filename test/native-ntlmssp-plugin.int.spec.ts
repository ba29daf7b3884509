/**
 * Where gss-ntlmssp is registered system-wide (/etc/gss/mech.d, as CI installs it), MIT's SPNEGO
 * with default credentials and no realm used to crash the process (SIGSEGV: the plugin's OpenSSL
 * calls bind to Node's). The native package now leaves the plugin out of its mechanism list: the
 * conformance run of the MIT SPNEGO package without any Kerberos environment finishes with a report.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const registered =
  existsSync('/etc/gss/mech.d') &&
  readdirSync('/etc/gss/mech.d').some((f) =>
    readFileSync(`/etc/gss/mech.d/${f}`, 'utf8').includes('1.3.6.1.4.1.311.2.2.10'),
  );

describe.skipIf(!registered)('the MIT SPNEGO package with gss-ntlmssp registered system-wide', () => {
  it('runs the conformance suite without a realm to the end (a report, not a crash)', () => {
    const bin = fileURLToPath(new URL('../packages/cli/bin/sspkit.mjs', import.meta.url));
    const entry = fileURLToPath(new URL('../packages/provider-native/src/negotiate/index.ts', import.meta.url));
    const env = { ...process.env };
    for (const k of [
      'GSS_MECH_CONFIG',
      'KRB5_CONFIG',
      'KRB5CCNAME',
      'KRB5_KTNAME',
      'KRB5_CLIENT_KTNAME',
      'KRB5RCACHEDIR',
    ])
      delete env[k];
    const r = spawnSync(process.execPath, [bin, 'conformance', entry, '--json'], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status, r.stderr).not.toBe(139);
    expect(JSON.parse(r.stdout)).toMatchObject({ schema: 'sspkit.conformance/1' });
  });
});
