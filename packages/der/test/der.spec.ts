import { describe, expect, it } from 'vitest';
import {
  childrenOf,
  contentOf,
  enumerated,
  enumeratedOf,
  explicit,
  MAX_TOKEN_SIZE,
  octets,
  octetString,
  oid,
  oidOf,
  parseOne,
  readTlv,
  sequence,
  taggedFields,
  tlv,
} from '../src/index.js';
import type { DecodeResult } from '../src/index.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function value<T>(r: DecodeResult<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.detail}`);
  return r.value;
}
function code<T>(r: DecodeResult<T>): string {
  if (r.ok) throw new Error('decoded');
  return r.error.code;
}

describe('reading (X.690 §8.1, DER §10.1)', () => {
  it('reads short and long-form lengths, the content a view of the input', () => {
    const long = tlv(0x04, new Uint8Array(300).fill(7));
    expect(toHex(long.subarray(0, 4))).toBe('04820' + '12c');
    const t = value(parseOne(long, 'x'));
    expect([t.tag, t.contentStart, t.end]).toEqual([4, 4, 304]);
    expect(contentOf(t).buffer).toBe(long.buffer);
    expect(value(octets(t, 'x'))).toEqual(new Uint8Array(300).fill(7));
  });

  it('names what is wrong, and never reads past the buffer or the enclosing element', () => {
    expect(code(parseOne(new Uint8Array(0), 'x'))).toBe('empty');
    expect(code(parseOne(new Uint8Array(MAX_TOKEN_SIZE + 1), 'x'))).toBe('oversize');
    expect(code(parseOne(hex('0400ff'), 'x'))).toBe('trailing-bytes');
    expect(code(parseOne(hex('3080'), 'x'))).toBe('malformed-der');
    expect(code(parseOne(hex('0485ffffffffff'), 'x'))).toBe('oversize');
    expect(code(parseOne(hex('1f0100'), 'x'))).toBe('unexpected-tag');
    // A length of 2^31 - 1 content octets with four present.
    expect(code(parseOne(hex('04847fffffff00000000'), 'x'))).toBe('truncated');
    // The element fits the buffer but not the limit it is read under.
    expect(code(readTlv(hex('04020000'), 0, 3, 'x'))).toBe('truncated');
    expect(code(readTlv(hex('0400'), 2, 2, 'x'))).toBe('truncated');
  });

  it('refuses every truncation and survives random bytes without throwing', () => {
    const whole = sequence(explicit(0, oidOf('1.2.840.113554.1.2.2')), explicit(2, octetString(hex('aabbcc'))));
    for (let n = 0; n < whole.length; n++) expect(parseOne(whole.subarray(0, n), 'x').ok).toBe(false);
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const b = Uint8Array.from({ length: 1 + rnd(24) }, () => rnd(256));
      expect(() => {
        const t = parseOne(b, 'x');
        if (t.ok && t.value.constructed) taggedFields(t.value, [0, 1, 2, 3], 'x');
        if (t.ok) [oid(t.value, 'x'), enumerated(t.value, 'x'), childrenOf(t.value, 'x')].forEach(() => undefined);
      }).not.toThrow();
    }
  });
});

describe('constructed elements', () => {
  it('children must fill the content exactly', () => {
    const seq = value(parseOne(hex('300404010004'), 'x'));
    expect(code(childrenOf(seq, 'x'))).toBe('truncated');
    expect(code(childrenOf(value(parseOne(hex('0400'), 'x')), 'x'))).toBe('malformed-der');
  });

  it('tagged fields: known tags once each, in order, one element inside', () => {
    const f = (h: string): DecodeResult<ReadonlyMap<number, unknown>> =>
      taggedFields(value(parseOne(hex(h), 'x')), [0, 1], 'x');
    expect([...value(f('300aa0030a0100a1030a0101')).keys()]).toEqual([0, 1]);
    expect(code(f('300aa0030a0100a0030a0100'))).toBe('duplicate-field');
    expect(code(f('300aa1030a0100a0030a0100'))).toBe('unexpected-tag');
    expect(code(f('3005a2030a0100'))).toBe('unexpected-tag');
    expect(code(f('3002a000'))).toBe('malformed-der');
    expect(code(taggedFields(value(parseOne(hex('3100'), 'x')), [0], 'x'))).toBe('unexpected-tag');
  });
});

describe('values', () => {
  it('OIDs both ways (X.690 §8.19: first two arcs combined, arcs above 127)', () => {
    expect(toHex(oidOf('1.2.840.113554.1.2.2'))).toBe('06092a864886f712010202');
    expect(toHex(oidOf('1.3.6.1.4.1.311.2.2.10'))).toBe('060a2b06010401823702020a');
    expect(value(oid(value(parseOne(oidOf('2.999.1'), 'x')), 'x'))).toBe('2.999.1');
    expect(code(oid(value(parseOne(hex('0600'), 'x')), 'x'))).toBe('bad-value');
    expect(code(oid(value(parseOne(hex('06028001'), 'x')), 'x'))).toBe('bad-value');
    expect(code(oid(value(parseOne(hex('0602818a'), 'x')), 'x'))).toBe('truncated');
    expect(() => oidOf('1.40')).toThrow(RangeError);
  });

  it('ENUMERATED both ways, small and non-negative', () => {
    for (const v of [0, 1, 127, 128, 65535])
      expect(value(enumerated(value(parseOne(enumeratedOf(v), 'x')), 'x'))).toBe(v);
    expect(code(enumerated(value(parseOne(hex('0a01ff'), 'x')), 'x'))).toBe('bad-value');
    expect(code(enumerated(value(parseOne(hex('0a00'), 'x')), 'x'))).toBe('bad-value');
    expect(code(enumerated(value(parseOne(hex('0401ff'), 'x')), 'x'))).toBe('unexpected-tag');
  });
});
