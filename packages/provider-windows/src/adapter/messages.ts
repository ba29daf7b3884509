/**
 * MakeSignature, VerifySignature, EncryptMessage, DecryptMessage and CompleteAuthToken: the caller's
 * buffers are marshalled in, signed, sealed or opened in place by secur32 and brought back
 * (src/marshal/buffers.ts), READONLY buffers untouched. These are synchronous, as SSPI's are: no
 * per-message call waits on the network.
 */
import { SecBufferType, SecPkgAttr, SecStatus, isReadOnly, isSuccess } from '@sspkit/core';
import type { Out, SecBufferDesc } from '@sspkit/core';
import { marshalDesc, releaseDesc, unmarshalDesc } from '../marshal/buffers.js';
import { getUlong } from '../marshal/memory.js';
import { causeOf, inline } from './call.js';
import type { CtxEntry, HandleTables, Native } from './state.js';

/**
 * The context's SecPkgContext_Sizes, read once. Null when the package does not answer (then no
 * guard applies).
 */
function sizesOf(native: Native, entry: CtxEntry): CtxEntry['sizes'] {
  if (entry.sizes !== undefined) return entry.sizes;
  const b = native.memory.alloc(16);
  try {
    const st = native.secur32.QueryContextAttributesW(entry.handle.address, SecPkgAttr.SIZES, b.address) >>> 0;
    const v = new DataView(b.bytes.buffer, b.bytes.byteOffset);
    const sizes =
      st === SecStatus.SEC_E_OK ? { maxSignature: v.getUint32(4, true), securityTrailer: v.getUint32(12, true) } : null;
    if (entry.complete) entry.sizes = sizes; // sizes can change until the handshake is done
    return sizes;
  } finally {
    native.memory.free(b);
  }
}

/**
 * MakeSignature and EncryptMessage write the signature or trailer into the caller's TOKEN buffer,
 * which SSPI requires to be at least cbMaxSignature / cbSecurityTrailer bytes (Microsoft Learn,
 * MakeSignature, EncryptMessage (General)). Checked here, before secur32 sees the buffer: Wine 8's
 * Kerberos answers SEC_E_OK for a 4-byte TOKEN buffer, where its signature is 28 bytes.
 */
function tokenTooSmall(native: Native, entry: CtxEntry, op: Op, desc: SecBufferDesc): string | undefined {
  if (op !== 'MakeSignature' && op !== 'EncryptMessage') return undefined;
  const token = desc.buffers.find((b) => b.type === SecBufferType.TOKEN && !isReadOnly(b));
  if (!token) return undefined; // secur32 answers a missing TOKEN itself (SEC_E_INVALID_TOKEN)
  const sizes = sizesOf(native, entry);
  if (!sizes) return undefined;
  const need = op === 'MakeSignature' ? sizes.maxSignature : sizes.securityTrailer;
  return token.data.length < need
    ? `${op}: the TOKEN buffer has ${token.data.length} bytes, ${need} needed`
    : undefined;
}

type Op = 'MakeSignature' | 'VerifySignature' | 'EncryptMessage' | 'DecryptMessage' | 'CompleteAuthToken';

/** Statuses after which the buffers hold secur32's answer (SEC_E_INCOMPLETE_MESSAGE: a MISSING count). */
function meaningful(status: number): boolean {
  return isSuccess(status) || status === SecStatus.SEC_E_INCOMPLETE_MESSAGE;
}

function perMessage(
  native: Native,
  tables: HandleTables,
  h: number,
  op: Op,
  desc: SecBufferDesc,
  run: (ctx: bigint, desc: bigint, qop: bigint) => number,
  qop?: Out<number>,
): number {
  const entry = tables.contexts.get(h);
  if (!entry) return SecStatus.SEC_E_INVALID_HANDLE;
  const small = tokenTooSmall(native, entry, op, desc);
  if (small !== undefined) {
    entry.lastFailure = new Error(small);
    return SecStatus.SEC_E_BUFFER_TOO_SMALL;
  }
  const { memory } = native;
  const m = marshalDesc(memory, desc, 'in');
  const qopBlock = memory.alloc(4);
  try {
    const s = inline(() => run(entry.handle.address, m.desc.address, qopBlock.address), 'message');
    if (meaningful(s.status)) unmarshalDesc(memory, m, desc);
    if (qop && isSuccess(s.status)) qop.value = getUlong(qopBlock, 0);
    entry.lastFailure = isSuccess(s.status) ? undefined : causeOf(op, s);
    return s.status;
  } finally {
    releaseDesc(memory, m);
    memory.free(qopBlock);
  }
}

export function makeSignature(
  n: Native,
  t: HandleTables,
  h: number,
  qop: number,
  desc: SecBufferDesc,
  seq: number,
): number {
  return perMessage(n, t, h, 'MakeSignature', desc, (c, d) => n.secur32.MakeSignature(c, qop, d, seq));
}

export function verifySignature(
  n: Native,
  t: HandleTables,
  h: number,
  desc: SecBufferDesc,
  seq: number,
  qop: Out<number> | undefined,
): number {
  return perMessage(n, t, h, 'VerifySignature', desc, (c, d, q) => n.secur32.VerifySignature(c, d, seq, q), qop);
}

export function sealMessage(
  n: Native,
  t: HandleTables,
  h: number,
  qop: number,
  desc: SecBufferDesc,
  seq: number,
): number {
  return perMessage(n, t, h, 'EncryptMessage', desc, (c, d) => n.secur32.EncryptMessage(c, qop, d, seq));
}

export function unsealMessage(
  n: Native,
  t: HandleTables,
  h: number,
  desc: SecBufferDesc,
  seq: number,
  qop: Out<number> | undefined,
): number {
  return perMessage(n, t, h, 'DecryptMessage', desc, (c, d, q) => n.secur32.DecryptMessage(c, d, seq, q), qop);
}

/** CompleteAuthToken: real for Digest on Windows (it finishes the response once the message is known). */
export function completeAuthToken(n: Native, t: HandleTables, h: number, desc: SecBufferDesc): number {
  return perMessage(n, t, h, 'CompleteAuthToken', desc, (c, d) => n.secur32.CompleteAuthToken(c, d));
}
