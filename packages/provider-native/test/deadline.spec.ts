import { describe, expect, it } from 'vitest';
import { SecStatus } from '@sspkit/core';
import { AsyncGate } from '../src/ffi/queue.js';
import {
  KdcDeadlineError,
  configureKdcDeadline,
  kdcDeadlineStats,
  withKdcDeadline,
  yieldIfDue,
} from '../src/adapter/deadline.js';

describe('AsyncGate with an abort signal', () => {
  it('drops a queued call that is aborted, never starting it; a running one keeps its slot', async () => {
    const gate = new AsyncGate(1, 100);
    let finishFirst: (() => void) | undefined;
    const first = gate.run((done) => {
      finishFirst = () => done(null, 0);
    });
    const ctl = new AbortController();
    let secondStarted = false;
    const second = gate.run(() => {
      secondStarted = true;
    }, ctl.signal);
    ctl.abort(new Error('deadline'));
    await expect(second).rejects.toThrow('deadline');
    expect(gate.stats()).toMatchObject({ active: 1, queued: 0 });
    finishFirst?.();
    await expect(first).resolves.toBe(0);
    expect(secondStarted).toBe(false);
    await expect(gate.run((done) => done(null, 7), AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });
});

describe('withKdcDeadline', () => {
  it('answers NO_AUTHENTICATING_AUTHORITY at the deadline, counts the call until it returns, and releases its late result', async () => {
    configureKdcDeadline({ timeoutMs: 10_000, maxAbandoned: 1 });
    let finish: ((v: string) => void) | undefined;
    const released: string[] = [];
    const err = await withKdcDeadline(
      20,
      'test call',
      () => new Promise<string>((resolve) => (finish = resolve)),
      (late) => released.push(late),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KdcDeadlineError);
    expect((err as KdcDeadlineError).sspiStatus).toBe(SecStatus.SEC_E_NO_AUTHENTICATING_AUTHORITY);
    expect(kdcDeadlineStats().abandoned).toBe(1);
    // The bound: no new call starts while one is abandoned.
    let started = false;
    const refused = await withKdcDeadline(
      1000,
      'next',
      () => ((started = true), Promise.resolve('x')),
      () => undefined,
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(KdcDeadlineError);
    expect(started).toBe(false);
    finish?.('credential');
    await new Promise((r) => setTimeout(r, 0));
    expect(released).toEqual(['credential']);
    expect(kdcDeadlineStats().abandoned).toBe(0);
    await expect(
      withKdcDeadline(
        1000,
        'fast',
        () => Promise.resolve(5),
        () => undefined,
      ),
    ).resolves.toBe(5);
    configureKdcDeadline({ timeoutMs: 10_000, maxAbandoned: 8 });
  });
});

describe('yieldIfDue', () => {
  it('lets a timer run during a tight loop of microtask-only work', async () => {
    let fired = false;
    setTimeout(() => (fired = true), 1);
    const end = performance.now() + 200;
    while (!fired && performance.now() < end) {
      // ~1 ms of synchronous work per "leg", then the yield the adapter takes after each leg.
      const until = performance.now() + 1;
      while (performance.now() < until);
      await yieldIfDue();
    }
    expect(fired).toBe(true);
  });
});
