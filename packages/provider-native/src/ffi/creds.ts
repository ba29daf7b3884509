/**
 * Credential acquisition. A password means an AS exchange with the KDC, and MIT obtains or
 * refreshes a TGT by itself wherever a client keytab holds keys, so acquisition goes through
 * koffi's async calls and the gate — unless the store is provably local ({@link inlineStore}).
 */
import { check } from './errors.js';
import { defaultClientKeytabHasKeys, NO_CLIENT_KEYS } from './krb5.js';
import { NativeHandle } from './handles.js';
import { gssLibrary } from './library.js';
import type { GssLibrary } from './library.js';
import { GssCredUsage, isGssError } from './major.js';
import { cString, fillBufferDesc, readPtr, retain, takeBufferDesc } from './memory.js';
import { localGate, sharedGate } from './queue.js';
import { FramePool } from './scratch.js';
import type { Frame } from './scratch.js';

/** Which mechanism a credential is for. */
export type GssMech = 'krb5' | 'spnego';

/** Direction of use. */
export type CredUsage = keyof typeof GssCredUsage;

/** A newly acquired credential. */
export interface AcquiredCred {
  readonly cred: NativeHandle;
  /** Seconds of validity reported by the library (0xFFFFFFFF = indefinite). */
  readonly lifetime: number;
}

/** Cred store entries (MIT: `ccache`, `client_keytab`, `keytab`, `rcache`, `password`…). */
export type CredStore = Readonly<Record<string, string>>;

function mechSet(lib: GssLibrary, mech: GssMech): bigint {
  return mech === 'krb5' ? lib.oids.setKrb5 : lib.oids.setSpnego;
}

/** ccache types held in this process or on a local filesystem (KCM, API: a daemon may wait). */
const LOCAL_CCACHE_TYPES = ['FILE:', 'DIR:', 'MEMORY:'];

/**
 * The store to acquire with on the main thread, or null when acquisition could wait on a KDC or
 * a daemon. An acceptor only opens a keytab (every keytab type is a local file or memory). An
 * initiator is local when its store names a ccache of a local type and neither a password nor a
 * client keytab, and the default client keytab holds no key. The returned store then names an
 * empty client keytab ({@link NO_CLIENT_KEYS}), so no later call with the credential can fetch a
 * TGT either — not even if a default client keytab appears afterwards.
 */
export function inlineStore(usage: CredUsage, store: CredStore): CredStore | null {
  if (usage === 'ACCEPT') return store;
  if (usage !== 'INITIATE' || 'password' in store) return null;
  if (store['client_keytab'] !== undefined && store['client_keytab'] !== NO_CLIENT_KEYS) return null;
  const ccache = store['ccache'];
  if (ccache === undefined || !LOCAL_CCACHE_TYPES.some((t) => ccache.startsWith(t))) return null;
  if (defaultClientKeytabHasKeys()) return null;
  return { ...store, client_keytab: NO_CLIENT_KEYS };
}

/**
 * gss_acquire_cred_from: credentials for `name` (or the default principal) from an explicit cred
 * store. No process-wide environment variable is read or changed for what the store names. Runs
 * on the main thread when {@link inlineStore} proves the store local (unless `offload`, or the
 * gate's per-turn allowance is used up: `AsyncGate.claimInline`), else on a worker thread.
 */
export async function acquireCredFrom(options: {
  readonly name?: NativeHandle;
  readonly usage: CredUsage;
  readonly mech: GssMech;
  readonly store?: CredStore;
  readonly offload?: boolean;
  /** Takes a network-lane acquisition still queued out of the queue (a missed deadline). */
  readonly signal?: AbortSignal;
}): Promise<AcquiredCred> {
  const lib = gssLibrary();
  const given = options.store ?? {};
  const inline = options.offload === true ? null : inlineStore(options.usage, given);
  const local = inline !== null && sharedGate().claimInline() ? inline : null;
  const entries = Object.entries(local ?? given);
  const name = options.name?.ptr ?? null;
  const mechs = mechSet(lib, options.mech);
  const usage = GssCredUsage[options.usage];
  options.name?.pin();
  // The frame and the store's strings are laid out when the call starts: a call waiting in the
  // queue holds neither (200 acquisitions started together used to lay out 200 frames in one turn).
  let call: LaidCall | undefined;
  let major: number;
  try {
    if (local !== null) {
      call = layCall(lib, entries);
      const [minorAt, credAt, timeAt, storeAt] = call.frame.at as Four<bigint>;
      const storeArg = entries.length > 0 ? storeAt : null;
      major = lib.gss.gss_acquire_cred_from(minorAt, name, 0, mechs, usage, storeArg, credAt, null, timeAt);
    } else {
      major = await (inline !== null ? localGate() : sharedGate()).run(
        (done) => {
          call = layCall(lib, entries);
          const [minorAt, credAt, timeAt, storeAt] = call.frame.at as Four<bigint>;
          const storeArg = entries.length > 0 ? storeAt : null;
          lib.gssAsync.gss_acquire_cred_from(minorAt, name, 0, mechs, usage, storeArg, credAt, null, timeAt, done);
        },
        // A store proven local (inline, but past the per-turn allowance) cannot wait on a KDC.
        inline !== null ? undefined : options.signal,
      );
    }
  } catch (err) {
    // Taken out of the queue (never laid out), or failed to start: nothing of it is read.
    if (call !== undefined) giveBack(call);
    throw err;
  } finally {
    options.name?.unpin();
  }
  const laid = call as LaidCall;
  try {
    const [minor, credOut, timeRec] = laid.frame.views as Four<Buffer>;
    return finish(lib, 'gss_acquire_cred_from', major, minor, credOut, timeRec, options.mech);
  } finally {
    giveBack(laid);
  }
}

type Four<T> = [T, T, T, T];

/** One acquisition's frame and the Buffers of a store too large for it. */
interface LaidCall {
  readonly frame: Frame;
  readonly keep: readonly Buffer[];
}

function layCall(lib: GssLibrary, entries: readonly (readonly [string, string])[]): LaidCall {
  const frame = acquireFrames(lib).take();
  const kvs = lib.layout.keyValueSet;
  const store = frame.views[3] as Buffer;
  // Buffers of a store too large for the frame stay referenced by `keep` until the call returns.
  const laid = layStore(lib, frame, entries);
  store.writeUInt32LE(entries.length, kvs.count);
  store.writeBigUInt64LE(laid.elementsAt, kvs.elements);
  return { frame, keep: laid.keep };
}

/**
 * A store's strings may hold a secret (MIT's `password` entry): the frame is zeroed when given
 * back, and a store too large for it has its own Buffers, wiped here.
 */
function giveBack(call: LaidCall): void {
  for (const b of call.keep) b.fill(0);
  acquireFrames(gssLibrary()).give(call.frame);
}

/** Cred-store entries that fit the pooled frame (ccache, keytab, client_keytab, rcache). */
const POOLED_STORE_ENTRIES = 4;
/** Bytes of NUL-terminated key and value strings the pooled frame holds (paths are short). */
const POOLED_STORE_TEXT = 512;
let acquirePool: FramePool | undefined;

/** Frames of gss_acquire_cred_from: minor, cred out, time, the key/value set, its elements and strings. */
function acquireFrames(lib: GssLibrary): FramePool {
  const { keyValueElement: kve, keyValueSet: kvs } = lib.layout;
  return (acquirePool ??= new FramePool(lib, [4, 8, 4, kvs.size, POOLED_STORE_ENTRIES * kve.size, POOLED_STORE_TEXT]));
}

/**
 * Lays the store's elements and strings out in the frame when they fit: a fresh Buffer per string
 * (four per inline acquisition) is a small on-heap Buffer that koffi.address must move off the heap,
 * then garbage; the frame's area already has a fixed native address. A store too large for the
 * frame gets its own Buffers, returned in `keep` for the caller to hold until the call returns.
 */
function layStore(
  lib: GssLibrary,
  f: Frame,
  entries: readonly (readonly [string, string])[],
): { readonly elementsAt: bigint; readonly keep: readonly Buffer[] } {
  const kve = lib.layout.keyValueElement;
  const [, , , , pooledElements, text] = f.views as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
  const pooledAt = f.at[4] ?? 0n;
  const textAt = f.at[5] ?? 0n;
  let need = 0;
  for (const [k, v] of entries) need += Buffer.byteLength(k) + Buffer.byteLength(v) + 2;
  if (entries.length <= POOLED_STORE_ENTRIES && need <= text.length) {
    let at = 0;
    const put = (s: string): bigint => {
      const start = at;
      at += text.write(s, at, 'utf8');
      text[at++] = 0;
      return textAt + BigInt(start);
    };
    entries.forEach(([k, v], i) => {
      pooledElements.writeBigUInt64LE(put(k), i * kve.size + kve.key);
      pooledElements.writeBigUInt64LE(put(v), i * kve.size + kve.value);
    });
    return { elementsAt: pooledAt, keep: [] };
  }
  const strings = entries.map(([k, v]) => [cString(k), cString(v)] as const);
  const elements = Buffer.alloc(Math.max(entries.length * kve.size, 128));
  strings.forEach(([k, v], i) => {
    elements.writeBigUInt64LE(lib.koffi.address(k), i * kve.size + kve.key);
    elements.writeBigUInt64LE(lib.koffi.address(v), i * kve.size + kve.value);
  });
  return { elementsAt: lib.koffi.address(elements), keep: [elements, ...strings.flat()] };
}

/** gss_acquire_cred_with_password: an initiator credential from a principal and its password. */
export async function acquireCredWithPassword(options: {
  readonly name: NativeHandle;
  readonly password: Uint8Array;
  readonly usage: CredUsage;
  readonly mech: GssMech;
  /** Takes the acquisition out of the network lane's queue if it has not started (a missed deadline). */
  readonly signal?: AbortSignal;
}): Promise<AcquiredCred> {
  const lib = gssLibrary();
  const secret = Buffer.from(options.password);
  const desc = Buffer.alloc(lib.layout.bufferDesc.size);
  fillBufferDesc(lib, desc, 0, secret);
  const minor = Buffer.alloc(4);
  const credOut = Buffer.alloc(8);
  const timeRec = Buffer.alloc(4);
  options.name.pin();
  try {
    const major = await sharedGate().run(
      (done) =>
        lib.gssAsync.gss_acquire_cred_with_password(
          minor,
          options.name.ptr,
          desc,
          0,
          mechSet(lib, options.mech),
          GssCredUsage[options.usage],
          credOut,
          null,
          timeRec,
          done,
        ),
      options.signal,
    );
    retain(secret);
    return finish(lib, 'gss_acquire_cred_with_password', major, minor, credOut, timeRec, options.mech);
  } finally {
    options.name.unpin();
    // The copy is ours: wipe it so the password does not linger in the JS heap.
    secret.fill(0);
    desc.fill(0);
  }
}

function finish(
  lib: GssLibrary,
  call: string,
  major: number,
  minor: Buffer,
  credOut: Buffer,
  timeRec: Buffer,
  mech: GssMech,
): AcquiredCred {
  const cred = new NativeHandle('cred', readPtr(credOut));
  if (isGssError(major)) cred.release();
  check(lib, call, major, minor);
  if (mech === 'spnego') {
    // SPNEGO would otherwise offer every mechanism the system registers (gss-ntlmssp among them,
    // which is unreliable inside Node): negotiate Kerberos only.
    const m = lib.gss.gss_set_neg_mechs(minor, cred.ptr, lib.oids.setKrb5);
    if (isGssError(m)) cred.release();
    check(lib, 'gss_set_neg_mechs', m, minor);
  }
  return { cred, lifetime: timeRec.readUInt32LE(0) };
}

/** gss_inquire_cred: the credential's principal name (display form) and remaining lifetime. */
export function inquireCred(cred: NativeHandle): { readonly name: string; readonly lifetime: number } {
  const lib = gssLibrary();
  const minor = Buffer.alloc(4);
  const nameOut = Buffer.alloc(8);
  const lifetime = Buffer.alloc(4);
  const major = lib.gss.gss_inquire_cred(minor, cred.ptr, nameOut, lifetime, null, null);
  const name = new NativeHandle('name', readPtr(nameOut));
  try {
    check(lib, 'gss_inquire_cred', major, minor);
    const desc = Buffer.alloc(lib.layout.bufferDesc.size);
    const m2 = lib.gss.gss_display_name(minor, name.ptr, desc, null);
    check(lib, 'gss_display_name', m2, minor);
    return { name: takeBufferDesc(lib, minor, desc).toString('utf8'), lifetime: lifetime.readUInt32LE(0) };
  } finally {
    name.release();
  }
}
