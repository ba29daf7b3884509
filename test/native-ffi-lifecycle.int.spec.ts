/** Handle lifetime and async back-pressure in the FFI layer, against the lab KDC. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '@sspkit/krb5-lab';
import {
  acceptSecContext,
  acquireCredFrom,
  finalizedHandleCount,
  GssFlag,
  importName,
  initSecContext,
  NativeHandle,
  ReleasedHandleError,
  sharedGate,
  DEFAULT_ASYNC_LIMIT,
} from '../packages/provider-native/src/ffi/index.js';
import { hostbased, startLab, stopLab } from './native/lab.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('FFI handle lifetime and the async gate', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
  });
  afterAll(async () => {
    await stopLab(lab);
  });

  it('refuses a released handle instead of passing a dead pointer', () => {
    const name = importName('someone', 'user');
    name.release();
    name.release();
    expect(() => name.ptr).toThrow(ReleasedHandleError);
  });

  it('defers a release requested while a native call has the handle pinned', () => {
    const name = importName('pinned', 'user');
    name.pin();
    name.pin();
    name.release();
    expect(name.isEmpty).toBe(false);
    name.unpin();
    expect(name.isEmpty).toBe(false);
    name.unpin();
    expect(name.isEmpty).toBe(true);
    name.unpin();
    expect(() => name.ptr).toThrow(ReleasedHandleError);
  });

  it('finalizes forgotten handles exactly once and never the released ones', async () => {
    const before = finalizedHandleCount();
    (() => {
      for (let i = 0; i < 40; i++) {
        const name = importName(`user${i}`, 'user');
        if (i % 2 === 0) name.release();
      }
    })();
    for (let i = 0; i < 50 && finalizedHandleCount() - before < 20; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    gc();
    await new Promise((r) => setTimeout(r, 20));
    expect(finalizedHandleCount() - before).toBe(20);
  });

  it(`keeps more than 256 concurrent KDC-reaching calls under the gate (limit ${DEFAULT_ASYNC_LIMIT})`, async () => {
    const cred = (await acquireCredFrom({ usage: 'INITIATE', mech: 'krb5', store: { ccache: `FILE:${lab.ccache}` } }))
      .cred;
    const server = (
      await acquireCredFrom({ usage: 'ACCEPT', mech: 'krb5', store: { keytab: `FILE:${lab.serviceKeytab}` } })
    ).cred;
    const target = importName(hostbased(lab), 'hostbased');
    const startedBefore = sharedGate().stats().started;
    try {
      const results = await Promise.all(
        Array.from({ length: 300 }, async () => {
          const ctx = new NativeHandle('context');
          const sctx = new NativeHandle('context');
          try {
            const step = await initSecContext({ cred, ctx, target, mech: 'krb5', flags: GssFlag.MUTUAL, input: null });
            const acc = acceptSecContext({ cred: server, ctx: sctx, input: step.output });
            acc.source?.release();
            return acc.output.length > 0;
          } finally {
            ctx.release();
            sctx.release();
          }
        }),
      );
      expect(results.every(Boolean)).toBe(true);
      const stats = sharedGate().stats();
      // 300 calls started at once, none refused by koffi: the gate ran them all, never more than
      // its limit at a time (how many overlapped depends on timing; the queueing itself is unit-tested).
      expect(stats.started - startedBefore).toBe(300);
      expect(stats.peak).toBeLessThanOrEqual(DEFAULT_ASYNC_LIMIT);
      expect(stats.peak).toBeGreaterThan(1);
      expect(stats.active).toBe(0);
    } finally {
      cred.release();
      server.release();
      target.release();
    }
  });
});
