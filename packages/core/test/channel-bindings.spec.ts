import { describe, expect, it } from 'vitest';
import { decodeSecChannelBindings, encodeSecChannelBindings } from '@sspkit/core';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('SEC_CHANNEL_BINDINGS (sspi.h)', () => {
  it('lays out the header and data as sspi.h says (application data only, as TLS bindings are)', () => {
    const blob = encodeSecChannelBindings({ applicationData: bytes('tls-server-end-point:ab') });
    const v = new DataView(blob.buffer);
    expect(blob.length).toBe(32 + 23);
    expect([0, 1, 2, 3, 4, 5].map((i) => v.getUint32(i * 4, true))).toEqual([0, 0, 0, 0, 0, 0]);
    expect([v.getUint32(24, true), v.getUint32(28, true)]).toEqual([23, 32]);
  });

  it('round-trips addresses and application data', () => {
    const cb = {
      initiatorAddrType: 2,
      initiatorAddress: Uint8Array.of(127, 0, 0, 1),
      acceptorAddrType: 2,
      acceptorAddress: Uint8Array.of(127, 0, 0, 2),
      applicationData: bytes('tls-unique:xyz'),
    };
    expect(decodeSecChannelBindings(encodeSecChannelBindings(cb))).toEqual({ ok: true, value: cb });
  });

  it('refuses a short header and a field outside the structure, saying which', () => {
    expect(decodeSecChannelBindings(new Uint8Array(31))).toMatchObject({ ok: false, error: { code: 'truncated' } });
    const blob = encodeSecChannelBindings({ applicationData: bytes('abc') });
    new DataView(blob.buffer).setUint32(24, 4, true);
    expect(decodeSecChannelBindings(blob)).toEqual({
      ok: false,
      error: { code: 'field-out-of-bounds', detail: 'application data outside the structure' },
    });
    const inHeader = encodeSecChannelBindings({ applicationData: bytes('abc') });
    new DataView(inHeader.buffer).setUint32(28, 8, true);
    expect(decodeSecChannelBindings(inHeader)).toMatchObject({ ok: false, error: { code: 'field-out-of-bounds' } });
  });
});
