/**
 * The ceiling for an FFI binding: the same handshake as the C program, made with bare koffi calls
 * on preallocated buffers and no sspkit code at all (no handles, no error mapping, no copies).
 * Benchmark-only; it checks nothing and must not be used outside the benchmark.
 */
import { gssLibrary } from '../src/ffi/library.js';
import type { NativeHandle } from '../src/ffi/index.js';

/** Returns a function performing one in-process handshake with bare koffi calls. */
export function bareKoffiHandshake(
  cred: NativeHandle,
  server: NativeHandle,
  target: NativeHandle,
  flags: number,
): () => void {
  const withCred = bareHandshakeWith(server, target, flags);
  const credPtr = cred.ptr;
  return () => withCred(credPtr);
}

/** The bare handshake with the initiator credential given per call (its buffers laid out once). */
function bareHandshakeWith(server: NativeHandle, target: NativeHandle, flags: number): (credPtr: bigint) => void {
  const lib = gssLibrary();
  const d = lib.layout.bufferDesc.size;
  const [minor, ictx, actx, t1, t2, t3, mech, retFlags, time, mechOut, deleg] = [4, 8, 8, d, d, d, 8, 4, 4, 8, 8].map(
    (n) => Buffer.alloc(Math.max(n, 8)),
  ) as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
  const serverPtr = server.ptr;
  const targetPtr = target.ptr;
  const krb5 = lib.oids.mechKrb5;
  return (credPtr) => {
    ictx.fill(0);
    actx.fill(0);
    lib.gss.gss_init_sec_context(minor, credPtr, ictx, targetPtr, krb5, flags, 0, null, null, mech, t1, retFlags, time);
    // Like the C program: no source name (GSS_C_NO_NAME output not requested).
    lib.gss.gss_accept_sec_context(minor, actx, serverPtr, t1, null, null, mechOut, t2, retFlags, time, deleg);
    const last = lib.gss.gss_init_sec_context(
      minor,
      credPtr,
      ictx,
      targetPtr,
      krb5,
      flags,
      0,
      null,
      t2,
      mech,
      t3,
      retFlags,
      time,
    );
    lib.gss.gss_release_buffer(minor, t1);
    lib.gss.gss_release_buffer(minor, t2);
    lib.gss.gss_release_buffer(minor, t3);
    lib.gss.gss_delete_sec_context(minor, ictx, null);
    lib.gss.gss_delete_sec_context(minor, actx, null);
    if (last !== 0) throw new Error(`bare koffi handshake failed: major 0x${last.toString(16)}`);
  };
}

/**
 * A one-entry cred store naming `FILE:<ccache>`, laid out once. The store holds addresses of the
 * strings in `keep`: the caller must keep `keep` referenced for as long as it uses the store.
 */
function ccacheStore(ccache: string): { readonly store: Buffer; readonly keep: readonly Buffer[] } {
  const lib = gssLibrary();
  const { koffi } = lib;
  const key = Buffer.from('ccache\0');
  const value = Buffer.from(`FILE:${ccache}\0`);
  const kve = lib.layout.keyValueElement;
  const kvs = lib.layout.keyValueSet;
  // Larger than V8's on-heap limit (64 bytes): an on-heap Buffer can move, its address would not.
  const area = Buffer.alloc(128);
  const element = area.subarray(0, kve.size);
  const store = area.subarray(64, 64 + kvs.size);
  element.writeBigUInt64LE(koffi.address(key), kve.key);
  element.writeBigUInt64LE(koffi.address(value), kve.value);
  store.writeUInt32LE(1, kvs.count);
  store.writeBigUInt64LE(koffi.address(area), kvs.elements);
  return { store, keep: [key, value, area] };
}

/**
 * The ceiling for the KDC round-trip line: a fresh initiator credential from `ccache` per handshake
 * (gss_acquire_cred_from, synchronous) and the bare handshake, all on the main thread — which
 * sspkit must not do, since the first leg waits on the KDC. Benchmark-only.
 */
export function bareKoffiKdcHandshake(
  ccache: string,
  server: NativeHandle,
  target: NativeHandle,
  flags: number,
): () => void {
  const lib = gssLibrary();
  const { store, keep } = ccacheStore(ccache);
  const minor = Buffer.alloc(8);
  const credOut = Buffer.alloc(8);
  const handshake = bareHandshakeWith(server, target, flags);
  return () => {
    const major = lib.gss.gss_acquire_cred_from(minor, null, 0, lib.oids.setKrb5, 1, store, credOut, null, null);
    if (major !== 0) throw new Error(`bare koffi acquire failed: major 0x${major.toString(16)}`);
    const credPtr = credOut.readBigUInt64LE(0);
    try {
      handshake(credPtr);
    } finally {
      credOut.writeBigUInt64LE(credPtr, 0);
      lib.gss.gss_release_cred(minor, credOut);
    }
    // Keep the store's strings reachable for the next call.
    if (keep.length === 0) throw new Error('unreachable');
  };
}

/**
 * The ceiling for the KDC round-trip line under sspkit's rule (a call that may wait on the KDC
 * must not block the event loop): like {@link bareKoffiKdcHandshake}, but the first
 * gss_init_sec_context goes through koffi's async call (one worker-thread hop, no queue, no
 * handles); acquisition, accept and the second leg stay on the main thread. Benchmark-only.
 */
export function bareKoffiKdcHandshakeAsync(
  ccache: string,
  server: NativeHandle,
  target: NativeHandle,
  flags: number,
): () => Promise<void> {
  const lib = gssLibrary();
  const { store, keep } = ccacheStore(ccache);
  const d = lib.layout.bufferDesc.size;
  const [minor, credOut, ictx, actx, t1, t2, t3, mech, retFlags, time, mechOut, deleg] = [
    4,
    8,
    8,
    8,
    d,
    d,
    d,
    8,
    4,
    4,
    8,
    8,
  ].map((n) => Buffer.alloc(Math.max(n, 128))) as [
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
  ];
  const krb5 = lib.oids.mechKrb5;
  return async () => {
    if (lib.gss.gss_acquire_cred_from(minor, null, 0, lib.oids.setKrb5, 1, store, credOut, null, null) !== 0)
      throw new Error('bare koffi acquire failed');
    const credPtr = credOut.readBigUInt64LE(0);
    ictx.fill(0);
    actx.fill(0);
    try {
      const first = await new Promise<number>((resolve, reject) =>
        lib.gssAsync.gss_init_sec_context(
          minor,
          credPtr,
          ictx,
          target.ptr,
          krb5,
          flags,
          0,
          null,
          null,
          mech,
          t1,
          retFlags,
          time,
          // eslint-disable-next-line @typescript-eslint/no-base-to-string -- koffi reports an Error or a string
          (err, major) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(major)),
        ),
      );
      if ((first & 0xffff0000) !== 0) throw new Error(`bare koffi first leg failed: major 0x${first.toString(16)}`);
      lib.gss.gss_accept_sec_context(minor, actx, server.ptr, t1, null, null, mechOut, t2, retFlags, time, deleg);
      const last = lib.gss.gss_init_sec_context(
        minor,
        credPtr,
        ictx,
        target.ptr,
        krb5,
        flags,
        0,
        null,
        t2,
        mech,
        t3,
        retFlags,
        time,
      );
      if (last !== 0) throw new Error(`bare koffi handshake failed: major 0x${last.toString(16)}`);
    } finally {
      for (const t of [t1, t2, t3]) lib.gss.gss_release_buffer(minor, t);
      lib.gss.gss_delete_sec_context(minor, ictx, null);
      lib.gss.gss_delete_sec_context(minor, actx, null);
      credOut.writeBigUInt64LE(credPtr, 0);
      lib.gss.gss_release_cred(minor, credOut);
    }
    // Keep the store's strings reachable for the next call.
    if (keep.length === 0) throw new Error('unreachable');
  };
}

/**
 * The ceiling for the 64 B in-place line: gss_wrap_iov + gss_unwrap_iov on a preallocated
 * HEADER/DATA/PADDING descriptor array, no sspkit code. Benchmark-only.
 */
export function bareKoffiIov(
  ctx: NativeHandle,
  sctx: NativeHandle,
  headerLength: number,
  message: Buffer,
  iovType: { readonly HEADER: number; readonly DATA: number; readonly PADDING: number },
): () => void {
  const lib = gssLibrary();
  const { koffi } = lib;
  const { size, type, buffer } = lib.layout.iov;
  const bd = lib.layout.bufferDesc;
  const area = Buffer.alloc(3 * size);
  const areaAt = koffi.address(area);
  // Status words in one area above V8's on-heap limit; the closure below keeps it alive (only its
  // addresses are passed, and a collected Buffer's memory would be written by the library).
  const words = Buffer.alloc(128);
  const base = koffi.address(words);
  const [minorAt, confAt, qopAt] = [base, base + 16n, base + 32n];
  // Header and data in one Buffer above V8's on-heap limit (64 bytes): koffi.address of an on-heap
  // typed array is not stable across garbage collections, and the addresses are kept here.
  const dataOffset = Math.ceil(headerLength / 16) * 16;
  const memory = Buffer.alloc(Math.max(128, dataOffset + message.length));
  const header = memory.subarray(0, headerLength);
  const data = memory.subarray(dataOffset, dataOffset + message.length);
  message.copy(data);
  const headerAt = koffi.address(memory); // `header` and `data` below keep `memory` alive
  const dataAt = headerAt + BigInt(dataOffset);
  const lay = (): void => {
    area.writeUInt32LE(iovType.HEADER, type);
    area.writeBigUInt64LE(BigInt(header.length), buffer + bd.length);
    area.writeBigUInt64LE(headerAt, buffer + bd.value);
    area.writeUInt32LE(iovType.DATA, size + type);
    area.writeBigUInt64LE(BigInt(data.length), size + buffer + bd.length);
    area.writeBigUInt64LE(dataAt, size + buffer + bd.value);
    area.writeUInt32LE(iovType.PADDING, 2 * size + type);
    area.writeBigUInt64LE(0n, 2 * size + buffer + bd.length);
    area.writeBigUInt64LE(0n, 2 * size + buffer + bd.value);
  };
  const c = ctx.ptr;
  const s = sctx.ptr;
  return () => {
    lay();
    lib.gss.gss_wrap_iov(minorAt, c, 1, 0, confAt, areaAt, 3);
    lay();
    const major = lib.gss.gss_unwrap_iov(minorAt, s, confAt, qopAt, areaAt, 3);
    if (major !== 0 || words.length === 0)
      throw new Error(`bare koffi unwrap_iov failed: major 0x${major.toString(16)}`);
  };
}
