import { createHash } from 'node:crypto';
import { SspiDispatcher, Registry } from '@sspkit/core';
import type { SecurityEnvironment } from '@sspkit/core';
import { MockPackage } from '@sspkit/provider-mock';
import type { MockPackageOptions } from '@sspkit/provider-mock';

/** A deterministic environment: a settable clock and a seeded random stream. */
function testEnvironment(seed = 'seed'): SecurityEnvironment & { now: number } {
  let counter = 0;
  const env = {
    now: 1_700_000_000_000,
    clock: () => env.now,
    randomBytes: (n: number) => {
      const out = new Uint8Array(n);
      for (let o = 0; o < n; o += 32) {
        const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
        out.set(block.subarray(0, Math.min(32, n - o)), o);
      }
      return out;
    },
  };
  return env;
}

export async function mockWorld(options: MockPackageOptions = {}, seed?: string) {
  const mock = new MockPackage(options);
  const env = testEnvironment(seed);
  const registry = new Registry({ environment: env });
  await registry.load(mock.module, 'mock');
  const sspi = new SspiDispatcher(registry);
  return { mock, env, sspi };
}
