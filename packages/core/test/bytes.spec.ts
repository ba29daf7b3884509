import { describe, expect, it } from 'vitest';
import { concat, constantTimeEqual, wipe } from '@sspkit/core';

describe('byte helpers', () => {
  it('wipe zeroes every byte array it is given and skips anything else', () => {
    const a = Uint8Array.of(1, 2, 3);
    const b = Uint8Array.of(4, 5);
    wipe(a, undefined, b, 'not bytes', null);
    expect([...a, ...b]).toEqual([0, 0, 0, 0, 0]);
  });

  it('wipe reaches the bytes behind a subarray view', () => {
    const whole = Uint8Array.of(1, 2, 3, 4);
    wipe(whole.subarray(1, 3));
    expect([...whole]).toEqual([1, 0, 0, 4]);
  });

  it('concat joins in order into a new array', () => {
    const a = Uint8Array.of(1);
    const out = concat(a, new Uint8Array(0), Uint8Array.of(2, 3));
    expect([...out]).toEqual([1, 2, 3]);
    out[0] = 9;
    expect(a[0]).toBe(1);
    expect(concat().length).toBe(0);
  });

  it('constantTimeEqual: equal, one bit off, a prefix, strings as UTF-8', () => {
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 2))).toBe(false);
    expect(constantTimeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3))).toBe(false);
    expect(constantTimeEqual('6629fae49393a05397450978507c4ef1', '6629fae49393a05397450978507c4ef1')).toBe(true);
    expect(constantTimeEqual('6629fae49393a05397450978507c4ef1', '6629fae49393a05397450978507c4ef2')).toBe(false);
    // Latin-1 would turn both into the octet 0x00 and call them equal.
    expect(constantTimeEqual('\u0100', '\u0000')).toBe(false);
    expect(constantTimeEqual('abc', Uint8Array.of(0x61, 0x62, 0x63))).toBe(true);
  });
});
