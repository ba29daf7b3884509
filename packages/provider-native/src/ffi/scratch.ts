/**
 * Reusable call frames: the out-parameters and descriptors of one native call, carved from one
 * long-lived Buffer whose native address is taken once. Measured on the handshake path, a fresh
 * frame per call cost more than the JS around the call: a Buffer of ≤ 64 bytes lives on V8's heap
 * and is moved off it (~0.3 µs) the first time koffi takes its address, a larger one is a new
 * backing store (~0.8 µs) that the young-generation GC must later sweep, and passing a Buffer
 * makes koffi look its address up on every call where a BigInt is taken as is. Frames are taken
 * for one call and given back (zeroed) once its outputs are read, so concurrent async calls each
 * hold their own and a busy server allocates nothing per handshake.
 */
import type { GssLibrary } from './library.js';

/** One frame: views of its slots and their fixed native addresses, slot by slot. */
export interface Frame {
  readonly views: readonly Buffer[];
  readonly at: readonly bigint[];
  /** The whole area, zeroed when the frame is given back. */
  readonly area: Buffer;
}

/** Frames of one fixed shape (slot sizes), recycled through a free list. */
export class FramePool {
  readonly #free: Frame[] = [];
  readonly #offsets: number[];
  readonly #total: number;

  constructor(
    private readonly lib: GssLibrary,
    private readonly sizes: readonly number[],
    private readonly keep = 32,
  ) {
    let at = 0;
    this.#offsets = sizes.map((n) => {
      const o = at;
      at += Math.ceil(n / 8) * 8;
      return o;
    });
    // Above V8's on-heap limit (64 bytes), so the area has a stable off-heap backing store.
    this.#total = Math.max(at, 128);
  }

  /** A zeroed frame, from the free list or new. */
  take(): Frame {
    const f = this.#free.pop();
    if (f !== undefined) return f;
    const area = Buffer.alloc(this.#total);
    const base = this.lib.koffi.address(area);
    return {
      area,
      views: this.sizes.map((n, i) => area.subarray(this.#offsets[i] ?? 0, (this.#offsets[i] ?? 0) + n)),
      at: this.#offsets.map((o) => base + BigInt(o)),
    };
  }

  /** Returns a frame whose call has finished and whose outputs were read or released. */
  give(f: Frame): void {
    // Zeroed even when dropped: a frame may have held a secret (a cred store's password entry).
    f.area.fill(0);
    if (this.#free.length < this.keep) this.#free.push(f);
  }
}
