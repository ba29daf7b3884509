// The public surface of @sspkit/der: named exports only.
export type { DecodeError, DecodeErrorCode, DecodeResult } from './result.js';
export { fail, ok } from './result.js';
export type { Tlv } from './der.js';
export {
  childrenOf,
  contentOf,
  enumerated,
  enumeratedOf,
  explicit,
  generalString,
  hasTag,
  MAX_TOKEN_SIZE,
  octets,
  octetString,
  oid,
  oidOf,
  parseOne,
  rawOf,
  readTlv,
  sequence,
  TagClass,
  taggedFields,
  tlv,
  Universal,
} from './der.js';
