/**
 * The acceptor (RFC 4178 §3.2, [MS-SPNG] §3.2.5): picks the first mechanism of the initiator's list it
 * has a credential for, uses the optimistic token when it is for that mechanism, and otherwise asks
 * for the chosen one. As Windows does, it also takes a raw Kerberos or raw NTLMSSP token without the
 * SPNEGO wrapper and then answers unwrapped; and, configured for it, it speaks first with NegTokenInit2.
 */
import { SecStatus } from '@sspkit/core';
import type { SecBuffer } from '@sspkit/core';
import { sameMech } from './client.js';
import type { Leg, NegotiateContext } from './context.js';
import { failed } from './context.js';
import type { InnerCredential } from './credentials.js';
import type { InnerLeg } from './inner.js';
import { failure, InnerContext } from './inner.js';
import { WINDOWS_HINT_NAME } from './messages/neg-token-init.js';
import type { NegStateValue } from './messages/neg-token-resp.js';
import { NegState } from './messages/neg-token-resp.js';
import {
  classifyToken,
  decodeNegotiationToken,
  encodeNegTokenInit,
  encodeNegTokenResp,
} from './messages/negotiation-token.js';
import { MechOid } from './messages/oids.js';

const isLegOk = (l: InnerLeg): boolean =>
  l.status === SecStatus.SEC_E_OK || l.status === SecStatus.SEC_I_CONTINUE_NEEDED;

/** The reject token ([MS-SPNG] §3.2.5.1): tells the initiator to stop, next to the error status. */
const reject = (): Uint8Array => encodeNegTokenResp({ negState: NegState.reject });

/** NegTokenInit2 listing what this credential accepts, with the hint Windows sends. */
export function serverInit2(ctx: NegotiateContext): Leg {
  const mechTypes = (ctx.cred?.entries ?? []).map((e) => e.mech.oid);
  return {
    status: SecStatus.SEC_I_CONTINUE_NEEDED,
    token: encodeNegTokenInit({ mechTypes, negHints: { hintName: WINDOWS_HINT_NAME } }),
  };
}

function entryFor(ctx: NegotiateContext, oid: string): InnerCredential | undefined {
  return ctx.cred?.entries.find((e) => sameMech(e.mech.oid, oid));
}

/** A raw mechanism token: the context is that package's, unwrapped, from here on. */
async function acceptRaw(
  ctx: NegotiateContext,
  oid: string,
  token: Uint8Array,
  bindings: SecBuffer | undefined,
): Promise<Leg> {
  const entry = entryFor(ctx, oid);
  if (!entry)
    return failed(failure(SecStatus.SEC_E_INVALID_TOKEN, `a raw ${oid} token, and no credential for that mechanism`));
  ctx.raw = true;
  ctx.selected = true;
  ctx.inner = new InnerContext(entry.mech, 'server', entry.handle);
  return rawStep(ctx, token, bindings);
}

async function rawStep(ctx: NegotiateContext, token: Uint8Array, bindings: SecBuffer | undefined): Promise<Leg> {
  const inner = ctx.inner;
  if (!inner) return failed(failure(SecStatus.SEC_E_INTERNAL_ERROR, 'no mechanism context'));
  const leg = await inner.step(token, bindings, undefined, ctx.req);
  if (!isLegOk(leg)) return failed(failure(leg.status, `${inner.mech.name} refused the raw token`, leg.cause));
  if (leg.status === SecStatus.SEC_E_OK) ctx.complete = true;
  return { status: leg.status, ...(leg.token !== undefined && { token: leg.token }) };
}

/** The first leg of the acceptor. */
export async function serverFirst(
  ctx: NegotiateContext,
  token: Uint8Array,
  bindings: SecBuffer | undefined,
): Promise<Leg> {
  const cls = classifyToken(token);
  if (cls.kind === 'ntlmssp') return acceptRaw(ctx, MechOid.ntlm, token, bindings);
  if (cls.kind === 'mech') return acceptRaw(ctx, cls.mech, token, bindings);
  if (cls.kind === 'unknown')
    return failed(failure(SecStatus.SEC_E_INVALID_TOKEN, 'neither SPNEGO nor a known mechanism token'));
  const decoded = decodeNegotiationToken(token);
  if (!decoded.ok) return failed(failure(SecStatus.SEC_E_INVALID_TOKEN, `initiator token: ${decoded.error.detail}`));
  const init = decoded.value;
  if (init.kind !== 'init')
    return failed(failure(SecStatus.SEC_E_INVALID_TOKEN, 'expected a NegTokenInit from the initiator'));
  ctx.mechTypesDer = init.mechTypesDer;
  const index = init.mechTypes.findIndex((oid) => entryFor(ctx, oid) !== undefined);
  const chosenOid = init.mechTypes[index];
  const entry = chosenOid === undefined ? undefined : entryFor(ctx, chosenOid);
  if (chosenOid === undefined || !entry) {
    const ours = (ctx.cred?.entries ?? []).map((e) => e.mech.name).join(', ');
    return {
      ...failed(
        failure(
          SecStatus.SEC_E_INVALID_TOKEN,
          `no mechanism in common (offered: ${init.mechTypes.join(', ')}; ours: ${ours})`,
        ),
      ),
      token: reject(),
    };
  }
  ctx.selected = true;
  ctx.inner = new InnerContext(entry.mech, 'server', entry.handle);
  ctx.requireMicFor(entry.mech.oid === MechOid.ntlm ? MechOid.ntlm : chosenOid, init.mechTypes[0]);
  // The optimistic token is for the initiator's first mechanism only (RFC 4178 §3.2).
  const optimistic = index === 0 ? init.mechToken : undefined;
  return respond(ctx, optimistic, undefined, bindings, chosenOid);
}

/** Every later leg of the acceptor. */
export async function serverNext(
  ctx: NegotiateContext,
  token: Uint8Array,
  bindings: SecBuffer | undefined,
): Promise<Leg> {
  if (ctx.raw) return rawStep(ctx, token, bindings);
  const decoded = decodeNegotiationToken(token);
  if (!decoded.ok) return failed(failure(SecStatus.SEC_E_INVALID_TOKEN, `initiator token: ${decoded.error.detail}`));
  const resp = decoded.value;
  if (resp.kind !== 'resp')
    return failed(failure(SecStatus.SEC_E_INVALID_TOKEN, 'expected a NegTokenResp from the initiator'));
  if (resp.negState === NegState.reject)
    return failed(failure(SecStatus.SEC_E_LOGON_DENIED, 'the initiator gave up (negState reject)'));
  return respond(ctx, resp.responseToken, resp.mechListMIC, bindings, undefined);
}

/** Runs the inner leg, the MIC exchange, and builds the NegTokenResp. */
async function respond(
  ctx: NegotiateContext,
  mechToken: Uint8Array | undefined,
  peerMic: Uint8Array | undefined,
  bindings: SecBuffer | undefined,
  supportedMech: string | undefined,
): Promise<Leg> {
  const inner = ctx.inner;
  if (!inner) return failed(failure(SecStatus.SEC_E_INTERNAL_ERROR, 'no mechanism context'));
  let outToken: Uint8Array | undefined;
  if (mechToken !== undefined) {
    if (inner.complete)
      return failed(
        failure(SecStatus.SEC_E_INVALID_TOKEN, `a token for ${inner.mech.name}, whose context is complete`),
      );
    const leg = await inner.step(mechToken, bindings, undefined, ctx.req);
    if (!isLegOk(leg))
      return {
        ...failed(failure(leg.status, `${inner.mech.name} refused the initiator's token`, leg.cause)),
        token: reject(),
      };
    outToken = leg.token;
  }
  if (peerMic !== undefined) ctx.micRequired = true;
  let negState: NegStateValue = NegState.acceptIncomplete;
  let mic: Uint8Array | undefined;
  if (inner.complete) {
    if (peerMic !== undefined) {
      const f = ctx.verifyPeerMic(peerMic);
      if (f) return { ...failed(f), token: reject() };
    }
    if (ctx.micRequired) {
      const alreadySent = ctx.micSent;
      if (!alreadySent) {
        const own = ctx.makeOwnMic();
        if (own.failure) return failed(own.failure);
        mic = own.mic;
      }
      if (ctx.micVerified) {
        negState = NegState.acceptCompleted;
        ctx.complete = true;
        // Our MIC went out on an earlier leg: nothing is left to say (the initiator is already done).
        if (alreadySent && outToken === undefined) return { status: SecStatus.SEC_E_OK };
      } else {
        negState = NegState.requestMic;
      }
    } else {
      negState = NegState.acceptCompleted;
      ctx.complete = true;
    }
  } else if (outToken === undefined && supportedMech === undefined) {
    return failed(failure(SecStatus.SEC_E_INVALID_TOKEN, `${inner.mech.name} is not complete and produced no token`));
  }
  const token = encodeNegTokenResp({
    negState,
    ...(supportedMech !== undefined && { supportedMech }),
    ...(outToken !== undefined && { responseToken: outToken }),
    ...(mic !== undefined && { mechListMIC: mic }),
  });
  return { status: ctx.complete ? SecStatus.SEC_E_OK : SecStatus.SEC_I_CONTINUE_NEEDED, token };
}
