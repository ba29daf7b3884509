/**
 * The initiator (RFC 4178 §3.2, [MS-SPNG] §3.1.5): NegTokenInit with the mechanisms in preference
 * order and an optimistic token for the first that can start; then NegTokenResp legs until the
 * acceptor's accept-completed (and, where required, both mechListMICs).
 *
 * Fallback as Windows does it: a package whose first leg fails (no Kerberos ticket, a target the KDC
 * does not know, the KDC unreachable) is dropped and the next one tried, before anything is sent.
 */
import { SecStatus, statusName } from '@sspkit/core';
import type { SecBuffer } from '@sspkit/core';
import type { Leg, NegotiateContext } from './context.js';
import { failed } from './context.js';
import type { InnerCredential } from './credentials.js';
import { failure, InnerContext } from './inner.js';
import { encodeMechTypes } from './messages/neg-token-init.js';
import type { NegTokenResp } from './messages/neg-token-resp.js';
import { NegState } from './messages/neg-token-resp.js';
import { decodeNegotiationToken, encodeNegTokenInit, encodeNegTokenResp } from './messages/negotiation-token.js';
import { isKerberosOid } from './messages/oids.js';

/** Two OIDs name the same mechanism (the two Kerberos OIDs are one, [MS-SPNG] §3.1.5.2). */
export function sameMech(a: string, b: string): boolean {
  return a === b || (isKerberosOid(a) && isKerberosOid(b));
}

/** The first leg: start the first package that can, offer it and every later one. */
export async function clientFirst(
  ctx: NegotiateContext,
  input: Uint8Array | undefined,
  bindings: SecBuffer | undefined,
): Promise<Leg> {
  let candidates: readonly InnerCredential[] = ctx.cred?.entries ?? [];
  if (input !== undefined && input.length > 0) {
    // A server that spoke first (NegTokenInit2, [MS-SPNG] §3.2.5.2) lists what it accepts: offer only those.
    const hint = decodeNegotiationToken(input);
    if (!hint.ok) return failed(failure(SecStatus.SEC_E_INVALID_TOKEN, `server's NegTokenInit2: ${hint.error.detail}`));
    if (hint.value.kind !== 'init2' && hint.value.kind !== 'init') {
      return failed(failure(SecStatus.SEC_E_INVALID_TOKEN, 'a first server token must be a NegTokenInit2'));
    }
    const offered = hint.value.mechTypes;
    if (offered.length > 0) candidates = candidates.filter((c) => offered.some((o) => sameMech(o, c.mech.oid)));
  }
  const tried: string[] = [];
  let firstFailure: Leg | undefined;
  for (const [i, entry] of candidates.entries()) {
    const inner = new InnerContext(entry.mech, 'client', entry.handle);
    const leg = await inner.step(undefined, bindings, ctx.targetName, ctx.req);
    if (leg.status === SecStatus.SEC_E_OK || leg.status === SecStatus.SEC_I_CONTINUE_NEEDED) {
      ctx.inner = inner;
      const offered = candidates.slice(i);
      const mechTypes = offered.map((c) => c.mech.oid);
      ctx.offered = offered;
      ctx.mechTypesDer = encodeMechTypes(mechTypes);
      const token = encodeNegTokenInit({ mechTypes, ...(leg.token !== undefined && { mechToken: leg.token }) });
      return { status: SecStatus.SEC_I_CONTINUE_NEEDED, token };
    }
    inner.delete();
    tried.push(`${entry.mech.name}: ${statusName(leg.status)}`);
    firstFailure ??= { status: leg.status, ...(leg.cause instanceof Error && { cause: leg.cause }) };
  }
  const skipped = ctx.cred?.skipped ?? [];
  const why = [...tried, ...skipped].join('; ') || 'no package offered';
  const status = firstFailure?.status ?? SecStatus.SEC_E_NO_CREDENTIALS;
  return {
    status,
    cause: new Error(
      `no package could start (${why})`,
      firstFailure?.cause ? { cause: firstFailure.cause } : undefined,
    ),
  };
}

/** The acceptor chose a mechanism: keep the optimistic context, or start the chosen one. */
async function select(
  ctx: NegotiateContext,
  resp: NegTokenResp,
  bindings: SecBuffer | undefined,
): Promise<Leg | Uint8Array | undefined> {
  const chosen = resp.supportedMech;
  if (chosen === undefined)
    return failed(failure(SecStatus.SEC_E_INVALID_TOKEN, "the acceptor's first answer names no supportedMech"));
  const offered = ctx.offered;
  const entry = offered.find((c) => sameMech(c.mech.oid, chosen));
  if (!entry)
    return failed(failure(SecStatus.SEC_E_INVALID_TOKEN, `the acceptor chose ${chosen}, which was not offered`));
  ctx.selected = true;
  ctx.requireMicFor(entry.mech.oid, offered[0]?.mech.oid);
  if (ctx.inner && sameMech(ctx.inner.mech.oid, chosen)) return undefined;
  // Not the optimistic mechanism: its context is discarded and the chosen one starts now.
  if (resp.responseToken !== undefined) {
    return failed(
      failure(SecStatus.SEC_E_INVALID_TOKEN, 'a mechanism token for a mechanism whose context has not started'),
    );
  }
  ctx.inner?.delete();
  const inner = new InnerContext(entry.mech, 'client', entry.handle);
  ctx.inner = inner;
  const leg = await inner.step(undefined, bindings, ctx.targetName, ctx.req);
  if (leg.status !== SecStatus.SEC_E_OK && leg.status !== SecStatus.SEC_I_CONTINUE_NEEDED) {
    return failed(failure(leg.status, `${entry.mech.name} could not start`, leg.cause));
  }
  return leg.token ?? new Uint8Array(0);
}

/** Every later leg: one NegTokenResp from the acceptor. */
export async function clientNext(
  ctx: NegotiateContext,
  input: Uint8Array,
  bindings: SecBuffer | undefined,
): Promise<Leg> {
  const decoded = decodeNegotiationToken(input);
  if (!decoded.ok) return failed(failure(SecStatus.SEC_E_INVALID_TOKEN, `acceptor token: ${decoded.error.detail}`));
  const resp = decoded.value;
  if (resp.kind !== 'resp')
    return failed(failure(SecStatus.SEC_E_INVALID_TOKEN, 'expected a NegTokenResp from the acceptor'));
  if (resp.negState === NegState.reject) {
    return failed(failure(SecStatus.SEC_E_LOGON_DENIED, 'the acceptor rejected the negotiation (negState reject)'));
  }
  let outToken: Uint8Array | undefined;
  if (!ctx.selected) {
    const s = await select(ctx, resp, bindings);
    if (s instanceof Uint8Array) outToken = s;
    else if (s !== undefined) return s;
  }
  const inner = ctx.inner;
  if (!inner) return failed(failure(SecStatus.SEC_E_INTERNAL_ERROR, 'no mechanism context'));
  if (resp.negState === NegState.requestMic || resp.mechListMIC !== undefined) ctx.micRequired = true;
  if (resp.responseToken !== undefined) {
    if (inner.complete)
      return failed(
        failure(SecStatus.SEC_E_INVALID_TOKEN, `a token for ${inner.mech.name}, whose context is complete`),
      );
    const leg = await inner.step(resp.responseToken, bindings, ctx.targetName, ctx.req);
    if (leg.status !== SecStatus.SEC_E_OK && leg.status !== SecStatus.SEC_I_CONTINUE_NEEDED) {
      return failed(failure(leg.status, `${inner.mech.name} refused the acceptor's token`, leg.cause));
    }
    outToken = leg.token;
  }
  let mic: Uint8Array | undefined;
  if (inner.complete) {
    if (resp.mechListMIC !== undefined) {
      const f = ctx.verifyPeerMic(resp.mechListMIC);
      if (f) return failed(f);
    }
    if (ctx.micRequired && !ctx.micSent) {
      const own = ctx.makeOwnMic();
      if (own.failure) return failed(own.failure);
      mic = own.mic;
    }
    if (!ctx.micRequired || ctx.micVerified) {
      if (resp.negState !== NegState.acceptCompleted && !ctx.micVerified) {
        // Our side is done; the acceptor has yet to say so.
        if (outToken === undefined)
          return failed(failure(SecStatus.SEC_E_INVALID_TOKEN, 'the acceptor did not complete'));
      } else {
        ctx.complete = true;
      }
    } else if (resp.negState === NegState.acceptCompleted) {
      // Completed without the MIC the exchange requires: the downgrade RFC 4178 §5 guards against.
      return failed(
        failure(SecStatus.SEC_E_DOWNGRADE_DETECTED, 'the acceptor completed without the required mechListMIC'),
      );
    }
  } else if (resp.negState === NegState.acceptCompleted) {
    return failed(failure(SecStatus.SEC_E_INVALID_TOKEN, `the acceptor completed before ${inner.mech.name} did`));
  }
  const token =
    outToken !== undefined || mic !== undefined
      ? encodeNegTokenResp({
          ...(outToken !== undefined && { responseToken: outToken }),
          ...(mic !== undefined && { mechListMIC: mic }),
        })
      : undefined;
  if (ctx.complete) return { status: SecStatus.SEC_E_OK, ...(token !== undefined && { token }) };
  if (token === undefined)
    return failed(failure(SecStatus.SEC_E_INVALID_TOKEN, 'the negotiation stalled: nothing to send'));
  return { status: SecStatus.SEC_I_CONTINUE_NEEDED, token };
}
