/**
 * InitializeSecurityContextW and AcceptSecurityContext legs. The caller's buffers go to secur32 as
 * they are (src/marshal/buffers.ts): an output token is written into the caller's buffer, and
 * SEC_E_BUFFER_TOO_SMALL, SECBUFFER_EXTRA and SECBUFFER_MISSING come back as secur32 set them.
 *
 * Under *_REQ_ALLOCATE_MEMORY the provider does the allocating: secur32 gets output buffers of the
 * package's cbMaxToken without the flag, and the caller gets a fresh buffer of the token's exact size
 * and *_RET_ALLOCATED_MEMORY, as from Windows. The caller cannot tell the difference, and no package
 * allocation needs a FreeContextBuffer round trip. Wine 8 ignores the flag: its Kerberos answers
 * SEC_E_INCOMPLETE_MESSAGE for the NULL output buffer, its Negotiate and NTLM acceptor write through
 * the NULL pointer (the process dies of a page fault).
 */
import { AscReq, AscRet, IscReq, IscRet, SecStatus, isSuccess, secBuffer } from '@sspkit/core';
import type { LsaModeContextResult, SecBufferDesc } from '@sspkit/core';
import { marshalDesc, releaseDesc, unmarshalDesc } from '../marshal/buffers.js';
import type { MarshalledDesc } from '../marshal/buffers.js';
import { Layout, getUlong, wipeAndFree } from '../marshal/memory.js';
import type { NativeBlock } from '../marshal/memory.js';
import { causeOf, offLoop } from './call.js';
import { timeStampOf } from './state.js';
import type { CtxEntry, HandleTables, Native } from './state.js';

/** Statuses after which a context exists and is still going or done. */
function continues(status: number): boolean {
  return (
    isSuccess(status) ||
    status === SecStatus.SEC_I_CONTINUE_NEEDED ||
    status === SecStatus.SEC_I_COMPLETE_NEEDED ||
    status === SecStatus.SEC_I_COMPLETE_AND_CONTINUE
  );
}

function complete(status: number): boolean {
  return status === SecStatus.SEC_E_OK || status === SecStatus.SEC_I_COMPLETE_NEEDED;
}

interface Leg {
  readonly side: 'client' | 'server';
  readonly cred: number | undefined;
  readonly ctx: number | undefined;
  readonly req: number;
  readonly input: SecBufferDesc | undefined;
  readonly output: SecBufferDesc | undefined;
  /** cbMaxToken of the package: the size of the output buffers the provider allocates. */
  readonly maxToken: number;
  /** Runs the native call with the handle/buffer addresses; resolves to the mapped status. */
  readonly call: (a: {
    req: number;
    cred: bigint | null;
    ctx: bigint | null;
    newCtx: bigint;
    input: bigint | null;
    output: bigint | null;
    attrs: bigint;
    expiry: bigint;
  }) => ReturnType<typeof offLoop>;
}

async function leg(native: Native, tables: HandleTables, l: Leg): Promise<LsaModeContextResult> {
  const { memory } = native;
  const credEntry = l.cred === undefined ? undefined : tables.creds.get(l.cred);
  if (l.cred !== undefined && !credEntry) return { status: SecStatus.SEC_E_INVALID_HANDLE };
  const existing = l.ctx === undefined ? undefined : tables.contexts.get(l.ctx);
  if (l.ctx !== undefined && !existing) return { status: SecStatus.SEC_E_INVALID_HANDLE };
  if (!credEntry && !existing) return { status: SecStatus.SEC_E_INVALID_HANDLE };
  const allocateBit = l.side === 'client' ? IscReq.ALLOCATE_MEMORY : AscReq.ALLOCATE_MEMORY;
  const allocate = (l.req & allocateBit) !== 0;
  // The buffers secur32 writes: the caller's own, or ones of cbMaxToken the provider allocates.
  const outDesc: SecBufferDesc | undefined =
    allocate && l.output
      ? {
          version: l.output.version,
          buffers: l.output.buffers.map((b) => secBuffer(b.type, new Uint8Array(l.maxToken), b.flags)),
        }
      : l.output;
  let input: MarshalledDesc | undefined;
  let output: MarshalledDesc | undefined;
  const fresh: NativeBlock | undefined = existing ? undefined : memory.alloc(Layout.SEC_HANDLE);
  const attrs = memory.alloc(4);
  const expiry = memory.alloc(8);
  let keep = false;
  try {
    input = l.input ? marshalDesc(memory, l.input, 'in') : undefined;
    output = outDesc ? marshalDesc(memory, outDesc, 'out', l.maxToken) : undefined;
    const s = await l.call({
      req: l.req & ~allocateBit,
      cred: credEntry?.handle.address ?? null,
      ctx: existing?.handle.address ?? null,
      newCtx: (existing?.handle ?? fresh!).address,
      input: input?.desc.address ?? null,
      output: output?.desc.address ?? null,
      attrs: attrs.address,
      expiry: expiry.address,
    });
    // Sizes, EXTRA, MISSING and error tokens are meaningful whatever the status: bring them back.
    if (input && l.input) unmarshalDesc(memory, input, l.input);
    if (output && outDesc) unmarshalDesc(memory, output, outDesc);
    if (allocate && l.output && outDesc) {
      l.output.buffers.forEach((b, i) => {
        const got = outDesc.buffers[i]!;
        b.type = got.type;
        b.flags = got.flags;
        b.data = Uint8Array.from(got.data);
        got.data.fill(0);
      });
    }
    const allocatedBit = l.side === 'client' ? IscRet.ALLOCATED_MEMORY : AscRet.ALLOCATED_MEMORY;
    const contextAttributes = (getUlong(attrs, 0) | (allocate ? allocatedBit : 0)) >>> 0;
    const expirationTime = timeStampOf(expiry);
    if (!continues(s.status)) return { status: s.status, cause: causeOf(legName(l.side), s) };
    if (existing) {
      existing.attributes = contextAttributes;
      existing.expiry = expirationTime;
      existing.complete = complete(s.status);
      return { status: s.status, contextAttributes, expirationTime };
    }
    keep = true;
    const entry: CtxEntry = {
      handle: fresh!,
      side: l.side,
      requested: l.req,
      attributes: contextAttributes,
      expiry: expirationTime,
      complete: complete(s.status),
      lastFailure: undefined,
    };
    return { status: s.status, newContextHandle: tables.addContext(entry), contextAttributes, expirationTime };
  } finally {
    if (input) releaseDesc(memory, input);
    if (output) releaseDesc(memory, output);
    memory.free(attrs);
    memory.free(expiry);
    if (fresh && !keep) wipeAndFree(memory, fresh);
  }
}

function legName(side: 'client' | 'server'): string {
  return side === 'client' ? 'InitializeSecurityContext' : 'AcceptSecurityContext';
}

/** One InitializeSecurityContextW call (off the event loop: it may ask a KDC for a service ticket). */
export function initLeg(
  native: Native,
  tables: HandleTables,
  cred: number | undefined,
  ctx: number | undefined,
  target: string | undefined,
  req: number,
  dataRep: number,
  input: SecBufferDesc | undefined,
  output: SecBufferDesc | undefined,
  maxToken: number,
): Promise<LsaModeContextResult> {
  return leg(native, tables, {
    side: 'client',
    cred,
    ctx,
    req,
    input,
    output,
    maxToken,
    call: (a) =>
      offLoop(
        native.secur32.InitializeSecurityContextW,
        'handshake',
        a.cred,
        a.ctx,
        target ?? null,
        a.req,
        0,
        dataRep,
        a.input,
        0,
        a.newCtx,
        a.output,
        a.attrs,
        a.expiry,
      ),
  });
}

/** One AcceptSecurityContext call (off the event loop: NTLM pass-through and PAC checks reach a DC). */
export function acceptLeg(
  native: Native,
  tables: HandleTables,
  cred: number | undefined,
  ctx: number | undefined,
  req: number,
  dataRep: number,
  input: SecBufferDesc | undefined,
  output: SecBufferDesc | undefined,
  maxToken: number,
): Promise<LsaModeContextResult> {
  return leg(native, tables, {
    side: 'server',
    cred,
    ctx,
    req,
    input,
    output,
    maxToken,
    call: (a) =>
      offLoop(
        native.secur32.AcceptSecurityContext,
        'handshake',
        a.cred,
        a.ctx,
        a.input,
        a.req,
        dataRep,
        a.newCtx,
        a.output,
        a.attrs,
        a.expiry,
      ),
  });
}

/** DeleteSecurityContext, then the handle's memory. */
export function deleteContext(native: Native, tables: HandleTables, h: number): number {
  const entry = tables.dropContext(h);
  if (!entry) return SecStatus.SEC_E_INVALID_HANDLE;
  const status = native.secur32.DeleteSecurityContext(entry.handle.address) >>> 0;
  wipeAndFree(native.memory, entry.handle);
  return status;
}
