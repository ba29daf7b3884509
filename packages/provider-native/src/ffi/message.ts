/**
 * Per-message protection: MIC, wrap/unwrap and their in-place IOV forms. These run synchronously
 * and reuse one module-level scratch area, so a call marshals no object and allocates nothing
 * native except the output the library returns (copied out and released at once). JS is single
 * threaded and these calls never yield, so the scratch area cannot be used by two calls at once.
 */
import { check } from './errors.js';
import { gssLibrary } from './library.js';
import type { GssLibrary } from './library.js';
import { isGssError } from './major.js';
import { dropDescAt, fillBufferDesc, takeDescAt } from './memory.js';

/** GSS_IOV_BUFFER_TYPE_* (RFC 4121 doesn't define them; MIT gssapi_ext.h does). */
export const IovType = {
  EMPTY: 0,
  DATA: 1,
  HEADER: 2,
  MECH_PARAMS: 3,
  TRAILER: 7,
  PADDING: 9,
  STREAM: 10,
  SIGN_ONLY: 11,
} as const;

/** One IOV segment: a type and the JS memory the library reads and writes in place. */
export interface IovSegment {
  readonly type: number;
  readonly data: Uint8Array;
}

/** A field of the scratch area: its JS view and its fixed native address. */
interface Field {
  readonly buf: Buffer;
  readonly at: bigint;
}

interface Scratch {
  readonly lib: GssLibrary;
  readonly minor: Field;
  readonly conf: Field;
  readonly qop: Field;
  readonly input: Field;
  readonly output: Field;
  readonly token: Field;
  readonly maxInput: Field;
  readonly iov: Field;
}

const IOV_SLOTS = 8;
let scratch: Scratch | undefined;

function s(): Scratch {
  if (scratch !== undefined) return scratch;
  const lib = gssLibrary();
  const d = lib.layout.bufferDesc.size;
  // One long-lived area whose address is taken once: passing these fixed addresses as BigInts
  // spares koffi a typed-array lookup per argument on every call.
  const area = Buffer.alloc(64 + 3 * d + IOV_SLOTS * lib.layout.iov.size);
  const base = lib.koffi.address(area);
  let at = 0;
  const take = (n: number): Field => {
    const field = { buf: area.subarray(at, at + n), at: base + BigInt(at) };
    at += Math.ceil(n / 8) * 8;
    return field;
  };
  scratch = {
    lib,
    minor: take(4),
    conf: take(4),
    qop: take(4),
    maxInput: take(4),
    input: take(d),
    output: take(d),
    token: take(d),
    iov: take(IOV_SLOTS * lib.layout.iov.size),
  };
  return scratch;
}

/** gss_get_mic: a MIC token over `message`. */
export function getMic(ctx: bigint, qop: number, message: Uint8Array): Buffer {
  const { lib, minor, input, output } = s();
  fillBufferDesc(lib, input.buf, 0, message);
  const major = lib.gss.gss_get_mic(minor.at, ctx, qop >>> 0, input.at, output.at);
  if (major !== 0) {
    if (isGssError(major)) dropDescAt(lib, minor.at, output.buf, output.at);
    check(lib, 'gss_get_mic', major, minor.buf);
  }
  return takeDescAt(lib, minor.at, output.buf, output.at);
}

/** gss_verify_mic: returns the QOP; throws MESSAGE_ALTERED / OUT_OF_SEQUENCE as GssError. */
export function verifyMic(ctx: bigint, message: Uint8Array, token: Uint8Array): number {
  const { lib, minor, input, token: tok, qop } = s();
  fillBufferDesc(lib, input.buf, 0, message);
  fillBufferDesc(lib, tok.buf, 0, token);
  const major = lib.gss.gss_verify_mic(minor.at, ctx, input.at, tok.at, qop.at);
  if (major !== 0) check(lib, 'gss_verify_mic', major, minor.buf, null, 'per-message');
  return qop.buf.readUInt32LE(0);
}

/** gss_wrap: one token holding the (optionally encrypted) message. */
export function wrap(
  ctx: bigint,
  encrypt: boolean,
  qop: number,
  message: Uint8Array,
): { readonly token: Buffer; readonly encrypted: boolean } {
  const { lib, minor, input, output, conf } = s();
  fillBufferDesc(lib, input.buf, 0, message);
  const major = lib.gss.gss_wrap(minor.at, ctx, encrypt ? 1 : 0, qop >>> 0, input.at, conf.at, output.at);
  if (major !== 0) {
    if (isGssError(major)) dropDescAt(lib, minor.at, output.buf, output.at);
    check(lib, 'gss_wrap', major, minor.buf);
  }
  return { token: takeDescAt(lib, minor.at, output.buf, output.at), encrypted: conf.buf.readInt32LE(0) !== 0 };
}

/** gss_unwrap: the message inside a wrap token. */
export function unwrap(
  ctx: bigint,
  token: Uint8Array,
): { readonly message: Buffer; readonly encrypted: boolean; readonly qop: number } {
  const { lib, minor, input, output, conf, qop } = s();
  fillBufferDesc(lib, input.buf, 0, token);
  const major = lib.gss.gss_unwrap(minor.at, ctx, input.at, output.at, conf.at, qop.at);
  if (major !== 0) {
    // A replay/sequence bit comes with a valid output that is still refused: release it too.
    dropDescAt(lib, minor.at, output.buf, output.at);
    check(lib, 'gss_unwrap', major, minor.buf, null, 'per-message');
  }
  return {
    message: takeDescAt(lib, minor.at, output.buf, output.at),
    encrypted: conf.buf.readInt32LE(0) !== 0,
    qop: qop.buf.readUInt32LE(0),
  };
}

/** gss_wrap_size_limit: the largest message whose wrap token fits `outputSize` bytes. */
export function wrapSizeLimit(ctx: bigint, encrypt: boolean, qop: number, outputSize: number): number {
  const { lib, minor, maxInput } = s();
  const major = lib.gss.gss_wrap_size_limit(minor.at, ctx, encrypt ? 1 : 0, qop >>> 0, outputSize >>> 0, maxInput.at);
  if (major !== 0) check(lib, 'gss_wrap_size_limit', major, minor.buf);
  return maxInput.buf.readUInt32LE(0);
}

/** Lays the segments out as gss_iov_buffer_desc entries in the scratch area (or a larger area). */
function layIov(lib: GssLibrary, segments: readonly IovSegment[]): Field {
  const { size, type, buffer } = lib.layout.iov;
  const scratchIov = s().iov;
  const area: Field = segments.length <= IOV_SLOTS ? scratchIov : fieldOf(lib, Buffer.alloc(segments.length * size));
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (seg === undefined) continue;
    area.buf.writeUInt32LE(seg.type >>> 0, i * size + type);
    fillBufferDesc(lib, area.buf, i * size + buffer, seg.data);
  }
  return area;
}

function fieldOf(lib: GssLibrary, buf: Buffer): Field {
  return { buf, at: lib.koffi.address(buf) };
}

function iovLengths(lib: GssLibrary, area: Buffer, count: number): number[] {
  const { size, buffer } = lib.layout.iov;
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++)
    out[i] = Number(area.readBigUInt64LE(i * size + buffer + lib.layout.bufferDesc.length));
  return out;
}

/** gss_wrap_iov_length: the header/trailer/padding lengths for the given segment types and data. */
export function wrapIovLength(ctx: bigint, encrypt: boolean, qop: number, segments: readonly IovSegment[]): number[] {
  const { lib, minor, conf } = s();
  const area = layIov(lib, segments);
  const major = lib.gss.gss_wrap_iov_length(
    minor.at,
    ctx,
    encrypt ? 1 : 0,
    qop >>> 0,
    conf.at,
    area.at,
    segments.length,
  );
  if (major !== 0) check(lib, 'gss_wrap_iov_length', major, minor.buf);
  return iovLengths(lib, area.buf, segments.length);
}

/**
 * gss_wrap_iov in place: DATA segments are encrypted where they lie, HEADER/PADDING/TRAILER are
 * filled. Returns the bytes used in each segment (padding may shrink) and whether it encrypted.
 */
export function wrapIov(
  ctx: bigint,
  encrypt: boolean,
  qop: number,
  segments: readonly IovSegment[],
): { readonly lengths: number[]; readonly encrypted: boolean } {
  const { lib, minor, conf } = s();
  const area = layIov(lib, segments);
  const major = lib.gss.gss_wrap_iov(minor.at, ctx, encrypt ? 1 : 0, qop >>> 0, conf.at, area.at, segments.length);
  if (major !== 0) check(lib, 'gss_wrap_iov', major, minor.buf);
  return { lengths: iovLengths(lib, area.buf, segments.length), encrypted: conf.buf.readInt32LE(0) !== 0 };
}

/**
 * gss_unwrap_iov in place. Without a STREAM segment every result is its own input narrowed to the
 * returned length; with one, the DATA result points inside the stream buffer and is returned as a
 * view of it.
 */
export function unwrapIov(
  ctx: bigint,
  segments: readonly IovSegment[],
): { readonly views: Buffer[]; readonly encrypted: boolean; readonly qop: number } {
  const { lib, minor, conf, qop } = s();
  const area = layIov(lib, segments);
  const major = lib.gss.gss_unwrap_iov(minor.at, ctx, conf.at, qop.at, area.at, segments.length);
  if (major !== 0) check(lib, 'gss_unwrap_iov', major, minor.buf, null, 'per-message');
  const { size, buffer } = lib.layout.iov;
  const bd = lib.layout.bufferDesc;
  const lengths = iovLengths(lib, area.buf, segments.length);
  const stream = segments.find((x) => x.type === IovType.STREAM);
  const streamBase = stream !== undefined ? lib.koffi.address(stream.data) : 0n;
  const views = segments.map((seg, i) => {
    const len = lengths[i] ?? 0;
    if (stream === undefined || seg.type === IovType.STREAM)
      return Buffer.from(seg.data.buffer, seg.data.byteOffset, Math.min(len, seg.data.length));
    const ptr = area.buf.readBigUInt64LE(i * size + buffer + bd.value);
    const start = ptr === 0n ? 0 : Number(ptr - streamBase);
    return Buffer.from(stream.data.buffer, stream.data.byteOffset + start, len);
  });
  return { views, encrypted: conf.buf.readInt32LE(0) !== 0, qop: qop.buf.readUInt32LE(0) };
}
