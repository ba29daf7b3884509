/**
 * SecBufferDesc marshalling with SSPI's in-place semantics (sspi.h; Microsoft Learn, "SecBuffer"):
 * the caller's buffers are copied into native memory, secur32 reads and writes them there, and what it
 * wrote comes back into the caller's own Uint8Arrays — a signature narrowed to the bytes written, a
 * message sealed or opened in place, a DATA buffer that DecryptMessage pointed inside a STREAM buffer
 * becoming a view of that buffer, an output token the package allocated copied out and released
 * with FreeContextBuffer. READONLY buffers are never written back.
 */
import { SecBufferType, isReadOnly, splitBufferType, bufferTypeWord } from '@sspkit/core';
import type { SecBufferDesc } from '@sspkit/core';
import { Layout, getUlong, putPointer, putUlong, wipeAndFree } from './memory.js';
import type { NativeBlock, NativeMemory, NativePointer } from './memory.js';

/** How a descriptor's buffers go to the native side. */
export type DescRole =
  /** ISC/ASC input, per-message buffers: every buffer's bytes are copied in. */
  | 'in'
  /** ISC/ASC output: each buffer's current length is its capacity (nothing copied in). */
  | 'out'
  /** ISC/ASC output with *_REQ_ALLOCATE_MEMORY: NULL buffers the package allocates. */
  | 'out-allocate';

/** A descriptor laid out in native memory, with what is needed to bring results back. */
export interface MarshalledDesc {
  /** The SecBufferDesc itself (pass its address to secur32). */
  readonly desc: NativeBlock;
  readonly array: NativeBlock | undefined;
  /** The native copy of each buffer's bytes (undefined for an empty or package-allocated buffer). */
  readonly blocks: readonly (NativeBlock | undefined)[];
  /** The caller's original bytes, where results are written back in place. */
  readonly originals: readonly Uint8Array[];
  readonly role: DescRole;
}

/**
 * Lays out `desc` in native memory. Free the result with {@link releaseDesc} whatever happens.
 * `reserve`: the native size of each output buffer at least (cbBuffer still says the caller's
 * size). Defence in depth: a package that wrote more than cbBuffer would write into memory of ours
 * that nothing else uses, not over another allocation. No package has been seen to do so.
 */
export function marshalDesc(memory: NativeMemory, desc: SecBufferDesc, role: DescRole, reserve = 0): MarshalledDesc {
  const count = desc.buffers.length;
  const head = memory.alloc(Layout.SEC_BUFFER_DESC);
  const array = count > 0 ? memory.alloc(count * Layout.SEC_BUFFER) : undefined;
  const blocks: (NativeBlock | undefined)[] = [];
  putUlong(head, 0, desc.version);
  putUlong(head, 4, count);
  putPointer(head, 8, array?.address ?? 0n);
  desc.buffers.forEach((b, i) => {
    const at = i * Layout.SEC_BUFFER;
    const size = role === 'out-allocate' ? 0 : b.data.length;
    const nativeSize = role === 'out' ? Math.max(size, reserve) : size;
    const block = nativeSize > 0 ? memory.alloc(nativeSize) : undefined;
    if (block && role === 'in') block.bytes.set(b.data);
    blocks.push(block);
    putUlong(array!, at, size);
    putUlong(array!, at + 4, bufferTypeWord(b));
    putPointer(array!, at + 8, block?.address ?? 0n);
  });
  return { desc: head, array, blocks, originals: desc.buffers.map((b) => b.data), role };
}

/** One SecBuffer as the native side left it. */
export interface NativeBufferState {
  readonly typeWord: number;
  readonly size: number;
  readonly pointer: NativePointer | null;
}

/** Reads back the SecBuffer array after the call. */
export function nativeState(memory: NativeMemory, m: MarshalledDesc): NativeBufferState[] {
  const out: NativeBufferState[] = [];
  for (let i = 0; i < m.blocks.length; i++) {
    const at = i * Layout.SEC_BUFFER;
    out.push({
      size: getUlong(m.array!, at),
      typeWord: getUlong(m.array!, at + 4),
      pointer: memory.pointerAt(m.array!, at + 8),
    });
  }
  return out;
}

/** The block (index and offset) a returned pointer falls in, when it points into memory we gave. */
function locate(m: MarshalledDesc, p: NativePointer, size: number): { index: number; offset: number } | undefined {
  for (let i = 0; i < m.blocks.length; i++) {
    const b = m.blocks[i];
    if (!b) continue;
    const offset = Number(p.address - b.address);
    if (p.address >= b.address && offset + size <= b.bytes.length) return { index: i, offset };
  }
  return undefined;
}

/**
 * Brings the native results back into `desc` (whose buffers must be the ones marshalled). Returns
 * the status of the first FreeContextBuffer that failed, or 0. Call it only when the native call's
 * buffers are meaningful: after success, SEC_I_*, and the statuses that report sizes
 * (SEC_E_INCOMPLETE_MESSAGE's MISSING buffer, SEC_E_BUFFER_TOO_SMALL).
 */
export function unmarshalDesc(memory: NativeMemory, m: MarshalledDesc, desc: SecBufferDesc): number {
  const states = nativeState(memory, m);
  let freeStatus = 0;
  // In-place results first, so a buffer that points inside another one sees that one's new bytes.
  desc.buffers.forEach((b, i) => {
    const block = m.blocks[i];
    const original = m.originals[i]!;
    if (block && !isReadOnly(b)) original.set(block.bytes.subarray(0, original.length));
  });
  desc.buffers.forEach((b, i) => {
    const s = states[i]!;
    const { type, flags } = splitBufferType(s.typeWord);
    const input = m.originals[i]!;
    b.type = type;
    b.flags = flags;
    b.data = resultBytes(memory, m, desc, i, s, input, type, (st) => {
      if (freeStatus === 0 && st !== 0) freeStatus = st;
    });
  });
  return freeStatus;
}

function resultBytes(
  memory: NativeMemory,
  m: MarshalledDesc,
  desc: SecBufferDesc,
  i: number,
  s: NativeBufferState,
  input: Uint8Array,
  type: number,
  onFree: (status: number) => void,
): Uint8Array {
  // SECBUFFER_EXTRA / MISSING (ISC/ASC input, DecryptMessage on a stream) carry a count, not
  // necessarily a pointer: EXTRA is the unprocessed tail of the input token; MISSING, how many
  // bytes are still to come (its data a zeroed array of that length: nothing else can say it).
  if (type === SecBufferType.EXTRA && s.pointer === null) return tailOfInput(m, desc, s.size);
  if (type === SecBufferType.MISSING) return new Uint8Array(s.size);
  if (s.pointer === null)
    return s.size === 0 ? input.subarray(0, 0) : input.subarray(0, Math.min(s.size, input.length));
  const inside = locate(m, s.pointer, s.size);
  if (inside) return m.originals[inside.index]!.subarray(inside.offset, inside.offset + s.size);
  // Memory the package allocated (ALLOCATE_MEMORY, or a token it returned on its own): copy, release.
  const copy = memory.read(s.pointer, s.size);
  if (m.role === 'out-allocate' || m.blocks[i] === undefined) onFree(memory.freeContextBuffer(s.pointer));
  return copy;
}

function tailOfInput(m: MarshalledDesc, desc: SecBufferDesc, size: number): Uint8Array {
  const tokenIndex = desc.buffers.findIndex((b) => b.type === SecBufferType.TOKEN || b.type === SecBufferType.STREAM);
  const source = tokenIndex >= 0 ? m.originals[tokenIndex]! : new Uint8Array(0);
  return source.subarray(Math.max(0, source.length - size));
}

/** Wipes and frees everything {@link marshalDesc} allocated (tokens and messages can be secret). */
export function releaseDesc(memory: NativeMemory, m: MarshalledDesc): void {
  for (const b of m.blocks) if (b) wipeAndFree(memory, b);
  if (m.array) wipeAndFree(memory, m.array);
  wipeAndFree(memory, m.desc);
}
