// The SPNEGO codec: every decoder returns a DecodeResult and never throws.
export { MechOid, mechName, isKerberosOid } from './oids.js';
export type { MechName } from './oids.js';
export type { DecodeResult, DecodeError, DecodeErrorCode } from './result.js';
export { MAX_TOKEN_SIZE } from './der.js';
// The bounded DER reader, for packages that read a mechanism token inside SPNEGO (the Kerberos
// acceptor's replay check reads the AP-REQ authenticator with it rather than with a reader of its own).
export { childrenOf, hasTag, octets, parseOne, readTlv, taggedFields, TagClass, Universal } from './der.js';
export type { Tlv } from './der.js';
export { ContextFlag, encodeContextFlags, decodeContextFlags } from './context-flags.js';
export { encodeInitialContextToken, decodeInitialContextToken, INITIAL_TOKEN_TAG } from './framing.js';
export type { InitialContextToken } from './framing.js';
export { encodeMechTypes, decodeNegTokenInitBody, WINDOWS_HINT_NAME } from './neg-token-init.js';
export type { NegTokenInit, NegTokenInitFields, NegHints } from './neg-token-init.js';
export { NegState } from './neg-token-resp.js';
export type { NegTokenResp, NegTokenRespFields, NegStateValue } from './neg-token-resp.js';
export { encodeNegTokenInit, encodeNegTokenResp, decodeNegotiationToken, classifyToken } from './negotiation-token.js';
export type { NegotiationToken, TokenClass } from './negotiation-token.js';
