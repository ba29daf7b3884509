// The SPNEGO codec: every decoder returns a DecodeResult and never throws.
export { MechOid, mechName, isKerberosOid } from './oids.js';
export type { MechName } from './oids.js';
// The result type and the token size cap come from the bounded DER reader (@sspkit/der), which the
// Kerberos acceptor's replay check shares without depending on this package's codec.
export type { DecodeResult, DecodeError, DecodeErrorCode } from '@sspkit/der';
export { MAX_TOKEN_SIZE } from '@sspkit/der';
export { ContextFlag, encodeContextFlags, decodeContextFlags } from './context-flags.js';
export { encodeInitialContextToken, decodeInitialContextToken, INITIAL_TOKEN_TAG } from './framing.js';
export type { InitialContextToken } from './framing.js';
export { encodeMechTypes, decodeNegTokenInitBody, WINDOWS_HINT_NAME } from './neg-token-init.js';
export type { NegTokenInit, NegTokenInitFields, NegHints } from './neg-token-init.js';
export { NegState } from './neg-token-resp.js';
export type { NegTokenResp, NegTokenRespFields, NegStateValue } from './neg-token-resp.js';
export { encodeNegTokenInit, encodeNegTokenResp, decodeNegotiationToken, classifyToken } from './negotiation-token.js';
export type { NegotiationToken, TokenClass } from './negotiation-token.js';
