/**
 * The Mock package's handshake token codec: pure, no state, no I/O.
 *
 *   "MOCK" | version u8 | leg u8 | legs u8 | kind u8 | fields…
 *   field = tag u8 | length u16 BE | value
 *
 * The proof, when present, is always the last field, so a receiver can MAC the bytes before it.
 */
import { concat } from '@sspkit/core';

const TOKEN_MAGIC = [0x4d, 0x4f, 0x43, 0x4b] as const; // "MOCK"
const TOKEN_VERSION = 1;
const HEADER = 8;
/** Largest value a field may carry; anything longer is a malformed token. */
const MAX_FIELD = 1024;

export const Kind = { HELLO: 1, ROUND: 2, FINAL: 3 } as const;
const Tag = { USER: 1, DOMAIN: 2, NONCE: 3, FLAGS: 4, TARGET: 5, PROOF: 0x7f } as const;

export interface MockToken {
  leg: number;
  legs: number;
  kind: number;
  user?: string;
  domain?: string;
  nonce?: Uint8Array;
  flags?: number;
  target?: string;
  proof?: Uint8Array;
}

/** A decoded token plus the raw bytes its proof covers. */
export interface DecodedToken {
  readonly token: MockToken;
  readonly signedPart: Uint8Array;
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

function field(tag: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(3 + value.length);
  out[0] = tag;
  out[1] = value.length >> 8;
  out[2] = value.length & 0xff;
  out.set(value, 3);
  return out;
}

/** Serialises everything but the proof; append {@link encodeProof} to finish the token. */
export function encodeBody(t: MockToken): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.from([...TOKEN_MAGIC, TOKEN_VERSION, t.leg, t.legs, t.kind])];
  if (t.user !== undefined) parts.push(field(Tag.USER, enc.encode(t.user)));
  if (t.domain !== undefined) parts.push(field(Tag.DOMAIN, enc.encode(t.domain)));
  if (t.nonce !== undefined) parts.push(field(Tag.NONCE, t.nonce));
  if (t.flags !== undefined) {
    const f = new Uint8Array(4);
    new DataView(f.buffer).setUint32(0, t.flags >>> 0);
    parts.push(field(Tag.FLAGS, f));
  }
  if (t.target !== undefined) parts.push(field(Tag.TARGET, enc.encode(t.target)));
  return concat(...parts);
}

/** The proof field, appended after the body. */
export function encodeProof(proof: Uint8Array): Uint8Array {
  return field(Tag.PROOF, proof);
}

/** Decodes a token; returns 'truncated' or 'invalid' instead of throwing. */
export function decodeToken(bytes: Uint8Array): DecodedToken | 'truncated' | 'invalid' {
  if (bytes.length < HEADER) return bytes.length === 0 || bytes[0] === TOKEN_MAGIC[0] ? 'truncated' : 'invalid';
  for (let i = 0; i < 4; i++) if (bytes[i] !== TOKEN_MAGIC[i]) return 'invalid';
  if (bytes[4] !== TOKEN_VERSION) return 'invalid';
  const token: MockToken = { leg: bytes[5]!, legs: bytes[6]!, kind: bytes[7]! };
  let signedEnd = bytes.length;
  const seen = new Set<number>();
  let o = HEADER;
  try {
    while (o < bytes.length) {
      if (o + 3 > bytes.length) return 'truncated';
      const tag = bytes[o]!;
      const len = (bytes[o + 1]! << 8) | bytes[o + 2]!;
      if (len > MAX_FIELD) return 'invalid';
      if (o + 3 + len > bytes.length) return 'truncated';
      if (seen.has(tag)) return 'invalid';
      seen.add(tag);
      const value = bytes.subarray(o + 3, o + 3 + len);
      switch (tag) {
        case Tag.USER:
          token.user = dec.decode(value);
          break;
        case Tag.DOMAIN:
          token.domain = dec.decode(value);
          break;
        case Tag.NONCE:
          token.nonce = Uint8Array.from(value);
          break;
        case Tag.FLAGS:
          if (len !== 4) return 'invalid';
          token.flags = new DataView(value.buffer, value.byteOffset, 4).getUint32(0);
          break;
        case Tag.TARGET:
          token.target = dec.decode(value);
          break;
        case Tag.PROOF:
          if (o + 3 + len !== bytes.length) return 'invalid'; // the proof must come last
          token.proof = Uint8Array.from(value);
          signedEnd = o;
          break;
        default:
          return 'invalid';
      }
      o += 3 + len;
    }
  } catch {
    return 'invalid'; // e.g. a name that is not UTF-8
  }
  return { token, signedPart: bytes.subarray(0, signedEnd) };
}
