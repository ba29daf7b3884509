/**
 * State shared by both sides of a Negotiate context, and the mechListMIC exchange (RFC 4178 §5,
 * [MS-SPNG] §3.1.5.1): once the chosen mechanism's context is complete, each side signs the DER of the
 * mechanism list the initiator sent with that context's MakeSignature, and verifies the peer's with
 * VerifySignature. A list altered in transit (Kerberos removed to force NTLM) then fails to verify.
 */
import { SecStatus, statusName } from '@sspkit/core';
import type { SecurityStatus } from '@sspkit/core';
import type { InnerCredential, NegotiateCredential } from './credentials.js';
import type { Failure, InnerContext } from './inner.js';
import { failure } from './inner.js';
import { MechOid } from './messages/oids.js';

/** What one Negotiate leg returns to the table. */
export interface Leg {
  readonly status: SecurityStatus;
  readonly token?: Uint8Array;
  readonly cause?: Error;
}

/** A failed leg. */
export const failed = (f: Failure): Leg => ({ status: f.status, cause: f.cause });

export class NegotiateContext {
  readonly side: 'client' | 'server';
  readonly cred: NegotiateCredential | undefined;
  inner: InnerContext | undefined;
  /** DER of the initiator's MechTypeList: what both MICs cover. */
  mechTypesDer: Uint8Array = new Uint8Array(0);
  /** True once the mechanism is agreed (the acceptor's first NegTokenResp). */
  selected = false;
  micRequired = false;
  micSent = false;
  micVerified = false;
  complete = false;
  failedState = false;
  /** The acceptor took a raw mechanism token: no SPNEGO wrapping in either direction. */
  raw = false;
  /** The initiator's offered packages, in the order sent. */
  offered: readonly InnerCredential[] = [];
  targetName: string | undefined;
  req = 0;

  constructor(side: 'client' | 'server', cred: NegotiateCredential | undefined) {
    this.side = side;
    this.cred = cred;
  }

  /**
   * [MS-SPNG] §3.1.5.1: the MIC exchange is mandatory when the chosen mechanism was not the
   * initiator's first choice (RFC 4178 §5), and when it is NTLM, whose own MIC Windows protects this
   * way (NTLM inside SPNEGO always signs the list, in both directions).
   */
  requireMicFor(chosenOid: string, firstOid: string | undefined): void {
    if (chosenOid !== firstOid || chosenOid === MechOid.ntlm) this.micRequired = true;
  }

  /** Verifies the peer's mechListMIC with the inner context. */
  verifyPeerMic(mic: Uint8Array): Failure | undefined {
    const inner = this.inner;
    if (!inner) return failure(SecStatus.SEC_E_INVALID_TOKEN, 'mechListMIC before a mechanism was chosen');
    const st = inner.verifyMic(this.mechTypesDer, mic);
    if (st !== SecStatus.SEC_E_OK) {
      // The list the peer signed is not the list we saw: someone changed it (RFC 4178 §5).
      return failure(
        SecStatus.SEC_E_DOWNGRADE_DETECTED,
        `the peer's mechListMIC does not verify with ${inner.mech.name} (${statusName(st)}): the mechanism list was altered`,
      );
    }
    this.micVerified = true;
    const reset = inner.resetCipher('inbound');
    if (reset !== SecStatus.SEC_E_OK)
      return failure(reset, `${inner.mech.name} could not restart its inbound keystream`);
    return undefined;
  }

  /** Our mechListMIC, made once. */
  makeOwnMic(): { mic?: Uint8Array; failure?: Failure } {
    const inner = this.inner;
    if (!inner) return { failure: failure(SecStatus.SEC_E_INTERNAL_ERROR, 'no mechanism for the mechListMIC') };
    const r = inner.makeMic(this.mechTypesDer);
    if (r.status !== SecStatus.SEC_E_OK || r.mic === undefined) {
      return {
        failure: failure(r.status, `${inner.mech.name} could not sign the mechanism list (${statusName(r.status)})`),
      };
    }
    this.micSent = true;
    const reset = inner.resetCipher('outbound');
    if (reset !== SecStatus.SEC_E_OK)
      return { failure: failure(reset, `${inner.mech.name} could not restart its outbound keystream`) };
    return { mic: r.mic };
  }

  dispose(): void {
    this.inner?.delete();
    this.inner = undefined;
    this.mechTypesDer.fill(0);
  }
}
