/**
 * NegotiationToken (RFC 4178 §4.2) as it travels:
 *
 *   - the first token, framed (RFC 2743 §3.1) with thisMech = SPNEGO: 60 .. 06 06 2b0601050502 a0 NegTokenInit
 *     (or NegTokenInit2 when a server speaks first, [MS-SPNG] §3.2.5.2);
 *   - every later token, bare: a1 NegTokenResp.
 *
 * Tokens that are not SPNEGO at all (a raw Kerberos AP-REQ, a raw NTLMSSP message) are recognised
 * by `classifyToken` so an acceptor can take them the way Windows does ([MS-SPNG] §3.2.5.1 notes).
 */
import type { DecodeResult } from '@sspkit/der';
import { childrenOf, explicit, fail, hasTag, parseOne, TagClass } from '@sspkit/der';
import { decodeInitialContextToken, encodeInitialContextToken, INITIAL_TOKEN_TAG } from './framing.js';
import type { NegTokenInit, NegTokenInitFields } from './neg-token-init.js';
import { decodeNegTokenInitNode, negTokenInitBody } from './neg-token-init.js';
import type { NegTokenResp, NegTokenRespFields } from './neg-token-resp.js';
import { decodeNegTokenRespNode, negTokenRespBody } from './neg-token-resp.js';
import { MechOid } from './oids.js';

/** Any decoded SPNEGO token. */
export type NegotiationToken = NegTokenInit | NegTokenResp;

/** The first token: NegTokenInit (or, with negHints, NegTokenInit2), framed. */
export function encodeNegTokenInit(f: NegTokenInitFields): Uint8Array {
  return encodeInitialContextToken(MechOid.spnego, explicit(0, negTokenInitBody(f)));
}

/** A later token: NegTokenResp, tagged [1], unframed. */
export function encodeNegTokenResp(f: NegTokenRespFields): Uint8Array {
  return explicit(1, negTokenRespBody(f));
}

/** Decodes the NegotiationToken CHOICE ([0] init or [1] resp) from its DER. */
function decodeChoice(bytes: Uint8Array): DecodeResult<NegotiationToken> {
  const node = parseOne(bytes, 'NegotiationToken');
  if (!node.ok) return node;
  const n = node.value;
  const isInit = hasTag(n, TagClass.context, 0);
  if (!isInit && !hasTag(n, TagClass.context, 1))
    return fail('unexpected-tag', 'neither negTokenInit [0] nor negTokenResp [1]');
  const inner = childrenOf(n, 'NegotiationToken');
  if (!inner.ok) return inner;
  const only = inner.value[0];
  if (inner.value.length !== 1 || only === undefined)
    return fail('malformed-der', 'NegotiationToken must hold one element');
  return isInit ? decodeNegTokenInitNode(only) : decodeNegTokenRespNode(only);
}

/**
 * Decodes any SPNEGO token: a framed initial token (whose thisMech must be SPNEGO) or a bare
 * NegotiationToken. Never throws.
 */
export function decodeNegotiationToken(bytes: Uint8Array): DecodeResult<NegotiationToken> {
  if (bytes[0] === INITIAL_TOKEN_TAG) {
    const framed = decodeInitialContextToken(bytes);
    if (!framed.ok) return framed;
    if (framed.value.mech !== MechOid.spnego) {
      return fail('wrong-mechanism', `initial token for ${framed.value.mech}, not SPNEGO`);
    }
    return decodeChoice(framed.value.inner);
  }
  return decodeChoice(bytes);
}

/** What an acceptor was handed. */
export type TokenClass =
  | { readonly kind: 'spnego' }
  | { readonly kind: 'mech'; readonly mech: string }
  | { readonly kind: 'ntlmssp' }
  | { readonly kind: 'unknown' };

const NTLMSSP = [0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00];

/**
 * Tells SPNEGO from a raw mechanism token by its first bytes: "NTLMSSP\0" ([MS-NLMP] §2.2.1), a
 * framed token naming another mechanism (Kerberos, RFC 4121 §4.1), or a bare NegTokenResp (a1).
 */
export function classifyToken(bytes: Uint8Array): TokenClass {
  if (bytes.length >= 8 && NTLMSSP.every((b, i) => bytes[i] === b)) return { kind: 'ntlmssp' };
  if (bytes[0] === INITIAL_TOKEN_TAG) {
    const framed = decodeInitialContextToken(bytes);
    if (!framed.ok) return { kind: 'unknown' };
    return framed.value.mech === MechOid.spnego ? { kind: 'spnego' } : { kind: 'mech', mech: framed.value.mech };
  }
  if (bytes[0] === 0xa1 || bytes[0] === 0xa0) return { kind: 'spnego' };
  return { kind: 'unknown' };
}
