import { describe, expect, it } from 'vitest';
import { parseUidMin } from '../src/process/system-accounts.js';

describe('UID_MIN from login.defs', () => {
  it('reads the value, ignoring comments', () => {
    expect(parseUidMin('# UID_MIN 5\nUID_MIN\t\t\t 1000\nUID_MAX 60000\n')).toBe(1000);
    expect(parseUidMin('UID_MIN 500')).toBe(500);
    expect(parseUidMin('UID_MIN 0x3e8')).toBe(1000);
    expect(parseUidMin('UID_MIN 01750')).toBe(1000);
  });

  it('falls back to 1000 when absent or nonsensical (a bad value never widens what is accepted)', () => {
    expect(parseUidMin('')).toBe(1000);
    expect(parseUidMin('UID_MIN 0')).toBe(1000);
    expect(parseUidMin('UID_MIN -1')).toBe(1000);
    expect(parseUidMin('UID_MIN abc')).toBe(1000);
    expect(parseUidMin('#UID_MIN 1\n')).toBe(1000);
  });
});
