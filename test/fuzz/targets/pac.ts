/**
 * The PAC logon information (KERB_VALIDATION_INFO, [MS-PAC] §2.5) in NDR ([MS-RPCE] §2.2.5): what a
 * KDC, or anyone who forged a ticket for a key they hold, puts in front of the acceptor. The decoder's
 * contract is to throw only PacDecodeError.
 */
import fc from 'fast-check';
import { decodeLogonInfo, PacDecodeError } from '../../../packages/provider-native/src/pac/logon-info.js';
import { logonInfo } from '../corpus/seeds.js';
import { Finding } from '../target.js';
import type { FuzzTarget } from '../target.js';
import { bytesWithPrefixes } from './parsers.js';

/** The NDR common and private headers (version 1, little-endian, filler 0xcccccccc). */
const NDR_HEADER = Uint8Array.from([0x01, 0x10, 0x08, 0x00, 0xcc, 0xcc, 0xcc, 0xcc]);

export const pacTarget: FuzzTarget = {
  name: 'pac',
  description: 'decodeLogonInfo (NDR)',
  corpus: logonInfo,
  arbitrary: fc.oneof(
    bytesWithPrefixes([NDR_HEADER]),
    // Headers, then a body of 32-bit words biased to referent ids, counts and sizes.
    fc.array(fc.oneof(fc.nat(64), fc.constant(0x00020000), fc.nat()), { maxLength: 200 }).map((words) => {
      const out = new Uint8Array(16 + words.length * 4);
      out.set(NDR_HEADER);
      const v = new DataView(out.buffer);
      v.setUint32(8, words.length * 4, true);
      words.forEach((w, i) => v.setUint32(16 + i * 4, w, true));
      return out;
    }),
  ),
  prepare: () =>
    Promise.resolve((c) => {
      try {
        decodeLogonInfo(c.data);
      } catch (err) {
        if (!(err instanceof PacDecodeError)) throw err;
      }
      if (c.data.length > 1 << 20) throw new Finding('unreachable');
    }),
};
