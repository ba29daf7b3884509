import { SecStatus } from './status.js';

/** SECBUFFER_* buffer types (the low bits of BufferType). */
export const SecBufferType = {
  EMPTY: 0,
  DATA: 1,
  TOKEN: 2,
  PKG_PARAMS: 3,
  MISSING: 4,
  EXTRA: 5,
  STREAM_TRAILER: 6,
  STREAM_HEADER: 7,
  NEGOTIATION_INFO: 8,
  PADDING: 9,
  STREAM: 10,
  MECHLIST: 11,
  MECHLIST_SIGNATURE: 12,
  TARGET: 13,
  CHANNEL_BINDINGS: 14,
  CHANGE_PASS_RESPONSE: 15,
  TARGET_HOST: 16,
  ALERT: 17,
  APPLICATION_PROTOCOLS: 18,
  SRTP_PROTECTION_PROFILES: 19,
  SRTP_MASTER_KEY_IDENTIFIER: 20,
  TOKEN_BINDING: 21,
  PRESHARED_KEY: 22,
  PRESHARED_KEY_IDENTITY: 23,
  DTLS_MTU: 24,
  SEND_GENERIC_TLS_EXTENSION: 25,
  SUBSCRIBE_GENERIC_TLS_EXTENSION: 26,
  FLAGS: 27,
  TRAFFIC_SECRETS: 28,
  CERTIFICATE_REQUEST_CONTEXT: 29,
  CHANNEL_BINDINGS_RESULT: 30,
  APP_SESSION_STATE: 31,
  SESSION_TICKET: 32,
} as const;

/** BufferType attribute bits (SECBUFFER_ATTRMASK and friends): mask them off before comparing types. */
export const SecBufferFlag = {
  ATTRMASK: 0xf0000000,
  READONLY: 0x80000000,
  READONLY_WITH_CHECKSUM: 0x10000000,
  RESERVED: 0x60000000,
  UNMAPPED: 0x40000000,
  KERNEL_MAP: 0x20000000,
} as const;

/** SecBufferDesc.ulVersion. */
export const SECBUFFER_VERSION = 0;

/**
 * One SecBuffer. `type` is BufferType without its attribute bits, `flags` the attribute bits
 * (SECBUFFER_READONLY…), `data` the bytes (pvBuffer, with cbBuffer = data.length).
 *
 * In-place semantics as on Windows: a package writes a signature into the TOKEN buffer the caller
 * sized (`data` is then narrowed to the bytes written), and encrypts a DATA buffer in place. Output
 * handshake tokens are written into the caller's buffer, or allocated when the caller asked for
 * ISC_REQ_ALLOCATE_MEMORY / ASC_REQ_ALLOCATE_MEMORY (see {@link writeBuffer}).
 */
export interface SecBuffer {
  type: number;
  flags: number;
  data: Uint8Array;
}

/** SecBufferDesc: a version (always SECBUFFER_VERSION) and the buffers. */
export interface SecBufferDesc {
  version: number;
  buffers: SecBuffer[];
}

/** Builds a SecBuffer (the bytes are used as given, not copied). */
export function secBuffer(type: number, data: Uint8Array = new Uint8Array(0), flags = 0): SecBuffer {
  return { type, flags: flags >>> 0, data };
}

/** Builds a SecBufferDesc over the given buffers. */
export function secBufferDesc(...buffers: SecBuffer[]): SecBufferDesc {
  return { version: SECBUFFER_VERSION, buffers };
}

/** The Windows BufferType word: type plus attribute bits, unsigned. */
export function bufferTypeWord(buffer: SecBuffer): number {
  return ((buffer.type & ~SecBufferFlag.ATTRMASK) | (buffer.flags & SecBufferFlag.ATTRMASK)) >>> 0;
}

/** Splits a Windows BufferType word into a SecBuffer's type and flags. */
export function splitBufferType(word: number): { type: number; flags: number } {
  return { type: (word & ~SecBufferFlag.ATTRMASK) >>> 0, flags: (word & SecBufferFlag.ATTRMASK) >>> 0 };
}

/** True for SECBUFFER_READONLY and SECBUFFER_READONLY_WITH_CHECKSUM buffers: a package must not write them. */
export function isReadOnly(buffer: SecBuffer): boolean {
  return (buffer.flags & (SecBufferFlag.READONLY | SecBufferFlag.READONLY_WITH_CHECKSUM)) !== 0;
}

/** True for buffers whose bytes are covered by a signature (everything but SECBUFFER_READONLY). */
export function isChecksummed(buffer: SecBuffer): boolean {
  return (buffer.flags & SecBufferFlag.READONLY) === 0;
}

/** The first buffer of the given type (attribute bits ignored), or undefined. */
export function findBuffer(desc: SecBufferDesc | undefined, type: number): SecBuffer | undefined {
  if (!desc) return undefined;
  for (const b of desc.buffers) if (b.type === type) return b;
  return undefined;
}

/** Every buffer of the given type, in order. */
export function findBuffers(desc: SecBufferDesc | undefined, type: number): SecBuffer[] {
  return desc ? desc.buffers.filter((b) => b.type === type) : [];
}

/**
 * Checks that a value is a well-formed SecBufferDesc (right version, buffer objects with numeric
 * type/flags and Uint8Array data). Callers may pass anything from JavaScript; this is what keeps a
 * malformed descriptor from reaching a package.
 */
export function isValidBufferDesc(desc: unknown): desc is SecBufferDesc {
  try {
    return checkDesc(desc);
  } catch {
    return false; // a Proxy or getter that throws is as malformed as any other bad descriptor
  }
}

function checkDesc(desc: unknown): boolean {
  if (typeof desc !== 'object' || desc === null) return false;
  const d = desc as { version?: unknown; buffers?: unknown };
  if (d.version !== SECBUFFER_VERSION || !Array.isArray(d.buffers)) return false;
  for (const b of d.buffers as unknown[]) {
    if (typeof b !== 'object' || b === null) return false;
    const { type, flags, data } = b as { type?: unknown; flags?: unknown; data?: unknown };
    if (typeof type !== 'number' || !Number.isInteger(type) || type < 0) return false;
    if (typeof flags !== 'number' || !Number.isInteger(flags)) return false;
    if (!(data instanceof Uint8Array)) return false;
  }
  return true;
}

/**
 * Writes `bytes` into an output buffer the way a package fills a caller's SecBuffer:
 * with `allocate` (the caller asked for *_ALLOCATE_MEMORY) the buffer gets fresh memory of the
 * exact size; otherwise the bytes are copied into the caller's buffer and `data` is narrowed to
 * the written length, or SEC_E_BUFFER_TOO_SMALL is returned and the buffer is left untouched.
 * Read-only buffers are refused with SEC_E_INVALID_TOKEN.
 */
export function writeBuffer(buffer: SecBuffer, bytes: Uint8Array, allocate: boolean): number {
  if (isReadOnly(buffer)) return SecStatus.SEC_E_INVALID_TOKEN;
  if (allocate) {
    // A plain copy: Uint8Array.from goes through the iteration protocol (~1.7× the time for a token).
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    buffer.data = copy;
    return SecStatus.SEC_E_OK;
  }
  if (buffer.data.length < bytes.length) return SecStatus.SEC_E_BUFFER_TOO_SMALL;
  buffer.data.set(bytes, 0);
  buffer.data = buffer.data.subarray(0, bytes.length);
  return SecStatus.SEC_E_OK;
}
