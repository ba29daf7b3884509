import type { DecodeResult } from './result.js';
import { fail, ok } from './result.js';
import { viewOf } from './wire.js';

/** AV_PAIR identifiers (MS-NLMP §2.2.2.1). */
export const AvId = {
  EOL: 0,
  NB_COMPUTER_NAME: 1,
  NB_DOMAIN_NAME: 2,
  DNS_COMPUTER_NAME: 3,
  DNS_DOMAIN_NAME: 4,
  DNS_TREE_NAME: 5,
  FLAGS: 6,
  TIMESTAMP: 7,
  SINGLE_HOST: 8,
  TARGET_NAME: 9,
  CHANNEL_BINDINGS: 10,
} as const;

/** MsvAvFlags bits (MS-NLMP §2.2.2.1). */
export const AvFlag = {
  ACCOUNT_CONSTRAINED: 0x1,
  MIC_PRESENT: 0x2,
  UNTRUSTED_SPN_SOURCE: 0x4,
} as const;

/** One AV pair; the list keeps wire order because the client echoes it inside its NTLMv2 proof. */
export interface AvPair {
  readonly id: number;
  readonly value: Uint8Array;
}

/** Decodes an AV pair list that must end with MsvAvEOL; bytes after the EOL are ignored. */
export function decodeAvPairs(buf: Uint8Array): DecodeResult<AvPair[]> {
  const v = viewOf(buf);
  const pairs: AvPair[] = [];
  let o = 0;
  for (;;) {
    if (o + 4 > buf.length) return fail('malformed-av-pairs', 'AV pair list ends without MsvAvEOL');
    const id = v.getUint16(o, true);
    const len = v.getUint16(o + 2, true);
    if (id === AvId.EOL) {
      if (len !== 0) return fail('malformed-av-pairs', 'MsvAvEOL with a value');
      return ok(pairs);
    }
    if (o + 4 + len > buf.length) return fail('malformed-av-pairs', `AV pair ${id} runs past the end`);
    pairs.push({ id, value: buf.slice(o + 4, o + 4 + len) });
    o += 4 + len;
  }
}

/** Encodes an AV pair list, appending MsvAvEOL. */
export function encodeAvPairs(pairs: readonly AvPair[]): Uint8Array {
  let n = 4;
  for (const p of pairs) n += 4 + p.value.length;
  const out = new Uint8Array(n);
  const v = viewOf(out);
  let o = 0;
  for (const p of pairs) {
    if (p.id === AvId.EOL) throw new RangeError('MsvAvEOL is appended by the encoder');
    if (p.value.length > 0xffff) throw new RangeError('AV pair longer than 65535 bytes');
    v.setUint16(o, p.id, true);
    v.setUint16(o + 2, p.value.length, true);
    out.set(p.value, o + 4);
    o += 4 + p.value.length;
  }
  return out;
}

/** First value with `id`, if any. */
export const findAvPair = (pairs: readonly AvPair[], id: number): Uint8Array | undefined =>
  pairs.find((p) => p.id === id)?.value;

/** A copy of `pairs` with `id` replaced in place (or appended when absent). */
export function setAvPair(pairs: readonly AvPair[], id: number, value: Uint8Array): AvPair[] {
  const i = pairs.findIndex((p) => p.id === id);
  if (i < 0) return [...pairs, { id, value }];
  return pairs.map((p, j) => (j === i ? { id, value } : p));
}
