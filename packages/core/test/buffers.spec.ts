import { describe, expect, it } from 'vitest';
import {
  SecBufferFlag,
  SecBufferType,
  SecStatus,
  bufferTypeWord,
  findBuffer,
  isReadOnly,
  secBuffer,
  secBufferDesc,
  splitBufferType,
  writeBuffer,
} from '@sspkit/core';

describe('SecBuffer model', () => {
  it('keeps the type and the attribute bits apart, and rebuilds the Windows word', () => {
    const b = secBuffer(SecBufferType.DATA, Uint8Array.of(1), SecBufferFlag.READONLY_WITH_CHECKSUM);
    expect(bufferTypeWord(b)).toBe(0x10000001);
    expect(splitBufferType(0x80000002)).toEqual({ type: 2, flags: 0x80000000 });
    expect(isReadOnly(b)).toBe(true);
    expect(findBuffer(secBufferDesc(secBuffer(SecBufferType.TOKEN), b), SecBufferType.DATA)).toBe(b);
  });

  it("writes into the caller's buffer in place and narrows it, or reports it too small", () => {
    const backing = new Uint8Array(8);
    const token = secBuffer(SecBufferType.TOKEN, backing);
    expect(writeBuffer(token, Uint8Array.of(1, 2, 3), false)).toBe(SecStatus.SEC_E_OK);
    expect(token.data).toEqual(Uint8Array.of(1, 2, 3));
    expect(token.data.buffer).toBe(backing.buffer);
    const small = secBuffer(SecBufferType.TOKEN, new Uint8Array(2));
    expect(writeBuffer(small, Uint8Array.of(1, 2, 3), false)).toBe(SecStatus.SEC_E_BUFFER_TOO_SMALL);
    expect(small.data).toEqual(new Uint8Array(2));
    const alloc = secBuffer(SecBufferType.TOKEN);
    expect(writeBuffer(alloc, Uint8Array.of(4), true)).toBe(SecStatus.SEC_E_OK);
    expect(alloc.data).toEqual(Uint8Array.of(4));
    const ro = secBuffer(SecBufferType.TOKEN, new Uint8Array(4), SecBufferFlag.READONLY);
    expect(writeBuffer(ro, Uint8Array.of(1), false)).toBe(SecStatus.SEC_E_INVALID_TOKEN);
    expect(ro.data).toEqual(new Uint8Array(4));
  });
});
