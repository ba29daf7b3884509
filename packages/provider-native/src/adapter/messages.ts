/**
 * Per-message calls of the user table. A plain krb5 context with an AES enctype makes and checks its
 * RFC 4121 tokens in TypeScript (src/lucid, chosen once per context in rfc4121.ts); the others use
 * MakeSignature/VerifySignature over gss_get_mic/verify_mic and EncryptMessage/DecryptMessage
 * over gss_wrap_iov/unwrap_iov in place. Both produce the same layout: the TOKEN buffer holds the
 * RFC 4121 token header with the trailer rotated into it (no TRAILER iov), which is the layout
 * Windows' Kerberos EncryptMessage produces. MessageSeqNo is accepted and not checked: GSS keeps
 * its own sequence numbers inside the context, as Windows' Kerberos does.
 */
import { SecBufferType, SecQop, SecStatus, isChecksummed, isReadOnly } from '@sspkit/core';
import type { Out, SecBuffer, SecBufferDesc } from '@sspkit/core';
import { getMic, IovType, unwrapIov, verifyMic, wrapIov, wrapIovLength } from '../ffi/index.js';
import type { IovSegment } from '../ffi/index.js';
import type { DataPiece, Rfc4121Session } from '../lucid/index.js';
import { statusFromError } from './failure.js';
import { sessionOf } from './rfc4121.js';
import type { CtxEntry, HandleTables } from './state.js';

// MIT checks a context's end time in some per-message paths only (gss_get_mic does not), so the
// adapter enforces the ticket's end time itself, as Windows does for every per-message call.
function live(tables: HandleTables, handle: number): CtxEntry | number {
  const e = tables.contexts.get(handle);
  if (e === undefined) return SecStatus.SEC_E_INVALID_HANDLE;
  if (!e.complete) return SecStatus.SEC_E_INVALID_HANDLE;
  if (Date.now() >= e.expiry) return SecStatus.SEC_E_CONTEXT_EXPIRED;
  e.lastFailure = undefined;
  return e;
}

/** A per-message call's failure: its status, with the error kept for SpFailureCause. */
function failed(e: CtxEntry, err: unknown): number {
  e.lastFailure = err instanceof Error ? err : new Error(String(err));
  return statusFromError(err);
}

function signedParts(desc: SecBufferDesc): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (const b of desc.buffers) if (b.type === SecBufferType.DATA && isChecksummed(b)) parts.push(b.data);
  return parts;
}

function signedBytes(desc: SecBufferDesc): Uint8Array {
  const parts = signedParts(desc);
  if (parts.length === 1) return parts[0] ?? new Uint8Array(0);
  return Buffer.concat(parts);
}

/** SpMakeSignature: a MIC over the DATA buffers, written into the caller's TOKEN buffer. */
export function makeSignature(tables: HandleTables, handle: number, qop: number, desc: SecBufferDesc): number {
  const e = live(tables, handle);
  if (typeof e === 'number') return e;
  const token = desc.buffers.find((b) => b.type === SecBufferType.TOKEN);
  if (token === undefined || isReadOnly(token)) return SecStatus.SEC_E_INVALID_TOKEN;
  try {
    const ts = sessionOf(e);
    if (ts !== null) {
      // Sized before the token is made: a MIC made and dropped would use up a sequence number.
      if (token.data.length < ts.signedHeaderLength) return SecStatus.SEC_E_BUFFER_TOO_SMALL;
      const mic = ts.getMic(signedParts(desc));
      token.data.set(mic, 0);
      token.data = token.data.subarray(0, mic.length);
      return SecStatus.SEC_E_OK;
    }
    // Refuse a short TOKEN before gss_get_mic runs: a MIC made and dropped would still use up a
    // sequence number and the peer would see a gap. RFC 4121 MICs are as long as the
    // integrity-only wrap header (16-byte header + checksum); other enctypes are checked after.
    const micSize = headerFor(e, false);
    if (micSize !== null && token.data.length < micSize) return SecStatus.SEC_E_BUFFER_TOO_SMALL;
    const mic = getMic(e.ctx.ptr, qop, signedBytes(desc));
    if (token.data.length < mic.length) return SecStatus.SEC_E_BUFFER_TOO_SMALL;
    token.data.set(mic, 0);
    token.data = token.data.subarray(0, mic.length);
    return SecStatus.SEC_E_OK;
  } catch (err) {
    return failed(e, err);
  }
}

/** SpVerifySignature. */
export function verifySignature(
  tables: HandleTables,
  handle: number,
  desc: SecBufferDesc,
  qop: Out<number> | undefined,
): number {
  const e = live(tables, handle);
  if (typeof e === 'number') return e;
  const token = desc.buffers.find((b) => b.type === SecBufferType.TOKEN);
  if (token === undefined) return SecStatus.SEC_E_INVALID_TOKEN;
  try {
    const ts = sessionOf(e);
    let q = 0;
    if (ts !== null) ts.verifyMic(signedParts(desc), token.data);
    else q = verifyMic(e.ctx.ptr, signedBytes(desc), token.data);
    if (qop !== undefined) qop.value = q;
    return SecStatus.SEC_E_OK;
  } catch (err) {
    return failed(e, err);
  }
}

/** Maps SSPI buffers to IOV segments; READONLY buffers take no part, READONLY_WITH_CHECKSUM are signed only. */
function segmentsOf(desc: SecBufferDesc): {
  segs: { buf: SecBuffer; type: number }[];
  token: SecBuffer | undefined;
  padding: SecBuffer | undefined;
} {
  const segs: { buf: SecBuffer; type: number }[] = [];
  let token: SecBuffer | undefined;
  let padding: SecBuffer | undefined;
  for (const b of desc.buffers) {
    if (b.type === SecBufferType.TOKEN && token === undefined) {
      token = b;
      segs.push({ buf: b, type: IovType.HEADER });
    } else if (b.type === SecBufferType.DATA) {
      if (!isChecksummed(b)) continue;
      segs.push({ buf: b, type: isReadOnly(b) ? IovType.SIGN_ONLY : IovType.DATA });
    } else if (b.type === SecBufferType.PADDING && padding === undefined) {
      padding = b;
      segs.push({ buf: b, type: IovType.PADDING });
    }
  }
  return { segs, token, padding };
}

const EMPTY = new Uint8Array(0);
const ONE = new Uint8Array(1);

/**
 * Header length per context and protection, when it cannot vary: RFC 4121 (CFX) tokens have a
 * fixed header and never pad, which two probes with 0 and 1 data bytes confirm. Older enctypes pad
 * by message length, so for them the lengths are asked for on every call.
 */
const fixedHeader = new WeakMap<CtxEntry, { sealed?: number | null; signed?: number | null }>();

function headerFor(e: CtxEntry, encrypt: boolean): number | null {
  let entry = fixedHeader.get(e);
  if (entry === undefined) fixedHeader.set(e, (entry = {}));
  const key = encrypt ? 'sealed' : 'signed';
  const cached = entry[key];
  if (cached !== undefined) return cached;
  const probe = (data: Uint8Array): number[] =>
    wrapIovLength(e.ctx.ptr, encrypt, 0, [
      { type: IovType.HEADER, data: EMPTY },
      { type: IovType.DATA, data },
      { type: IovType.PADDING, data: EMPTY },
    ]);
  const a = probe(EMPTY);
  const b = probe(ONE);
  const fixed = a[2] === 0 && b[2] === 0 && a[0] === b[0] ? (a[0] ?? null) : null;
  entry[key] = fixed;
  return fixed;
}

/** SpSealMessage: encrypts DATA in place; TOKEN receives header+trailer; PADDING is narrowed. */
export function sealMessage(tables: HandleTables, handle: number, qop: number, desc: SecBufferDesc): number {
  const e = live(tables, handle);
  if (typeof e === 'number') return e;
  const encrypt = qop >>> 0 !== SecQop.WRAP_NO_ENCRYPT;
  const ts = sessionOf(e);
  if (ts !== null) return sealRfc4121(e, ts, encrypt, desc);
  const { segs, token, padding } = segmentsOf(desc);
  if (token === undefined || isReadOnly(token)) return SecStatus.SEC_E_INVALID_TOKEN;
  try {
    const fixed = headerFor(e, encrypt);
    const sizing: IovSegment[] = segs.map((s) => ({
      type: s.type,
      data: s.type === IovType.HEADER || s.type === IovType.PADDING ? EMPTY : s.buf.data,
    }));
    const lengths =
      fixed !== null
        ? segs.map((s) => (s.type === IovType.HEADER ? fixed : 0))
        : wrapIovLength(e.ctx.ptr, encrypt, 0, sizing);
    const segments: IovSegment[] = [];
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i];
      if (s === undefined) continue;
      const need = lengths[i] ?? 0;
      if (s.type === IovType.HEADER || s.type === IovType.PADDING) {
        if (s.buf.data.length < need) return SecStatus.SEC_E_BUFFER_TOO_SMALL;
        segments.push({ type: s.type, data: s.buf.data.subarray(0, need) });
      } else segments.push({ type: s.type, data: s.buf.data });
    }
    if (padding === undefined && lengths.some((n, i) => segs[i]?.type === IovType.PADDING && n > 0))
      return SecStatus.SEC_E_BUFFER_TOO_SMALL;
    const result = wrapIov(e.ctx.ptr, encrypt, 0, segments);
    if (encrypt && !result.encrypted) return SecStatus.SEC_E_QOP_NOT_SUPPORTED;
    segs.forEach((s, i) => {
      if (s.type === IovType.HEADER || s.type === IovType.PADDING)
        s.buf.data = s.buf.data.subarray(0, result.lengths[i] ?? 0);
    });
    return SecStatus.SEC_E_OK;
  } catch (err) {
    return failed(e, err);
  }
}

/**
 * SpUnsealMessage. Layouts: TOKEN+DATA(+PADDING), decrypted in place; or STREAM+DATA, where the
 * whole wrap token (e.g. from gss_wrap in another program) is in STREAM and DATA is set to the
 * plaintext inside it, as Windows does for SECBUFFER_STREAM.
 */
export function unsealMessage(
  tables: HandleTables,
  handle: number,
  desc: SecBufferDesc,
  qop: Out<number> | undefined,
): number {
  const e = live(tables, handle);
  if (typeof e === 'number') return e;
  const ts = sessionOf(e);
  if (ts !== null) return unsealRfc4121(e, ts, desc, qop);
  try {
    const stream = desc.buffers.find((b) => b.type === SecBufferType.STREAM);
    let encrypted: boolean;
    if (stream !== undefined) {
      const data = desc.buffers.find((b) => b.type === SecBufferType.DATA);
      if (data === undefined) return SecStatus.SEC_E_INVALID_TOKEN;
      const out = unwrapIov(e.ctx.ptr, [
        { type: IovType.STREAM, data: stream.data },
        { type: IovType.DATA, data: EMPTY },
      ]);
      data.data = out.views[1] ?? EMPTY;
      encrypted = out.encrypted;
    } else {
      const { segs, token } = segmentsOf(desc);
      if (token === undefined) return SecStatus.SEC_E_INVALID_TOKEN;
      const out = unwrapIov(
        e.ctx.ptr,
        segs.map((s) => ({ type: s.type, data: s.buf.data })),
      );
      segs.forEach((s, i) => {
        if (s.type === IovType.DATA) s.buf.data = out.views[i] ?? s.buf.data;
      });
      encrypted = out.encrypted;
    }
    if (qop !== undefined) qop.value = encrypted ? 0 : SecQop.WRAP_NO_ENCRYPT;
    return SecStatus.SEC_E_OK;
  } catch (err) {
    return failed(e, err);
  }
}

/**
 * The buffers the TypeScript path reads, in one walk of the descriptor with the same rules as
 * segmentsOf (first TOKEN, first PADDING, first STREAM; DATA signed unless READONLY, sign-only when
 * READONLY_WITH_CHECKSUM): the per-message profile showed segmentsOf's segment objects, the
 * find() closures and the second walk for the pieces.
 */
interface Rfc4121Buffers {
  token: SecBuffer | undefined;
  padding: SecBuffer | undefined;
  stream: SecBuffer | undefined;
  firstData: SecBuffer | undefined;
  readonly pieces: DataPiece[];
}

function rfc4121Buffers(desc: SecBufferDesc): Rfc4121Buffers {
  const r: Rfc4121Buffers = {
    token: undefined,
    padding: undefined,
    stream: undefined,
    firstData: undefined,
    pieces: [],
  };
  for (const b of desc.buffers) {
    const type = b.type;
    if (type === SecBufferType.TOKEN) r.token ??= b;
    else if (type === SecBufferType.DATA) {
      r.firstData ??= b;
      if (isChecksummed(b)) r.pieces.push({ data: b.data, signOnly: isReadOnly(b) });
    } else if (type === SecBufferType.PADDING) r.padding ??= b;
    else if (type === SecBufferType.STREAM) r.stream ??= b;
  }
  return r;
}

/** EncryptMessage through src/lucid: TOKEN gets header and rotated trailer, DATA is sealed in place. */
function sealRfc4121(e: CtxEntry, ts: Rfc4121Session, encrypt: boolean, desc: SecBufferDesc): number {
  const { token, padding, pieces } = rfc4121Buffers(desc);
  if (token === undefined || isReadOnly(token)) return SecStatus.SEC_E_INVALID_TOKEN;
  // Sized before anything is made, for the same reason as MakeSignature.
  if (token.data.length < (encrypt ? ts.sealedHeaderLength : ts.signedHeaderLength))
    return SecStatus.SEC_E_BUFFER_TOO_SMALL;
  try {
    const n = ts.wrapInPlace(encrypt, token.data, pieces);
    token.data = token.data.subarray(0, n);
  } catch (err) {
    return failed(e, err);
  }
  // RFC 4121 tokens never pad.
  if (padding !== undefined) padding.data = padding.data.subarray(0, 0);
  return SecStatus.SEC_E_OK;
}

/** DecryptMessage through src/lucid: TOKEN + DATA in place, or STREAM + DATA. */
function unsealRfc4121(e: CtxEntry, ts: Rfc4121Session, desc: SecBufferDesc, qop: Out<number> | undefined): number {
  const { token, stream, firstData, pieces } = rfc4121Buffers(desc);
  let encrypted: boolean;
  try {
    if (stream !== undefined) {
      if (firstData === undefined) return SecStatus.SEC_E_INVALID_TOKEN;
      const out = ts.unwrap(stream.data);
      // The plaintext goes back into the stream buffer, which DATA then points into, as on Windows.
      const at = Math.min(16, stream.data.length - out.message.length);
      stream.data.set(out.message, at);
      firstData.data = stream.data.subarray(at, at + out.message.length);
      encrypted = out.encrypted;
    } else {
      if (token === undefined) return SecStatus.SEC_E_INVALID_TOKEN;
      encrypted = ts.unwrapInPlace(token.data, pieces);
    }
  } catch (err) {
    return failed(e, err);
  }
  if (qop !== undefined) qop.value = encrypted ? 0 : SecQop.WRAP_NO_ENCRYPT;
  return SecStatus.SEC_E_OK;
}
