import { describe, expect, it } from 'vitest';
import { Registry, SecStatus, SspiDispatcher } from '@sspkit/core';
import { MockPackage } from '@sspkit/provider-mock';
import { isMappedPackage, providerOf, renamePackage, sspkitPackageName, systemPackageName } from '../src/names.js';

describe('names of the Windows packages next to sspkit’s', () => {
  it("'windows': the system's under their Windows names, sspkit's as sspkit-<name>", () => {
    expect(systemPackageName('NTLM', 'windows')).toBe('NTLM');
    expect(sspkitPackageName('NTLM', 'windows')).toBe('sspkit-NTLM');
    expect(providerOf('ntlm', 'windows')).toBe('windows');
    expect(providerOf('sspkit-NTLM', 'windows')).toBe('sspkit');
    expect(providerOf('Mock', 'windows')).toBe('sspkit');
  });

  it("'prefixed': sspkit's keep their names, the system's are Windows-<name>", () => {
    expect(systemPackageName('Kerberos', 'prefixed')).toBe('Windows-Kerberos');
    expect(sspkitPackageName('Kerberos', 'prefixed')).toBe('Kerberos');
    expect(providerOf('windows-kerberos', 'prefixed')).toBe('windows');
    expect(providerOf('Kerberos', 'prefixed')).toBe('sspkit');
  });

  it('maps Negotiate, Kerberos, NTLM and WDigest, not Schannel', () => {
    expect(['Negotiate', 'kerberos', 'NTLM', 'WDigest'].every(isMappedPackage)).toBe(true);
    expect(isMappedPackage('Schannel')).toBe(false);
    expect(isMappedPackage('Microsoft Unified Security Protocol Provider')).toBe(false);
  });

  it('renamePackage registers a class-based package under another name, working as before', async () => {
    const registry = new Registry();
    await registry.load(renamePackage(new MockPackage().module, ['sspkit-Mock']), 'mock');
    // Without the rename a second Mock could not be registered; with it, both names coexist.
    await registry.load(new MockPackage().module, 'mock2');
    const sspi = new SspiDispatcher(registry);
    expect(
      sspi
        .enumerateSecurityPackages()
        .packages.map((p) => p.name)
        .sort(),
    ).toEqual(['Mock', 'sspkit-Mock']);
    const r = await sspi.acquireCredentialsHandle({
      package: 'sspkit-Mock',
      credentialUse: 2,
      authData: { user: 'alice', domain: 'MOCK', password: 'alice-password' },
    });
    expect(r.status).toBe(SecStatus.SEC_E_OK);
    expect(r.credential?.packageName).toBe('sspkit-Mock');
  });
});
