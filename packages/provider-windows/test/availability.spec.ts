import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { Registry, SspiDispatcher } from '@sspkit/core';
import { isAvailable, liveHandleCount, windowsPackages } from '../src/index.js';
import { loadKoffi } from '../src/ffi/koffi.js';

describe.skipIf(process.platform === 'win32')('off Windows', () => {
  it('isAvailable() is false, says why, and koffi was never loaded', () => {
    const a = isAvailable();
    expect(a.available).toBe(false);
    if (!a.available) expect(a.reason).toMatch(/only on Windows/);
    const require = createRequire(import.meta.url);
    const koffiPath = require.resolve('koffi');
    expect(Object.keys(require.cache)).not.toContain(koffiPath);
  });

  it('a registry leaves every Windows package out instead of failing later calls', async () => {
    const registry = new Registry();
    for (const p of windowsPackages()) await registry.load(p.module, p.windowsName);
    expect(new SspiDispatcher(registry).enumerateSecurityPackages().packages).toEqual([]);
    expect(liveHandleCount()).toBe(0);
  });

  it('the koffi loader refuses every platform but win32 before touching koffi', () => {
    expect(loadKoffi('linux')).toEqual({ error: 'secur32.dll exists only on Windows (this is linux)' });
    expect(loadKoffi('darwin')).toHaveProperty('error');
  });
});
