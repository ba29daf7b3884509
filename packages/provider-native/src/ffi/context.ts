/**
 * Security-context establishment and inspection. gss_init_sec_context may need a service ticket
 * from the KDC, so it runs async behind the gate; gss_accept_sec_context never talks to the KDC
 * (keytab + replay cache only), so it stays synchronous and avoids the ~15 µs async overhead.
 */
import { layChannelBindings } from './bindings.js';
import type { ChannelBindings } from './bindings.js';
import type { GssMech } from './creds.js';
import { check } from './errors.js';
import { NativeHandle } from './handles.js';
import { gssLibrary } from './library.js';
import type { GssLibrary } from './library.js';
import { GssSupplementary, isGssError } from './major.js';
import {
  dropBufferDesc,
  dropDescAt,
  fillBufferDesc,
  oidBytes,
  readPtr,
  retain,
  takeBufferDesc,
  takeDescAt,
} from './memory.js';
import { FramePool } from './scratch.js';
import type { Frame } from './scratch.js';
import { localGate, sharedGate } from './queue.js';

/** Outcome of one init/accept leg. */
export interface ContextStep {
  /** Token to send to the peer (may be empty). */
  readonly output: Buffer;
  /** True when the peer must answer and this side be called again. */
  readonly continueNeeded: boolean;
  /** GSS_C_*_FLAG bits granted so far. */
  readonly flags: number;
  /** Seconds the context remains valid. */
  readonly lifetime: number;
  /** DER bytes of the mechanism actually used (krb5 under SPNEGO once known). */
  readonly mech: Buffer;
}

/** Acceptor-only results. */
export interface AcceptStep extends ContextStep {
  /** The authenticated initiator (owned; release it). Null until complete. */
  readonly source: NativeHandle | null;
  /** Delegated credential when the client forwarded one (owned). */
  readonly delegated: NativeHandle | null;
}

function mechOid(lib: GssLibrary, mech: GssMech): bigint {
  return mech === 'krb5' ? lib.oids.mechKrb5 : lib.oids.mechSpnego;
}

function claim(ctx: NativeHandle): void {
  if (ctx.busy) throw new Error('context is already in use by a pending call');
  ctx.busy = true;
}

let initPool: FramePool | undefined;
let acceptPool: FramePool | undefined;

/** Frames of gss_init_sec_context: minor, ctx in/out, input, output, actual mech, flags, time. */
function initFrames(lib: GssLibrary): FramePool {
  const d = lib.layout.bufferDesc.size;
  return (initPool ??= new FramePool(lib, [4, 8, d, d, 8, 4, 4]));
}

/** Frames of gss_accept_sec_context: minor, ctx in/out, input, output, source, mech, flags, time, delegated. */
function acceptFrames(lib: GssLibrary): FramePool {
  const d = lib.layout.bufferDesc.size;
  return (acceptPool ??= new FramePool(lib, [4, 8, d, d, 8, 8, 4, 4, 8]));
}

type Seven<T> = [T, T, T, T, T, T, T];
type Nine<T> = [T, T, T, T, T, T, T, T, T];

/**
 * gss_init_sec_context: one initiator leg; `ctx` is updated in place. The first leg may ask the
 * KDC for a service ticket, so it runs async behind the gate; later legs only verify the peer's
 * reply (AP-REP, SPNEGO response) and never reach the KDC, so they run synchronously and skip the
 * worker-thread round trip.
 */
export async function initSecContext(options: {
  readonly cred: NativeHandle | null;
  readonly ctx: NativeHandle;
  readonly target: NativeHandle;
  readonly mech: GssMech;
  readonly flags: number;
  readonly input: Uint8Array | null;
  readonly bindings?: ChannelBindings | null;
  /**
   * The caller knows this first leg needs no KDC exchange (its service ticket is cached), so it may
   * run synchronously and skip the worker-thread hop. Later legs are always synchronous.
   */
  readonly ticketCached?: boolean;
  /** Run an inline leg (a later one, or a first one with `ticketCached`) on a worker thread anyway, e.g. while the process is busy. */
  readonly offload?: boolean;
  /** Takes a first leg still queued for the network lane out of the queue (a missed deadline). */
  readonly signal?: AbortSignal;
}): Promise<ContextStep> {
  const lib = gssLibrary();
  claim(options.ctx);
  const pool = initFrames(lib);
  const f = pool.take();
  const [minor, ctxIo, input, output, actualMech, retFlags, timeRec] = f.views as Seven<Buffer>;
  const [minorAt, ctxAt, inputAt, outputAt, mechAt, flagsAt, timeAt] = f.at as Seven<bigint>;
  const inputData = options.input;
  // The context, credential and target must outlive the worker-thread call even if freed meanwhile.
  options.ctx.pin();
  options.cred?.pin();
  options.target.pin();
  let cb: ReturnType<typeof layChannelBindings> | null = null;
  let major: number;
  try {
    // First, so that whatever throws below leaves the handle as it was when `finally` reads it back.
    ctxIo.writeBigUInt64LE(options.ctx.rawOrZero, 0);
    fillBufferDesc(lib, input, 0, inputData);
    cb = options.bindings ? layChannelBindings(lib, options.bindings) : null;
    const first = options.ctx.isEmpty;
    const cred = options.cred?.ptr ?? null;
    const target = options.target.ptr;
    const mech = mechOid(lib, options.mech);
    const cbStruct = cb?.struct ?? null;
    const useWorker = first ? options.ticketCached !== true || options.offload === true : options.offload === true;
    // Only a first leg without a cached ticket can wait on the KDC: it takes the network lane.
    const gate = first && options.ticketCached !== true ? sharedGate() : localGate();
    // One argument list for both ways of making the call (the async one adds its callback).
    const args = [
      minorAt,
      cred,
      ctxAt,
      target,
      mech,
      options.flags >>> 0,
      0,
      cbStruct,
      inputAt,
      mechAt,
      outputAt,
      flagsAt,
      timeAt,
    ] as const;
    major = useWorker
      ? await gate.run((done) => lib.gssAsync.gss_init_sec_context(...args, done), options.signal)
      : lib.gss.gss_init_sec_context(...args);
  } finally {
    options.ctx.busy = false;
    options.ctx.update(readPtr(ctxIo));
    options.ctx.unpin();
    options.cred?.unpin();
    options.target.unpin();
  }
  try {
    retain(inputData, cb);
    // Kept before gss_release_buffer, which writes its own minor code (0) into the same slot.
    const minorCode = Buffer.from(minor);
    if (isGssError(major)) dropDescAt(lib, minorAt, output, outputAt);
    const phase = options.input === null || options.input.length === 0 ? undefined : 'received-token';
    check(lib, 'gss_init_sec_context', major, minorCode, mechOid(lib, options.mech), phase, 'initiator');
    return {
      output: takeDescAt(lib, minorAt, output, outputAt),
      continueNeeded: (major & GssSupplementary.CONTINUE_NEEDED) !== 0,
      flags: retFlags.readUInt32LE(0),
      lifetime: timeRec.readUInt32LE(0),
      mech: oidBytes(lib, readPtr(actualMech)),
    };
  } finally {
    pool.give(f);
  }
}

/** Options of one acceptor leg. */
export interface AcceptOptions {
  readonly cred: NativeHandle | null;
  readonly ctx: NativeHandle;
  readonly input: Uint8Array;
  readonly bindings?: ChannelBindings | null;
  /**
   * Ask for the initiator's name (default true). MIT duplicates the name with its authorization
   * data for this output, and releasing it costs as much again: ~6–12 % of a whole in-process
   * handshake. Callers that may never need it pass false and use {@link contextSourceName} later.
   */
  readonly wantSource?: boolean;
}

/** gss_accept_sec_context's arguments laid out in a frame (both call modes share it). */
interface AcceptCall {
  readonly frame: Frame;
  readonly args: Nine<bigint>;
  readonly cb: ReturnType<typeof layChannelBindings> | null;
  readonly first: boolean;
}

function acceptCall(lib: GssLibrary, options: AcceptOptions): AcceptCall {
  const frame = acceptFrames(lib).take();
  const [, ctxIo, input] = frame.views as Nine<Buffer>;
  fillBufferDesc(lib, input, 0, options.input);
  ctxIo.writeBigUInt64LE(options.ctx.rawOrZero, 0);
  return {
    frame,
    args: frame.at as Nine<bigint>,
    cb: options.bindings ? layChannelBindings(lib, options.bindings) : null,
    first: options.ctx.isEmpty,
  };
}

function finishAccept(lib: GssLibrary, call: AcceptCall, major: number): AcceptStep {
  const [minor, , , output, srcName, mechOut, retFlags, timeRec, delegated] = call.frame.views as Nine<Buffer>;
  const [minorAt, , , outputAt] = call.args;
  try {
    // Own every output before checking, so an error path releases them too.
    const source = readPtr(srcName) === 0n ? null : new NativeHandle('name', readPtr(srcName));
    const deleg = readPtr(delegated) === 0n ? null : new NativeHandle('cred', readPtr(delegated));
    // The library's minor code, kept before gss_release_buffer (the error token MIT sends a client
    // that asked for mutual authentication, RFC 4121 §4.1) overwrites the minor slot with 0.
    const minorCode = Buffer.from(minor);
    if (isGssError(major)) {
      dropDescAt(lib, minorAt, output, outputAt);
      source?.release();
      deleg?.release();
    }
    const mech = readPtr(mechOut);
    check(
      lib,
      'gss_accept_sec_context',
      major,
      minorCode,
      mech === 0n ? null : mech,
      call.first ? 'accept-first' : 'received-token',
    );
    return {
      output: takeDescAt(lib, minorAt, output, outputAt),
      continueNeeded: (major & GssSupplementary.CONTINUE_NEEDED) !== 0,
      flags: retFlags.readUInt32LE(0),
      lifetime: timeRec.readUInt32LE(0),
      mech: oidBytes(lib, mech),
      source,
      delegated: deleg,
    };
  } finally {
    acceptFrames(lib).give(call.frame);
  }
}

/** Reads back the context handle the library wrote and releases the claim on it. */
function settle(ctx: NativeHandle, call: AcceptCall): void {
  ctx.busy = false;
  ctx.update(readPtr(call.frame.views[1] as Buffer));
}

/** gss_accept_sec_context, synchronously: one acceptor leg; `ctx` is updated in place. */
export function acceptSecContext(options: AcceptOptions): AcceptStep {
  const lib = gssLibrary();
  claim(options.ctx);
  let call: AcceptCall | undefined;
  let major: number;
  try {
    call = acceptCall(lib, options);
    const [minorAt, ctxAt, inputAt, outputAt, srcAt, mechAt, flagsAt, timeAt, delegAt] = call.args;
    const src = options.wantSource === false ? null : srcAt;
    major = lib.gss.gss_accept_sec_context(
      minorAt,
      ctxAt,
      options.cred?.ptr ?? null,
      inputAt,
      call.cb?.struct ?? null,
      src,
      mechAt,
      outputAt,
      flagsAt,
      timeAt,
      delegAt,
    );
  } finally {
    if (call !== undefined) settle(options.ctx, call);
    else options.ctx.busy = false;
  }
  retain(options.input);
  return finishAccept(lib, call, major);
}

/**
 * gss_accept_sec_context on a worker thread. Accepting never waits on the KDC, but it decrypts a
 * ticket and writes the replay cache (~50–100 µs): under concurrent load, moving that off the main
 * thread keeps the event loop responsive.
 */
export async function acceptSecContextAsync(options: AcceptOptions): Promise<AcceptStep> {
  const lib = gssLibrary();
  claim(options.ctx);
  const pinned = [options.ctx, options.cred].filter((h): h is NativeHandle => h !== null);
  for (const h of pinned) h.pin();
  let call: AcceptCall | undefined;
  let major: number;
  try {
    const c = acceptCall(lib, options);
    call = c;
    const [minorAt, ctxAt, inputAt, outputAt, srcAt, mechAt, flagsAt, timeAt, delegAt] = c.args;
    const cred = options.cred?.ptr ?? null;
    const src = options.wantSource === false ? null : srcAt;
    // Accepting with a keytab never waits on a KDC: the local lane, never behind a frozen KDC.
    major = await localGate().run((done) =>
      lib.gssAsync.gss_accept_sec_context(
        minorAt,
        ctxAt,
        cred,
        inputAt,
        c.cb?.struct ?? null,
        src,
        mechAt,
        outputAt,
        flagsAt,
        timeAt,
        delegAt,
        done,
      ),
    );
  } finally {
    if (call !== undefined) settle(options.ctx, call);
    else options.ctx.busy = false;
    for (const h of pinned) h.unpin();
  }
  retain(options.input, call);
  return finishAccept(lib, call, major);
}

/** The initiator's name of an established context (gss_inquire_context, source only; owned). */
export function contextSourceName(ctx: NativeHandle): NativeHandle {
  const lib = gssLibrary();
  const minor = Buffer.alloc(4);
  const src = Buffer.alloc(8);
  const major = lib.gss.gss_inquire_context(minor, ctx.ptr, src, null, null, null, null, null, null);
  const name = new NativeHandle('name', readPtr(src));
  if (isGssError(major)) name.release();
  check(lib, 'gss_inquire_context', major, minor);
  return name;
}

/** What gss_inquire_context reports, names already in display form. */
export interface ContextInfo {
  readonly source: string;
  readonly target: string;
  readonly lifetime: number;
  readonly mech: Buffer;
  readonly flags: number;
  readonly locallyInitiated: boolean;
  readonly open: boolean;
}

/** gss_inquire_context with both names displayed and released. */
export function inquireContext(ctx: NativeHandle): ContextInfo {
  const lib = gssLibrary();
  const minor = Buffer.alloc(4);
  const src = Buffer.alloc(8);
  const targ = Buffer.alloc(8);
  const lifetime = Buffer.alloc(4);
  const mech = Buffer.alloc(8);
  const flags = Buffer.alloc(4);
  const local = Buffer.alloc(4);
  const open = Buffer.alloc(4);
  const major = lib.gss.gss_inquire_context(minor, ctx.ptr, src, targ, lifetime, mech, flags, local, open);
  const names = [new NativeHandle('name', readPtr(src)), new NativeHandle('name', readPtr(targ))] as const;
  try {
    check(lib, 'gss_inquire_context', major, minor);
    const show = (n: NativeHandle): string => {
      if (n.isEmpty) return '';
      const desc = Buffer.alloc(lib.layout.bufferDesc.size);
      const m = lib.gss.gss_display_name(minor, n.ptr, desc, null);
      return isGssError(m) ? '' : takeBufferDesc(lib, minor, desc).toString('utf8');
    };
    return {
      source: show(names[0]),
      target: show(names[1]),
      lifetime: lifetime.readUInt32LE(0),
      mech: oidBytes(lib, readPtr(mech)),
      flags: flags.readUInt32LE(0),
      locallyInitiated: local.readInt32LE(0) !== 0,
      open: open.readInt32LE(0) !== 0,
    };
  } finally {
    names[0].release();
    names[1].release();
  }
}

/** gss_export_sec_context: the interprocess token; the handle is consumed (emptied) on success. */
export function exportSecContext(ctx: NativeHandle): Buffer {
  const lib = gssLibrary();
  const minor = Buffer.alloc(4);
  const ctxIo = Buffer.alloc(8);
  const token = Buffer.alloc(lib.layout.bufferDesc.size);
  ctxIo.writeBigUInt64LE(ctx.ptr, 0);
  const major = lib.gss.gss_export_sec_context(minor, ctxIo, token);
  if (isGssError(major)) {
    const minorCode = Buffer.from(minor);
    dropBufferDesc(lib, minor, token);
    check(lib, 'gss_export_sec_context', major, minorCode);
  }
  if (readPtr(ctxIo) === 0n) ctx.detach();
  return takeBufferDesc(lib, minor, token);
}

/** gss_import_sec_context: a new owned context from an interprocess token. */
export function importSecContext(token: Uint8Array): NativeHandle {
  const lib = gssLibrary();
  const minor = Buffer.alloc(4);
  const desc = Buffer.alloc(lib.layout.bufferDesc.size);
  const ctxOut = Buffer.alloc(8);
  fillBufferDesc(lib, desc, 0, token);
  const major = lib.gss.gss_import_sec_context(minor, desc, ctxOut);
  const ctx = new NativeHandle('context', readPtr(ctxOut));
  if (isGssError(major)) ctx.release();
  check(lib, 'gss_import_sec_context', major, minor);
  return ctx;
}

/**
 * The context's session key (GSS_C_INQ_SSPI_SESSION_KEY): key bytes and the enctype OID bytes. The
 * returned key is the only copy left (the library's is wiped before release): wipe it when done.
 */
export function sessionKey(ctx: NativeHandle): { readonly key: Buffer; readonly enctypeOid: Buffer } {
  const lib = gssLibrary();
  const minor = Buffer.alloc(4);
  const setOut = Buffer.alloc(8);
  const major = lib.gss.gss_inquire_sec_context_by_oid(minor, ctx.ptr, lib.oids.inqSspiSessionKey, setOut);
  try {
    check(lib, 'gss_inquire_sec_context_by_oid', major, minor);
    const setPtr = readPtr(setOut);
    const { bufferSet: bs, bufferDesc: bd } = lib.layout;
    const header = Buffer.allocUnsafe(bs.size);
    lib.libc.memcpy(header, setPtr, bs.size);
    const count = Number(header.readBigUInt64LE(bs.count));
    const elements = header.readBigUInt64LE(bs.elements);
    const read = (i: number, secret: boolean): Buffer => {
      const desc = Buffer.allocUnsafe(bd.size);
      lib.libc.memcpy(desc, elements + BigInt(i * bd.size), bd.size);
      const len = Number(desc.readBigUInt64LE(bd.length));
      const out = Buffer.alloc(len);
      const value = desc.readBigUInt64LE(bd.value);
      if (len > 0) lib.libc.memcpy(out, value, len);
      // gss_release_buffer_set frees without zeroing: the library's copy of the key is wiped first.
      if (secret && len > 0) lib.libc.memcpy(value, Buffer.alloc(len), len);
      return out;
    };
    return {
      key: count > 0 ? read(0, true) : Buffer.alloc(0),
      enctypeOid: count > 1 ? read(1, false) : Buffer.alloc(0),
    };
  } finally {
    if (readPtr(setOut) !== 0n) lib.gss.gss_release_buffer_set(minor, setOut);
  }
}
