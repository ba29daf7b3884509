import { describe, expect, it } from 'vitest';
import type { GssLibrary } from '../src/ffi/library.js';
import { FramePool } from '../src/ffi/scratch.js';

/** Only koffi.address is used by FramePool: a stand-in that numbers each area. */
function fakeLibrary(): { lib: GssLibrary; areas: Buffer[] } {
  const areas: Buffer[] = [];
  const lib = {
    koffi: {
      address: (b: Buffer): bigint => {
        areas.push(b);
        return BigInt(areas.length) * 0x10000n;
      },
    },
  } as unknown as GssLibrary;
  return { lib, areas };
}

describe('FramePool', () => {
  it('lays slots out 8-byte aligned in one off-heap area and gives each slot its address', () => {
    const { lib, areas } = fakeLibrary();
    const f = new FramePool(lib, [4, 8, 16, 4]).take();
    expect(f.views.map((v) => v.length)).toEqual([4, 8, 16, 4]);
    expect(f.at).toEqual([0x10000n, 0x10008n, 0x10010n, 0x10020n]);
    // Above V8's 64-byte on-heap limit, so the area's address is stable.
    expect(f.area.length).toBeGreaterThan(64);
    expect(areas).toHaveLength(1);
    f.views[2]?.fill(1);
    expect(f.area.subarray(16, 32).every((b) => b === 1)).toBe(true);
  });

  it('recycles frames zeroed, and keeps at most `keep` of them', () => {
    const { lib, areas } = fakeLibrary();
    const pool = new FramePool(lib, [8, 8], 1);
    const a = pool.take();
    const b = pool.take();
    expect(a.area).not.toBe(b.area);
    a.views[0]?.writeBigUInt64LE(123n, 0);
    pool.give(a);
    pool.give(b);
    const again = pool.take();
    expect(again).toBe(a);
    expect(again.area.every((x) => x === 0)).toBe(true);
    expect(pool.take()).not.toBe(b);
    expect(areas).toHaveLength(3);
  });

  it('zeroes a frame it drops as well as one it keeps (a frame may have held a secret)', () => {
    const { lib } = fakeLibrary();
    const pool = new FramePool(lib, [16], 0);
    const f = pool.take();
    f.views[0]?.fill(0xaa);
    pool.give(f);
    expect(f.area.every((x) => x === 0)).toBe(true);
    expect(pool.take()).not.toBe(f);
  });
});
