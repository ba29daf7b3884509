/** Pure parts of the adapter: target names, SEC_CHANNEL_BINDINGS, flag tables (sspi.h). */
import { describe, expect, it } from 'vitest';
import { AscRet, IscReq, IscRet } from '@sspkit/core';
import { ascRetFromGss, gssFlagsFromIscReq, iscRetFromGss } from '../src/adapter/flag-table.js';
import { parseSecChannelBindings, secChannelBindings } from '../src/adapter/bindings.js';
import { parseTarget } from '../src/adapter/target.js';
import { GssFlag } from '../src/ffi/flags.js';

describe('parseTarget', () => {
  it.each([
    ['HTTP/web.example.com', { text: 'HTTP@web.example.com', type: 'hostbased' }],
    ['HTTP/web.example.com@EXAMPLE.COM', { text: 'HTTP/web.example.com@EXAMPLE.COM', type: 'principal' }],
    ['HTTP/web.example.com:8443', { text: 'HTTP/web.example.com:8443', type: 'principal' }],
    ['HTTP@web.example.com', { text: 'HTTP@web.example.com', type: 'hostbased' }],
    ['ldap/dc1.example.com/example.com', { text: 'ldap/dc1.example.com/example.com', type: 'principal' }],
  ] as const)('%s', (input, expected) => {
    expect(parseTarget(input)).toEqual(expected);
  });
});

describe('SEC_CHANNEL_BINDINGS', () => {
  it('round-trips application data and rejects out-of-range offsets', () => {
    const blob = secChannelBindings(Buffer.from('tls-server-end-point:abc'));
    const cb = parseSecChannelBindings(blob);
    expect(Buffer.from(cb?.applicationData ?? []).toString()).toBe('tls-server-end-point:abc');
    expect(cb?.initiatorAddress.length).toBe(0);
    const broken = Uint8Array.from(blob);
    new DataView(broken.buffer).setUint32(28, 4000, true);
    expect(parseSecChannelBindings(broken)).toBeNull();
    expect(parseSecChannelBindings(new Uint8Array(8))).toBeNull();
  });
});

describe('flag tables', () => {
  it('asks GSS for what ISC_REQ names and nothing else', () => {
    expect(gssFlagsFromIscReq(IscReq.MUTUAL_AUTH | IscReq.CONFIDENTIALITY | IscReq.ALLOCATE_MEMORY)).toBe(
      GssFlag.MUTUAL | GssFlag.CONF,
    );
    expect(gssFlagsFromIscReq(IscReq.DELEGATE | IscReq.INTEGRITY | IscReq.REPLAY_DETECT | IscReq.SEQUENCE_DETECT)).toBe(
      GssFlag.DELEG | GssFlag.INTEG | GssFlag.REPLAY | GssFlag.SEQUENCE,
    );
  });

  it('reports ISC_RET and ASC_RET with their own bit values', () => {
    expect(iscRetFromGss(GssFlag.INTEG | GssFlag.MUTUAL, IscReq.ALLOCATE_MEMORY)).toBe(
      IscRet.INTEGRITY | IscRet.MUTUAL_AUTH | IscRet.ALLOCATED_MEMORY,
    );
    expect(ascRetFromGss(GssFlag.INTEG | GssFlag.DELEG, 0)).toBe(AscRet.INTEGRITY | AscRet.DELEGATE);
    expect(AscRet.INTEGRITY).not.toBe(IscRet.INTEGRITY);
  });
});
