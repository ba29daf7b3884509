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
import { dropBufferDesc, fillBufferDesc, frame, oidBytes, readPtr, retain, takeBufferDesc } from './memory.js';
import { sharedGate } from './queue.js';

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
  /** Run a later (normally inline) leg on a worker thread anyway, e.g. while the process is busy. */
  readonly offload?: boolean;
}): Promise<ContextStep> {
  const lib = gssLibrary();
  const d = lib.layout.bufferDesc.size;
  const [minor, ctxIo, input, output, actualMech, retFlags, timeRec] = frame(4, 8, d, d, 8, 4, 4) as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
  const inputData = options.input;
  fillBufferDesc(lib, input, 0, inputData);
  const cb = options.bindings ? layChannelBindings(lib, options.bindings) : null;
  claim(options.ctx);
  // The context, credential and target must outlive the worker-thread call even if freed meanwhile.
  const pinned = [options.ctx, options.cred, options.target].filter((h): h is NativeHandle => h !== null);
  for (const h of pinned) h.pin();
  let major: number;
  try {
    const first = options.ctx.isEmpty;
    ctxIo.writeBigUInt64LE(options.ctx.rawOrZero, 0);
    const cred = options.cred?.ptr ?? null;
    const mech = mechOid(lib, options.mech);
    const useWorker = first ? options.ticketCached !== true : options.offload === true;
    major = useWorker
      ? await sharedGate().run((done) =>
          lib.gssAsync.gss_init_sec_context(
            minor, cred, ctxIo, options.target.ptr, mech, options.flags >>> 0, 0, cb?.struct ?? null, input, actualMech, output, retFlags, timeRec, done,
          ),
        )
      : lib.gss.gss_init_sec_context(
          minor, cred, ctxIo, options.target.ptr, mech, options.flags >>> 0, 0, cb?.struct ?? null, input, actualMech, output, retFlags, timeRec,
        );
  } finally {
    options.ctx.busy = false;
    options.ctx.update(readPtr(ctxIo));
    for (const h of pinned) h.unpin();
  }
  retain(inputData, cb);
  if (isGssError(major)) dropBufferDesc(lib, minor, output);
  check(lib, 'gss_init_sec_context', major, minor, mechOid(lib, options.mech));
  return {
    output: takeBufferDesc(lib, minor, output),
    continueNeeded: (major & GssSupplementary.CONTINUE_NEEDED) !== 0,
    flags: retFlags.readUInt32LE(0),
    lifetime: timeRec.readUInt32LE(0),
    mech: oidBytes(lib, readPtr(actualMech)),
  };
}

/** Options of one acceptor leg. */
export interface AcceptOptions {
  readonly cred: NativeHandle | null;
  readonly ctx: NativeHandle;
  readonly input: Uint8Array;
  readonly bindings?: ChannelBindings | null;
}

/** The Buffers one accept call reads and writes, kept together so both call modes share them. */
interface AcceptFrame {
  readonly minor: Buffer;
  readonly ctxIo: Buffer;
  readonly input: Buffer;
  readonly output: Buffer;
  readonly srcName: Buffer;
  readonly mech: Buffer;
  readonly retFlags: Buffer;
  readonly timeRec: Buffer;
  readonly delegated: Buffer;
  readonly cb: ReturnType<typeof layChannelBindings> | null;
  readonly first: boolean;
}

function acceptFrame(lib: GssLibrary, options: AcceptOptions): AcceptFrame {
  const d = lib.layout.bufferDesc.size;
  const [minor, ctxIo, input, output, srcName, mech, retFlags, timeRec, delegated] = frame(4, 8, d, d, 8, 8, 4, 4, 8) as [
    Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer,
  ];
  const f: AcceptFrame = {
    minor, ctxIo, input, output, srcName, mech, retFlags, timeRec, delegated,
    cb: options.bindings ? layChannelBindings(lib, options.bindings) : null,
    first: options.ctx.isEmpty,
  };
  fillBufferDesc(lib, f.input, 0, options.input);
  f.ctxIo.writeBigUInt64LE(options.ctx.rawOrZero, 0);
  return f;
}

function finishAccept(lib: GssLibrary, f: AcceptFrame, major: number): AcceptStep {
  // Own every output before checking, so an error path releases them too.
  const source = readPtr(f.srcName) === 0n ? null : new NativeHandle('name', readPtr(f.srcName));
  const deleg = readPtr(f.delegated) === 0n ? null : new NativeHandle('cred', readPtr(f.delegated));
  if (isGssError(major)) {
    dropBufferDesc(lib, f.minor, f.output);
    source?.release();
    deleg?.release();
  }
  const mech = readPtr(f.mech);
  check(lib, 'gss_accept_sec_context', major, f.minor, mech === 0n ? null : mech, f.first ? 'accept-first' : undefined);
  return {
    output: takeBufferDesc(lib, f.minor, f.output),
    continueNeeded: (major & GssSupplementary.CONTINUE_NEEDED) !== 0,
    flags: f.retFlags.readUInt32LE(0),
    lifetime: f.timeRec.readUInt32LE(0),
    mech: oidBytes(lib, mech),
    source,
    delegated: deleg,
  };
}

/** gss_accept_sec_context, synchronously: one acceptor leg; `ctx` is updated in place. */
export function acceptSecContext(options: AcceptOptions): AcceptStep {
  const lib = gssLibrary();
  const f = acceptFrame(lib, options);
  claim(options.ctx);
  let major: number;
  try {
    major = lib.gss.gss_accept_sec_context(
      f.minor, f.ctxIo, options.cred?.ptr ?? null, f.input, f.cb?.struct ?? null, f.srcName, f.mech, f.output, f.retFlags, f.timeRec, f.delegated,
    );
  } finally {
    options.ctx.busy = false;
    options.ctx.update(readPtr(f.ctxIo));
  }
  return finishAccept(lib, f, major);
}

/**
 * gss_accept_sec_context on a worker thread. Accepting never waits on the KDC, but it decrypts a
 * ticket and writes the replay cache (~50–100 µs): under concurrent load, moving that off the main
 * thread keeps the event loop responsive.
 */
export async function acceptSecContextAsync(options: AcceptOptions): Promise<AcceptStep> {
  const lib = gssLibrary();
  const f = acceptFrame(lib, options);
  claim(options.ctx);
  const pinned = [options.ctx, options.cred].filter((h): h is NativeHandle => h !== null);
  for (const h of pinned) h.pin();
  let major: number;
  try {
    const cred = options.cred?.ptr ?? null;
    major = await sharedGate().run((done) =>
      lib.gssAsync.gss_accept_sec_context(
        f.minor, f.ctxIo, cred, f.input, f.cb?.struct ?? null, f.srcName, f.mech, f.output, f.retFlags, f.timeRec, f.delegated, done,
      ),
    );
  } finally {
    options.ctx.busy = false;
    options.ctx.update(readPtr(f.ctxIo));
    for (const h of pinned) h.unpin();
  }
  retain(options.input, f);
  return finishAccept(lib, f, major);
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
    dropBufferDesc(lib, minor, token);
    check(lib, 'gss_export_sec_context', major, minor);
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

/** The context's session key (GSS_C_INQ_SSPI_SESSION_KEY): key bytes and the enctype OID bytes. */
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
    const read = (i: number): Buffer => {
      const desc = Buffer.allocUnsafe(bd.size);
      lib.libc.memcpy(desc, elements + BigInt(i * bd.size), bd.size);
      const len = Number(desc.readBigUInt64LE(bd.length));
      const out = Buffer.alloc(len);
      if (len > 0) lib.libc.memcpy(out, desc.readBigUInt64LE(bd.value), len);
      return out;
    };
    return { key: count > 0 ? read(0) : Buffer.alloc(0), enctypeOid: count > 1 ? read(1) : Buffer.alloc(0) };
  } finally {
    if (readPtr(setOut) !== 0n) lib.gss.gss_release_buffer_set(minor, setOut);
  }
}
