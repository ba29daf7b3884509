import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAuthenticate, encodeAuthenticate } from '../src/messages/authenticate.js';
import type { AuthenticateMessage } from '../src/messages/authenticate.js';
import { AvId, decodeAvPairs, encodeAvPairs } from '../src/messages/av-pairs.js';
import type { AvPair } from '../src/messages/av-pairs.js';
import { decodeChallenge, encodeChallenge } from '../src/messages/challenge.js';
import type { ChallengeMessage } from '../src/messages/challenge.js';
import { NegotiateFlag } from '../src/messages/flags.js';
import { decodeNegotiate, encodeNegotiate } from '../src/messages/negotiate.js';
import type { NegotiateMessage } from '../src/messages/negotiate.js';
import type { Version } from '../src/messages/version.js';
import { hex, toHex } from './helpers.js';

// MS-NLMP §4.2.4.3: the CHALLENGE_MESSAGE of the NTLMv2 example.
describe('§4.2.4.3 CHALLENGE_MESSAGE example', () => {
  const bytes = hex(
    '4e544c4d53535000' +
      '02000000' +
      '0c000c0038000000' +
      '33828ae2' +
      '0123456789abcdef' +
      '0000000000000000' +
      '2400240044000000' +
      '060070170000000f' +
      '530065007200760065007200' +
      '02000c0044006f006d00610069006e0001000c00530065007200760065007200' +
      '00000000',
  );
  it('decodes every field', () => {
    const r = decodeChallenge(bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.flags >>> 0).toBe(0xe28a8233);
    expect(toHex(r.value.serverChallenge)).toBe('0123456789abcdef');
    expect(Buffer.from(r.value.targetName).toString('utf16le')).toBe('Server');
    expect(r.value.version).toEqual({ major: 6, minor: 0, build: 6000, revision: 15 });
    const pairs = decodeAvPairs(r.value.targetInfo);
    expect(pairs.ok && pairs.value.map((p) => p.id)).toEqual([AvId.NB_DOMAIN_NAME, AvId.NB_COMPUTER_NAME]);
  });
  it('re-encodes to the same bytes', () => {
    const r = decodeChallenge(bytes);
    expect(r.ok && toHex(encodeChallenge(r.value))).toBe(toHex(bytes));
  });
});

describe('strict bounds checks', () => {
  const good = encodeAuthenticate({
    flags: NegotiateFlag.UNICODE,
    lmChallengeResponse: new Uint8Array(24),
    ntChallengeResponse: new Uint8Array(50).fill(7),
    domainName: new Uint8Array(4),
    userName: new Uint8Array(8),
    workstation: new Uint8Array(0),
    encryptedRandomSessionKey: new Uint8Array(16),
  });
  const patch = (at: number, len: number, off: number): Uint8Array => {
    const b = good.slice();
    const v = new DataView(b.buffer);
    v.setUint16(at, len, true);
    v.setUint32(at + 4, off, true);
    return b;
  };
  it('rejects a field running past the end', () => {
    const r = decodeAuthenticate(patch(20, 60, good.length - 10));
    expect(r.ok ? 'ok' : r.error.code).toBe('field-out-of-bounds');
  });
  it('rejects a field pointing into the header', () => {
    const r = decodeAuthenticate(patch(36, 8, 8));
    expect(r.ok ? 'ok' : r.error.code).toBe('field-out-of-bounds');
  });
  it('rejects offsets that overflow 32 bits', () => {
    const r = decodeAuthenticate(patch(36, 8, 0xfffffffc));
    expect(r.ok ? 'ok' : r.error.code).toBe('field-out-of-bounds');
  });
  it('rejects truncation, wrong type, wrong signature and oversize input', () => {
    const code = (x: ReturnType<typeof decodeAuthenticate>) => (x.ok ? 'ok' : x.error.code);
    expect(code(decodeAuthenticate(good.subarray(0, 40)))).toBe('truncated');
    expect(
      code(
        decodeAuthenticate(encodeNegotiate({ flags: 0, domainName: new Uint8Array(), workstation: new Uint8Array() })),
      ),
    ).toBe('wrong-message-type');
    const bad = good.slice();
    bad[0] = 0x41;
    expect(code(decodeAuthenticate(bad))).toBe('bad-signature');
    expect(code(decodeAuthenticate(new Uint8Array(0x10001)))).toBe('oversize');
  });
  it('rejects AV pair lists without MsvAvEOL or with a pair past the end', () => {
    expect(decodeAvPairs(hex('01000400aabbccdd')).ok).toBe(false);
    expect(decodeAvPairs(hex('01000800aabbccdd00000000')).ok).toBe(false);
    expect(decodeAvPairs(hex('0000010000')).ok).toBe(false);
  });
});

// ---- properties ---------------------------------------------------------------------------------

const bytes = (max: number) => fc.uint8Array({ maxLength: max });
const version: fc.Arbitrary<Version> = fc.record({
  major: fc.integer({ min: 0, max: 255 }),
  minor: fc.integer({ min: 0, max: 255 }),
  build: fc.integer({ min: 0, max: 0xffff }),
  revision: fc.integer({ min: 0, max: 255 }),
});
/** Flags plus a version exactly when the VERSION flag is set (the codec's invariant). */
const flagsAndVersion = fc
  .tuple(fc.integer({ min: 0, max: 0xffffffff }), version)
  .map(([f, v]) => ((f & NegotiateFlag.VERSION) !== 0 ? { flags: f >>> 0, version: v } : { flags: f >>> 0 }));

const negotiate: fc.Arbitrary<NegotiateMessage> = fc
  .tuple(flagsAndVersion, bytes(40), bytes(40))
  .map(([fv, d, w]) => ({ ...fv, domainName: d, workstation: w }));

const avPairs: fc.Arbitrary<AvPair[]> = fc.array(
  fc.record({ id: fc.integer({ min: 1, max: 0xffff }), value: bytes(30) }),
  { maxLength: 6 },
);

const challenge: fc.Arbitrary<ChallengeMessage> = fc
  .tuple(flagsAndVersion, bytes(40), fc.uint8Array({ minLength: 8, maxLength: 8 }), avPairs)
  .map(([fv, t, c, p]) => ({ ...fv, targetName: t, serverChallenge: c, targetInfo: encodeAvPairs(p) }));

const authenticate: fc.Arbitrary<AuthenticateMessage> = fc
  .tuple(
    flagsAndVersion,
    fc.tuple(bytes(24), bytes(120), bytes(30), bytes(30), bytes(30), bytes(16)),
    fc.option(fc.uint8Array({ minLength: 16, maxLength: 16 }), { nil: undefined }),
  )
  .map(([fv, [lm, nt, d, u, w, k], mic]) => ({
    ...fv,
    lmChallengeResponse: lm,
    ntChallengeResponse: nt,
    domainName: d,
    userName: u,
    workstation: w,
    encryptedRandomSessionKey: k,
    ...(mic ? { mic } : {}),
  }));

/** Random byte flips, truncations and extensions of a valid message. */
const mutate = (valid: fc.Arbitrary<Uint8Array>) =>
  fc
    .tuple(valid, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat(), bytes(16))
    .map(([b, flips, cut, tail]) => {
      const out = b.slice();
      for (const [i, x] of flips) if (out.length > 0) out[i % out.length] = x;
      if (cut % 3 === 0) return out.subarray(0, cut % (out.length + 1));
      return cut % 3 === 1 ? new Uint8Array([...out, ...tail]) : out;
    });

describe('codec properties (fast-check)', () => {
  it('parse(serialize(m)) = m for NEGOTIATE', () => {
    fc.assert(
      fc.property(negotiate, (m) => {
        expect(decodeNegotiate(encodeNegotiate(m))).toEqual({ ok: true, value: m });
      }),
    );
  });
  it('parse(serialize(m)) = m for CHALLENGE', () => {
    fc.assert(
      fc.property(challenge, (m) => {
        expect(decodeChallenge(encodeChallenge(m))).toEqual({ ok: true, value: m });
      }),
    );
  });
  it('parse(serialize(m)) = m for AUTHENTICATE', () => {
    fc.assert(
      fc.property(authenticate, (m) => {
        expect(decodeAuthenticate(encodeAuthenticate(m))).toEqual({ ok: true, value: m });
      }),
    );
  });
  it('parse(serialize(pairs)) = pairs for AV pair lists', () => {
    fc.assert(
      fc.property(avPairs, (p) => {
        expect(decodeAvPairs(encodeAvPairs(p))).toEqual({ ok: true, value: p });
      }),
    );
  });

  const decoders = [decodeNegotiate, decodeChallenge, decodeAuthenticate, decodeAvPairs] as const;
  const noThrow = (b: Uint8Array) => {
    for (const d of decoders) {
      const r = d(b);
      expect(typeof r.ok).toBe('boolean');
    }
  };
  it('random bytes never throw, only typed results', () => {
    fc.assert(fc.property(bytes(300), noThrow), { numRuns: 500 });
  });
  it('mutated valid messages never throw, only typed results', () => {
    const valid = fc.oneof(
      negotiate.map(encodeNegotiate),
      challenge.map(encodeChallenge),
      authenticate.map(encodeAuthenticate),
    );
    fc.assert(fc.property(mutate(valid), noThrow), { numRuns: 500 });
  });
  it('decoded fields always lie inside the input', () => {
    fc.assert(
      fc.property(mutate(authenticate.map(encodeAuthenticate)), (b) => {
        const r = decodeAuthenticate(b);
        if (r.ok)
          expect(r.value.ntChallengeResponse.length + r.value.lmChallengeResponse.length).toBeLessThanOrEqual(b.length);
      }),
      { numRuns: 300 },
    );
  });
});
