/**
 * Raw memory helpers: filling `gss_buffer_desc` values that point into JS Buffers, and copying
 * library-owned output into JS before releasing it. Node Buffer contents never move once their
 * address has been taken, and every Buffer whose address is written stays referenced by the caller
 * until the native call returns, so these addresses are valid for the call.
 */
import type { GssLibrary } from './library.js';

/** Writes `{ length, value }` at `offset` in `desc`, pointing at `data` (or an empty buffer). */
export function fillBufferDesc(lib: GssLibrary, desc: Buffer, offset: number, data: Uint8Array | null): void {
  const { length, value } = lib.layout.bufferDesc;
  if (data === null || data.length === 0) {
    desc.writeBigUInt64LE(0n, offset + length);
    desc.writeBigUInt64LE(0n, offset + value);
    return;
  }
  desc.writeBigUInt64LE(BigInt(data.length), offset + length);
  desc.writeBigUInt64LE(lib.koffi.address(data), offset + value);
}

/** Copies `length` bytes at native address `ptr` into a new Buffer (memcpy, no koffi.view). */
export function copyOut(lib: GssLibrary, ptr: bigint, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  if (length > 0) lib.libc.memcpy(out, ptr, length);
  return out;
}

/**
 * Copies a library-filled `gss_buffer_desc` (at `offset` in `desc`) into JS and releases it with
 * gss_release_buffer, which also zeroes the descriptor so a second release is harmless.
 */
export function takeBufferDesc(lib: GssLibrary, minor: Buffer, desc: Buffer, offset = 0): Buffer {
  const { length, value } = lib.layout.bufferDesc;
  const len = Number(desc.readBigUInt64LE(offset + length));
  const ptr = desc.readBigUInt64LE(offset + value);
  if (ptr === 0n) return Buffer.alloc(0);
  try {
    return copyOut(lib, ptr, len);
  } finally {
    lib.gss.gss_release_buffer(minor, offset === 0 ? desc : desc.subarray(offset));
  }
}

/**
 * {@link takeBufferDesc} for a descriptor in a frame: `minorAt` and `descAt` are the native
 * addresses of the minor-status word and of `desc`, passed as taken (no per-call lookup).
 */
export function takeDescAt(lib: GssLibrary, minorAt: bigint, desc: Buffer, descAt: bigint): Buffer {
  const { length, value } = lib.layout.bufferDesc;
  const ptr = desc.readBigUInt64LE(value);
  if (ptr === 0n) return Buffer.alloc(0);
  try {
    return copyOut(lib, ptr, Number(desc.readBigUInt64LE(length)));
  } finally {
    lib.gss.gss_release_buffer(minorAt, descAt);
  }
}

/** {@link dropBufferDesc} for a descriptor in a frame. */
export function dropDescAt(lib: GssLibrary, minorAt: bigint, desc: Buffer, descAt: bigint): void {
  if (desc.readBigUInt64LE(lib.layout.bufferDesc.value) !== 0n) lib.gss.gss_release_buffer(minorAt, descAt);
}

/** Releases a library-filled `gss_buffer_desc` without reading it (error paths). */
export function dropBufferDesc(lib: GssLibrary, minor: Buffer, desc: Buffer): void {
  if (desc.readBigUInt64LE(lib.layout.bufferDesc.value) !== 0n) lib.gss.gss_release_buffer(minor, desc);
}

/** Reads a native pointer stored at `offset` (8-byte pointers: the probe rejects other ABIs). */
export function readPtr(buf: Buffer, offset = 0): bigint {
  return buf.readBigUInt64LE(offset);
}

const oidCache = new Map<bigint, Buffer>();

/**
 * Bytes of a `gss_OID_desc` at native address `oid` (empty for GSS_C_NO_OID). The OIDs the library
 * hands out (mechanism and name types) are static storage, so each address is read once; callers
 * must not modify the returned bytes.
 */
export function oidBytes(lib: GssLibrary, oid: bigint): Buffer {
  if (oid === 0n) return Buffer.alloc(0);
  const cached = oidCache.get(oid);
  if (cached !== undefined) return cached;
  const header = copyOut(lib, oid, lib.layout.oidDesc.size);
  const length = header.readUInt32LE(lib.layout.oidDesc.length);
  const bytes = copyOut(lib, header.readBigUInt64LE(lib.layout.oidDesc.elements), length);
  if (oidCache.size < 64) oidCache.set(oid, bytes);
  return bytes;
}

/** A NUL-terminated UTF-8 copy of `text` in a Buffer (for `const char *` fields). */
export function cString(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf8');
}

/**
 * Keeps values reachable until this point. Called after an awaited native call whose arguments
 * point into Buffers that no later JS code reads (V8 may otherwise collect them mid-call).
 */
export function retain(...values: readonly unknown[]): void {
  if (values.length < 0) throw new Error('unreachable');
}
