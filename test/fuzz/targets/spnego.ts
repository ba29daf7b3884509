/** SPNEGO ([RFC 4178] §4.2) and its GSS framing ([RFC 2743] §3.1): the DER codec on untrusted tokens. */
import fc from 'fast-check';
import { decodeInitialContextToken, decodeNegotiationToken } from '@sspkit/negotiate';
import { gssTokens } from '../corpus/seeds.js';
import type { FuzzTarget } from '../target.js';
import { expectResult } from './parsers.js';

/** Nested DER TLVs of random tags and lengths that mostly agree with their contents. */
const tlv: fc.Arbitrary<Uint8Array> = fc.letrec<{ node: Uint8Array }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    fc.uint8Array({ maxLength: 24 }),
    fc
      .tuple(
        fc.constantFrom(0x30, 0xa0, 0xa1, 0xa2, 0xa3, 0x04, 0x06, 0x0a, 0x03, 0x60, 0x1b, 0xff),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.integer({ min: -2, max: 2 }),
      )
      .map(([tag, kids, skew]) => {
        const body = Buffer.concat(kids);
        const len = Math.max(0, body.length + (skew === 2 ? 0 : skew === -2 ? 0 : skew));
        const head = len < 0x80 ? [tag, len] : len < 0x100 ? [tag, 0x81, len] : [tag, 0x82, len >> 8, len & 0xff];
        return Uint8Array.from([...head, ...body]);
      }),
  ),
})).node;

export const spnegoTarget: FuzzTarget = {
  name: 'spnego',
  description: 'decodeInitialContextToken/decodeNegotiationToken',
  corpus: gssTokens,
  arbitrary: tlv,
  prepare: () =>
    Promise.resolve((c) => {
      const framed = decodeInitialContextToken(c.data);
      expectResult(framed, 'decodeInitialContextToken');
      expectResult(decodeNegotiationToken(c.data), 'decodeNegotiationToken');
      if (framed.ok) expectResult(decodeNegotiationToken(framed.value.inner), 'decodeNegotiationToken(inner)');
    }),
};
