/** SEC_CHANNEL_BINDINGS (sspi.h; the layout RFC 4121 §4.1.1.2 hashes) as a caller or peer hands it over. */
import fc from 'fast-check';
import { decodeSecChannelBindings } from '@sspkit/core';
import { channelBindings } from '../corpus/seeds.js';
import type { FuzzTarget } from '../target.js';
import { expectResult } from './parsers.js';

/** The 32-byte header of four (length, offset) pairs after the two address types, then a body. */
const structured = fc
  .tuple(fc.array(fc.nat(0x200), { minLength: 8, maxLength: 8 }), fc.uint8Array({ maxLength: 256 }))
  .map(([words, body]) => {
    const out = new Uint8Array(32 + body.length);
    const v = new DataView(out.buffer);
    words.forEach((w, i) => v.setUint32(i * 4, w, true));
    out.set(body, 32);
    return out;
  });

export const channelBindingsTarget: FuzzTarget = {
  name: 'channel-bindings',
  description: 'decodeSecChannelBindings',
  corpus: channelBindings,
  arbitrary: fc.oneof(structured, fc.uint8Array({ maxLength: 128 })),
  prepare: () => Promise.resolve((c) => expectResult(decodeSecChannelBindings(c.data), 'decodeSecChannelBindings')),
};
