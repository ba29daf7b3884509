/**
 * The ceiling for an FFI binding: the same handshake as the C program, made with bare koffi calls
 * on preallocated buffers and no sspkit code at all (no handles, no error mapping, no copies).
 * Benchmark-only; it checks nothing and must not be used outside the benchmark.
 */
import { gssLibrary } from '../src/ffi/library.js';
import type { NativeHandle } from '../src/index.js';

/** Returns a function performing one in-process handshake with bare koffi calls. */
export function bareKoffiHandshake(cred: NativeHandle, server: NativeHandle, target: NativeHandle, flags: number): () => void {
  const lib = gssLibrary();
  const d = lib.layout.bufferDesc.size;
  const [minor, ictx, actx, t1, t2, t3, mech, retFlags, time, mechOut, deleg] = [4, 8, 8, d, d, d, 8, 4, 4, 8, 8].map((n) => Buffer.alloc(Math.max(n, 8))) as [
    Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer,
  ];
  const credPtr = cred.ptr;
  const serverPtr = server.ptr;
  const targetPtr = target.ptr;
  const krb5 = lib.oids.mechKrb5;
  return () => {
    ictx.fill(0);
    actx.fill(0);
    lib.gss.gss_init_sec_context(minor, credPtr, ictx, targetPtr, krb5, flags, 0, null, null, mech, t1, retFlags, time);
    // Like the C program: no source name (GSS_C_NO_NAME output not requested).
    lib.gss.gss_accept_sec_context(minor, actx, serverPtr, t1, null, null, mechOut, t2, retFlags, time, deleg);
    const last = lib.gss.gss_init_sec_context(minor, credPtr, ictx, targetPtr, krb5, flags, 0, null, t2, mech, t3, retFlags, time);
    lib.gss.gss_release_buffer(minor, t1);
    lib.gss.gss_release_buffer(minor, t2);
    lib.gss.gss_release_buffer(minor, t3);
    lib.gss.gss_delete_sec_context(minor, ictx, null);
    lib.gss.gss_delete_sec_context(minor, actx, null);
    if (last !== 0) throw new Error(`bare koffi handshake failed: major 0x${last.toString(16)}`);
  };
}
