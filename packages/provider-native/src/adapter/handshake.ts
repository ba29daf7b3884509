/** SpInitLsaModeContext / SpAcceptLsaModeContext over gss_init/accept_sec_context. */
import { IscReq, AscReq, SecBufferType, SecStatus, findBuffer, timeStampFromMillis, writeBuffer } from '@sspkit/core';
import type { LsaModeContextResult, SecBufferDesc } from '@sspkit/core';
import {
  acceptSecContext,
  acceptSecContextAsync,
  accountLookupIsLocal,
  GssFlag,
  initSecContext,
  localGate,
  NativeHandle,
  sharedGate,
} from '../ffi/index.js';
import { KdcDeadlineError, kdcTimeout, withKdcDeadline, yieldIfDue } from './deadline.js';
import type { ChannelBindings, GssMech, TicketPin } from '../ffi/index.js';
import { parseSecChannelBindings } from './bindings.js';
import { failure } from './failure.js';
import { ascRetFromGss, gssFlagsFromIscReq, iscRetFromGss } from './flag-table.js';
import type { CredEntry, CtxEntry, HandleTables } from './state.js';
import { checkAcceptedLeg, replayCheckFor } from './replay.js';
import type { NativeReplayOptions } from './replay.js';
import { prefetchAccount } from './token.js';

const INDEFINITE = 0xffffffff;
/** A context's negotiated mechanism until the library names one (shared: never written to). */
const NO_MECH = new Uint8Array(0);
/** Delegation forwards a TGT, which only the KDC can issue: never made from a pinned ticket. */
const NEEDS_TGT = GssFlag.DELEG | GssFlag.DELEG_POLICY;

function bindingsOf(input: SecBufferDesc | undefined): ChannelBindings | null | 'bad' {
  const b = findBuffer(input, SecBufferType.CHANNEL_BINDINGS);
  if (b === undefined) return null;
  return parseSecChannelBindings(b.data) ?? 'bad';
}

function lifetimeMs(seconds: number): number {
  return seconds === INDEFINITE ? 0x7fffffff * 1000 : seconds * 1000;
}

function emit(output: SecBufferDesc | undefined, token: Uint8Array, allocate: boolean): number {
  if (token.length === 0) {
    const out = findBuffer(output, SecBufferType.TOKEN);
    if (out !== undefined && allocate) out.data = new Uint8Array(0);
    else if (out !== undefined) out.data = out.data.subarray(0, 0);
    return SecStatus.SEC_E_OK;
  }
  const out = findBuffer(output, SecBufferType.TOKEN);
  if (out === undefined) return SecStatus.SEC_E_BUFFER_TOO_SMALL;
  return writeBuffer(out, token, allocate);
}

/** The context a later leg continues, or the status refusing it. */
function continuing(tables: HandleTables, ctxHandle: number, side: CtxEntry['side']): CtxEntry | number {
  const entry = tables.contexts.get(ctxHandle);
  if (entry === undefined || entry.side !== side) return SecStatus.SEC_E_INVALID_HANDLE;
  if (entry.complete) return SecStatus.SEC_E_OUT_OF_SEQUENCE;
  return entry;
}

/** A first leg's credential entry (undefined: the default credential), or the status refusing it. */
function credentialFor(
  tables: HandleTables,
  credHandle: number | undefined,
  wrongUsage: CredEntry['usage'],
): CredEntry | undefined | number {
  if (credHandle === undefined) return undefined;
  const cred = tables.creds.get(credHandle);
  if (cred === undefined) return SecStatus.SEC_E_INVALID_HANDLE;
  return cred.usage === wrongUsage ? SecStatus.SEC_E_NO_CREDENTIALS : cred;
}

/** One initiator leg. */
export async function initLeg(
  tables: HandleTables,
  mech: GssMech,
  credHandle: number | undefined,
  ctxHandle: number | undefined,
  targetName: string | undefined,
  req: number,
  input: SecBufferDesc | undefined,
  output: SecBufferDesc | undefined,
): Promise<LsaModeContextResult> {
  const bindings = bindingsOf(input);
  if (bindings === 'bad') return { status: SecStatus.SEC_E_BAD_BINDINGS };
  let entry: CtxEntry | undefined;
  let fresh = false;
  if (ctxHandle !== undefined) {
    const found = continuing(tables, ctxHandle, 'client');
    if (typeof found === 'number') return { status: found };
    entry = found;
  } else {
    const cred = credentialFor(tables, credHandle, 'ACCEPT');
    if (typeof cred === 'number') return { status: cred };
    if (targetName === undefined || targetName === '') return { status: SecStatus.SEC_E_TARGET_UNKNOWN };
    const pin = cred?.pins?.usable(targetName);
    if (pin !== undefined && cred !== undefined && (gssFlagsFromIscReq(req >>> 0) & NEEDS_TGT) === 0) {
      const pinned = await pinnedFirstLeg(tables, mech, cred, pin, targetName, req, bindings, output);
      if (pinned !== undefined) return pinned;
    }
    let target: NativeHandle;
    try {
      target = tables.targets.acquire(targetName);
    } catch (err) {
      return failure(err);
    }
    entry = newClientEntry(mech, target, cred, cred?.initiator ?? null, req, targetName);
    fresh = true;
  }
  const token = findBuffer(input, SecBufferType.TOKEN)?.data ?? null;
  if (!fresh && (token === null || token.length === 0)) return { status: SecStatus.SEC_E_INVALID_TOKEN };
  let result: LsaModeContextResult;
  try {
    // A credential freed while a context uses it stays alive (pinned) until the context goes; one
    // freed during this context's first, in-flight leg may already be gone: continue without it.
    // Only a first leg can wait on the KDC; what it returns late is plain data, and the context it
    // writes stays pinned (released with the entry below) until the library returns. A later leg
    // makes no closure (the deadline's callback is needed only on the first).
    const first = entry;
    const step = fresh
      ? await withKdcDeadline(
          kdcTimeout(entry.credEntry?.kdcTimeoutMs),
          'InitializeSecurityContext',
          (signal) => initSecContext(legOptions(first, null, bindings, signal)),
          () => undefined,
        )
      : await initSecContext(legOptions(entry, token, bindings, undefined));
    result = settle(tables, ctxHandle, entry, step, output, IscReq.ALLOCATE_MEMORY, iscRetFromGss);
  } catch (err) {
    if (fresh) {
      entry.ctx.release();
      entry.target?.unpin();
    }
    if (err instanceof KdcDeadlineError) return { status: err.sspiStatus, cause: err };
    const own = (err as { sspiStatus?: number }).sspiStatus;
    return own !== undefined ? { status: own, cause: err } : failure(err);
  }
  const pins = entry.credEntry?.pins;
  if (
    entry.complete &&
    pins != null &&
    entry.pinned !== true &&
    entry.targetName !== undefined &&
    entry.cred !== null &&
    !entry.cred.isEmpty &&
    (gssFlagsFromIscReq(entry.requested) & NEEDS_TGT) === 0
  ) {
    await pins.completed(entry.targetName, entry.cred, entry.ctx);
  }
  await yieldIfDue();
  return result;
}

/** gss_init_sec_context's options for an initiator leg that is not made from a pinned ticket. */
function legOptions(
  entry: CtxEntry,
  input: Uint8Array | null,
  bindings: ChannelBindings | null,
  signal: AbortSignal | undefined,
): Parameters<typeof initSecContext>[0] {
  const options = {
    cred: entry.cred !== null && !entry.cred.isEmpty ? entry.cred : null,
    ctx: entry.ctx,
    target: entry.target ?? new NativeHandle('name'),
    mech: entry.mech,
    flags: gssFlagsFromIscReq(entry.requested),
    input,
    bindings,
    // A first leg without a pinned ticket runs on a worker thread: whether its ticket is cached
    // cannot be known safely (the ccache can be renewed or replaced under us, and MIT may resolve
    // the host name through DNS), and either would block the event loop.
    ticketCached: false,
    offload: busy(),
  };
  return signal !== undefined ? { ...options, signal } : options;
}

function newClientEntry(
  mech: GssMech,
  target: NativeHandle,
  credEntry: CredEntry | undefined,
  cred: NativeHandle | null,
  req: number,
  targetName: string,
): CtxEntry {
  const entry: CtxEntry = {
    side: 'client',
    ctx: new NativeHandle('context'),
    mech,
    target,
    cred,
    requested: req >>> 0,
    complete: false,
    gssFlags: 0,
    start: Date.now(),
    expiry: 0,
    source: null,
    delegated: null,
    negotiated: NO_MECH,
  };
  // Set in place rather than spread from a temporary object (one allocation less per first leg).
  if (credEntry !== undefined) {
    entry.credEntry = credEntry;
    entry.targetName = targetName;
  }
  return entry;
}

/**
 * A first leg made with a pinned service ticket, on the main thread (it cannot reach a KDC or
 * DNS: see ffi/ticket-pin.ts). Undefined when the pin no longer works (the caller then makes the
 * leg the ordinary way and the pin is dropped).
 */
async function pinnedFirstLeg(
  tables: HandleTables,
  mech: GssMech,
  cred: CredEntry,
  pin: TicketPin,
  targetName: string,
  req: number,
  bindings: ChannelBindings | null,
  output: SecBufferDesc | undefined,
): Promise<LsaModeContextResult | undefined> {
  pin.target.pin();
  const entry = newClientEntry(mech, pin.target, cred, pin.cred, req, targetName);
  entry.pinned = true;
  try {
    const step = await initSecContext({
      cred: pin.cred,
      ctx: entry.ctx,
      target: pin.target,
      mech,
      flags: gssFlagsFromIscReq(entry.requested),
      input: null,
      bindings,
      ticketCached: true,
      offload: busy(),
    });
    const result = settle(tables, undefined, entry, step, output, IscReq.ALLOCATE_MEMORY, iscRetFromGss);
    await yieldIfDue();
    return result;
  } catch (err) {
    entry.ctx.release();
    pin.target.unpin();
    const own = (err as { sspiStatus?: number }).sspiStatus;
    if (own !== undefined) return { status: own };
    cred.pins?.drop(targetName);
    return undefined;
  }
}

/**
 * True while other native calls are in flight: the process is serving concurrent handshakes, so
 * CPU-only legs (accept, later init legs) go to worker threads too and the event loop stays
 * responsive; alone, they run inline, which is faster.
 */
function busy(): boolean {
  return sharedGate().inFlight > 0 || localGate().inFlight > 0;
}

/**
 * The common end of a successful leg on either side: write the output token, record what the library
 * granted, register a new context, and answer the SSPI result. Throws (with `sspiStatus`) when the
 * output cannot be written, so the caller's cleanup runs.
 */
function settle(
  tables: HandleTables,
  ctxHandle: number | undefined,
  entry: CtxEntry,
  step: {
    readonly output: Uint8Array;
    readonly flags: number;
    readonly continueNeeded: boolean;
    readonly lifetime: number;
    readonly mech: Uint8Array;
  },
  output: SecBufferDesc | undefined,
  allocateFlag: number,
  retFromGss: (flags: number, requested: number) => number,
): LsaModeContextResult {
  if (step.continueNeeded && step.output.length === 0) {
    // MIT answers some defective tokens (a Kerberos token header with the wrong token type) with
    // GSS_S_CONTINUE_NEEDED and nothing to send: no peer could continue that, so the token is refused
    // on this leg instead of the next one failing with SEC_E_INVALID_HANDLE.
    const cause = new Error('the library asked to continue but produced no token: the received token is defective');
    throw Object.assign(cause, { sspiStatus: SecStatus.SEC_E_INVALID_TOKEN });
  }
  const st = emit(output, step.output, (entry.requested & allocateFlag) !== 0);
  if (st !== SecStatus.SEC_E_OK) throw Object.assign(new Error('output buffer'), { sspiStatus: st });
  entry.gssFlags = step.flags;
  entry.complete = !step.continueNeeded;
  entry.expiry = Date.now() + lifetimeMs(step.lifetime);
  if (step.mech.length > 0) entry.negotiated = step.mech;
  const handle = ctxHandle ?? tables.addContext(entry);
  return {
    status: step.continueNeeded ? SecStatus.SEC_I_CONTINUE_NEEDED : SecStatus.SEC_E_OK,
    newContextHandle: handle,
    contextAttributes: retFromGss(step.flags, entry.requested),
    expirationTime: timeStampFromMillis(entry.expiry),
  };
}

/**
 * Windows semantics for a server that supplies channel bindings (RFC 5056): they are required, so
 * a client that sent none is refused unless the server asked for ASC_REQ_ALLOW_MISSING_BINDINGS.
 * MIT accepts a client without bindings silently and says so only by leaving
 * GSS_C_CHANNEL_BOUND_FLAG out of ret_flags (MIT >= 1.19); different bindings already fail in the
 * library (GSS_S_BAD_BINDINGS).
 * Returns the cause of the refusal, or undefined.
 */
function missingBindings(
  entry: CtxEntry,
  step: { readonly continueNeeded: boolean; readonly flags: number },
  req: number,
): Error | undefined {
  if (step.continueNeeded || entry.bindingsGiven !== true) return undefined;
  if (((req | entry.requested) & AscReq.ALLOW_MISSING_BINDINGS) !== 0) return undefined;
  if ((step.flags & GssFlag.CHANNEL_BOUND) !== 0) return undefined;
  return new Error(
    'the server requires channel bindings and the client sent none ' + '(ASC_REQ_ALLOW_MISSING_BINDINGS allows that)',
  );
}

/** One acceptor leg. */
export async function acceptLeg(
  tables: HandleTables,
  mech: GssMech,
  credHandle: number | undefined,
  ctxHandle: number | undefined,
  req: number,
  input: SecBufferDesc | undefined,
  output: SecBufferDesc | undefined,
  replayDefaults: NativeReplayOptions = {},
): Promise<LsaModeContextResult> {
  const bindings = bindingsOf(input);
  if (bindings === 'bad') return { status: SecStatus.SEC_E_BAD_BINDINGS };
  const token = findBuffer(input, SecBufferType.TOKEN)?.data;
  if (token === undefined || token.length === 0) return { status: SecStatus.SEC_E_INVALID_TOKEN };
  let entry: CtxEntry | undefined;
  let fresh = false;
  if (ctxHandle !== undefined) {
    const found = continuing(tables, ctxHandle, 'server');
    if (typeof found === 'number') return { status: found };
    entry = found;
  } else {
    const cred = credentialFor(tables, credHandle, 'INITIATE');
    if (typeof cred === 'number') return { status: cred };
    entry = {
      side: 'server',
      ctx: new NativeHandle('context'),
      mech,
      target: null,
      cred: cred?.acceptor ?? null,
      requested: req >>> 0,
      complete: false,
      gssFlags: 0,
      start: Date.now(),
      expiry: 0,
      source: null,
      delegated: null,
      negotiated: NO_MECH,
    };
    if (cred?.allowSystemAccounts === true) entry.allowSystemAccounts = true;
    const replay = replayCheckFor(cred?.replay ?? {}, replayDefaults);
    if (replay !== undefined) entry.replay = replay;
    fresh = true;
  }
  try {
    // The initiator's name is fetched only if asked for (token, NAMES): see CtxEntry.source.
    const accept = { cred: entry.cred, ctx: entry.ctx, input: token, bindings, wantSource: false };
    const step = busy() ? await acceptSecContextAsync(accept) : acceptSecContext(accept);
    if (bindings !== null) entry.bindingsGiven = true;
    const missing = missingBindings(entry, step, req);
    // Only an AP-REQ the library has verified is recorded (adapter/replay.ts: MIT's own order).
    // Without a shared replay record there is nothing to check: no promise is made for it.
    const refused =
      missing === undefined && entry.replay !== undefined
        ? await checkAcceptedLeg(entry, token, step.continueNeeded)
        : undefined;
    if (missing !== undefined || refused !== undefined) {
      step.source?.release();
      step.delegated?.release();
      // A continued context stays incomplete, so nothing can use it; the caller deletes it.
      if (fresh) entry.ctx.release();
      return refused ?? { status: SecStatus.SEC_E_BAD_BINDINGS, cause: missing };
    }
    entry.source?.release();
    entry.source = step.source;
    if (step.delegated !== null) {
      entry.delegated?.release();
      entry.delegated = step.delegated;
    }
    const result = settle(tables, ctxHandle, entry, step, output, AscReq.ALLOCATE_MEMORY, ascRetFromGss);
    // Where the user database may wait on a directory server, the token's account lookup runs now,
    // on worker threads, so that QuerySecurityContextToken (synchronous) never waits on it.
    if (entry.complete && result.status >= 0 && !accountLookupIsLocal()) await prefetchAccount(entry);
    await yieldIfDue();
    return result;
  } catch (err) {
    if (fresh) {
      entry.ctx.release();
      entry.source?.release();
      entry.delegated?.release();
    }
    const own = (err as { sspiStatus?: number }).sspiStatus;
    return own !== undefined ? { status: own, cause: err } : failure(err);
  }
}
