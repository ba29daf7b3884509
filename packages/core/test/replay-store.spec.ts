import { describe, expect, it } from 'vitest';
import { MemoryReplayStore } from '../src/index.js';

describe('MemoryReplayStore', () => {
  it('records a key once and refuses it again until it expires', async () => {
    let now = 1_000;
    const store = new MemoryReplayStore({ now: () => now });
    await expect(store.recordOnce('a', 2_000)).resolves.toBe('fresh');
    await expect(store.recordOnce('a', 2_000)).resolves.toBe('replay');
    await expect(store.recordOnce('b', 2_000)).resolves.toBe('fresh');
    now = 2_000;
    await expect(store.recordOnce('a', 3_000)).resolves.toBe('fresh');
  });

  it('refuses a new key when full of live keys rather than forgetting one', async () => {
    let now = 0;
    const store = new MemoryReplayStore({ now: () => now, maxKeys: 2 });
    await store.recordOnce('a', 10);
    await store.recordOnce('b', 20);
    await expect(store.recordOnce('c', 30)).rejects.toThrow('replay store full');
    await expect(store.recordOnce('a', 10)).resolves.toBe('replay');
    now = 10;
    await expect(store.recordOnce('c', 30)).resolves.toBe('fresh');
    expect(store.size).toBe(2);
  });
});
