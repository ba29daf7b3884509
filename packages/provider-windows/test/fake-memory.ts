/** An in-memory NativeMemory for the Linux tests: blocks at made-up addresses, package allocations tracked. */
import type { NativeBlock, NativeMemory, NativePointer } from '../src/marshal/memory.js';

export class FakeMemory implements NativeMemory {
  readonly blocks = new Map<bigint, NativeBlock>();
  /** Memory "the package" allocated (as secur32 does under ALLOCATE_MEMORY), by address. */
  readonly packageAllocations = new Map<bigint, Uint8Array>();
  readonly freedContextBuffers: bigint[] = [];
  /** Every block ever freed, with its bytes at the time (to check wiping). */
  readonly freed: { address: bigint; bytes: Uint8Array }[] = [];
  #next = 0x10000n;

  alloc(size: number): NativeBlock {
    const block = { address: this.#next, bytes: new Uint8Array(Math.max(1, size)) };
    this.#next += BigInt(Math.max(1, size)) + 0x100n;
    this.blocks.set(block.address, block);
    return block;
  }

  free(block: NativeBlock): void {
    if (!this.blocks.delete(block.address)) throw new Error(`double free of ${block.address}`);
    this.freed.push({ address: block.address, bytes: Uint8Array.from(block.bytes) });
  }

  /** A buffer as the package would allocate it; returns its address. */
  packageAlloc(bytes: Uint8Array): bigint {
    const address = this.#next;
    this.#next += BigInt(bytes.length) + 0x100n;
    this.packageAllocations.set(address, Uint8Array.from(bytes));
    return address;
  }

  pointerAt(block: NativeBlock, offset: number): NativePointer | null {
    const a = new DataView(block.bytes.buffer, block.bytes.byteOffset).getBigUint64(offset, true);
    return a === 0n ? null : { address: a };
  }

  #bytesAt(address: bigint, length: number): Uint8Array {
    for (const [base, bytes] of [
      ...this.packageAllocations,
      ...[...this.blocks].map(([a, b]) => [a, b.bytes] as const),
    ]) {
      const off = Number(address - base);
      if (address >= base && off + length <= bytes.length) return bytes.subarray(off, off + length);
    }
    throw new Error(`no memory at ${address}`);
  }

  read(pointer: NativePointer, length: number): Uint8Array {
    return Uint8Array.from(this.#bytesAt(pointer.address, length));
  }

  readWide(pointer: NativePointer): string {
    let s = '';
    for (let i = 0; ; i += 2) {
      const b = this.#bytesAt(pointer.address + BigInt(i), 2);
      const c = b[0]! | (b[1]! << 8);
      if (c === 0) return s;
      s += String.fromCharCode(c);
    }
  }

  freeContextBuffer(pointer: NativePointer): number {
    if (!this.packageAllocations.delete(pointer.address)) return 0x80090301; // not ours to free
    this.freedContextBuffers.push(pointer.address);
    return 0;
  }

  /** Writes into a SecBuffer array entry what a package would leave there. */
  setBuffer(array: NativeBlock, index: number, size: number, typeWord: number, address: bigint): void {
    const v = new DataView(array.bytes.buffer, array.bytes.byteOffset);
    v.setUint32(index * 16, size, true);
    v.setUint32(index * 16 + 4, typeWord, true);
    v.setBigUint64(index * 16 + 8, address, true);
  }
}
