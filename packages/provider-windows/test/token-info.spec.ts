import { describe, expect, it } from 'vitest';
import {
  enabledGroups,
  parseTokenGroups,
  parseTokenPrivileges,
  parseTokenUser,
  sidToString,
} from '../src/marshal/token-info.js';

/** S-1-5-21-1-2-3-1000 as winnt.h lays a SID out. */
function sid(authority: number, subs: number[]): Uint8Array {
  const b = new Uint8Array(8 + subs.length * 4);
  const v = new DataView(b.buffer);
  b[0] = 1;
  b[1] = subs.length;
  v.setUint16(2, 0);
  v.setUint32(4, authority); // big-endian authority (low 32 bits)
  subs.forEach((s, i) => v.setUint32(8 + i * 4, s, true));
  return b;
}

describe('token information (winnt.h) read from GetTokenInformation’s buffer', () => {
  it('writes SIDs in the MS-DTYP 2.4.2.1 string form', () => {
    expect(sidToString(sid(5, [21, 1, 2, 3, 1000]))).toBe('S-1-5-21-1-2-3-1000');
    expect(sidToString(sid(1, [0]))).toBe('S-1-1-0');
    expect(() => sidToString(sid(5, [21, 1]).subarray(0, 10))).toThrow(RangeError);
  });

  it('reads TOKEN_USER and TOKEN_GROUPS, following SID pointers inside the same buffer', () => {
    const base = 0x5000n;
    const user = sid(5, [21, 7, 8, 9, 500]);
    const buf = new Uint8Array(16 + user.length);
    const v = new DataView(buf.buffer);
    v.setBigUint64(0, base + 16n, true);
    buf.set(user, 16);
    expect(parseTokenUser({ address: base, bytes: buf })).toEqual({ sid: 'S-1-5-21-7-8-9-500', attributes: 0 });

    const g1 = sid(1, [0]);
    const g2 = sid(5, [32, 544]);
    const groups = new Uint8Array(8 + 32 + g1.length + g2.length);
    const gv = new DataView(groups.buffer);
    gv.setUint32(0, 2, true);
    gv.setBigUint64(8, base + 40n, true);
    gv.setUint32(16, 0x7, true); // mandatory, enabled by default, enabled
    gv.setBigUint64(24, base + 40n + BigInt(g1.length), true);
    gv.setUint32(32, 0x10, true); // deny-only
    groups.set(g1, 40);
    groups.set(g2, 40 + g1.length);
    const parsed = parseTokenGroups({ address: base, bytes: groups });
    expect(parsed.map((g) => g.sid)).toEqual(['S-1-1-0', 'S-1-5-32-544']);
    expect(enabledGroups(parsed)).toEqual(['S-1-1-0']);
  });

  it('refuses a SID pointer outside the buffer and a count that overruns it', () => {
    const buf = new Uint8Array(16);
    new DataView(buf.buffer).setBigUint64(0, 0x9999n, true);
    expect(() => parseTokenUser({ address: 0x5000n, bytes: buf })).toThrow(RangeError);
    const groups = new Uint8Array(8);
    new DataView(groups.buffer).setUint32(0, 1000, true);
    expect(() => parseTokenGroups({ address: 0x5000n, bytes: groups })).toThrow(RangeError);
  });

  it('reads TOKEN_PRIVILEGES (LUID_AND_ATTRIBUTES of 12 bytes each)', () => {
    const buf = new Uint8Array(4 + 24);
    const v = new DataView(buf.buffer);
    v.setUint32(0, 2, true);
    v.setUint32(4, 23, true);
    v.setUint32(12, 3, true);
    v.setUint32(16, 5, true);
    v.setInt32(20, 1, true);
    expect(parseTokenPrivileges({ address: 0n, bytes: buf })).toEqual([
      { luid: 23n, attributes: 3 },
      { luid: (1n << 32n) | 5n, attributes: 0 },
    ]);
  });
});
