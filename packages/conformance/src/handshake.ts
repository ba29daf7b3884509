/**
 * A step-by-step handshake driver that checks the status sequence as it goes: CONTINUE_NEEDED (or
 * COMPLETE_AND_CONTINUE) hands the turn to the peer, with a token or, for server-first mechanisms
 * (InitializeSecurityContext (Digest), Microsoft Learn: the output token "may be empty"), without one, in
 * which case the peer is called with no input; two such legs in a row are a deadlock. A side that finishes with a token hands the
 * last word to its peer, and nobody is left waiting. COMPLETE_NEEDED / COMPLETE_AND_CONTINUE are
 * followed by CompleteAuthToken, as the convenience layer does. One leg per `step()`, so the
 * concurrency check can interleave many handshakes.
 */
import { SecBufferType, SecStatus, isSuccess, secBuffer, secBufferDesc, statusName } from '@sspkit/core';
import type { CredHandle, CtxtHandle, SecBufferDesc, SspiDispatcher } from '@sspkit/core';
import type { Monitor } from './monitor.js';

const S = SecStatus;
/** No real package needs more; Mock allows 16 tokens (17 calls). */
const MAX_LEGS = 24;

/** One Initialize/AcceptSecurityContext call. */
export interface Leg {
  readonly side: 'client' | 'server';
  readonly status: number;
  readonly inputLength: number;
  /** Length of the token sent (after CompleteAuthToken, when it asked for one). */
  readonly outputLength: number;
  readonly attributes: number;
  /** The token was written by CompleteAuthToken (into a buffer the harness gave it), not by this call. */
  readonly completedToken?: boolean;
}

/** Everything one handshake needs. */
export interface HandshakeSetup {
  readonly clientSspi: SspiDispatcher;
  readonly serverSspi: SspiDispatcher;
  readonly clientCred: CredHandle;
  readonly serverCred: CredHandle;
  readonly targetName: string | undefined;
  readonly clientReq: number;
  readonly serverReq: number;
  /** Pass *_ALLOCATE_MEMORY (true) or caller-sized output buffers of this many bytes (a number). */
  readonly output: true | number;
  /** Leave a final SEC_I_COMPLETE_NEEDED for the caller to complete (default: complete at once; _AND_CONTINUE is always completed at once). */
  readonly deferComplete?: boolean;
  readonly monitor?: Monitor;
}

/** A non-empty token one side produced (after CompleteAuthToken, when it asked for one). */
export interface SentToken {
  readonly side: 'client' | 'server';
  /** 1-based index of the leg that produced it, over all legs. */
  readonly leg: number;
  readonly token: Uint8Array;
}

/** A pending CompleteAuthToken. */
export interface PendingCompletion {
  readonly side: 'client' | 'server';
  readonly context: CtxtHandle;
  readonly token: SecBufferDesc;
}

/** Drives one handshake, one leg per step. */
export class HandshakeDriver {
  readonly legs: Leg[] = [];
  /** Every non-empty token, in order, with the side that produced it. */
  readonly sent: SentToken[] = [];
  readonly pendingCompletions: PendingCompletion[] = [];
  /** Legs that returned without a token and left the caller's output buffer as it was (cbBuffer not set to 0). */
  readonly untouchedOutputs: string[] = [];
  client: CtxtHandle | undefined;
  server: CtxtHandle | undefined;
  clientAttributes = 0;
  serverAttributes = 0;
  clientDone = false;
  serverDone = false;
  /** The failing status, when a leg failed. */
  failed: { side: 'client' | 'server'; leg: number; status: number } | undefined;
  /** Why the status sequence broke the SSPI rules, when it did. */
  illegal: string | undefined;
  /** The token the next leg consumes (undefined: the next leg is called with no input). */
  pending: Uint8Array | undefined;
  #turn: 'client' | 'server' = 'client';
  /** The previous leg asked to continue without producing a token. */
  #emptyContinue = false;
  readonly #setup: HandshakeSetup;

  constructor(setup: HandshakeSetup) {
    this.#setup = setup;
  }

  /** Done (both sides finished), failed, illegal, or still going. */
  get state(): 'running' | 'done' | 'failed' | 'illegal' {
    if (this.illegal) return 'illegal';
    if (this.failed) return 'failed';
    return this.clientDone && this.serverDone && this.pending === undefined ? 'done' : 'running';
  }

  /** Whose turn it is. */
  get turn(): 'client' | 'server' {
    return this.#turn;
  }

  /** The statuses so far, e.g. `client SEC_I_CONTINUE_NEEDED → server SEC_E_OK`. */
  describe(): string {
    return this.legs.map((l) => `${l.side} ${statusName(l.status)}`).join(' → ') || '(no legs)';
  }

  #outputDesc(): SecBufferDesc {
    const out = this.#setup.output;
    return secBufferDesc(secBuffer(SecBufferType.TOKEN, out === true ? new Uint8Array(0) : new Uint8Array(out)));
  }

  /** Runs one leg with `input` (default: the token the peer produced last; none when it produced none). */
  async step(input: Uint8Array | undefined = this.pending): Promise<void> {
    if (this.state !== 'running') return;
    if (this.legs.length >= MAX_LEGS) {
      this.illegal = `no end after ${MAX_LEGS} legs`;
      return;
    }
    const s = this.#setup;
    const side = this.#turn;
    const output = this.#outputDesc();
    const given = output.buffers[0]!.data;
    const inputDesc =
      input === undefined ? undefined : secBufferDesc(secBuffer(SecBufferType.TOKEN, Uint8Array.from(input)));
    const r =
      side === 'client'
        ? await s.clientSspi.initializeSecurityContext({
            credential: s.clientCred,
            ...(this.client ? { context: this.client } : {}),
            ...(s.targetName !== undefined ? { targetName: s.targetName } : {}),
            contextReq: s.clientReq,
            ...(inputDesc ? { input: inputDesc } : {}),
            output,
          })
        : await s.serverSspi.acceptSecurityContext({
            credential: s.serverCred,
            ...(this.server ? { context: this.server } : {}),
            ...(inputDesc ? { input: inputDesc } : {}),
            contextReq: s.serverReq,
            output,
          });
    const token = output.buffers[0]!.data;
    // A caller-sized buffer the package never wrote still has its full length: on Windows the caller
    // would send all of it. Record the violation and read it as "no token" so the handshake goes on.
    const untouched = s.output !== true && token === given && token.length === s.output;
    if (untouched && isSuccess(r.status))
      this.untouchedOutputs.push(`${side} leg ${this.legs.length + 1} (${statusName(r.status)})`);
    let produced = isSuccess(r.status) && token.length > 0 && !untouched ? Uint8Array.from(token) : undefined;
    this.legs.push({
      side,
      status: r.status,
      inputLength: input?.length ?? 0,
      outputLength: produced?.length ?? 0,
      attributes: r.contextAttributes,
    });
    if (!isSuccess(r.status)) {
      this.failed = { side, leg: this.legs.length, status: r.status };
      return;
    }
    if (side === 'client') {
      if (r.context) this.client = r.context;
      this.clientAttributes = r.contextAttributes;
    } else {
      if (r.context) this.server = r.context;
      this.serverAttributes = r.contextAttributes;
    }
    if (produced) s.monitor?.token(`${side} token of leg ${this.legs.length}`, produced);
    const ctx = side === 'client' ? this.client : this.server;
    const where = `${side} leg ${this.legs.length}`;
    if (!ctx) {
      this.illegal = `${where} returned ${statusName(r.status)} without a context handle`;
      return;
    }
    const other = side === 'client' ? 'server' : 'client';
    const otherDone = side === 'client' ? this.serverDone : this.clientDone;
    if (r.status === S.SEC_I_COMPLETE_NEEDED || r.status === S.SEC_I_COMPLETE_AND_CONTINUE) {
      const completion: PendingCompletion = {
        side,
        context: ctx,
        token: secBufferDesc(secBuffer(SecBufferType.TOKEN, produced ?? new Uint8Array(0))),
      };
      // Deferring is only possible when the peer is not waiting for a token CompleteAuthToken would write.
      if (s.deferComplete && r.status === S.SEC_I_COMPLETE_NEEDED && (produced !== undefined || otherDone))
        this.pendingCompletions.push(completion);
      else {
        const sspi = side === 'client' ? s.clientSspi : s.serverSspi;
        const st = await sspi.completeAuthToken(ctx, completion.token);
        if (st !== S.SEC_E_OK) {
          this.failed = { side, leg: this.legs.length, status: st };
          return;
        }
        // "Finish building the message, then call CompleteAuthToken": what it leaves in the TOKEN buffer is what is sent.
        const finished = completion.token.buffers[0]!.data;
        if (finished.length > 0) {
          produced = Uint8Array.from(finished);
          s.monitor?.token(`${side} token of leg ${this.legs.length} (CompleteAuthToken)`, produced);
          const leg = this.legs.at(-1)!;
          this.legs[this.legs.length - 1] = {
            ...leg,
            outputLength: produced.length,
            ...(leg.outputLength === 0 ? { completedToken: true } : {}),
          };
        }
      }
    }
    if (produced) this.sent.push({ side, leg: this.legs.length, token: produced });
    const emptyContinue = this.#emptyContinue;
    this.#emptyContinue = false;
    switch (r.status) {
      case S.SEC_I_CONTINUE_NEEDED:
      case S.SEC_I_COMPLETE_AND_CONTINUE:
        if (otherDone) this.illegal = `${where} asked to continue, but the ${other} had already finished`;
        else if (!produced && emptyContinue)
          this.illegal = `${where} returned ${statusName(r.status)} without a token right after the ${other} did: neither side has anything to send`;
        // No token: a server-first mechanism (the client's first leg says "your turn"); the peer is called with no input.
        this.#emptyContinue = !produced;
        this.pending = produced;
        this.#turn = other;
        return;
      case S.SEC_E_OK:
      case S.SEC_I_COMPLETE_NEEDED:
        if (side === 'client') this.clientDone = true;
        else this.serverDone = true;
        if (produced) {
          if (otherDone) this.illegal = `${where} finished with a token, but the ${other} had already finished`;
          this.pending = produced;
          this.#turn = other;
        } else {
          this.pending = undefined;
          if (!otherDone)
            this.illegal = `${where} finished without a token while the ${other} was still waiting for one`;
        }
        return;
      default:
        this.illegal = `${where} returned ${statusName(r.status)}, which is not a handshake status`;
    }
  }

  /**
   * Runs legs until `side` is about to consume a token from its peer (a non-empty one: the first
   * server leg of a server-first mechanism has none); false when the handshake ends first.
   */
  async runUntilInputFor(side: 'client' | 'server'): Promise<boolean> {
    for (;;) {
      if (this.state !== 'running') return false;
      if (this.#turn === side && this.pending !== undefined) return true;
      await this.step();
    }
  }

  /** Runs legs until done, failed or illegal. */
  async run(): Promise<this> {
    while (this.state === 'running') await this.step();
    return this;
  }
}
