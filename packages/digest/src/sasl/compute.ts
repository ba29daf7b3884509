/**
 * RFC 2831 §2.1.2.1 computations. Inputs are byte strings as they appear in the messages (UTF-8 when
 * `charset=utf-8`); the password is Unicode. H(A1) is returned binary: it is the session key of the
 * security layers.
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { wireToBytes } from '../bytes.js';
import type { SaslQop } from '../messages/qop.js';

const ZERO_HASH = ':00000000000000000000000000000000';

/**
 * RFC 2831 §2.1.2.1: with charset=utf-8, a value whose characters all fit ISO 8859-1 is hashed in
 * ISO 8859-1. Takes the wire octets (UTF-8) and returns the octets to hash.
 */
export function hashOctets(wire: string, utf8: boolean): Buffer {
  const bytes = wireToBytes(wire);
  if (!utf8) return bytes;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return bytes;
  }
  // Every code point ≤ U+00FF means the value is Latin-1 representable.
  // eslint-disable-next-line no-control-regex -- the whole Latin-1 range, control characters included
  return /^[\u0000-\u00ff]*$/.test(text) ? Buffer.from(text, 'latin1') : bytes;
}

/** H(username:realm:password), binary: the part of A1 a server may store instead of the password. */
export function saslUserHash(username: string, realm: string, passwordOctets: Uint8Array, utf8: boolean): Buffer {
  return createHash('md5')
    .update(hashOctets(username, utf8))
    .update(':')
    .update(hashOctets(realm, utf8))
    .update(':')
    .update(passwordOctets)
    .digest();
}

/** Inputs shared by the response and rspauth computations. */
export interface SaslDigestInput {
  /** Binary H(username:realm:password). */
  readonly userHash: Uint8Array;
  readonly nonce: string;
  readonly cnonce: string;
  readonly nc: number;
  readonly qop: SaslQop;
  readonly digestUri: string;
  readonly authzid?: string;
}

/** Binary H(A1), the session key (RFC 2831 §2.1.2.1). */
export function saslHa1(input: SaslDigestInput): Buffer {
  const h = createHash('md5')
    .update(input.userHash)
    .update(wireToBytes(`:${input.nonce}:${input.cnonce}`));
  if (input.authzid !== undefined) h.update(wireToBytes(`:${input.authzid}`));
  return h.digest();
}

function kd(ha1: Buffer, input: SaslDigestInput, a2: string): string {
  const ha2 = createHash('md5').update(wireToBytes(a2)).digest('hex');
  const nc = input.nc.toString(16).padStart(8, '0');
  return createHash('md5')
    .update(wireToBytes(`${ha1.toString('hex')}:${input.nonce}:${nc}:${input.cnonce}:${input.qop}:${ha2}`))
    .digest('hex');
}

/** The client's `response` value (RFC 2831 §2.1.2.1). */
export function saslResponse(input: SaslDigestInput): string {
  const a2 = `AUTHENTICATE:${input.digestUri}${input.qop === 'auth' ? '' : ZERO_HASH}`;
  return kd(saslHa1(input), input, a2);
}

/** The server's `rspauth` value (RFC 2831 §2.1.3: A2 without "AUTHENTICATE"). */
export function saslRspauth(input: SaslDigestInput): string {
  const a2 = `:${input.digestUri}${input.qop === 'auth' ? '' : ZERO_HASH}`;
  return kd(saslHa1(input), input, a2);
}
