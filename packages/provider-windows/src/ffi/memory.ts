/** NativeMemory over koffi: blocks from koffi.alloc, viewed in place, counted while they live. */
import type { NativeBlock, NativeMemory, NativePointer } from '../marshal/memory.js';
import type { Koffi } from './koffi.js';
import type { Secur32 } from './secur32.js';

/** The koffi-backed memory, with a count of blocks still allocated (leak checks read it). */
export class KoffiMemory implements NativeMemory {
  readonly #koffi: Koffi;
  readonly #secur32: Secur32;
  readonly #raw = new WeakMap<NativeBlock, unknown>();
  #live = 0;

  constructor(koffi: Koffi, secur32: Secur32) {
    this.#koffi = koffi;
    this.#secur32 = secur32;
  }

  /** Blocks allocated and not yet freed. */
  get liveBlocks(): number {
    return this.#live;
  }

  alloc(size: number): NativeBlock {
    const n = Math.max(1, size);
    const raw: unknown = this.#koffi.alloc('uint8_t', n);
    const bytes = new Uint8Array(this.#koffi.view(raw, n));
    bytes.fill(0);
    const block: NativeBlock = { address: this.#koffi.address(raw), bytes };
    this.#raw.set(block, raw);
    this.#live++;
    return block;
  }

  free(block: NativeBlock): void {
    const raw = this.#raw.get(block);
    if (raw === undefined) return;
    this.#raw.delete(block);
    this.#koffi.free(raw);
    this.#live--;
  }

  pointerAt(block: NativeBlock, offset: number): NativePointer | null {
    const address = new DataView(block.bytes.buffer, block.bytes.byteOffset).getBigUint64(offset, true);
    return address === 0n ? null : { address };
  }

  read(pointer: NativePointer, length: number): Uint8Array {
    if (length === 0) return new Uint8Array(0);
    return new Uint8Array(this.#koffi.view(pointer.address, length)).slice();
  }

  readWide(pointer: NativePointer): string {
    return this.#koffi.decode(pointer.address, 'char16_t', -1) as string;
  }

  freeContextBuffer(pointer: NativePointer): number {
    return this.#secur32.FreeContextBuffer(pointer.address) >>> 0;
  }
}
