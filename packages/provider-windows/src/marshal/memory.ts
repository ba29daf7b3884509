/**
 * The seam between the marshalling code and native memory: everything that lays out SSPI structures
 * (SecBufferDesc, SEC_WINNT_AUTH_IDENTITY_W, handles) writes through this interface, so it is tested
 * on Linux against an in-memory fake while secur32 sees the same bytes through koffi on Windows.
 */

/** A block of native memory this process allocated: its address and a live view of its bytes. */
export interface NativeBlock {
  readonly address: bigint;
  readonly bytes: Uint8Array;
}

/** A pointer the native side wrote (into a structure we own or as an out-parameter). */
export interface NativePointer {
  readonly address: bigint;
}

/** What the marshalling code needs from native memory. */
export interface NativeMemory {
  /** Zeroed native memory of `size` bytes (at least one). */
  alloc(size: number): NativeBlock;
  /** Releases a block from {@link alloc}; the caller wipes it first when it held a secret. */
  free(block: NativeBlock): void;
  /** The pointer-sized value at `offset` of a block, or null for NULL. */
  pointerAt(block: NativeBlock, offset: number): NativePointer | null;
  /** A copy of `length` bytes at a pointer the native side returned. */
  read(pointer: NativePointer, length: number): Uint8Array;
  /** The NUL-terminated UTF-16 string at a pointer the native side returned. */
  readWide(pointer: NativePointer): string;
  /** FreeContextBuffer on memory a security package allocated; returns its status. */
  freeContextBuffer(pointer: NativePointer): number;
}

/** x64 sizes and offsets of the sspi.h structures (LLP64: ULONG is 4 bytes, pointers 8). */
export const Layout = {
  POINTER: 8,
  /** SecBuffer: ULONG cbBuffer; ULONG BufferType; PVOID pvBuffer. */
  SEC_BUFFER: 16,
  /** SecBufferDesc: ULONG ulVersion; ULONG cBuffers; PSecBuffer pBuffers. */
  SEC_BUFFER_DESC: 16,
  /** SecHandle (CredHandle, CtxtHandle): ULONG_PTR dwLower; ULONG_PTR dwUpper. */
  SEC_HANDLE: 16,
  /** SEC_WINNT_AUTH_IDENTITY_W: User, UserLength, Domain, DomainLength, Password, PasswordLength, Flags. */
  AUTH_IDENTITY_W: 48,
  /**
   * SEC_WINNT_AUTH_IDENTITY_EXW: Version, Length, User, UserLength, Domain, DomainLength, Password,
   * PasswordLength, Flags, PackageList, PackageListLength.
   */
  AUTH_IDENTITY_EXW: 72,
} as const;

/** Little-endian accessors over a block (Windows on x64 and arm64 is little-endian). */
function view(block: NativeBlock): DataView {
  return new DataView(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength);
}

/** Writes a pointer-sized address (0n for NULL). */
export function putPointer(block: NativeBlock, offset: number, address: bigint): void {
  view(block).setBigUint64(offset, address, true);
}

/** Writes a ULONG. */
export function putUlong(block: NativeBlock, offset: number, value: number): void {
  view(block).setUint32(offset, value >>> 0, true);
}

/** Reads a ULONG. */
export function getUlong(block: NativeBlock, offset: number): number {
  return view(block).getUint32(offset, true);
}

/** Zeroes a block and frees it: every block that held a token, a message or a password goes this way. */
export function wipeAndFree(memory: NativeMemory, block: NativeBlock): void {
  block.bytes.fill(0);
  memory.free(block);
}

/** A NUL-terminated UTF-16LE copy of `text` in native memory (the caller wipes and frees it). */
export function allocWide(memory: NativeMemory, text: string): NativeBlock {
  const block = memory.alloc((text.length + 1) * 2);
  const v = view(block);
  for (let i = 0; i < text.length; i++) v.setUint16(i * 2, text.charCodeAt(i), true);
  return block;
}
