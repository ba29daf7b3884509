import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { configureAccountCache, DEFAULT_ACCOUNT_CACHE } from '../src/adapter/account-cache.js';

const NSS_WRAPPER = '/usr/lib/x86_64-linux-gnu/libnss_wrapper.so';
const CHILD = fileURLToPath(new URL('./fixtures/account-cache-child.ts', import.meta.url));

describe('the account cache', () => {
  afterAll(() => configureAccountCache(DEFAULT_ACCOUNT_CACHE));

  it('refuses settings a reviewer would not accept', () => {
    expect(() => configureAccountCache({ ttlMs: -1 })).toThrow(TypeError);
    expect(() => configureAccountCache({ ttlMs: 1.5 })).toThrow(TypeError);
    expect(() => configureAccountCache({ ttlMs: 600_000 })).toThrow(/at most 60000/);
    expect(() => configureAccountCache({ ttlMs: 1000, negativeTtlMs: 2000 })).toThrow(/negativeTtlMs/);
    expect(() => configureAccountCache({ maxEntries: Number.NaN })).toThrow(TypeError);
    expect(DEFAULT_ACCOUNT_CACHE.negativeTtlMs).toBeLessThanOrEqual(DEFAULT_ACCOUNT_CACHE.ttlMs);
  });

  // Real getpwnam/getgrouplist against a user database the test rewrites (nss_wrapper, preloaded
  // into a child process because it must be there before libc's first lookup).
  it.skipIf(!existsSync(NSS_WRAPPER))(
    'reuses an account until its TTL, forgets a missing one sooner, is bounded and cleared',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'sspkit-account-cache-'));
      try {
        const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), CHILD], {
          env: {
            ...process.env,
            LD_PRELOAD: NSS_WRAPPER,
            NSS_WRAPPER_PASSWD: join(dir, 'passwd'),
            NSS_WRAPPER_GROUP: join(dir, 'group'),
          },
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(r.stderr).toBe('');
        const seen = Object.fromEntries(
          r.stdout
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as { step: string; uid: number | null; groups: number[] })
            .map((s) => [s.step, s.uid]),
        );
        expect(seen).toEqual({
          // The control: the database change is visible to libc at once.
          'off-first': 2001,
          'off-changed': 2002,
          'ttl-first': 2011,
          'ttl-before-expiry': 2011,
          'ttl-after-expiry': 2012,
          'removed-before-expiry': 2012,
          'removed-after-expiry': null,
          'negative-before-expiry': null,
          'negative-after-expiry': 2013,
          'after-clear': 2014,
          'bound-a': 2101,
          'bound-b': 2102,
          'bound-c': 2103,
          'bound-b-again': 2102,
          'bound-c-again': 2103,
          'bound-a-again': 2201,
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
