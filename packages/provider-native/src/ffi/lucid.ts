/**
 * The established krb5 context's keys and sequence numbers, read once through MIT's lucid-context
 * interface, so that per-message tokens can be made in TypeScript (src/lucid). MIT's
 * gss_krb5_export_lucid_sec_context() deletes the GSS context after the export (krb5_gss_glue.c);
 * the request it wraps, gss_inquire_sec_context_by_oid() with the lucid OID, does not, so that is
 * what is called here and the context stays usable for everything else (names, sizes, export).
 * The structure is freed with gss_krb5_free_lucid_sec_context(), which zeroes the key copies.
 */
import { check } from './errors.js';
import type { NativeHandle } from './handles.js';
import { gssLibrary } from './library.js';
import type { GssLibrary } from './library.js';
import { readPtr } from './memory.js';

/** One key of the lucid structure: its enctype (RFC 3961 number) and its bytes (a copy: wipe it). */
export interface LucidKey {
  readonly enctype: number;
  readonly key: Buffer;
}

/** gss_krb5_lucid_context_v1_t, as far as RFC 4121 tokens need it. */
export interface LucidContext {
  readonly initiate: boolean;
  /** 0: RFC 1964 tokens (DES, RC4 …); 1: RFC 4121 ("CFX") tokens. */
  readonly protocol: number;
  readonly sendSeq: bigint;
  readonly recvSeq: bigint;
  /** CFX: the context key (the initiator's subkey, or the session key). */
  readonly ctxKey: LucidKey | null;
  /** CFX: the acceptor's subkey, when the acceptor asserted one. */
  readonly acceptorSubkey: LucidKey | null;
}

interface Decoded {
  version: number;
  initiate: number;
  send_seq: bigint | number;
  recv_seq: bigint | number;
  protocol: number;
  cfx_kd: {
    have_acceptor_subkey: number;
    ctx_key: { type: number; length: number; data: bigint | null };
    acceptor_subkey: { type: number; length: number; data: bigint | null };
  };
}

let lucidType: unknown;

function structType(lib: GssLibrary): unknown {
  if (lucidType !== undefined) return lucidType;
  const { koffi } = lib;
  // typedef struct gss_krb5_lucid_key { OM_uint32 type; OM_uint32 length; void *data; } gss_krb5_lucid_key_t;
  const key = koffi.struct('gss_krb5_lucid_key_t', { type: 'uint32_t', length: 'uint32_t', data: 'void *' });
  // typedef struct gss_krb5_lucid_context_v1 { OM_uint32 version, initiate, endtime; uint64_t send_seq, recv_seq;
  //   OM_uint32 protocol; gss_krb5_rfc1964_keydata_t rfc1964_kd; gss_krb5_cfx_keydata_t cfx_kd; }
  lucidType = koffi.struct('gss_krb5_lucid_context_v1_t', {
    version: 'uint32_t',
    initiate: 'uint32_t',
    endtime: 'uint32_t',
    send_seq: 'uint64_t',
    recv_seq: 'uint64_t',
    protocol: 'uint32_t',
    rfc1964_kd: koffi.struct({ sign_alg: 'uint32_t', seal_alg: 'uint32_t', ctx_key: key }),
    cfx_kd: koffi.struct({ have_acceptor_subkey: 'uint32_t', ctx_key: key, acceptor_subkey: key }),
  });
  return lucidType;
}

/** Reads the lucid context (version 1) of an established krb5 (or SPNEGO-wrapped krb5) context. */
export function exportLucid(ctx: NativeHandle): LucidContext {
  const lib = gssLibrary();
  const type = structType(lib);
  const minor = Buffer.alloc(4);
  const setOut = Buffer.alloc(8);
  let lucid = 0n;
  const major = lib.gss.gss_inquire_sec_context_by_oid(minor, ctx.ptr, lib.oids.exportLucidV1, setOut);
  try {
    check(lib, 'gss_inquire_sec_context_by_oid(lucid)', major, minor);
    const setPtr = readPtr(setOut);
    const { bufferSet: bs, bufferDesc: bd } = lib.layout;
    const header = Buffer.allocUnsafe(bs.size);
    lib.libc.memcpy(header, setPtr, bs.size);
    if (Number(header.readBigUInt64LE(bs.count)) !== 1) throw new Error('lucid export: unexpected result');
    const desc = Buffer.allocUnsafe(bd.size);
    lib.libc.memcpy(desc, header.readBigUInt64LE(bs.elements), bd.size);
    // The one element holds the structure's address (a void *), not the structure.
    const holder = Buffer.alloc(8);
    lib.libc.memcpy(holder, desc.readBigUInt64LE(bd.value), 8);
    lucid = readPtr(holder);
    if (lucid === 0n) throw new Error('lucid export: no structure');
    const d = lib.koffi.decode(lucid, type as never) as Decoded;
    if (d.version !== 1) throw new Error(`lucid export: structure version ${d.version}`);
    const take = (k: Decoded['cfx_kd']['ctx_key']): LucidKey | null => {
      if (k.data === null || k.data === 0n || k.length === 0) return null;
      const key = Buffer.alloc(k.length);
      lib.libc.memcpy(key, k.data, k.length);
      return { enctype: k.type, key };
    };
    const cfx = d.protocol === 1;
    return {
      initiate: d.initiate !== 0,
      protocol: d.protocol,
      sendSeq: BigInt(d.send_seq),
      recvSeq: BigInt(d.recv_seq),
      ctxKey: cfx ? take(d.cfx_kd.ctx_key) : null,
      acceptorSubkey: cfx && d.cfx_kd.have_acceptor_subkey !== 0 ? take(d.cfx_kd.acceptor_subkey) : null,
    };
  } finally {
    if (lucid !== 0n) lib.gss.gss_krb5_free_lucid_sec_context(minor, lucid);
    if (readPtr(setOut) !== 0n) lib.gss.gss_release_buffer_set(minor, setOut);
  }
}
