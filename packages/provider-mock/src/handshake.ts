/**
 * The Mock handshake as an explicit state machine, separate from the wire codec and the tables.
 *
 * `legs` tokens in all (2…16), client first. Token 1 is the client's HELLO (user, domain, nonce,
 * requested capabilities); every later token carries a fresh nonce, and server tokens the
 * negotiated capabilities. The client's last token carries its proof, HMAC(userKey, transcript);
 * when `legs` is even the server's final token carries the server's proof (mutual authentication).
 * The session key is HMAC(userKey, transcript through the client proof).
 */
import { SecStatus, concat, constantTimeEqual as macEqual } from '@sspkit/core';
import { Cap } from './flags.js';
import { hmac, sha256 } from './crypto.js';
import type { MockToken } from './wire.js';
import { Kind, decodeToken, encodeBody, encodeProof } from './wire.js';

const S = SecStatus;

/** Who speaks last for a given number of legs. */
function clientLastLeg(legs: number): number {
  return legs % 2 === 1 ? legs : legs - 1;
}

/** The identity a handshake authenticates (resolved by the server from its user database). */
export interface Identity {
  readonly user: string;
  readonly domain: string;
  readonly key: Uint8Array;
}

/** Handshake state of one side. Mutated only through {@link HandshakeState.commit}. */
export interface HandshakeState {
  readonly side: 'client' | 'server';
  readonly legs: number;
  /** Index (1-based) of the next token this side expects to receive or send. */
  nextLeg: number;
  transcript: Uint8Array[];
  caps: number;
  user?: string;
  domain?: string;
  target?: string;
  key?: Uint8Array;
  sessionKey?: Uint8Array;
  complete: boolean;
}

/** One leg's outcome: a status, an optional token to send, and the state to adopt on success. */
export interface LegOutcome {
  status: number;
  output?: Uint8Array;
  next?: HandshakeState;
  /** Why a failed leg failed (never a key or a password). */
  why?: string;
}

/** A failed leg and its reason. */
const refuse = (status: number, why: string): LegOutcome => ({ status, why });

/** The reasons `decode` refuses a token, by status. */
function decodeFailure(status: number): LegOutcome {
  const why =
    status === S.SEC_E_INCOMPLETE_MESSAGE
      ? 'the token is truncated'
      : 'the token is missing, malformed, or not the leg this context expects';
  return refuse(status, why);
}

function fresh(state: HandshakeState): HandshakeState {
  return { ...state, transcript: [...state.transcript] };
}

function seal(body: Uint8Array, key: Uint8Array, label: string, previous: readonly Uint8Array[]): Uint8Array {
  const proof = hmac(key, label, sha256(...previous, body));
  return concat(body, encodeProof(proof));
}

function decode(
  input: Uint8Array | undefined,
  state: HandshakeState,
): { token: MockToken; signedPart: Uint8Array } | number {
  if (!input) return S.SEC_E_INVALID_TOKEN;
  const d = decodeToken(input);
  if (d === 'truncated') return S.SEC_E_INCOMPLETE_MESSAGE;
  if (d === 'invalid') return S.SEC_E_INVALID_TOKEN;
  // A token for another leg (replayed, reordered, or from a handshake of another length).
  if (d.token.leg !== state.nextLeg || d.token.legs !== state.legs) return S.SEC_E_INVALID_TOKEN;
  return d;
}

/** Client: the first leg (HELLO). */
export function clientStart(
  state: HandshakeState,
  identity: Identity,
  nonce: Uint8Array,
  requestedCaps: number,
  target: string | undefined,
): LegOutcome {
  const next = fresh(state);
  const token: MockToken = {
    leg: 1,
    legs: state.legs,
    kind: Kind.HELLO,
    user: identity.user,
    domain: identity.domain,
    nonce,
    flags: requestedCaps,
  };
  if (target !== undefined) token.target = target;
  let bytes = encodeBody(token);
  next.user = identity.user;
  next.domain = identity.domain;
  // The context's own copy: deleting the context wipes it, and the credential it came from may be
  // reused for further contexts.
  next.key = Uint8Array.from(identity.key);
  next.caps = requestedCaps;
  if (target !== undefined) next.target = target;
  if (clientLastLeg(state.legs) === 1) {
    bytes = seal(bytes, identity.key, 'client-proof', []);
    next.sessionKey = hmac(identity.key, 'session', sha256(bytes));
  }
  next.transcript.push(bytes);
  next.nextLeg = 2;
  return { status: S.SEC_I_CONTINUE_NEEDED, output: bytes, next };
}

/** Client: a later leg, given the server's token. */
export function clientContinue(state: HandshakeState, input: Uint8Array | undefined, nonce: Uint8Array): LegOutcome {
  const d = decode(input, state);
  if (typeof d === 'number') return decodeFailure(d);
  const { token, signedPart } = d;
  const next = fresh(state);
  const key = state.key!;
  if (token.flags !== undefined) next.caps = token.flags;
  if (token.kind === Kind.FINAL) {
    if (state.nextLeg !== state.legs || !token.proof)
      return refuse(S.SEC_E_INVALID_TOKEN, 'a final token before the last leg, or without the server proof');
    const expected = hmac(key, 'server-proof', sha256(...state.transcript, signedPart));
    if (!macEqual(expected, token.proof))
      return refuse(
        S.SEC_E_MUTUAL_AUTH_FAILED,
        'the server proof does not verify: the server does not know the user key',
      );
    next.transcript.push(input!);
    next.complete = true;
    next.nextLeg = state.legs + 1;
    return { status: S.SEC_E_OK, next };
  }
  if (token.kind !== Kind.ROUND || state.nextLeg >= state.legs)
    return refuse(S.SEC_E_INVALID_TOKEN, 'not a round token, or one leg too many');
  next.transcript.push(input!);
  const leg = state.nextLeg + 1;
  let bytes = encodeBody({ leg, legs: state.legs, kind: Kind.ROUND, nonce });
  if (leg === clientLastLeg(state.legs)) {
    bytes = seal(bytes, key, 'client-proof', next.transcript);
    next.sessionKey = hmac(key, 'session', sha256(...next.transcript, bytes));
  }
  next.transcript.push(bytes);
  next.nextLeg = leg + 1;
  next.complete = leg === state.legs;
  return { status: next.complete ? S.SEC_E_OK : S.SEC_I_CONTINUE_NEEDED, output: bytes, next };
}

/** Server: any leg, given the client's token; `lookup` finds the user's key. */
export function serverStep(
  state: HandshakeState,
  input: Uint8Array | undefined,
  nonce: Uint8Array,
  serverCaps: number,
  lookup: (user: string, domain: string) => Identity | undefined,
): LegOutcome {
  const d = decode(input, state);
  if (typeof d === 'number') return decodeFailure(d);
  const { token, signedPart } = d;
  const next = fresh(state);
  if (state.nextLeg === 1) {
    if (
      token.kind !== Kind.HELLO ||
      token.user === undefined ||
      token.domain === undefined ||
      token.nonce === undefined
    ) {
      return refuse(S.SEC_E_INVALID_TOKEN, 'the first token is not a complete hello (user, domain, nonce)');
    }
    next.user = token.user;
    next.domain = token.domain;
    if (token.target !== undefined) next.target = token.target;
    // Either side may ask for message protection; only the client may ask for delegation.
    const protection = Cap.REPLAY | Cap.SEQUENCE | Cap.CONFIDENTIALITY | Cap.INTEGRITY;
    let caps = ((token.flags ?? 0) | (serverCaps & protection)) & (protection | Cap.DELEGATE | Cap.CONNECTION);
    if (state.legs % 2 === 0) caps |= Cap.MUTUAL;
    next.caps = caps;
  } else if (token.kind !== Kind.ROUND) {
    return refuse(S.SEC_E_INVALID_TOKEN, 'a later leg that is not a round token');
  }
  next.transcript.push(input!);
  if (state.nextLeg === clientLastLeg(state.legs)) {
    const id = lookup(next.user!, next.domain!);
    if (!token.proof) return refuse(S.SEC_E_INVALID_TOKEN, 'the client proof is missing from its last leg');
    const expected = id && hmac(id.key, 'client-proof', sha256(...state.transcript, signedPart));
    // Unknown user and wrong password look the same to the client.
    if (!id || !expected || !macEqual(expected, token.proof))
      return refuse(S.SEC_E_LOGON_DENIED, 'unknown user or wrong password');
    next.key = id.key;
    next.user = id.user;
    next.domain = id.domain;
    next.sessionKey = hmac(id.key, 'session', sha256(...next.transcript));
  } else if (token.proof) {
    return refuse(S.SEC_E_INVALID_TOKEN, 'a client proof on a leg that carries none');
  }
  if (state.nextLeg === state.legs) {
    next.complete = true;
    next.nextLeg = state.legs + 1;
    return { status: S.SEC_E_OK, next };
  }
  const leg = state.nextLeg + 1;
  let bytes: Uint8Array;
  if (leg === state.legs) {
    bytes = seal(
      encodeBody({ leg, legs: state.legs, kind: Kind.FINAL, flags: next.caps }),
      next.key!,
      'server-proof',
      next.transcript,
    );
    next.complete = true;
  } else {
    bytes = encodeBody({ leg, legs: state.legs, kind: Kind.ROUND, nonce, flags: next.caps });
  }
  next.transcript.push(bytes);
  next.nextLeg = leg + 1;
  return { status: next.complete ? S.SEC_E_OK : S.SEC_I_CONTINUE_NEEDED, output: bytes, next };
}
