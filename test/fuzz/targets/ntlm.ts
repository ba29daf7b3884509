/** NTLM message decoders ([MS-NLMP] §2.2.1) and AV_PAIR lists (§2.2.2.1) on untrusted bytes. */
import fc from 'fast-check';
import { decodeAuthenticate, decodeAvPairs, decodeChallenge, decodeNegotiate } from '@sspkit/ntlm';
import { ntlmTokens } from '../corpus/seeds.js';
import type { FuzzTarget } from '../target.js';
import { expectResult } from './parsers.js';

const SIGNATURE = [0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00];

/** A header with a random type and a body of random 8-byte field descriptors (len, maxLen, offset). */
const structured = fc
  .tuple(
    fc.integer({ min: 0, max: 4 }),
    fc.array(fc.tuple(fc.nat(0xffff), fc.nat(0xffff), fc.nat(0x3ff))),
    fc.uint8Array(),
  )
  .map(([type, fields, tail]) => {
    const out = new Uint8Array(12 + fields.length * 8 + tail.length);
    const v = new DataView(out.buffer);
    out.set(SIGNATURE);
    v.setUint32(8, type, true);
    fields.forEach(([len, max, off], i) => {
      v.setUint16(12 + i * 8, len, true);
      v.setUint16(14 + i * 8, max, true);
      v.setUint32(16 + i * 8, off, true);
    });
    out.set(tail, 12 + fields.length * 8);
    return out;
  });

export const ntlmTarget: FuzzTarget = {
  name: 'ntlm',
  description: 'decodeNegotiate/Challenge/Authenticate/AvPairs',
  corpus: ntlmTokens,
  arbitrary: fc.oneof(structured, fc.uint8Array({ maxLength: 400 })),
  prepare: () =>
    Promise.resolve((c) => {
      expectResult(decodeNegotiate(c.data), 'decodeNegotiate');
      expectResult(decodeChallenge(c.data), 'decodeChallenge');
      expectResult(decodeAuthenticate(c.data), 'decodeAuthenticate');
      expectResult(decodeAvPairs(c.data), 'decodeAvPairs');
      // A CHALLENGE's TargetInfo is where a server's AV_PAIRs arrive: decode them as the client does.
      const ch = decodeChallenge(c.data);
      if (ch.ok) expectResult(decodeAvPairs(ch.value.targetInfo), 'decodeAvPairs(targetInfo)');
    }),
};
