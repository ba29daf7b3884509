/**
 * Windows Node under Wine, driven from Linux (test/wine/README.md): node.exe starts in the private
 * prefix, reports win32, loads koffi's Windows build, and secur32 enumerates the packages the Windows
 * provider maps (Kerberos, NTLM, Negotiate). Skipped, with the reason printed, when Wine is missing
 * (never under SSPKIT_STRICT=1: there a missing Wine fails).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, stopLab } from './native/lab.js';
import { startWine, toWinPath, wineAvailable } from './wine/harness.js';
import { wineKerberosEnv } from './wine/kerberos.js';
import type { WineSession } from './wine/harness.js';

const available = wineAvailable();
if (!available.ok) console.warn(`wine-smoke: ${available.reason}; skipping`);

const SMOKE = join(import.meta.dirname, 'wine/win/smoke.ts');
const PROBE = join(import.meta.dirname, 'wine/win/probe.ts');

describe.skipIf(!available.ok)('Windows Node under Wine', () => {
  let wine: WineSession | undefined;
  // Building the cached environment on a cold cache takes most of a minute (wineboot, node.exe).
  beforeAll(async () => {
    wine = await startWine();
  }, 300_000);
  afterAll(() => wine?.stop());

  it('starts as win32, loads koffi and enumerates Kerberos, NTLM and Negotiate', async () => {
    const r = await wine!.runWindowsNode(SMOKE);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const result = r.result as {
      platform: string;
      arch: string;
      status: string;
      packages: Array<{ name: string; maxToken: number }>;
      freed: string;
    };
    expect(result.platform).toBe('win32');
    expect(result.arch).toBe('x64');
    expect(result.status).toBe('SEC_E_OK');
    expect(result.freed).toBe('SEC_E_OK');
    const names = result.packages.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['Kerberos', 'NTLM', 'Negotiate']));
    for (const p of result.packages) expect(p.maxToken).toBeGreaterThan(0);
  });

  it('passes arguments and environment, runs in cwd, and reports a failing script', async () => {
    const r = await wine!.runWindowsNode(PROBE, {
      args: ['one', 'two words'],
      env: { SSPKIT_PROBE: 'value' },
      cwd: wine!.dir,
    });
    expect(r.code).toBe(0);
    expect(r.result).toEqual({
      argv: ['one', 'two words'],
      env: 'value',
      cwd: toWinPath(wine!.dir),
      krb5ccname: `FILE:${join(wine!.dir, 'krb5cc')}`,
      krb5: { KRB5CCNAME: `FILE:${join(wine!.dir, 'krb5cc')}`, GSS_MECH_CONFIG: join(wine!.dir, 'gss-mech-none') },
    });
    expect(r.stdout).toContain('to stdout');
    expect(r.stderr).toContain('to stderr');

    const failed = await wine!.runWindowsNode(PROBE, { args: ['--fail'] });
    expect(failed.code).toBe(3);
    expect(failed.result).toBeUndefined();
    expect(failed.stderr).toContain('probe failing on request');
  });

  it('hands the lab realm to node.exe, with a private copy of the TGT cache', async () => {
    const lab = await startLab();
    try {
      const env = wineKerberosEnv(lab, wine!);
      const r = await wine!.runWindowsNode(PROBE, { env });
      expect((r.result as { krb5: Record<string, string> }).krb5).toEqual(env);
      expect(env['KRB5CCNAME']).not.toBe(lab.env['KRB5CCNAME']);
      expect(env['KRB5CCNAME']?.startsWith(`FILE:${wine!.dir}/`)).toBe(true);
      expect(readFileSync(env['KRB5CCNAME']!.slice('FILE:'.length))).toEqual(readFileSync(lab.ccache));
    } finally {
      await stopLab(lab);
    }
  });

  it('kills a script that outlives its timeout', async () => {
    const r = await wine!.runWindowsNode(PROBE, { args: ['--hang'], timeoutMs: 2000 });
    expect(r.timedOut).toBe(true);
    expect(r.code).toBeNull();
  });
});
