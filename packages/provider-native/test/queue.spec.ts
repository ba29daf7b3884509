import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { AsyncGate, configureSharedGate, DEFAULT_ASYNC_LIMIT, sharedGate, uvPoolSize } from '../src/ffi/queue.js';

describe('AsyncGate', () => {
  it('never runs more than its limit and completes every queued call in order', async () => {
    const gate = new AsyncGate(3, 100);
    const started: number[] = [];
    const pending: Array<() => void> = [];
    const all = Array.from({ length: 10 }, (_, i) =>
      gate.run((done) => {
        started.push(i);
        pending.push(() => done(null, i));
      }),
    );
    expect(gate.stats()).toMatchObject({ active: 3, queued: 7 });
    while (pending.length > 0) {
      pending.shift()?.();
      await Promise.resolve();
    }
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(gate.stats()).toEqual({ active: 0, queued: 0, peak: 3, started: 10 });
  });

  it('rejects when the native layer reports an error or throws synchronously, and frees the slot', async () => {
    const gate = new AsyncGate(1);
    await expect(gate.run((done) => done(new Error('boom'), 0))).rejects.toThrow('boom');
    await expect(
      gate.run(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(await gate.run((done) => done(null, 7))).toBe(7);
  });

  it('takes an aborted call out of the queue unstarted, and an abort after the start changes nothing', async () => {
    const gate = new AsyncGate(1, 100);
    const reason = new Error('deadline');
    const before = new AbortController();
    before.abort(reason);
    let ran = 0;
    await expect(gate.run(() => ran++, before.signal)).rejects.toBe(reason);
    expect(ran).toBe(0);
    const first = new AbortController();
    const queued = new AbortController();
    const pending: Array<() => void> = [];
    const a = gate.run((done) => pending.push(() => done(null, 1)), first.signal);
    const b = gate.run((done) => pending.push(() => done(null, 2)), queued.signal);
    // The started call holds no listener; the queued one does until it starts or is aborted.
    expect(getEventListeners(first.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(queued.signal, 'abort')).toHaveLength(1);
    first.abort(reason);
    queued.abort(reason);
    await expect(b).rejects.toBe(reason);
    expect(getEventListeners(queued.signal, 'abort')).toHaveLength(0);
    expect(gate.stats()).toMatchObject({ active: 1, queued: 0 });
    pending.shift()?.();
    expect(await a).toBe(1);
    expect(pending).toHaveLength(0);
    const c = new AbortController();
    const d = gate.run((done) => pending.push(() => done(null, 3)));
    const e = gate.run((done) => pending.push(() => done(null, 4)), c.signal);
    pending.shift()?.();
    expect(await d).toBe(3);
    // Started from the queue: its listener is gone, so a later abort cannot reject it.
    expect(getEventListeners(c.signal, 'abort')).toHaveLength(0);
    c.abort(reason);
    pending.shift()?.();
    expect(await e).toBe(4);
  });

  it('starts at most `burst` calls per turn of the event loop and the rest on later turns', async () => {
    const gate = new AsyncGate(100, 4);
    const pending: Array<() => void> = [];
    const all = Array.from({ length: 10 }, (_, i) => gate.run((done) => pending.push(() => done(null, i))));
    expect(gate.stats()).toMatchObject({ active: 4, queued: 6 });
    await new Promise((r) => setImmediate(r));
    expect(gate.stats()).toMatchObject({ active: 8, queued: 2 });
    await new Promise((r) => setImmediate(r));
    expect(gate.stats()).toMatchObject({ active: 10, queued: 0 });
    for (const finish of pending) finish();
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('allows at most `burst` inline calls per turn, none while calls are queued', async () => {
    const gate = new AsyncGate(1, 3);
    expect([gate.claimInline(), gate.claimInline(), gate.claimInline(), gate.claimInline()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.claimInline()).toBe(true);
    // One call in flight, one queued behind it: inline work would jump the queue.
    let finish: (err: unknown, major: number) => void = () => undefined;
    const first = gate.run((done) => {
      finish = done;
    });
    const second = gate.run((done) => done(null, 0));
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.claimInline()).toBe(false);
    finish(null, 0);
    await Promise.all([first, second]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.claimInline()).toBe(true);
  });

  it('refuses limits koffi itself would reject', () => {
    expect(() => new AsyncGate(0)).toThrow(RangeError);
    expect(() => new AsyncGate(257)).toThrow(RangeError);
  });

  it("sizes the default limit from libuv's pool (UV_THREADPOOL_SIZE, Node's default 4)", () => {
    expect(uvPoolSize({})).toBe(4);
    expect(uvPoolSize({ UV_THREADPOOL_SIZE: '16' })).toBe(16);
    expect(uvPoolSize({ UV_THREADPOOL_SIZE: 'x' })).toBe(4);
    expect(uvPoolSize({ UV_THREADPOOL_SIZE: '4096' })).toBe(1024);
    expect(DEFAULT_ASYNC_LIMIT).toBe(Math.min(256, Math.max(2, Math.floor(uvPoolSize() / 2))));
  });

  it('reconfigures the shared gate only while it is idle', async () => {
    const original = sharedGate();
    const gate = configureSharedGate({ limit: 1, burst: 1 });
    expect(sharedGate()).toBe(gate);
    expect(sharedGate()).not.toBe(original);
    let finish: (() => void) | undefined;
    const pending = gate.run((done) => {
      finish = () => done(null, 0);
    });
    expect(() => configureSharedGate({ limit: 2 })).toThrow(/idle/);
    finish?.();
    await pending;
    configureSharedGate({});
    expect(sharedGate().stats()).toMatchObject({ active: 0, queued: 0 });
  });
});
