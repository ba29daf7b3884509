import { describe, expect, it } from 'vitest';
import { AsyncGate } from '../src/ffi/queue.js';

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

  it('refuses limits koffi itself would reject', () => {
    expect(() => new AsyncGate(0)).toThrow(RangeError);
    expect(() => new AsyncGate(257)).toThrow(RangeError);
  });
});
