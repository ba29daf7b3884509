import { describe, expect, it } from 'vitest';
import { clientContext, runHandshake, serverContext } from '@sspkit/core';
import { MockPackage } from '@sspkit/provider-mock';
import { Container } from 'inversify';
import { MemoryReplayStore, SecPkgCred, SecStatus } from '@sspkit/core';
import type { ReplayStore } from '@sspkit/core';
import { MemoryNonceCountStore } from '@sspkit/digest';
import {
  SSPKIT,
  createSspkitContainer,
  replacePackage,
  resolveDispatcher,
  setDispatcherOptions,
  sspkitModule,
  swapForMock,
} from '@sspkit/container';
import * as echo from '../../core/examples/echo-package.js';

describe('@sspkit/container', () => {
  it('resolves one registry and one dispatcher with every bound package loaded', async () => {
    const mock = new MockPackage();
    const container = createSspkitContainer({
      packages: [
        { name: 'Mock', module: mock.module },
        { name: 'Echo', module: echo },
      ],
    });
    const sspi = await resolveDispatcher(container);
    expect(sspi.enumerateSecurityPackages().packages.map((p) => p.name)).toEqual(['Mock', 'Echo']);
    expect(await resolveDispatcher(container)).toBe(sspi);
    expect(await container.getAsync(SSPKIT.Registry)).toBe(sspi.registry);
  });

  it('swaps a package for the Mock under the same name, before resolution only', async () => {
    const container = createSspkitContainer({ packages: [{ name: 'Echo', module: echo }] });
    const mock = swapForMock(container, 'Echo', { legs: 2 });
    const sspi = await resolveDispatcher(container);
    expect(sspi.querySecurityPackageInfo('Echo').packageInfo?.comment).toMatch(/sspkit deterministic test package/);
    const client = await clientContext(sspi, { package: 'Echo' });
    const server = await serverContext(sspi, { package: 'Echo' });
    await runHandshake(client, server);
    expect(mock.script.calls('acceptLsaModeContext')).toHaveLength(1);
    expect(() => swapForMock(container, 'Echo')).toThrow(/already resolved/);
    expect(() =>
      replacePackage(createSspkitContainer({ packages: [] }), 'Nope', { name: 'Nope', module: echo }),
    ).toThrow(/no package named/);
    // The same guard holds for a container the application assembles itself from sspkitModule().
    const own = new Container();
    own.load(sspkitModule({ packages: [{ name: 'Echo', module: echo }] }));
    await resolveDispatcher(own);
    expect(() => swapForMock(own, 'Echo')).toThrow(/already resolved/);
  });

  it('builds the dispatcher with the bound options: a package fault reaches onPackageFault', async () => {
    const faults: { package: string; operation: string }[] = [];
    const mock = new MockPackage();
    mock.rule({ slot: 'acquireCredentialsHandle', throws: 'scripted fault' });
    const container = createSspkitContainer({
      packages: [{ name: 'Mock', module: mock.module }],
      dispatcher: { onPackageFault: (f) => void faults.push({ package: f.package, operation: f.operation }) },
    });
    const sspi = await resolveDispatcher(container);
    const r = await sspi.acquireCredentialsHandle({ package: 'Mock', credentialUse: SecPkgCred.INBOUND });
    expect(r.status).toBe(SecStatus.SEC_E_INTERNAL_ERROR);
    expect(faults).toEqual([{ package: 'Mock', operation: 'AcquireCredentialsHandle' }]);
  });

  it('setDispatcherOptions reaches a container composed elsewhere, before resolution only', async () => {
    const container = createSspkitContainer({ packages: [{ name: 'Echo', module: echo }] });
    const mock = swapForMock(container, 'Echo');
    mock.rule({ slot: 'acquireCredentialsHandle', throws: 'scripted fault' });
    const seen: string[] = [];
    setDispatcherOptions(container, {
      onPackageFault: (f) => void seen.push(`${f.package} ${f.operation}`),
    });
    const sspi = await resolveDispatcher(container);
    await sspi.acquireCredentialsHandle({ package: 'Echo', credentialUse: SecPkgCred.INBOUND });
    expect(seen).toEqual(['Echo AcquireCredentialsHandle']);
    expect(() => setDispatcherOptions(container, {})).toThrow(/already resolved/);
  });
});

describe('@sspkit/container: the shared-state stores', () => {
  it('binds in-memory stores by default (one process, no Redis needed)', async () => {
    const container = createSspkitContainer({ packages: [{ name: 'Echo', module: echo }] });
    const replay = container.get<ReplayStore>(SSPKIT.ReplayStore);
    expect(replay).toBeInstanceOf(MemoryReplayStore);
    expect(container.get(SSPKIT.ReplayStore)).toBe(replay);
    expect(container.get(SSPKIT.NonceCountStore)).toBeInstanceOf(MemoryNonceCountStore);
    expect(await replay.recordOnce('k', Date.now() + 1000)).toBe('fresh');
    expect(await replay.recordOnce('k', Date.now() + 1000)).toBe('replay');
  });
});
