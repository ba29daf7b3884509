import { describe, expect, it } from 'vitest';
import {
  classifyToken,
  ContextFlag,
  decodeInitialContextToken,
  decodeNegotiationToken,
  encodeInitialContextToken,
  encodeMechTypes,
  encodeNegTokenInit,
  encodeNegTokenResp,
  MechOid,
  NegState,
  WINDOWS_HINT_NAME,
} from '../src/index.js';
import type { DecodeResult, NegotiationToken } from '../src/index.js';
import { MIT_INIT_KRB5, MIT_RESP_KRB5 } from './fixtures.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function value<T>(r: DecodeResult<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.detail}`);
  return r.value;
}

describe('real tokens from MIT SPNEGO (python3-gssapi)', () => {
  it('decodes the initiator NegTokenInit with its optimistic Kerberos token', () => {
    const t = value(decodeNegotiationToken(hex(MIT_INIT_KRB5)));
    expect(t.kind).toBe('init');
    if (t.kind === 'resp') return;
    expect(t.mechTypes).toEqual([MechOid.kerberos]);
    expect(toHex(t.mechTypesDer)).toBe('300b06092a864886f712010202');
    const inner = value(decodeInitialContextToken(t.mechToken ?? new Uint8Array(0)));
    expect(inner.mech).toBe(MechOid.kerberos);
    // RFC 4121 §4.1: TOK_ID 01 00 (KRB_AP_REQ), then the AP-REQ [APPLICATION 14].
    expect(toHex(inner.inner.subarray(0, 3))).toBe('01006e');
    expect(classifyToken(hex(MIT_INIT_KRB5))).toEqual({ kind: 'spnego' });
    expect(classifyToken(t.mechToken ?? new Uint8Array(0))).toEqual({ kind: 'mech', mech: MechOid.kerberos });
  });

  it('decodes the acceptor NegTokenResp (accept-completed, krb5, AP-REP)', () => {
    const t = value(decodeNegotiationToken(hex(MIT_RESP_KRB5)));
    expect(t).toMatchObject({ kind: 'resp', negState: NegState.acceptCompleted, supportedMech: MechOid.kerberos });
    if (t.kind !== 'resp') return;
    expect(t.mechListMIC).toBeUndefined();
    expect(toHex(t.responseToken?.subarray(0, 13) ?? new Uint8Array(0))).toBe('60819906092a864886f7120102');
  });

  it('re-encodes both byte for byte (our encoder writes the same DER as MIT)', () => {
    const init = value(decodeNegotiationToken(hex(MIT_INIT_KRB5)));
    const resp = value(decodeNegotiationToken(hex(MIT_RESP_KRB5)));
    if (init.kind === 'resp' || resp.kind !== 'resp') throw new Error('kinds');
    expect(
      toHex(encodeNegTokenInit({ mechTypes: init.mechTypes, ...(init.mechToken && { mechToken: init.mechToken }) })),
    ).toBe(MIT_INIT_KRB5);
    expect(toHex(encodeNegTokenResp(resp))).toBe(MIT_RESP_KRB5);
  });
});

describe('encode/decode round trips', () => {
  const rt = (b: Uint8Array): NegotiationToken => value(decodeNegotiationToken(b));

  it('NegTokenInit with all fields; the MIC input is the DER of the list', () => {
    const mechTypes = [MechOid.kerberosMicrosoft, MechOid.kerberos, MechOid.ntlm];
    const flags = ContextFlag.mutual | ContextFlag.integ;
    const t = rt(encodeNegTokenInit({ mechTypes, reqFlags: flags, mechToken: hex('aabb'), mechListMIC: hex('0102') }));
    expect(t).toMatchObject({
      kind: 'init',
      mechTypes,
      reqFlags: flags,
      mechToken: hex('aabb'),
      mechListMIC: hex('0102'),
    });
    if (t.kind === 'resp') return;
    expect(t.mechTypesDer).toEqual(encodeMechTypes(mechTypes));
  });

  it('NegTokenInit2 with negHints, as a Windows server sends it', () => {
    const t = rt(encodeNegTokenInit({ mechTypes: [MechOid.ntlm], negHints: { hintName: WINDOWS_HINT_NAME } }));
    expect(t).toMatchObject({ kind: 'init2', mechTypes: [MechOid.ntlm], negHints: { hintName: WINDOWS_HINT_NAME } });
    const withMic = rt(
      encodeNegTokenInit({ mechTypes: [], negHints: { hintAddress: hex('7f') }, mechListMIC: hex('09') }),
    );
    expect(withMic).toMatchObject({ kind: 'init2', negHints: { hintAddress: hex('7f') }, mechListMIC: hex('09') });
  });

  it('NegTokenResp in each state', () => {
    for (const negState of Object.values(NegState)) {
      expect(rt(encodeNegTokenResp({ negState }))).toEqual({ kind: 'resp', negState });
    }
    expect(rt(encodeNegTokenResp({ mechListMIC: hex('ff') }))).toEqual({ kind: 'resp', mechListMIC: hex('ff') });
  });

  it('ContextFlags: DER drops trailing zero bits (X.690 §11.2.2)', () => {
    const b = encodeNegTokenInit({ mechTypes: [MechOid.kerberos], reqFlags: ContextFlag.mutual });
    expect(toHex(b)).toContain('a10403020640'); // [1] BIT STRING, 6 unused bits, 0100 0000
  });

  it('frames long inner tokens with long-form lengths', () => {
    const inner = new Uint8Array(70000).fill(7);
    const framed = encodeInitialContextToken(MechOid.kerberos, inner);
    expect(toHex(framed.subarray(0, 2))).toBe('6083');
    expect(value(decodeInitialContextToken(framed)).inner).toEqual(inner);
  });
});

describe('bad input gets a typed error, never an exception', () => {
  const bad = (b: Uint8Array): string => {
    const r = decodeNegotiationToken(b);
    if (r.ok) throw new Error('decoded');
    return r.error.code;
  };

  it('refuses truncations of the real tokens at every length', () => {
    for (const fixture of [MIT_INIT_KRB5, MIT_RESP_KRB5]) {
      const b = hex(fixture);
      for (let n = 0; n < b.length; n++) expect(() => bad(b.subarray(0, n))).not.toThrow();
    }
  });

  it('names what is wrong', () => {
    expect(bad(new Uint8Array(0))).toBe('empty');
    expect(bad(hex('a1023000ff'))).toBe('trailing-bytes');
    expect(bad(hex('a2023000'))).toBe('unexpected-tag');
    expect(bad(encodeInitialContextToken(MechOid.kerberos, hex('0100')))).toBe('wrong-mechanism');
    expect(bad(hex('a1053003a0010a'))).not.toBe('');
    // negState 7 is not in the enumeration.
    expect(bad(hex('a1073005a0030a0107'))).toBe('bad-value');
    // [0] twice.
    expect(bad(hex('a10c300aa0030a0100a0030a0100'))).toBe('duplicate-field');
    // NegTokenInit without mechTypes.
    expect(bad(encodeInitialContextToken(MechOid.spnego, hex('a0083006a2040402aabb')))).toBe('missing-field');
    expect(bad(new Uint8Array(0x20001))).toBe('oversize');
    // Not DER: the indefinite length form (X.690 §10.1).
    expect(bad(hex('a180300aa0030a0100'))).toBe('malformed-der');
    // A high tag number (never in SPNEGO).
    expect(bad(hex('bf1f00'))).toBe('unexpected-tag');
    // A subidentifier with a leading 0x80 (X.690 §8.19.2) inside supportedMech.
    expect(bad(hex('a1083006a10406028001'))).toBe('bad-value');
    // An OID whose last subidentifier is cut short.
    expect(bad(hex('a1083006a1040602818a'))).toBe('truncated');
    // A length that runs past the token.
    expect(bad(hex('a1073005a0050a0100'))).toBe('truncated');
  });

  it('encodes OIDs as X.690 §8.19 says (arcs above 127, the first two arcs combined)', () => {
    expect(toHex(encodeMechTypes([MechOid.kerberos, MechOid.kerberosMicrosoft, MechOid.ntlm, MechOid.spnego]))).toBe(
      '302a' + '06092a864886f712010202' + '06092a864882f712010202' + '060a2b06010401823702020a' + '06062b0601050502',
    );
  });

  it('survives random mutations of the real tokens', () => {
    const base = hex(MIT_INIT_KRB5);
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 500; i++) {
      const b = base.slice();
      for (let k = 0; k < 3; k++) b[rnd(64)] = rnd(256);
      expect(() => decodeNegotiationToken(b)).not.toThrow();
    }
  });
});

describe('classifyToken', () => {
  it('recognises raw NTLMSSP and bare NegTokenResp', () => {
    expect(classifyToken(hex('4e544c4d5353500001000000'))).toEqual({ kind: 'ntlmssp' });
    expect(classifyToken(encodeNegTokenResp({ negState: NegState.acceptIncomplete }))).toEqual({ kind: 'spnego' });
    expect(classifyToken(hex('0102'))).toEqual({ kind: 'unknown' });
  });
});
