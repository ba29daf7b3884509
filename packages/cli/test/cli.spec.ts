import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NtStatus, SecStatus } from '@sspkit/core';
import { catalog, handshakeCommand, loadSspi, packagesCommand, parseStatus, statusCommand } from '@sspkit/cli';
import type { HandshakeJson, PackageJson, StatusJson } from '@sspkit/cli';

function capture(): { write: (s: string) => void; text: () => string } {
  const out: string[] = [];
  return { write: (s) => out.push(s), text: () => out.join('\n') };
}

describe('sspkit status', () => {
  it.each([
    ['0x80090308', 0x80090308],
    ['2148074248', 0x80090308],
    ['-2146893048', 0x80090308],
    ['sec_e_invalid_token', 0x80090308],
    ['SEC_E_NO_SPM', 0x80090304],
  ])('parses %s', (text, value) => expect(parseStatus(text)).toBe(value));

  it('prints one status as JSON and every status with --all', () => {
    const one = capture();
    expect(statusCommand('0x80090310', { json: true }, one.write)).toBe(0);
    expect(JSON.parse(one.text()) as StatusJson).toEqual({
      value: 0x80090310,
      hex: '0x80090310',
      name: 'SEC_E_OUT_OF_SEQUENCE',
      severity: 'error',
      success: false,
      meaning: expect.any(String),
    });
    const all = capture();
    statusCommand(undefined, { all: true, json: true }, all.write);
    const list = JSON.parse(all.text()) as StatusJson[];
    expect(list.find((s) => s.name === 'SEC_I_COMPLETE_NEEDED')).toMatchObject({
      value: 0x00090313,
      success: true,
      severity: 'informational',
    });
    expect(list).toHaveLength(Object.keys(SecStatus).length + Object.keys(NtStatus).length - 1);
    expect(statusCommand('SEC_E_BOGUS', {}, capture().write)).toBe(2);
  });
});

describe('sspkit packages', () => {
  it('lists the packages with decoded capabilities', async () => {
    const out = capture();
    expect(packagesCommand(await loadSspi(), { json: true }, out.write)).toBe(0);
    const { packages } = JSON.parse(out.text()) as { packages: PackageJson[] };
    const mock = packages.find((p) => p.name === 'Mock')!;
    expect(mock.capabilityNames).toContain('INTEGRITY');
    expect(packages.map((p) => p.name)).toContain('NTLM');
  });

  it('says which implementation each name is, and off Windows lists Windows’ packages as not offered', async () => {
    const out = capture();
    const loaded = await loadSspi();
    expect(packagesCommand(loaded, { json: true }, out.write)).toBe(0);
    const { packages, unavailable } = JSON.parse(out.text()) as {
      packages: PackageJson[];
      unavailable: { name: string; reason: string }[];
    };
    expect(packages.find((p) => p.name === 'NTLM')?.provider).toBe('sspkit');
    expect(packages.find((p) => p.name === 'Mock')?.provider).toBe('sspkit');
    if (process.platform !== 'win32') {
      expect(unavailable.filter((u) => u.name.startsWith('Windows-')).map((u) => u.name)).toEqual([
        'Windows-Negotiate',
        'Windows-Kerberos',
        'Windows-NTLM',
        'Windows-WDigest',
      ]);
      const text = capture();
      packagesCommand(loaded, {}, text.write);
      expect(text.text()).toMatch(/Name\s+Provider/);
      expect(text.text()).toContain('(Windows-NTLM not offered: secur32.dll exists only on Windows');
    }
  });

  it('under the Windows naming policy offers sspkit’s own packages as sspkit-<name>', () => {
    const names = catalog('windows').map((e) => `${e.name}:${e.provider}`);
    expect(names).toEqual(
      expect.arrayContaining(['sspkit-NTLM:sspkit', 'sspkit-Negotiate:sspkit', 'NTLM:windows', 'Negotiate:windows']),
    );
    expect(names).toContain('Kerberos:windows');
    expect(names).toContain('sspkit-Kerberos:mit-gssapi');
    expect(new Set(catalog('windows').map((e) => e.name.toLowerCase())).size).toBe(names.length);
  });
});

describe('sspkit handshake', () => {
  it('runs the Mock by default and reports every leg, the token and both round trips', async () => {
    const out = capture();
    expect(await handshakeCommand(await loadSspi(), { json: true }, out.write)).toBe(0);
    const r = JSON.parse(out.text()) as HandshakeJson;
    expect(r).toMatchObject({
      ok: true,
      package: 'Mock',
      user: 'alice',
      signature: { status: 'SEC_E_OK' },
      encryption: { status: 'SEC_E_OK', hidesPlaintext: true },
    });
    expect(r.legs.map((l) => `${l.side}:${l.status}`)).toEqual([
      'client:SEC_I_CONTINUE_NEEDED',
      'server:SEC_I_CONTINUE_NEEDED',
      'client:SEC_E_OK',
      'server:SEC_E_OK',
    ]);
    expect(r.token).toMatchObject({ user: 'alice', domain: 'MOCK' });
  });

  it('reports a wrong password as a failed leg with exit code 1 and never prints the password', async () => {
    const out = capture();
    const code = await handshakeCommand(
      await loadSspi(),
      { package: 'Mock', user: 'alice', password: 'not-her-password', json: true },
      out.write,
    );
    expect(code).toBe(1);
    const r = JSON.parse(out.text()) as HandshakeJson;
    expect(r).toMatchObject({ ok: false, error: { status: 'SEC_E_LOGON_DENIED', operation: 'AcceptSecurityContext' } });
    expect(out.text()).not.toContain('not-her-password');
  });

  it('a failing round trip makes the run fail (exit 1), an unsupported one does not', async () => {
    const { MockPackage } = await import('@sspkit/provider-mock');
    const { Registry, SspiDispatcher } = await import('@sspkit/core');
    const mock = new MockPackage();
    mock.rule({ slot: 'unsealMessage', status: SecStatus.SEC_E_MESSAGE_ALTERED });
    const registry = new Registry();
    await registry.load(mock.module, 'mock');
    const loaded = { sspi: new SspiDispatcher(registry), entries: (await loadSspi()).entries, unavailable: [] };
    const out = capture();
    expect(await handshakeCommand(loaded, { json: true }, out.write)).toBe(1);
    expect(JSON.parse(out.text())).toMatchObject({ ok: false, encryption: { status: 'SEC_E_MESSAGE_ALTERED' } });
    const digest = capture();
    expect(await handshakeCommand(await loadSspi(), { package: 'Digest', json: true }, digest.write)).toBe(0);
    expect(JSON.parse(digest.text())).toMatchObject({ ok: true, signature: { status: 'SEC_E_UNSUPPORTED_FUNCTION' } });
  });

  it('runs NTLM with the given user on both ends', async () => {
    const out = capture();
    expect(
      await handshakeCommand(
        await loadSspi(),
        { package: 'ntlm', user: 'bob', domain: 'CORP', password: 'pw', json: true },
        out.write,
      ),
    ).toBe(0);
    expect(JSON.parse(out.text())).toMatchObject({ ok: true, package: 'NTLM', token: { user: 'bob', domain: 'CORP' } });
  });

  it('loads a third-party module with --module', async () => {
    const example = fileURLToPath(new URL('../../core/examples/echo-package.ts', import.meta.url));
    const loaded = await loadSspi([example]);
    expect(loaded.sspi.querySecurityPackageInfo('Echo').status).toBe(SecStatus.SEC_E_OK);
  });

  it('the installed command runs the demo end to end (bin → tsx → main)', () => {
    const bin = fileURLToPath(new URL('../bin/sspkit.mjs', import.meta.url));
    const json = execFileSync(process.execPath, [bin, 'handshake', '--json'], { encoding: 'utf8' });
    expect(JSON.parse(json)).toMatchObject({ ok: true, package: 'Mock' });
    const bad = spawnSync(process.execPath, [bin, 'status', 'NOT_A_STATUS'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
  });

  it('sspkit conformance runs the suite on a module: the Mock conforms, the insecure example does not', () => {
    const bin = fileURLToPath(new URL('../bin/sspkit.mjs', import.meta.url));
    const mock = spawnSync(process.execPath, [bin, 'conformance', '@sspkit/provider-mock', '--json'], {
      encoding: 'utf8',
    });
    expect(mock.status).toBe(0);
    expect(JSON.parse(mock.stdout)).toMatchObject({ schema: 'sspkit.conformance/1', package: { name: 'Mock' } });
    const example = fileURLToPath(new URL('../../core/examples/echo-package.ts', import.meta.url));
    const echo = spawnSync(process.execPath, [bin, 'conformance', example], { encoding: 'utf8' });
    expect(echo.status).toBe(1);
    expect(echo.stdout).toMatch(/DOES NOT CONFORM/);
    const scram = fileURLToPath(new URL('../../../examples/scram-sha-256/conformance-entry.ts', import.meta.url));
    const third = spawnSync(process.execPath, [bin, 'conformance', scram], { encoding: 'utf8' });
    expect(third.stdout).toMatch(/CONFORMS/);
    expect(third.status).toBe(0);
  });
});
